// SPDX-License-Identifier: GPL-2.0
#include "record/luo_session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#if __has_include(<linux/liveupdate.h>)
#include <linux/liveupdate.h>
#else
/*
 * The /dev/liveupdate ABI of Linux 7.2 (include/uapi/linux/liveupdate.h),
 * for building on hosts whose headers are older than the kernel it runs on.
 */
#define LIVEUPDATE_SESSION_NAME_LENGTH 64

struct liveupdate_ioctl_create_session {
	uint32_t size;
	int32_t fd;
	uint8_t name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define liveupdate_ioctl_retrieve_session liveupdate_ioctl_create_session

struct liveupdate_session_preserve_fd {
	uint32_t size;
	int32_t fd;
	uint64_t token __attribute__((aligned(8)));
};

#define liveupdate_session_retrieve_fd liveupdate_session_preserve_fd

struct liveupdate_session_finish {
	uint32_t size;
	uint32_t reserved;
};

#define LIVEUPDATE_IOCTL_CREATE_SESSION		_IO(0xBA, 0x00)
#define LIVEUPDATE_IOCTL_RETRIEVE_SESSION	_IO(0xBA, 0x01)
#define LIVEUPDATE_SESSION_PRESERVE_FD		_IO(0xBA, 0x40)
#define LIVEUPDATE_SESSION_RETRIEVE_FD		_IO(0xBA, 0x41)
#define LIVEUPDATE_SESSION_FINISH		_IO(0xBA, 0x42)
#endif

#define RETRY_STEP_MS 20

int luo_open_device(unsigned int wait_ms)
{
	const struct timespec step = { 0, RETRY_STEP_MS * 1000000L };

	for (unsigned int waited = 0;; waited += RETRY_STEP_MS) {
		int fd = open("/dev/liveupdate", O_RDWR | O_CLOEXEC);

		if (fd >= 0)
			return fd;
		if (errno != EBUSY || waited >= wait_ms)
			return -errno;
		nanosleep(&step, NULL);
	}
}

/* Create and retrieve share their argument layout. */
static int session_ioctl(unsigned int wait_ms, unsigned long cmd,
			 const char *name)
{
	struct liveupdate_ioctl_create_session arg = { .size = sizeof(arg) };
	int dev = luo_open_device(wait_ms), ret;

	if (dev < 0)
		return dev;
	strncpy((char *)arg.name, name, sizeof(arg.name) - 1);
	ret = ioctl(dev, cmd, &arg) ? -errno : arg.fd;
	close(dev);
	return ret;
}

int luo_create_session(unsigned int wait_ms, const char *name)
{
	return session_ioctl(wait_ms, LIVEUPDATE_IOCTL_CREATE_SESSION, name);
}

int luo_retrieve_session(unsigned int wait_ms, const char *name)
{
	return session_ioctl(wait_ms, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, name);
}

int luo_preserve_fd(int session, int fd, unsigned long long token)
{
	struct liveupdate_session_preserve_fd arg = {
		.size = sizeof(arg), .fd = fd, .token = token,
	};

	return ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &arg) ? -errno : 0;
}

int luo_retrieve_fd(int session, unsigned long long token)
{
	struct liveupdate_session_retrieve_fd arg = {
		.size = sizeof(arg), .fd = -1, .token = token,
	};

	return ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg) ? -errno : arg.fd;
}

int luo_finish_session(int session)
{
	struct liveupdate_session_finish arg = { .size = sizeof(arg) };

	return ioctl(session, LIVEUPDATE_SESSION_FINISH, &arg) ? -errno : 0;
}
