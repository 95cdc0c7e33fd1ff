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
 *     (B.tsc - A.tsc)/hz * relative rate error    (over the gap)
 *   + A.read_jitter + B.read_jitter              (each anchor's paired reads)
 * where the relative rate error is the largest of
 *   - the two stated calibration errors and the two stages' disagreement
 *     on the frequency;
 *   - the drift between BOOTTIME and TSC/hz that each stage saw from its
 *     first anchor to its last (NTP slewing BOOTTIME, a BOOTTIME that runs
 *     on another clocksource, a TSC whose rate moved); a stage whose
 *     anchors span less than a second did not measure it, and 500 ppm (the
 *     most NTP may slew the kernel's clock) stands in;
 *   - 500 ppm, too, when a stage's CPU does not promise an invariant TSC
 *     (constant_tsc and nonstop_tsc in /proc/cpuinfo; QEMU under TCG does
 *     not): the TSC is still used, since nothing else crosses the kexec,
 *     but no rate the stages measured is promised to have held in the gap.
 *
 * Trust: the TSC gap is cross-checked against the REALTIME gap between the
 * same anchors. They must agree within 2 s (the new kernel reads the wall
 * clock from the RTC in whole seconds, with a second's slack for an RTC not
 * quite in step) plus the bound: otherwise the TSC did not run steadily
 * through the kexec, or the wall clock was stepped, and either way the
 * bound is no bound. Such a link, and one placed by REALTIME (whose
 * bound holds only if nobody stepped the wall clock, which nothing
 * checks), is not trusted: its blackouts are shown, but no budget is
 * judged on them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"

/*
 * No stage is placed further than this from the axis origin (73 years):
 * anchors that say otherwise are not of one machine, and the stage is put
 * at this distance with a note. With every time in the log below
 * LT_TIME_LIMIT_NS (2^62), an axis time (boottime + offset) and the
 * difference of any two then fit in int64_t.
 */
#define CLOCK_OFFSET_LIMIT_NS	(1ll << 61)

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
	bool trusted;			/* the link from the previous stage */
	uint64_t rate_error_ppb;	/* relative rate error used over the gap */
	char note[480];			/* why a fallback, doubt or wider bound, or "" */
};

const char *clock_method_name(enum clock_method method);

/*
 * Maps n stages in order. first[i]/last[i] are stage i's first and last
 * anchors (the same anchor when it has one); number[i] is how notes name it.
 */
void clock_map_stages(size_t n, const struct lt_clock_anchor *const first[],
		      const struct lt_clock_anchor *const last[],
		      const uint32_t number[], struct clock_mapping out[]);

#endif
