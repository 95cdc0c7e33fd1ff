// SPDX-License-Identifier: GPL-2.0
#include "analyze/clock_map.h"

#include <stdio.h>

#define NSEC_PER_SEC		1000000000ull
#define PPB			1000000000ull
#define REALTIME_ERROR_NS	NSEC_PER_SEC	/* RTC granularity at boot */

const char *clock_method_name(enum clock_method method)
{
	switch (method) {
	case CLOCK_REFERENCE: return "reference";
	case CLOCK_BY_TSC: return "tsc";
	case CLOCK_BY_REALTIME: return "realtime";
	}
	return "?";
}

static uint64_t div_round_up(unsigned __int128 num, uint64_t den)
{
	return (uint64_t)((num + den - 1) / den);
}

static uint64_t relative_hz_error_ppb(const struct lt_clock_anchor *a,
				      const struct lt_clock_anchor *b)
{
	uint64_t err = a->tsc_hz_err_ppb > b->tsc_hz_err_ppb ?
		       a->tsc_hz_err_ppb : b->tsc_hz_err_ppb;

	if (a->tsc_hz && b->tsc_hz) {
		uint64_t diff = a->tsc_hz > b->tsc_hz ? a->tsc_hz - b->tsc_hz :
							b->tsc_hz - a->tsc_hz;
		uint64_t disagreement = div_round_up((unsigned __int128)diff * PPB,
						     a->tsc_hz);

		if (disagreement > err)
			err = disagreement;
	}
	return err;
}

static void link_by_realtime(const struct lt_clock_anchor *a,
			     const struct lt_clock_anchor *b,
			     const struct clock_mapping *prev,
			     struct clock_mapping *out)
{
	int64_t gap = (int64_t)(b->realtime_ns - a->realtime_ns);

	out->method = CLOCK_BY_REALTIME;
	out->offset_ns = prev->offset_ns + (int64_t)a->boottime_ns + gap -
			 (int64_t)b->boottime_ns;
	out->error_ns = prev->error_ns + REALTIME_ERROR_NS +
			a->read_jitter_ns + b->read_jitter_ns;
}

/* Places stage b after stage a; see the method in clock_map.h. */
static void link_stage(const struct lt_clock_anchor *a,
		       const struct lt_clock_anchor *b,
		       const struct clock_mapping *prev,
		       struct clock_mapping *out)
{
	uint64_t hz = a->tsc_hz ? a->tsc_hz : b->tsc_hz;
	uint64_t gap_ns, err_ppb;
	int64_t offset;

	if (!hz) {
		link_by_realtime(a, b, prev, out);
		snprintf(out->note, sizeof(out->note),
			 "no TSC frequency in the anchors; placed by REALTIME (+-1 s)");
		return;
	}
	if (b->tsc <= a->tsc) {
		link_by_realtime(a, b, prev, out);
		snprintf(out->note, sizeof(out->note),
			 "TSC went from %llu to %llu across the stage change (reset, not a kexec?); placed by REALTIME (+-1 s)",
			 (unsigned long long)a->tsc, (unsigned long long)b->tsc);
		return;
	}
	gap_ns = (uint64_t)((unsigned __int128)(b->tsc - a->tsc) * NSEC_PER_SEC / hz);
	offset = prev->offset_ns + (int64_t)a->boottime_ns + (int64_t)gap_ns -
		 (int64_t)b->boottime_ns;
	/* The new kernel cannot have booted before the old one's anchor. */
	if (offset < prev->offset_ns + (int64_t)a->boottime_ns) {
		link_by_realtime(a, b, prev, out);
		snprintf(out->note, sizeof(out->note),
			 "TSC puts this stage's boot before the previous stage's last anchor; placed by REALTIME (+-1 s)");
		return;
	}
	err_ppb = relative_hz_error_ppb(a, b);
	out->method = CLOCK_BY_TSC;
	out->offset_ns = offset;
	out->error_ns = prev->error_ns +
			div_round_up((unsigned __int128)gap_ns * err_ppb, PPB) +
			a->read_jitter_ns + b->read_jitter_ns;
	if (a->tsc_hz && b->tsc_hz && a->tsc_hz != b->tsc_hz)
		snprintf(out->note, sizeof(out->note),
			 "stages calibrated the TSC differently (%llu vs %llu Hz); the difference is in the error bound",
			 (unsigned long long)a->tsc_hz,
			 (unsigned long long)b->tsc_hz);
}

void clock_map_stages(size_t n, const struct lt_clock_anchor *const first[],
		      const struct lt_clock_anchor *const last[],
		      struct clock_mapping out[])
{
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct clock_mapping){ .method = CLOCK_REFERENCE };
		if (i > 0)
			link_stage(last[i - 1], first[i], &out[i - 1], &out[i]);
		out[i].realtime_offset_ns = (int64_t)(first[i]->realtime_ns -
						      first[i]->boottime_ns);
	}
}
