// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_cdev_check - open a vfio-pci device through its cdev, bind it to a new
 * iommufd, attach it to an IOAS, map a buffer and talk to a QEMU edu device
 * through BAR0. Proves VFIO cdev + iommufd + the emulated IOMMU work in the
 * guest before any Live Update code runs.
 *
 *   vfio_cdev_check BDF
 *
 * Prints key=value lines; exits 0 only when every step worked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "vfio_cdev.h"

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_IOVA	0x100000000ull

int main(int argc, char **argv)
{
	struct vfio_region_info bar0 = { .argsz = sizeof(bar0), .index = VFIO_PCI_BAR0_REGION_INDEX };
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	uint32_t id, probe = 0x12345678, alive;
	unsigned int ioas;
	int dev, iommufd;
	void *buf;

	if (argc != 2) {
		fprintf(stderr, "usage: vfio_cdev_check BDF\n");
		return 2;
	}
	dev = vfio_cdev_open_bound(argv[1], &iommufd, &ioas);
	if (dev < 0)
		return 1;
	printf("ioas=%u\n", ioas);

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return guest_fail("mmap");
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	map.ioas_id = ioas;
	map.user_va = (uintptr_t)buf;
	map.length = 4096;
	map.iova = EDU_IOVA;
	if (ioctl(iommufd, IOMMU_IOAS_MAP, &map))
		return guest_fail("IOMMU_IOAS_MAP");
	printf("iova=0x%llx\n", (unsigned long long)map.iova);

	if (ioctl(dev, VFIO_DEVICE_GET_INFO, &info))
		return guest_fail("VFIO_DEVICE_GET_INFO");
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		fprintf(stderr, "vfio_cdev_check: not a PCI device\n");
		return 1;
	}
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &bar0))
		return guest_fail("VFIO_DEVICE_GET_REGION_INFO(BAR0)");

	if (pread(dev, &id, sizeof(id), bar0.offset + EDU_ID) != sizeof(id))
		return guest_fail("read edu id");
	if (pwrite(dev, &probe, sizeof(probe), bar0.offset + EDU_LIVENESS) != sizeof(probe))
		return guest_fail("write edu liveness");
	if (pread(dev, &alive, sizeof(alive), bar0.offset + EDU_LIVENESS) != sizeof(alive))
		return guest_fail("read edu liveness");
	printf("edu_id=0x%08x\nedu_liveness=0x%08x\n", id, alive);

	if ((id & 0xff) != 0xed || alive != (uint32_t)~probe) {
		fprintf(stderr, "vfio_cdev_check: BAR0 does not behave like an edu device\n");
		return 1;
	}
	printf("result=ok\n");
	return 0;
}
