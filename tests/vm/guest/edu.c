// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "edu.h"
#include "vfio_cdev.h"

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_START	0x1
#define EDU_DMA_TO_RAM	0x2
#define EDU_DEV_BUF	0x40000

static int reg_read(struct edu *e, uint32_t reg, uint32_t *val)
{
	if (pread(e->dev, val, 4, e->bar0 + reg) != 4)
		return guest_fail("edu register read");
	return 0;
}

static int reg_write(struct edu *e, uint32_t reg, uint32_t val)
{
	if (pwrite(e->dev, &val, 4, e->bar0 + reg) != 4)
		return guest_fail("edu register write");
	return 0;
}

/* vfio-pci leaves bus mastering to the user, as a guest driver would. */
static int enable_bus_master(struct edu *e)
{
	uint64_t cfg;
	uint16_t cmd;

	if (vfio_config_offset(e->dev, &cfg))
		return guest_fail("VFIO_DEVICE_GET_REGION_INFO(config)");
	if (pread(e->dev, &cmd, 2, cfg + PCI_COMMAND) != 2)
		return guest_fail("read PCI_COMMAND");
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (pwrite(e->dev, &cmd, 2, cfg + PCI_COMMAND) != 2)
		return guest_fail("write PCI_COMMAND");
	return 0;
}

int edu_init(struct edu *e)
{
	struct vfio_region_info bar0 = {
		.argsz = sizeof(bar0), .index = VFIO_PCI_BAR0_REGION_INDEX,
	};
	uint32_t id, alive, probe = 0x5a5a0f0f;

	if (ioctl(e->dev, VFIO_DEVICE_GET_REGION_INFO, &bar0))
		return guest_fail("VFIO_DEVICE_GET_REGION_INFO(BAR0)");
	e->bar0 = bar0.offset;
	if (enable_bus_master(e))
		return 1;
	if (reg_read(e, EDU_ID, &id) || reg_write(e, EDU_LIVENESS, probe) ||
	    reg_read(e, EDU_LIVENESS, &alive))
		return 1;
	if ((id & 0xff) != 0xed || alive != (uint32_t)~probe) {
		fprintf(stderr, "edu: BAR0 does not behave like edu (id 0x%08x)\n", id);
		return 1;
	}
	return 0;
}

int edu_map_buffer(struct edu *e, uint64_t iova, int fd)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = e->ioas,
		.length = EDU_BUF_SIZE,
		.iova = iova,
	};

	e->buf = mmap(NULL, EDU_BUF_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | (fd < 0 ? MAP_ANONYMOUS : 0), fd, 0);
	if (e->buf == MAP_FAILED)
		return guest_fail("mmap DMA buffer");
	map.user_va = (uintptr_t)e->buf;
	if (ioctl(e->iommufd, IOMMU_IOAS_MAP, &map))
		return guest_fail("IOMMU_IOAS_MAP");
	e->iova = iova;
	return 0;
}

static int dma(struct edu *e, uint32_t src, uint32_t dst, uint32_t len, uint32_t cmd)
{
	if (len >= 4096) {
		fprintf(stderr, "edu: refusing a %u-byte DMA (QEMU 7.2 aborts on 4096)\n", len);
		return 1;
	}
	if (reg_write(e, EDU_DMA_SRC, src) || reg_write(e, EDU_DMA_DST, dst) ||
	    reg_write(e, EDU_DMA_COUNT, len) || reg_write(e, EDU_DMA_CMD, cmd))
		return 1;
	return 0;
}

/* edu runs a transfer 100 ms (QEMU virtual time) after the command. */
int edu_dma_wait(struct edu *e)
{
	struct timespec nap = { .tv_nsec = 5 * 1000 * 1000 };
	uint32_t cmd;
	int i;

	for (i = 0; i < 1000; i++) {
		if (reg_read(e, EDU_DMA_CMD, &cmd))
			return 1;
		if (!(cmd & EDU_DMA_START))
			return 0;
		nanosleep(&nap, NULL);
	}
	fprintf(stderr, "edu: DMA did not complete in 5 s\n");
	return 1;
}

int edu_dma_roundtrip(struct edu *e, uint32_t len, uint32_t seed)
{
	uint8_t *src = e->buf, *dst = e->buf + 4096;
	uint32_t i;

	for (i = 0; i < len; i++)
		src[i] = edu_pattern(seed, i);
	memset(dst, 0, len);
	if (dma(e, e->iova, EDU_DEV_BUF, len, EDU_DMA_START) || edu_dma_wait(e))
		return 1;
	if (dma(e, EDU_DEV_BUF, e->iova + 4096, len, EDU_DMA_START | EDU_DMA_TO_RAM) ||
	    edu_dma_wait(e))
		return 1;
	if (memcmp(src, dst, len)) {
		fprintf(stderr, "edu: DMA round trip of %u bytes returned different data\n", len);
		return 1;
	}
	return 0;
}

int edu_dma_start(struct edu *e, uint32_t len)
{
	return dma(e, e->iova, EDU_DEV_BUF, len, EDU_DMA_START);
}

int edu_dma_start_at(struct edu *e, uint64_t ram, uint32_t len, bool to_ram)
{
	/* edu's address registers take 32-bit writes here */
	if (ram > UINT32_MAX) {
		fprintf(stderr, "edu: bus address 0x%llx is above 4 GiB\n", (unsigned long long)ram);
		return 1;
	}
	if (to_ram)
		return dma(e, EDU_DEV_BUF, (uint32_t)ram, len, EDU_DMA_START | EDU_DMA_TO_RAM);
	return dma(e, (uint32_t)ram, EDU_DEV_BUF, len, EDU_DMA_START);
}

int edu_dma_command(struct edu *e, uint32_t *cmd)
{
	return reg_read(e, EDU_DMA_CMD, cmd);
}

void edu_close(struct edu *e)
{
	if (e->buf && e->buf != MAP_FAILED)
		munmap(e->buf, EDU_BUF_SIZE);
	e->buf = NULL;
	if (e->buf_fd >= 0)
		close(e->buf_fd);
	if (e->dev >= 0)
		close(e->dev);
	if (e->iommufd >= 0)
		close(e->iommufd);
	e->buf_fd = e->dev = e->iommufd = -1;
}
