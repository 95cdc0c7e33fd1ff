// SPDX-License-Identifier: GPL-2.0
/*
 * luo_vfio_cycle - one preserve/unpreserve cycle of a vfio-pci device file
 * in a LUO session, for the tracepoint checks: open the device through its
 * cdev and bind it to an iommufd, create session SESSION, preserve the device
 * fd with TOKEN, then close the session (which unpreserves it).
 *
 *   luo_vfio_cycle BDF SESSION TOKEN
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/liveupdate.h>

#include "vfio_cdev.h"

/* /dev/liveupdate is exclusive: wait while another process holds it. */
static int open_liveupdate(void)
{
	int fd, tries;

	for (tries = 0; tries < 100; tries++) {
		fd = open("/dev/liveupdate", O_RDWR);
		if (fd >= 0 || errno != EBUSY)
			return fd;
		usleep(50000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct liveupdate_ioctl_create_session create = { .size = sizeof(create) };
	struct liveupdate_session_preserve_fd preserve = { .size = sizeof(preserve) };
	unsigned int ioas;
	int dev, iommufd, luo;

	if (argc != 4) {
		fprintf(stderr, "usage: luo_vfio_cycle BDF SESSION TOKEN\n");
		return 2;
	}
	if (strlen(argv[2]) >= sizeof(create.name)) {
		fprintf(stderr, "luo_vfio_cycle: session name too long\n");
		return 2;
	}

	dev = vfio_cdev_open_bound(argv[1], &iommufd, &ioas);
	if (dev < 0)
		return 1;
	luo = open_liveupdate();
	if (luo < 0)
		return guest_fail("open /dev/liveupdate");

	strcpy((char *)create.name, argv[2]);
	if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &create))
		return guest_fail("LIVEUPDATE_IOCTL_CREATE_SESSION");

	preserve.fd = dev;
	preserve.token = strtoull(argv[3], NULL, 0);
	if (ioctl(create.fd, LIVEUPDATE_SESSION_PRESERVE_FD, &preserve))
		return guest_fail("LIVEUPDATE_SESSION_PRESERVE_FD");
	printf("preserved=%s session=%s token=%llu\n", argv[1], argv[2],
	       (unsigned long long)preserve.token);

	/* Closing an outgoing session unpreserves everything in it. */
	close(create.fd);
	close(luo);
	printf("unpreserved=%s\n", argv[1]);
	close(dev);
	close(iommufd);
	return 0;
}
