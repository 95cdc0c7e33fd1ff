/* SPDX-License-Identifier: GPL-2.0 */
/* Open vfio-pci devices through their cdev in the guest test programs. */
#ifndef LUTRACE_GUEST_VFIO_CDEV_H
#define LUTRACE_GUEST_VFIO_CDEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Path of the /dev/vfio/devices node of PCI device @bdf (vfioX, or
 * noiommu-vfioX in vfio's no-IOMMU mode); -1 with errno set.
 */
int vfio_cdev_path(const char *bdf, char *path, size_t len);

/*
 * Bind device fd @dev to a new iommufd (returned in @iommufd) and attach it
 * to a new IOAS (returned in @ioas). Returns 0, or 1 after printing the step
 * that failed.
 */
int vfio_cdev_bind_fd(int dev, int *iommufd, unsigned int *ioas);

/*
 * Bind device fd @dev of a device in vfio's no-IOMMU mode (its cdev is
 * noiommu-vfioX) with iommufd -1: 0 or -errno, nothing printed.
 */
int vfio_cdev_bind_noiommu(int dev);

/*
 * Open @bdf's cdev, bind it to a new iommufd (returned in @iommufd) and
 * attach it to a new IOAS (returned in @ioas). Returns the device fd, or -1
 * after printing which step failed.
 */
int vfio_cdev_open_bound(const char *bdf, int *iommufd, unsigned int *ioas);

/*
 * As vfio_cdev_open_bound(), binding with the VF token @token (16 bytes, as
 * set on the PF with vfio_set_vf_token()), or none if @token is NULL.
 */
int vfio_cdev_open_bound_token(const char *bdf, const unsigned char *token, int *iommufd,
			       unsigned int *ioas);

/* Set the VF token of PF device fd @pf: 0, or 1 after printing the failure. */
int vfio_set_vf_token(int pf, const unsigned char token[16]);

/* Where device fd @dev's config space starts in the fd, in @off: 0 or -errno. */
int vfio_config_offset(int dev, uint64_t *off);

/*
 * The offset of capability @cap_id (PCI_CAP_ID_*) in the config space of
 * device fd @dev, whose config region starts at @cfg: > 0, or -ENODEV when
 * the device has none, -EIO when the list cannot be read.
 */
int vfio_config_find_cap(int dev, uint64_t cfg, uint8_t cap_id);

/* Print "prog: what: strerror(errno)" and return 1, for main()'s exits. */
int guest_fail(const char *what);

#endif
