// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a flight log of one device's live update with N IOMMU mappings on
 * each side of the kexec, for bench/mappings.sh: N/2 pages in each of two
 * domains (distinct IOVAs, so every verify version agrees on the verdict),
 * a tenth of stage 1's unmapped again before the kexec.
 *
 *   gen_mappings N OUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/log_format.h"

#define SEC 1000000000ull
#define PAGE 4096ull

static FILE *out;

static void put(const struct lt_record *r)
{
	uint8_t buf[LT_REC_HEADER_LEN + LT_REC_MAX_PAYLOAD];
	size_t n = lt_log_encode_record(r, buf, sizeof(buf));

	if (!n || fwrite(buf, 1, n, out) != n) {
		perror("gen_mappings");
		exit(1);
	}
}

static void anchor(uint32_t stage, uint64_t bt, uint64_t tsc_s)
{
	struct lt_record r = { .type = LT_REC_CLOCK_ANCHOR };

	r.anchor.stage = stage;
	r.anchor.boottime_ns = bt;
	r.anchor.tsc = tsc_s * SEC;
	r.anchor.tsc_hz = SEC;
	r.anchor.realtime_ns = 1700000000 * SEC + tsc_s * SEC;
	memset(r.anchor.boot_id, (int)stage, sizeof(r.anchor.boot_id));
	put(&r);
}

static void event(uint32_t stage, uint16_t id, uint64_t bt, const char *dev)
{
	struct lt_record r = { .type = LT_REC_EVENT };

	r.event.stage = stage;
	r.event.id = id;
	r.event.boottime_ns = bt;
	snprintf(r.event.dev, sizeof(r.event.dev), "%s", dev ? dev : "");
	put(&r);
}

static void mapping(uint32_t stage, uint16_t id, uint64_t bt, uint32_t domain,
		    uint64_t page)
{
	struct lt_record r = { .type = LT_REC_EVENT };

	r.event.stage = stage;
	r.event.id = id;
	r.event.boottime_ns = bt;
	r.event.iommu_domain = domain;
	r.event.iova = ((uint64_t)domain << 32) + page * PAGE;
	r.event.phys = 0x100000000ull + ((uint64_t)domain << 36) + page * PAGE;
	r.event.size = PAGE;
	put(&r);
}

static void drops(uint32_t stage)
{
	struct lt_record r = { .type = LT_REC_DROPS };

	r.drops.stage = stage;
	put(&r);
}

int main(int argc, char **argv)
{
	const char *dev = "0000:01:00.0";
	uint8_t header[LT_LOG_HEADER_LEN];
	unsigned long n;

	if (argc != 3 || (n = strtoul(argv[1], NULL, 10)) < 2) {
		fprintf(stderr, "usage: gen_mappings N OUT\n");
		return 2;
	}
	out = fopen(argv[2], "we");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	lt_log_encode_header(header, 0);
	fwrite(header, 1, sizeof(header), out);

	anchor(1, 10 * SEC, 1000);
	event(1, LT_EV_VFIO_LU_PRESERVE, 11 * SEC, dev);
	for (unsigned long i = 0; i < n; i++)
		mapping(1, LT_EV_IOMMU_MAP, 11 * SEC + i, 1 + (uint32_t)(i % 2), i / 2);
	for (unsigned long i = 0; i < n / 10; i++)
		mapping(1, LT_EV_IOMMU_UNMAP, 11 * SEC + n + i, 1 + (uint32_t)(i % 2),
			n / 2 - 1 - i / 2);
	event(1, LT_EV_KEXEC, 11900 * SEC / 1000, NULL);
	event(1, LT_EV_VFIO_LU_FREEZE, 12 * SEC, dev);
	event(1, LT_EV_LU_REBOOT, 12100 * SEC / 1000, NULL);
	anchor(1, 12200 * SEC / 1000, 1002);
	drops(1);

	anchor(2, 1 * SEC, 1005);
	event(2, LT_EV_VFIO_LU_RETRIEVE, 2 * SEC, dev);
	for (unsigned long i = 0; i < n; i++)
		mapping(2, LT_EV_IOMMU_MAP, 2500 * SEC / 1000 + i, 1 + (uint32_t)(i % 2), i / 2);
	event(2, LT_EV_VFIO_RESET_SKIPPED, 3 * SEC, dev);
	event(2, LT_EV_VFIO_LU_FINISH, 4 * SEC, dev);
	drops(2);
	if (fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
