/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Live Update Orchestrator's uAPI (/dev/liveupdate and session fds) for
 * the guest test programs: each call returns what the ioctl gave, -errno on
 * failure, and prints nothing.
 */
#ifndef LUTRACE_GUEST_LUO_H
#define LUTRACE_GUEST_LUO_H

#include <linux/types.h>

/*
 * Open /dev/liveupdate, retrying for up to 5 s while it is busy (another
 * process has it open): the fd, or -1 with errno set.
 */
int luo_open(void);
/*
 * Create (@retrieve false) or retrieve session @name through /dev/liveupdate,
 * which is opened for this one call: the session fd, or -errno.
 */
int luo_session(const char *name, int retrieve);
int luo_preserve_fd(int session, int fd, __u64 token);
/* The retrieved fd, or -errno. */
int luo_retrieve_fd(int session, __u64 token);
int luo_finish(int session);

#endif
