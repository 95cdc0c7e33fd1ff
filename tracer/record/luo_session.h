/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_LUO_SESSION_H
#define LUTRACE_LUO_SESSION_H

/*
 * The flight log's way across the kexec: a memfd preserved in a LUO session
 * of lutrace's own. /dev/liveupdate admits one opener at a time and the VMM
 * needs it too, so it is opened only for the moment of one ioctl, and opening
 * is retried while it is busy. Functions return an fd or 0, else -errno.
 */

#define LUTRACE_LUO_SESSION	"lutrace"
#define LUTRACE_LUO_TOKEN	1

/* Opens /dev/liveupdate, retrying EBUSY for up to wait_ms. */
int luo_open_device(unsigned int wait_ms);
int luo_create_session(unsigned int wait_ms, const char *name);
/* -ENOENT when there is no such incoming session. */
int luo_retrieve_session(unsigned int wait_ms, const char *name);

int luo_preserve_fd(int session, int fd, unsigned long long token);
int luo_retrieve_fd(int session, unsigned long long token);
int luo_finish_session(int session);

#endif
