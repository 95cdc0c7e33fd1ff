// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfio_cdev.h"

int guest_fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
	return 1;
}

int vfio_cdev_path(const char *bdf, char *path, size_t len)
{
	struct dirent *de;
	char dir[256];
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		/* noiommu-vfioX for a device in vfio's no-IOMMU mode */
		if (!strncmp(de->d_name, "vfio", 4) || !strncmp(de->d_name, "noiommu-vfio", 12)) {
			snprintf(path, len, "/dev/vfio/devices/%s", de->d_name);
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	errno = ENOENT;
	return -1;
}

int vfio_config_offset(int dev, uint64_t *off)
{
	struct vfio_region_info cfg = {
		.argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX,
	};

	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &cfg))
		return -errno;
	*off = cfg.offset;
	return 0;
}

static int bind_fd(int dev, const unsigned char *token, int *iommufd, unsigned int *ioas)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind),
		.flags = token ? VFIO_DEVICE_BIND_FLAG_TOKEN : 0,
		.token_uuid_ptr = (uintptr_t)token,
	};
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };

	*iommufd = open("/dev/iommu", O_RDWR);
	if (*iommufd < 0)
		return guest_fail("open /dev/iommu");
	bind.iommufd = *iommufd;
	if (ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return guest_fail("VFIO_DEVICE_BIND_IOMMUFD");
	if (ioctl(*iommufd, IOMMU_IOAS_ALLOC, &alloc))
		return guest_fail("IOMMU_IOAS_ALLOC");
	attach.pt_id = alloc.out_ioas_id;
	if (ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		return guest_fail("VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	*ioas = alloc.out_ioas_id;
	return 0;
}

int vfio_config_find_cap(int dev, uint64_t cfg, uint8_t cap_id)
{
	uint8_t pos, id;
	int hops;

	if (pread(dev, &pos, 1, (off_t)(cfg + PCI_CAPABILITY_LIST)) != 1)
		return -EIO;
	for (hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (pread(dev, &id, 1, (off_t)(cfg + pos + PCI_CAP_LIST_ID)) != 1)
			return -EIO;
		if (id == cap_id)
			return pos;
		if (pread(dev, &pos, 1, (off_t)(cfg + pos + PCI_CAP_LIST_NEXT)) != 1)
			return -EIO;
	}
	return -ENODEV;
}

int vfio_cdev_bind_noiommu(int dev)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind), .iommufd = -1 };

	return ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &bind) ? -errno : 0;
}

int vfio_cdev_bind_fd(int dev, int *iommufd, unsigned int *ioas)
{
	return bind_fd(dev, NULL, iommufd, ioas);
}

int vfio_set_vf_token(int pf, const unsigned char token[16])
{
	struct {
		struct vfio_device_feature hdr;
		unsigned char uuid[16];
	} feat = {
		.hdr = {
			.argsz = sizeof(feat),
			.flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PCI_VF_TOKEN,
		},
	};

	memcpy(feat.uuid, token, sizeof(feat.uuid));
	if (ioctl(pf, VFIO_DEVICE_FEATURE, &feat))
		return guest_fail("VFIO_DEVICE_FEATURE_PCI_VF_TOKEN");
	return 0;
}

int vfio_cdev_open_bound_token(const char *bdf, const unsigned char *token, int *iommufd,
			       unsigned int *ioas)
{
	char path[300];
	int dev;

	if (vfio_cdev_path(bdf, path, sizeof(path)))
		return guest_fail("no vfio cdev for device (bound to vfio-pci?)"), -1;
	dev = open(path, O_RDWR);
	if (dev < 0)
		return guest_fail("open cdev"), -1;
	if (bind_fd(dev, token, iommufd, ioas)) {
		close(dev);
		return -1;
	}
	printf("cdev=%s\n", path);
	return dev;
}

int vfio_cdev_open_bound(const char *bdf, int *iommufd, unsigned int *ioas)
{
	return vfio_cdev_open_bound_token(bdf, NULL, iommufd, ioas);
}
