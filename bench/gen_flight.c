// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the flight log of a good live update of DEVICES devices holding
 * about N events, for bench/analysis-scale.sh. Most of a big log is what a
 * busy stage records between the milestones, so the bulk is a mix:
 *
 *   - streaming DMA (3/4): each device's iommu domain maps a page and
 *     unmaps the one mapped 16 maps earlier, in both stages;
 *   - a preserve/unpreserve loop (1/5, stage 1 only) on a spare device,
 *     the file, PCI and VFIO events of each, as item 1's loop records;
 *   - trace_marker lines of the VMM (the rest).
 *
 * Around it, every device's lifecycle: session create, file/PCI/VFIO
 * preserve, bus master and its persistent buffers mapped in stage 1,
 * freeze, liveupdate_reboot and kernel_kexec; in stage 2 incoming, retrieve,
 * an open refused, the same buffers mapped again, the first enable (reset
 * skipped) and finish. A clock anchor every second of each stage (as
 * lutrace record writes them) at 100k events/s, and a drop record each.
 * The stream's transient pages are unmapped before the freeze, so
 * `lutrace verify` passes every rule that applies.
 *
 *   gen_flight N DEVICES OUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/log_format.h"

#define SEC 1000000000ull
#define MS 1000000ull
#define PAGE 4096ull
#define EVENT_GAP_NS 10000ull	/* 100k events/s */
#define DMA_LAG 16		/* maps a domain holds in flight */
#define BUFFERS 8		/* persistent buffers a device */
#define BUFFER_SIZE 0x10000ull
#define STREAM_SLOTS 65536ull	/* the stream's IOVA window, in pages */

static FILE *out;
static unsigned long written;
static unsigned int ndev;

struct stage {
	uint32_t number;
	uint64_t tsc0;		/* TSC (1 GHz) at boottime 0 */
	uint64_t bt;		/* boottime of the next event */
	uint64_t last_anchor;
	uint64_t dma_seq[64];	/* per domain: pages mapped by the stream */
};

static void put(const struct lt_record *r)
{
	uint8_t buf[LT_REC_HEADER_LEN + LT_REC_MAX_PAYLOAD];
	size_t n = lt_log_encode_record(r, buf, sizeof(buf));

	if (!n || fwrite(buf, 1, n, out) != n) {
		perror("gen_flight");
		exit(1);
	}
}

static void anchor(struct stage *s)
{
	struct lt_record r = { .type = LT_REC_CLOCK_ANCHOR };

	r.anchor.stage = s->number;
	r.anchor.boottime_ns = s->bt;
	r.anchor.tsc = s->tsc0 + s->bt;
	r.anchor.tsc_hz = SEC;
	r.anchor.tsc_hz_err_ppb = 50;
	r.anchor.read_jitter_ns = 200;
	r.anchor.realtime_ns = 1700000000 * SEC + r.anchor.tsc;
	r.anchor.tsc_flags = LT_TSC_FLAGS_READ | LT_TSC_INVARIANT;
	memset(r.anchor.boot_id, (int)(0x10 * s->number), sizeof(r.anchor.boot_id));
	snprintf(r.anchor.kernel_release, sizeof(r.anchor.kernel_release), "7.2.0-lutrace");
	snprintf(r.anchor.clocksource, sizeof(r.anchor.clocksource), "tsc");
	put(&r);
	s->last_anchor = s->bt;
}

/* The next event of stage s, with an anchor first when a second passed. */
static struct lt_record next_event(struct stage *s, uint16_t id)
{
	struct lt_record r = { .type = LT_REC_EVENT };

	s->bt += EVENT_GAP_NS;
	if (s->bt - s->last_anchor >= SEC)
		anchor(s);
	r.event.stage = s->number;
	r.event.id = id;
	r.event.boottime_ns = s->bt;
	r.event.tsc = s->tsc0 + s->bt;
	r.event.pid = 400 + s->number;
	return r;
}

static void emit(const struct lt_record *r)
{
	put(r);
	written++;
}

static void dev_name(unsigned int d, char *buf, size_t len)
{
	snprintf(buf, len, "0000:%02x:00.0", d + 1);
}

/* A device's event; d == ndev is the spare one the preserve loop uses. */
static void dev_event(struct stage *s, uint16_t id, unsigned int d, int32_t arg)
{
	struct lt_record r = next_event(s, id);

	dev_name(d, r.event.dev, sizeof(r.event.dev));
	snprintf(r.event.session, sizeof(r.event.session), "vmm-%u", d);
	if (id >= LT_EV_LU_SESSION_CREATE && id <= LT_EV_LU_FILE_FINISH)
		snprintf(r.event.compatible, sizeof(r.event.compatible), "vfio-pci-v1");
	r.event.bus = (uint8_t)(d + 1);
	r.event.token = d + 1;
	r.event.arg = arg;
	/* as a kernel that reports the preserved state's flags has them */
	if (id >= LT_EV_VFIO_LU_PRESERVE && id <= LT_EV_VFIO_LU_FINISH)
		r.event.arg = LT_LU_FLAGS_KNOWN | arg;
	r.event.nr_sessions = ndev;
	r.event.nr_files = 1;
	emit(&r);
}

static void global_event(struct stage *s, uint16_t id)
{
	struct lt_record r = next_event(s, id);

	r.event.nr_sessions = ndev;
	r.event.nr_files = ndev;
	emit(&r);
}

/* Each stage's recorder, booted as lutrace asks: everything seen from boot. */
static void attached(struct stage *s)
{
	struct lt_record r = next_event(s, LT_EV_RECORDER_ATTACHED);

	r.event.arg = LT_BOOT_ALL;
	emit(&r);
}

static void map(struct stage *s, uint16_t id, unsigned int d, uint64_t iova,
		uint64_t phys, uint64_t size)
{
	struct lt_record r = next_event(s, id);

	r.event.iommu_domain = d + 1;
	r.event.iova = iova;
	r.event.phys = id == LT_EV_IOMMU_MAP ? phys : 0;
	r.event.size = size;
	emit(&r);
}

static void buffers(struct stage *s, unsigned int d)
{
	for (uint64_t k = 0; k < BUFFERS; k++)
		map(s, LT_EV_IOMMU_MAP, d, 0x100000ull + k * BUFFER_SIZE,
		    0x80000000ull + ((uint64_t)d << 24) + k * BUFFER_SIZE, BUFFER_SIZE);
}

/* The stream's page number seq of domain d: its IOVA and a phys of its own. */
static uint64_t stream_iova(uint64_t seq)
{
	return 0x40000000ull + (seq % STREAM_SLOTS) * PAGE;
}

static uint64_t stream_phys(struct stage *s, unsigned int d, uint64_t seq)
{
	return 0x200000000ull + ((uint64_t)s->number << 32) + ((uint64_t)d << 28) +
	       (seq * 7919 % STREAM_SLOTS) * PAGE;
}

static void dma(struct stage *s, unsigned int d)
{
	uint64_t seq = s->dma_seq[d]++;

	map(s, LT_EV_IOMMU_MAP, d, stream_iova(seq), stream_phys(s, d, seq), PAGE);
	if (seq >= DMA_LAG)
		map(s, LT_EV_IOMMU_UNMAP, d, stream_iova(seq - DMA_LAG), 0, PAGE);
}

static void drain(struct stage *s, unsigned int d)
{
	uint64_t seq = s->dma_seq[d];

	for (uint64_t k = seq > DMA_LAG ? seq - DMA_LAG : 0; k < seq; k++)
		map(s, LT_EV_IOMMU_UNMAP, d, stream_iova(k), 0, PAGE);
}

static void marker(struct stage *s, unsigned long i)
{
	struct lt_record r = next_event(s, LT_EV_MARKER);

	snprintf(r.event.text, sizeof(r.event.text), "vmm: stage %u round %lu", s->number, i);
	emit(&r);
}

static void preserve_cycle(struct stage *s)
{
	static const uint16_t ids[] = {
		LT_EV_LU_FILE_PRESERVE, LT_EV_PCI_LU_PRESERVE, LT_EV_VFIO_LU_PRESERVE,
		LT_EV_VFIO_LU_UNPRESERVE, LT_EV_PCI_LU_UNPRESERVE, LT_EV_LU_FILE_UNPRESERVE,
	};

	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
		dev_event(s, ids[k], ndev, 0);
}

/* Stage 1 or 2's bulk: events until written reaches until. */
static void bulk(struct stage *s, unsigned long until)
{
	for (unsigned long i = 0; written < until; i++) {
		unsigned int kind = (unsigned int)(i % 20);

		if (kind < 15)
			dma(s, (unsigned int)(i % ndev));
		else if (kind < 19 && s->number == 1)
			preserve_cycle(s);
		else if (kind == 19)
			marker(s, i);
		else
			dma(s, (unsigned int)(i % ndev));
	}
}

static void stage1(struct stage *s, unsigned long until)
{
	struct lt_record drops = { .type = LT_REC_DROPS };

	anchor(s);
	attached(s);
	for (unsigned int d = 0; d < ndev; d++) {
		dev_event(s, LT_EV_LU_SESSION_CREATE, d, 0);
		dev_event(s, LT_EV_PCI_SET_MASTER, d, 0);
		buffers(s, d);
		dev_event(s, LT_EV_LU_FILE_PRESERVE, d, 0);
		dev_event(s, LT_EV_PCI_LU_PRESERVE, d, 0);
		dev_event(s, LT_EV_VFIO_LU_PRESERVE, d, 0);
	}
	bulk(s, until);
	for (unsigned int d = 0; d < ndev; d++)
		drain(s, d);
	global_event(s, LT_EV_KEXEC);
	for (unsigned int d = 0; d < ndev; d++) {
		dev_event(s, LT_EV_LU_FILE_FREEZE, d, 0);
		dev_event(s, LT_EV_VFIO_LU_FREEZE, d, 0);
	}
	global_event(s, LT_EV_LU_REBOOT);
	anchor(s);
	drops.drops.stage = s->number;
	drops.drops.boottime_ns = s->bt;
	drops.drops.run_id = 1;
	put(&drops);
}

static void stage2(struct stage *s, unsigned long until)
{
	struct lt_record drops = { .type = LT_REC_DROPS };

	anchor(s);
	attached(s);
	global_event(s, LT_EV_LU_INCOMING);
	for (unsigned int d = 0; d < ndev; d++)
		dev_event(s, LT_EV_PCI_LU_INCOMING, d, 0);
	for (unsigned int d = 0; d < ndev; d++) {
		dev_event(s, LT_EV_LU_SESSION_RETRIEVE, d, 0);
		dev_event(s, LT_EV_LU_FILE_RETRIEVE, d, 0);
		dev_event(s, LT_EV_VFIO_LU_RETRIEVE, d, 0);
		dev_event(s, LT_EV_OPEN_ATTEMPT, d, LT_OPEN_CDEV);
		dev_event(s, LT_EV_VFIO_OPEN_BLOCKED, d, LT_OPEN_CDEV);
		buffers(s, d);
		dev_event(s, LT_EV_VFIO_RESET_SKIPPED, d, LT_SKIP_LIVEUPDATE);
	}
	bulk(s, until);
	for (unsigned int d = 0; d < ndev; d++) {
		dev_event(s, LT_EV_VFIO_LU_FINISH, d, 0);
		dev_event(s, LT_EV_LU_FILE_FINISH, d, 0);
		dev_event(s, LT_EV_PCI_LU_FINISH, d, 0);
		dev_event(s, LT_EV_LU_SESSION_FINISH, d, 0);
	}
	anchor(s);
	drops.drops.stage = s->number;
	drops.drops.boottime_ns = s->bt;
	drops.drops.run_id = 1;
	put(&drops);
}

int main(int argc, char **argv)
{
	struct stage s1 = { .number = 1, .tsc0 = 990 * SEC, .bt = 10 * SEC };
	struct stage s2 = { .number = 2, .bt = 1 * SEC };
	uint8_t header[LT_LOG_HEADER_LEN];
	unsigned long n;

	if (argc != 4 || (n = strtoul(argv[1], NULL, 10)) < 100 ||
	    (ndev = (unsigned int)strtoul(argv[2], NULL, 10)) < 1 || ndev > 63) {
		fprintf(stderr, "usage: gen_flight N DEVICES OUT  (N >= 100, 1 <= DEVICES <= 63)\n");
		return 2;
	}
	out = fopen(argv[3], "we");
	if (!out) {
		perror(argv[3]);
		return 1;
	}
	lt_log_encode_header(header, LT_LOG_FLAG_LUO_MEMFD);
	fwrite(header, 1, sizeof(header), out);
	stage1(&s1, n / 2);
	/* Stage 2 boots 2 s of TSC after stage 1's last event. */
	s2.tsc0 = s1.tsc0 + s1.bt + 2 * SEC - s2.bt;
	stage2(&s2, n);
	if (fclose(out)) {
		perror(argv[3]);
		return 1;
	}
	printf("%lu\n", written);
	return 0;
}
