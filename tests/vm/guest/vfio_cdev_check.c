// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_cdev_check - open a vfio-pci device through its cdev, bind it to a new
 * iommufd, attach it to an IOAS, and make a QEMU edu device answer through
 * BAR0 and copy data both ways by DMA through an IOVA. Proves VFIO cdev,
 * iommufd and the emulated IOMMU work in the guest, with no Live Update.
 *
 *   vfio_cdev_check BDF
 *
 * Exits 0 only when every step worked.
 */
#include <stdio.h>

#include "edu.h"
#include "vfio_cdev.h"

#define CHECK_IOVA	0x200000ull

int main(int argc, char **argv)
{
	struct edu e = { 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: vfio_cdev_check BDF\n");
		return 2;
	}
	e.dev = vfio_cdev_open_bound(argv[1], &e.iommufd, &e.ioas);
	if (e.dev < 0 || edu_init(&e))
		return 1;
	printf("ioas=%u bar0_offset=0x%llx\n", e.ioas, (unsigned long long)e.bar0);
	if (edu_map_buffer(&e, CHECK_IOVA, -1) || edu_dma_roundtrip(&e, EDU_DMA_MAX, 1))
		return 1;
	printf("dma_roundtrip=%u bytes via iova 0x%llx\nresult=ok\n", EDU_DMA_MAX,
	       (unsigned long long)CHECK_IOVA);
	return 0;
}
