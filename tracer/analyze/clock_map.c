// SPDX-License-Identifier: GPL-2.0
#include "analyze/clock_map.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define NSEC_PER_SEC		1000000000ull
#define PPB			1000000000ull
#define REALTIME_ERROR_NS	NSEC_PER_SEC	/* RTC granularity at boot */
#define REALTIME_AGREEMENT_NS	(2 * NSEC_PER_SEC)
#define MIN_DRIFT_SPAN_NS	NSEC_PER_SEC
#define ASSUMED_DRIFT_PPB	500000ull	/* 500 ppm: NTP's most */
#define DRIFT_UNMEASURED	UINT64_MAX

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

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static void add_note(struct clock_mapping *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_note(struct clock_mapping *m, const char *fmt, ...)
{
	size_t used = strlen(m->note);
	va_list ap;

	if (used && used + 2 < sizeof(m->note)) {
		strcpy(m->note + used, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(m->note + used, sizeof(m->note) - used, fmt, ap);
	va_end(ap);
}

static uint64_t relative_hz_error_ppb(const struct lt_clock_anchor *a,
				      const struct lt_clock_anchor *b)
{
	uint64_t err = max_u64(a->tsc_hz_err_ppb, b->tsc_hz_err_ppb);

	if (a->tsc_hz && b->tsc_hz) {
		uint64_t diff = a->tsc_hz > b->tsc_hz ? a->tsc_hz - b->tsc_hz :
							b->tsc_hz - a->tsc_hz;

		err = max_u64(err, div_round_up((unsigned __int128)diff * PPB, a->tsc_hz));
	}
	return err;
}

/*
 * How far BOOTTIME and TSC/hz drifted apart between a stage's first and
 * last anchors, per unit of time, the anchors' read jitter counted against
 * it; DRIFT_UNMEASURED when they are too close together to tell.
 */
static uint64_t stage_drift_ppb(const struct lt_clock_anchor *first,
				const struct lt_clock_anchor *last)
{
	uint64_t hz = last->tsc_hz ? last->tsc_hz : first->tsc_hz;
	uint64_t span, tsc_ns, diff;

	if (!hz || last->boottime_ns < first->boottime_ns + MIN_DRIFT_SPAN_NS ||
	    last->tsc <= first->tsc)
		return DRIFT_UNMEASURED;
	span = last->boottime_ns - first->boottime_ns;
	tsc_ns = (uint64_t)((unsigned __int128)(last->tsc - first->tsc) * NSEC_PER_SEC / hz);
	diff = (tsc_ns > span ? tsc_ns - span : span - tsc_ns) +
	       first->read_jitter_ns + last->read_jitter_ns;
	return div_round_up((unsigned __int128)diff * PPB, span);
}

static bool tsc_invariant(const struct lt_clock_anchor *a)
{
	uint32_t want = LT_TSC_FLAGS_READ | LT_TSC_INVARIANT;

	return (a->tsc_flags & want) == want;
}

/* "stage 1", "stages 1 and 2" for the stages whose bit is in mask. */
static const char *stages_text(unsigned int mask, const uint32_t number[2],
			       char *buf, size_t len)
{
	if (mask == 3)
		snprintf(buf, len, "stages %u and %u", number[0], number[1]);
	else
		snprintf(buf, len, "stage %u", number[mask == 2]);
	return buf;
}

/* The rate error over the gap from drift and the TSC's promises; see clock_map.h. */
static uint64_t drift_ppb(const struct lt_clock_anchor *const ends[2][2],
			  const uint32_t number[2], struct clock_mapping *out)
{
	unsigned int unmeasured = 0, not_invariant = 0, flags_unknown = 0;
	uint64_t worst = 0;
	char which[48];

	for (int s = 0; s < 2; s++) {
		const struct lt_clock_anchor *a = ends[s][s ? 0 : 1];
		uint64_t d = stage_drift_ppb(ends[s][0], ends[s][1]);

		if (d == DRIFT_UNMEASURED) {
			d = ASSUMED_DRIFT_PPB;
			unmeasured |= 1u << s;
		}
		if (!tsc_invariant(a)) {
			d = max_u64(d, ASSUMED_DRIFT_PPB);
			not_invariant |= 1u << s;
			if (!(a->tsc_flags & LT_TSC_FLAGS_READ))
				flags_unknown |= 1u << s;
		}
		if (a->clocksource[0] && strcmp(a->clocksource, "tsc"))
			add_note(out, "stage %u's BOOTTIME runs on %s, not the TSC", number[s],
				 a->clocksource);
		worst = max_u64(worst, d);
	}
	if (unmeasured)
		add_note(out, "%s: anchors span under 1 s, BOOTTIME-vs-TSC drift not measured: 500 ppm of the gap in the bound",
			 stages_text(unmeasured, number, which, sizeof(which)));
	if (not_invariant)
		add_note(out, "%s: TSC not promised invariant (%s): still placed by TSC, with 500 ppm of the gap in the bound",
			 stages_text(not_invariant, number, which, sizeof(which)),
			 flags_unknown == not_invariant ? "CPU flags not in the log" :
			 "no constant_tsc/nonstop_tsc, as in a QEMU TCG guest");
	return worst;
}

/*
 * The offset that places stage b: prev's offset + A's boottime + the gap
 * from A to B - B's boottime (clock_map.h). False when that is beyond
 * CLOCK_OFFSET_LIMIT_NS; *offset is then clipped to it.
 */
static bool offset_after(const struct clock_mapping *prev,
			 const struct lt_clock_anchor *a, __int128 gap_ns,
			 const struct lt_clock_anchor *b, int64_t *offset)
{
	__int128 off = (__int128)prev->offset_ns + a->boottime_ns + gap_ns -
		       b->boottime_ns;

	*offset = off > CLOCK_OFFSET_LIMIT_NS ? CLOCK_OFFSET_LIMIT_NS :
		  off < -CLOCK_OFFSET_LIMIT_NS ? -CLOCK_OFFSET_LIMIT_NS :
		  (int64_t)off;
	return off == *offset;
}

static void link_by_realtime(const struct lt_clock_anchor *a,
			     const struct lt_clock_anchor *b,
			     const struct clock_mapping *prev,
			     struct clock_mapping *out, const char *why)
{
	__int128 gap = (__int128)b->realtime_ns - a->realtime_ns;
	bool placed = offset_after(prev, a, gap, b, &out->offset_ns);

	out->method = CLOCK_BY_REALTIME;
	out->trusted = false;
	out->error_ns = prev->error_ns + REALTIME_ERROR_NS +
			a->read_jitter_ns + b->read_jitter_ns;
	add_note(out, "%s; placed by REALTIME (+-1 s if nobody stepped the wall clock, which nothing checks): not trusted",
		 why);
	if (!placed)
		add_note(out, "that is over 73 years from the first stage: put at 73 years, the anchors are not of one machine");
}

/* The TSC gap against the REALTIME gap of the same two anchors. */
static void cross_check(const struct lt_clock_anchor *a,
			const struct lt_clock_anchor *b, uint64_t gap_ns,
			uint64_t link_error_ns, struct clock_mapping *out)
{
	int64_t rt_gap = (int64_t)(b->realtime_ns - a->realtime_ns);
	__int128 diff = (__int128)gap_ns - rt_gap;
	uint64_t off = (uint64_t)(diff < 0 ? -diff : diff);

	if (off <= REALTIME_AGREEMENT_NS + link_error_ns)
		return;
	out->trusted = false;
	add_note(out, "TSC puts %.3f s between the stages' anchors, REALTIME %.3f s: the TSC did not run steadily through the kexec or the wall clock was stepped; not trusted",
		 (double)gap_ns / 1e9, (double)rt_gap / 1e9);
}

/* Places stage b after stage a; see the method in clock_map.h. */
static void link_stage(const struct lt_clock_anchor *const ends[2][2],
		       const uint32_t number[2], const struct clock_mapping *prev,
		       struct clock_mapping *out)
{
	const struct lt_clock_anchor *a = ends[0][1], *b = ends[1][0];
	uint64_t hz = a->tsc_hz ? a->tsc_hz : b->tsc_hz;
	uint64_t gap_ns, link_error;
	unsigned __int128 tsc_gap_ns;
	int64_t offset;
	char why[160];

	if (!hz) {
		link_by_realtime(a, b, prev, out, "no TSC frequency in the anchors");
		return;
	}
	if (b->tsc <= a->tsc) {
		snprintf(why, sizeof(why), "TSC went from %llu to %llu across the stage change (reset, not a kexec?)",
			 (unsigned long long)a->tsc, (unsigned long long)b->tsc);
		link_by_realtime(a, b, prev, out, why);
		return;
	}
	tsc_gap_ns = (unsigned __int128)(b->tsc - a->tsc) * NSEC_PER_SEC / hz;
	if (!offset_after(prev, a, (__int128)tsc_gap_ns, b, &offset)) {
		link_by_realtime(a, b, prev, out,
				 "TSC puts this stage over 73 years from the first stage");
		return;
	}
	gap_ns = (uint64_t)tsc_gap_ns;	/* below 2^63: offset_after held */
	/* The new kernel cannot have booted before the old one's anchor. */
	if ((__int128)offset < (__int128)prev->offset_ns + a->boottime_ns) {
		link_by_realtime(a, b, prev, out,
				 "TSC puts this stage's boot before the previous stage's last anchor");
		return;
	}
	out->method = CLOCK_BY_TSC;
	out->trusted = true;
	out->offset_ns = offset;
	if (a->tsc_hz && b->tsc_hz && a->tsc_hz != b->tsc_hz)
		add_note(out, "stages calibrated the TSC differently (%llu vs %llu Hz); the difference is in the error bound",
			 (unsigned long long)a->tsc_hz, (unsigned long long)b->tsc_hz);
	out->rate_error_ppb = max_u64(relative_hz_error_ppb(a, b),
				      drift_ppb(ends, number, out));
	link_error = div_round_up((unsigned __int128)gap_ns * out->rate_error_ppb, PPB) +
		     a->read_jitter_ns + b->read_jitter_ns;
	out->error_ns = prev->error_ns + link_error;
	cross_check(a, b, gap_ns, link_error, out);
}

void clock_map_stages(size_t n, const struct lt_clock_anchor *const first[],
		      const struct lt_clock_anchor *const last[],
		      const uint32_t number[], struct clock_mapping out[])
{
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct clock_mapping){ .method = CLOCK_REFERENCE, .trusted = true };
		if (i > 0) {
			const struct lt_clock_anchor *const ends[2][2] = {
				{ first[i - 1], last[i - 1] }, { first[i], last[i] },
			};

			link_stage(ends, &number[i - 1], &out[i - 1], &out[i]);
		}
		out[i].realtime_offset_ns = (int64_t)(first[i]->realtime_ns -
						      first[i]->boottime_ns);
	}
}
