/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_IOVA_MAP_H
#define LUTRACE_IOVA_MAP_H

/*
 * What a stage's IOMMU map/unmap events say about each iommu_domain's
 * IOVA space, as disjoint pieces per domain, and how two stages' pieces
 * compare. A map or unmap may cover any part of earlier mappings, so
 * pieces are cut by overlap, never matched by their start alone.
 *
 * Everything is a sweep over sorted endpoints: O(n log n) in the events,
 * plus the overlapping pairs a comparison finds.
 */

#include <stddef.h>
#include <stdint.h>

#include "analyze/trace_join.h"

struct iova_piece {
	uint32_t domain;	/* the stage's iommu_domain number; 0 unknown */
	uint64_t start, end;	/* [start, end) */
	uint64_t phys;		/* of start */
	size_t event;		/* the map event it comes from */
};

struct iova_pieces {
	struct iova_piece *p;	/* by domain, then start */
	size_t n;
};

/* What was mapped when stage s ended: later maps and unmaps win. */
void iova_live_at_end(const struct lt_trace *t, size_t s, struct iova_pieces *out);
/* What stage s mapped first at each IOVA, whatever came after. */
void iova_first_mapped(const struct lt_trace *t, size_t s, struct iova_pieces *out);
void iova_pieces_release(struct iova_pieces *ps);

/*
 * Compares the pieces live when a stage ended (before) with the next
 * stage's (after). Domains are numbered per stage, so a before domain is
 * paired with the after domains that map some of its IOVAs to the same
 * physical addresses. An overlap whose translations differ is a conflict
 * when its two domains are paired, or when neither is paired with any
 * domain (one domain's buffer that moved); an after domain paired with
 * another before domain is some other device's, and says nothing here.
 */
struct iova_comparison {
	size_t same;		/* before pieces matched, with no conflict */
	size_t conflicts;
	size_t overlaps;	/* overlapping before/after pairs */
};

typedef void (*iova_conflict_fn)(void *ctx, const struct iova_piece *before,
				 const struct iova_piece *after,
				 uint64_t from, uint64_t to);

void iova_compare(const struct iova_pieces *before,
		  const struct iova_pieces *after, iova_conflict_fn conflict,
		  void *ctx, struct iova_comparison *out);

#endif
