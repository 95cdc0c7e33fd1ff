// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/liveupdate.h>

#include "luo.h"

#define LUO_RETRY_US	10000
#define LUO_WAIT_US	5000000

int luo_open(void)
{
	int fd, waited;

	for (waited = 0;; waited += LUO_RETRY_US) {
		fd = open("/dev/liveupdate", O_RDWR | O_CLOEXEC);
		if (fd >= 0 || errno != EBUSY || waited >= LUO_WAIT_US)
			return fd;
		usleep(LUO_RETRY_US);
	}
}

int luo_session(const char *name, int retrieve)
{
	struct liveupdate_ioctl_create_session s = { .size = sizeof(s) };
	int luo = luo_open(), ret;

	if (luo < 0)
		return -errno;
	snprintf((char *)s.name, sizeof(s.name), "%s", name);
	ret = ioctl(luo, retrieve ? LIVEUPDATE_IOCTL_RETRIEVE_SESSION :
		    LIVEUPDATE_IOCTL_CREATE_SESSION, &s) ? -errno : s.fd;
	close(luo);
	return ret;
}

int luo_preserve_fd(int session, int fd, __u64 token)
{
	struct liveupdate_session_preserve_fd p = {
		.size = sizeof(p), .fd = fd, .token = token,
	};

	return ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &p) ? -errno : 0;
}

int luo_retrieve_fd(int session, __u64 token)
{
	struct liveupdate_session_retrieve_fd r = { .size = sizeof(r), .token = token };

	return ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &r) ? -errno : r.fd;
}

int luo_finish(int session)
{
	struct liveupdate_session_finish f = { .size = sizeof(f) };

	return ioctl(session, LIVEUPDATE_SESSION_FINISH, &f) ? -errno : 0;
}
