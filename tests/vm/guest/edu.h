/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's edu device (PCI 1234:11e8) through a VFIO device fd: identity,
 * liveness and its DMA engine, polled. QEMU 7.2 aborts the whole VM on a
 * 4096-byte transfer (off-by-one in its range check): stay below that.
 */
#ifndef LUTRACE_GUEST_EDU_H
#define LUTRACE_GUEST_EDU_H

#include <stdbool.h>
#include <stdint.h>

#define EDU_DMA_MAX	2048u	/* bytes per transfer; must stay < 4096 */

struct edu {
	const char *bdf;	/* for messages */
	int dev;		/* VFIO device fd, bound and attached to @ioas */
	int iommufd;
	unsigned int ioas;
	uint64_t bar0;		/* BAR0's offset in the device fd */
	uint8_t *buf;		/* two pages: DMA source, then destination */
	int buf_fd;		/* the memfd behind @buf, or -1 */
	uint64_t iova;		/* where @buf is mapped in the IOAS */
};

/* Find BAR0 and check the device answers like an edu device. */
int edu_init(struct edu *e);
#define EDU_BUF_SIZE	8192u	/* the DMA buffer: source page, destination page */

/*
 * Map the DMA buffer at @iova (below edu's 28-bit DMA mask): the first
 * EDU_BUF_SIZE bytes of file @fd (a memfd, so it can be preserved across a
 * Live Update), or anonymous memory when @fd is -1.
 */
int edu_map_buffer(struct edu *e, uint64_t iova, int fd);
/* The pattern edu_dma_roundtrip() copies for @seed, byte @i. */
static inline uint8_t edu_pattern(uint32_t seed, uint32_t i)
{
	return (uint8_t)(seed * 31 + i * 7);
}
/* RAM -> device buffer -> RAM of @len bytes of a @seed pattern; compare. */
int edu_dma_roundtrip(struct edu *e, uint32_t len, uint32_t seed);
/* Start a RAM -> device transfer and return without waiting for it. */
int edu_dma_start(struct edu *e, uint32_t len);
/*
 * Start a transfer of @len bytes between bus address @ram and the device's
 * buffer (into RAM when @to_ram), without waiting: with vfio's no-IOMMU
 * mode, @ram is a physical address.
 */
int edu_dma_start_at(struct edu *e, uint64_t ram, uint32_t len, bool to_ram);
/* Wait for the transfer in progress, if any: 0, or 1 after 5 s. */
int edu_dma_wait(struct edu *e);
/* The DMA command register: bit 0 set while a transfer is in progress. */
int edu_dma_command(struct edu *e, uint32_t *cmd);
/* Give up the device, its iommufd and its DMA buffer (fds < 0 are skipped). */
void edu_close(struct edu *e);

#endif
