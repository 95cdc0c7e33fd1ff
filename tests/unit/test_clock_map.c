// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/clock_map.h"

#define SEC 1000000000ull
#define GHZ3 3000000000ull
#define WALL (1700000000 * SEC)

/*
 * An anchor of a CPU with an invariant TSC whose kernel runs BOOTTIME on
 * it; its wall clock follows its boottime from wall_at_boot.
 */
static struct lt_clock_anchor anchor(uint64_t boottime_ns, uint64_t tsc,
				     uint64_t hz, uint64_t wall_at_boot)
{
	struct lt_clock_anchor a = {
		.boottime_ns = boottime_ns, .tsc = tsc, .tsc_hz = hz,
		.realtime_ns = wall_at_boot + boottime_ns,
		.tsc_flags = LT_TSC_FLAGS_READ | LT_TSC_INVARIANT,
	};

	strcpy(a.clocksource, "tsc");
	return a;
}

/* The same clock seconds later: TSC and BOOTTIME in perfect step. */
static struct lt_clock_anchor later(const struct lt_clock_anchor *a, uint64_t secs)
{
	struct lt_clock_anchor b = *a;

	b.boottime_ns += secs * SEC;
	b.realtime_ns += secs * SEC;
	b.tsc += secs * a->tsc_hz;
	return b;
}

static const uint32_t numbers[] = { 1, 2, 3 };

/* Stage 1 ends at a (its first anchor 10 s earlier), stage 2 starts at b. */
static void map2(const struct lt_clock_anchor *a, const struct lt_clock_anchor *b,
		 struct clock_mapping out[2])
{
	struct lt_clock_anchor a0 = later(a, 0), b1 = later(b, 10);
	const struct lt_clock_anchor *first[] = { &a0, b }, *last[] = { a, &b1 };

	a0.boottime_ns -= 10 * SEC;
	a0.realtime_ns -= 10 * SEC;
	a0.tsc -= 10 * a->tsc_hz;
	clock_map_stages(2, first, last, numbers, out);
}

/* A at stage-1 boottime 100 s, TSC 1000 s; B 5 s of TSC later, at boottime 2 s. */
static struct lt_clock_anchor a_at_100s(void)
{
	return anchor(100 * SEC, 1000 * GHZ3, GHZ3, WALL);
}

static struct lt_clock_anchor b_5s_later(void)
{
	return anchor(2 * SEC, 1005 * GHZ3, GHZ3, WALL + 103 * SEC);
}

Test(clock_map, stage_two_placed_by_tsc_with_known_numbers)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	a.tsc_hz_err_ppb = 1000;	/* 1 ppm */
	a.read_jitter_ns = 200;
	b.read_jitter_ns = 300;
	map2(&a, &b, m);
	cr_assert_eq(m[0].method, CLOCK_REFERENCE);
	cr_assert_eq(m[0].offset_ns, 0);
	cr_assert_eq(m[0].error_ns, 0);
	cr_assert_eq(m[1].method, CLOCK_BY_TSC);
	cr_assert(m[1].trusted, "%s", m[1].note);
	/* Stage 2 booted 3 s after A: axis 103 s at its boottime 0. */
	cr_assert_eq(m[1].offset_ns, (int64_t)(103 * SEC));
	/*
	 * 5 s x 1 ppm + 200 ns + 300 ns: the drift each stage measured (its
	 * anchors' jitter over 10 s: 0.04 and 0.06 ppm) is below the 1 ppm.
	 */
	cr_assert_eq(m[1].error_ns, 5000 + 200 + 300);
	cr_assert_str_eq(m[1].note, "");
	/* REALTIME stays a label. */
	cr_assert_eq(m[1].realtime_offset_ns, (int64_t)(WALL + 103 * SEC));
}

Test(clock_map, frequency_disagreement_widens_the_bound)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	b.tsc_hz = GHZ3 + 6000;
	a.tsc_hz_err_ppb = 1000;
	map2(&a, &b, m);
	/* 6 kHz of 3 GHz is 2 ppm, more than the stated 1 ppm: 5 s x 2 ppm. */
	cr_assert_eq(m[1].error_ns, 10000);
	cr_assert(strstr(m[1].note, "calibrated the TSC differently"));
}

/* NTP slewing BOOTTIME, or a BOOTTIME on another clocksource, drifts from the TSC. */
Test(clock_map, boottime_against_tsc_drift_widens_the_bound)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct lt_clock_anchor a0 = a, b1 = later(&b, 10);
	const struct lt_clock_anchor *first[] = { &a0, &b }, *last[] = { &a, &b1 };
	struct clock_mapping m[2];

	/* Over stage 1's 20 s, the TSC counted 20 s + 400 us: 20 ppm. */
	a0.boottime_ns -= 20 * SEC;
	a0.realtime_ns -= 20 * SEC;
	a0.tsc -= 20 * GHZ3 + 400000 * 3;	/* 400 us at 3 GHz */
	clock_map_stages(2, first, last, numbers, m);
	cr_assert(m[1].trusted);
	cr_assert_eq(m[1].rate_error_ppb, 20000);
	cr_assert_eq(m[1].error_ns, 5 * 20000, "5 s x 20 ppm");
}

Test(clock_map, drift_not_measured_is_assumed_at_500_ppm)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct lt_clock_anchor a0 = a;
	const struct lt_clock_anchor *first[] = { &a0, &b }, *last[] = { &a, &b };
	struct clock_mapping m[2];

	a0.boottime_ns -= 10 * SEC;
	a0.realtime_ns -= 10 * SEC;
	a0.tsc -= 10 * GHZ3;
	/* Stage 2 has one anchor: nothing to measure its drift between. */
	clock_map_stages(2, first, last, numbers, m);
	cr_assert(m[1].trusted);
	cr_assert_eq(m[1].error_ns, 5 * 500000, "5 s x 500 ppm");
	cr_assert(strstr(m[1].note, "stage 2: anchors span under 1 s"), "%s", m[1].note);
}

/* QEMU under TCG: a TSC that runs on, but no constant_tsc/nonstop_tsc. */
Test(clock_map, tsc_not_promised_invariant_is_a_wider_bound_not_untrusted)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	b.tsc_flags = LT_TSC_FLAGS_READ;
	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_TSC);
	cr_assert(m[1].trusted, "%s", m[1].note);
	cr_assert_eq(m[1].offset_ns, (int64_t)(103 * SEC));
	cr_assert_eq(m[1].error_ns, 5 * 500000, "5 s x 500 ppm");
	cr_assert(strstr(m[1].note, "stage 2: TSC not promised invariant (no constant_tsc/nonstop_tsc, as in a QEMU TCG guest)"),
		  "%s", m[1].note);
}

Test(clock_map, tsc_flags_missing_from_an_older_log_widen_the_bound_too)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	a.tsc_flags = 0;
	map2(&a, &b, m);
	cr_assert_eq(m[1].error_ns, 5 * 500000);
	cr_assert(strstr(m[1].note, "stage 1: TSC not promised invariant (CPU flags not in the log)"),
		  "%s", m[1].note);
}

Test(clock_map, both_stages_without_the_promise_make_one_note)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	a.tsc_flags = b.tsc_flags = LT_TSC_FLAGS_READ;
	map2(&a, &b, m);
	cr_assert_str_eq(m[1].note, "stages 1 and 2: TSC not promised invariant (no constant_tsc/nonstop_tsc, as in a QEMU TCG guest): still placed by TSC, with 500 ppm of the gap in the bound");
}

Test(clock_map, boottime_on_another_clocksource_is_noted)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	strcpy(b.clocksource, "hpet");
	map2(&a, &b, m);
	cr_assert(strstr(m[1].note, "stage 2's BOOTTIME runs on hpet"), "%s", m[1].note);
}

/* The TSC says 5 s went by, the wall clock a minute: one of them jumped. */
Test(clock_map, tsc_gap_that_disagrees_with_realtime_is_not_trusted)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	b.realtime_ns += 55 * SEC;
	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_TSC);
	cr_assert_not(m[1].trusted);
	cr_assert(strstr(m[1].note, "TSC puts 5.000 s between the stages' anchors, REALTIME 60.000 s"),
		  "%s", m[1].note);
}

/* The new kernel's wall clock comes from the RTC in whole seconds. */
Test(clock_map, realtime_within_two_seconds_of_the_tsc_agrees)
{
	struct lt_clock_anchor a = a_at_100s(), b = b_5s_later();
	struct clock_mapping m[2];

	b.realtime_ns -= 1900 * 1000000ull;
	map2(&a, &b, m);
	cr_assert(m[1].trusted, "%s", m[1].note);
	cr_assert_str_eq(m[1].note, "");
}

Test(clock_map, long_gaps_do_not_overflow)
{
	/* 100 s at 3 GHz: ticks x 1e9 is 3e20, beyond 64 bits. */
	struct lt_clock_anchor a = anchor(10 * SEC, 86400ull * GHZ3, GHZ3, WALL);
	struct lt_clock_anchor b = anchor(1 * SEC, 86500ull * GHZ3, GHZ3, WALL + 109 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].offset_ns, (int64_t)(109 * SEC));
	cr_assert(m[1].trusted, "%s", m[1].note);
}

Test(clock_map, tsc_reset_falls_back_to_realtime_with_one_second_bound_untrusted)
{
	struct lt_clock_anchor a = anchor(100 * SEC, 1000 * GHZ3, GHZ3, WALL);
	struct lt_clock_anchor b = anchor(2 * SEC, 4 * GHZ3, GHZ3, WALL + 105 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_REALTIME);
	cr_assert_eq(m[1].offset_ns, (int64_t)(105 * SEC));
	cr_assert_eq(m[1].error_ns, SEC);
	cr_assert_not(m[1].trusted);
	cr_assert(strstr(m[1].note, "REALTIME"), "%s", m[1].note);
}

Test(clock_map, missing_frequency_falls_back_to_realtime)
{
	struct lt_clock_anchor a = anchor(100 * SEC, 1000, 0, WALL);
	struct lt_clock_anchor b = anchor(2 * SEC, 2000, 0, WALL + 108 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_REALTIME);
	cr_assert_not(m[1].trusted);
	cr_assert(strstr(m[1].note, "no TSC frequency"));
}

Test(clock_map, tsc_that_contradicts_boot_order_is_not_trusted)
{
	/* 1 s of TSC, but stage 2 says it had been up 5 s at B. */
	struct lt_clock_anchor a = anchor(100 * SEC, 1000 * GHZ3, GHZ3, WALL);
	struct lt_clock_anchor b = anchor(5 * SEC, 1001 * GHZ3, GHZ3, WALL + 96 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_REALTIME);
	cr_assert_not(m[1].trusted);
}

Test(clock_map, three_stages_chain_through_nearest_anchors_and_add_errors)
{
	struct lt_clock_anchor s1a = anchor(10 * SEC, 100 * GHZ3, GHZ3, WALL);
	struct lt_clock_anchor s1b = anchor(50 * SEC, 140 * GHZ3, GHZ3, WALL);
	struct lt_clock_anchor s2a = anchor(1 * SEC, 150 * GHZ3, GHZ3, WALL + 59 * SEC);
	struct lt_clock_anchor s2b = later(&s2a, 2);
	struct lt_clock_anchor s3a = anchor(3 * SEC, 172 * GHZ3, GHZ3, WALL + 77 * SEC);
	struct lt_clock_anchor s3b = later(&s3a, 2);
	const struct lt_clock_anchor *first[] = { &s1a, &s2a, &s3a };
	const struct lt_clock_anchor *last[] = { &s1b, &s2b, &s3b };
	struct clock_mapping m[3];

	s1b.tsc_hz_err_ppb = 100;
	s2b.tsc_hz_err_ppb = 100;
	clock_map_stages(3, first, last, numbers, m);
	/* Through s1b (the anchor nearest the kexec): 50 + 10 - 1 = 59 s. */
	cr_assert_eq(m[1].offset_ns, (int64_t)(59 * SEC));
	cr_assert_eq(m[1].error_ns, 1000);	/* 10 s x 0.1 ppm */
	/* s2b on the axis at 62 s, s3a 20 s later, at its boottime 3 s. */
	cr_assert_eq(m[2].offset_ns, (int64_t)(79 * SEC));
	cr_assert_eq(m[2].error_ns, 1000 + 2000);
	cr_assert(m[1].trusted && m[2].trusted);
}

/*
 * Anchors a log can hold (times below 2^62) that put each stage 146 years
 * after the last: the offsets would add up past int64_t. Each stage is put
 * at 73 years instead, and the note says the anchors are not of one machine.
 */
Test(clock_map, stages_placed_beyond_73_years_are_clipped_not_overflowed)
{
	uint64_t late = LT_TIME_LIMIT_NS - 1;
	struct lt_clock_anchor s1 = anchor(late, 0, 0, 0);
	struct lt_clock_anchor s2 = anchor(0, 0, 0, late);
	struct lt_clock_anchor s2_last = anchor(late, 0, 0, 0);
	struct lt_clock_anchor s3 = anchor(0, 0, 0, late);
	const struct lt_clock_anchor *first[] = { &s1, &s2, &s3 };
	const struct lt_clock_anchor *last[] = { &s1, &s2_last, &s3 };
	struct clock_mapping m[3];

	clock_map_stages(3, first, last, (const uint32_t[]){ 1, 2, 3 }, m);
	for (int i = 1; i < 3; i++) {
		cr_assert_eq(m[i].method, CLOCK_BY_REALTIME);
		cr_assert_eq(m[i].offset_ns, CLOCK_OFFSET_LIMIT_NS);
		cr_assert(strstr(m[i].note, "over 73 years"), "%s", m[i].note);
	}
}

/*
 * A 1 Hz "TSC" that ticked 2e16 times (640 million years) is no kexec; in
 * 64 bits its ticks x 1e9 wrap to 98 s, a gap that looked plausible.
 */
Test(clock_map, tsc_gap_beyond_73_years_falls_back_to_realtime)
{
	struct lt_clock_anchor a = anchor(100 * SEC, 1, 1, 1700000000 * SEC);
	struct lt_clock_anchor b = anchor(2 * SEC, 1 + 0x47ce423a2e9ccfull, 1,
					  1700000105 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_REALTIME);
	cr_assert_eq(m[1].offset_ns, (int64_t)(105 * SEC));
	cr_assert(strstr(m[1].note, "TSC puts this stage over 73 years"), "%s", m[1].note);
}
