// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_config_flr - open a vfio-pci device through its cdev and ask for a
 * Function Level Reset the way a guest driver would: by setting the
 * Initiate FLR bit of the PCIe Device Control register through the VFIO
 * config region. vfio-pci emulates that write with a function reset.
 *
 *   vfio_config_flr BDF
 *
 * Exits 0 when the device advertises FLR, the write was accepted, the bit
 * reads back as zero (as the spec requires) and the device still answers
 * config reads; 1 otherwise, saying which step failed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/pci_regs.h>

#include "vfio_cdev.h"

static int cfg_read(int dev, uint64_t base, unsigned int pos, void *val, size_t len)
{
	ssize_t n = pread(dev, val, len, (off_t)(base + pos));

	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		errno = EIO;
	return -1;
}

int main(int argc, char **argv)
{
	uint16_t ctl, vendor;
	int exp;
	uint32_t devcap;
	uint64_t base;
	int iommufd, dev, err;
	unsigned int ioas;

	if (argc != 2) {
		fprintf(stderr, "usage: vfio_config_flr BDF\n");
		return 2;
	}
	dev = vfio_cdev_open_bound(argv[1], &iommufd, &ioas);
	if (dev < 0)
		return 1;
	err = vfio_config_offset(dev, &base);
	if (err) {
		errno = -err;
		return guest_fail("VFIO_DEVICE_GET_REGION_INFO(config)");
	}
	exp = vfio_config_find_cap(dev, base, PCI_CAP_ID_EXP);
	if (exp < 0) {
		fprintf(stderr, "vfio_config_flr: %s: no PCI Express capability: %s\n", argv[1],
			strerror(-exp));
		return 1;
	}
	if (cfg_read(dev, base, exp + PCI_EXP_DEVCAP, &devcap, 4))
		return guest_fail("read DevCap");
	if (!(devcap & PCI_EXP_DEVCAP_FLR)) {
		fprintf(stderr, "vfio_config_flr: %s: DevCap has no FLR\n", argv[1]);
		return 1;
	}
	if (cfg_read(dev, base, exp + PCI_EXP_DEVCTL, &ctl, 2))
		return guest_fail("read DevCtl");
	ctl |= PCI_EXP_DEVCTL_BCR_FLR;
	if (pwrite(dev, &ctl, 2, (off_t)(base + exp + PCI_EXP_DEVCTL)) != 2)
		return guest_fail("write DevCtl with Initiate FLR");
	if (cfg_read(dev, base, exp + PCI_EXP_DEVCTL, &ctl, 2))
		return guest_fail("read DevCtl after the FLR");
	if (ctl & PCI_EXP_DEVCTL_BCR_FLR) {
		fprintf(stderr, "vfio_config_flr: %s: Initiate FLR reads back as 1\n", argv[1]);
		return 1;
	}
	if (cfg_read(dev, base, PCI_VENDOR_ID, &vendor, 2))
		return guest_fail("read the vendor ID after the FLR");
	if (vendor == 0xffff) {
		fprintf(stderr, "vfio_config_flr: %s: no answer after the FLR\n", argv[1]);
		return 1;
	}
	printf("%s: FLR through DevCtl at 0x%x, vendor 0x%04x answers\n", argv[1],
	       exp + PCI_EXP_DEVCTL, vendor);
	return 0;
}
