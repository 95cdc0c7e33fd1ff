/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_CLOCK_MAP_H
#define LUTRACE_CLOCK_MAP_H

/*
 * One time axis for all stages of a live update.
 *
 * Events carry CLOCK_BOOTTIME, which restarts at zero in every kernel, so a
 * stage's events are only comparable among themselves. To put stage 2 next
 * to stage 1 we need a clock that kept running through the kexec:
 *
 *  - CLOCK_REALTIME does not qualify: the new kernel re-reads it from the
 *    RTC at boot with one-second granularity, the size of the blackout we
 *    want to measure.
 *  - The x86 TSC does: with an invariant TSC it ticks at a constant rate and
 *    kexec does not reset it (no firmware runs in between).
 *
 * Each stage writes clock anchors: BOOTTIME and the TSC read back to back,
 * with the TSC frequency it calibrated. The axis is stage 1's BOOTTIME.
 * Stage s+1 is placed through the last anchor A of stage s and the first
 * anchor B of stage s+1:
 *
 *     axis(B) = axis(A) + (B.tsc - A.tsc) / hz
 *     offset(s+1) = axis(B) - B.boottime       (axis = boottime + offset)
 *
 * This is "offset = TSC/Hz - BOOTTIME" taken relative to A rather than to
 * TSC zero: TSC/Hz since power-on spans days, and a 1 ppm frequency error
 * over days is a quarter second, while over the seconds between A and B it
 * is microseconds. Picking the anchors nearest to the kexec keeps that
 * interval, and so the error, small.
 *
 * Error bound, added up along the chain of stages:
 *     (B.tsc - A.tsc)/hz * relative Hz error   (calibration error x interval)
 *   + A.read_jitter + B.read_jitter            (each anchor's paired reads)
 * where the relative Hz error is the larger of the two stated calibration
 * errors and the disagreement between the two stages' frequencies.
 *
 * When the TSC cannot be used (no frequency, or it did not advance, which
 * means it was reset: a cold boot rather than a kexec) the stages are placed
 * by REALTIME instead, with a one-second error bound and a note saying so.
 * Otherwise REALTIME is only a wall-clock label.
 */

#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"

enum clock_method {
	CLOCK_REFERENCE,	/* the first stage: its BOOTTIME is the axis */
	CLOCK_BY_TSC,
	CLOCK_BY_REALTIME,	/* fallback, +-1 s */
};

struct clock_mapping {
	enum clock_method method;
	int64_t offset_ns;		/* axis = boottime + offset */
	uint64_t error_ns;		/* bound on offset, vs. the first stage */
	int64_t realtime_offset_ns;	/* wall-clock label = boottime + this */
	char note[200];			/* why a fallback or doubt, or "" */
};

const char *clock_method_name(enum clock_method method);

/*
 * Maps n stages in order. first[i]/last[i] are stage i's first and last
 * anchors (the same anchor when it has one).
 */
void clock_map_stages(size_t n, const struct lt_clock_anchor *const first[],
		      const struct lt_clock_anchor *const last[],
		      struct clock_mapping out[]);

#endif
