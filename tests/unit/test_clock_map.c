// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/clock_map.h"

#define SEC 1000000000ull
#define GHZ3 3000000000ull

static struct lt_clock_anchor anchor(uint64_t boottime_ns, uint64_t tsc,
				     uint64_t hz, uint64_t realtime_ns)
{
	return (struct lt_clock_anchor){
		.boottime_ns = boottime_ns, .tsc = tsc, .tsc_hz = hz,
		.realtime_ns = realtime_ns,
	};
}

static void map2(const struct lt_clock_anchor *a, const struct lt_clock_anchor *b,
		 struct clock_mapping out[2])
{
	const struct lt_clock_anchor *first[] = { a, b }, *last[] = { a, b };

	clock_map_stages(2, first, last, out);
}

Test(clock_map, stage_two_placed_by_tsc_with_known_numbers)
{
	/* A at stage-1 boottime 100 s, TSC 1000 s since power-on at 3 GHz. */
	struct lt_clock_anchor a = anchor(100 * SEC, 1000 * GHZ3, GHZ3,
					  1700000000 * SEC);
	/* B 5 s of TSC later, at stage-2 boottime 2 s. */
	struct lt_clock_anchor b = anchor(2 * SEC, 1005 * GHZ3, GHZ3,
					  1700000004 * SEC);
	struct clock_mapping m[2];

	a.tsc_hz_err_ppb = 1000;	/* 1 ppm */
	a.read_jitter_ns = 200;
	b.read_jitter_ns = 300;
	map2(&a, &b, m);
	cr_assert_eq(m[0].method, CLOCK_REFERENCE);
	cr_assert_eq(m[0].offset_ns, 0);
	cr_assert_eq(m[0].error_ns, 0);
	cr_assert_eq(m[1].method, CLOCK_BY_TSC);
	/* Stage 2 booted 3 s after A: axis 103 s at its boottime 0. */
	cr_assert_eq(m[1].offset_ns, (int64_t)(103 * SEC));
	/* 5 s x 1 ppm + 200 ns + 300 ns. */
	cr_assert_eq(m[1].error_ns, 5000 + 200 + 300);
	cr_assert_str_eq(m[1].note, "");
	/* REALTIME stays a label, whatever its one-second steps say. */
	cr_assert_eq(m[1].realtime_offset_ns, (int64_t)(1700000002 * SEC));
}

Test(clock_map, frequency_disagreement_widens_the_bound)
{
	struct lt_clock_anchor a = anchor(100 * SEC, 1000 * GHZ3, GHZ3, 0);
	struct lt_clock_anchor b = anchor(2 * SEC, 1005 * GHZ3, GHZ3 + 6000, 0);
	struct clock_mapping m[2];

	a.tsc_hz_err_ppb = 1000;
	map2(&a, &b, m);
	/* 6 kHz of 3 GHz is 2 ppm, more than the stated 1 ppm: 5 s x 2 ppm. */
	cr_assert_eq(m[1].error_ns, 10000);
	cr_assert(strstr(m[1].note, "calibrated the TSC differently"));
}

Test(clock_map, long_gaps_do_not_overflow)
{
	/* 100 s at 3 GHz: ticks x 1e9 is 3e20, beyond 64 bits. */
	struct lt_clock_anchor a = anchor(10 * SEC, 86400ull * GHZ3, GHZ3, 0);
	struct lt_clock_anchor b = anchor(1 * SEC, 86500ull * GHZ3, GHZ3, 0);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].offset_ns, (int64_t)(109 * SEC));
}

Test(clock_map, tsc_reset_falls_back_to_realtime_with_one_second_bound)
{
	struct lt_clock_anchor a = anchor(100 * SEC, 1000 * GHZ3, GHZ3,
					  1700000000 * SEC);
	struct lt_clock_anchor b = anchor(2 * SEC, 4 * GHZ3, GHZ3,
					  1700000007 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_REALTIME);
	cr_assert_eq(m[1].offset_ns, (int64_t)(105 * SEC));
	cr_assert_eq(m[1].error_ns, SEC);
	cr_assert(strstr(m[1].note, "REALTIME"), "%s", m[1].note);
}

Test(clock_map, missing_frequency_falls_back_to_realtime)
{
	struct lt_clock_anchor a = anchor(100 * SEC, 1000, 0, 50 * SEC);
	struct lt_clock_anchor b = anchor(2 * SEC, 2000, 0, 60 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_REALTIME);
	cr_assert(strstr(m[1].note, "no TSC frequency"));
}

Test(clock_map, tsc_that_contradicts_boot_order_is_not_trusted)
{
	/* 1 s of TSC, but stage 2 says it had been up 5 s at B. */
	struct lt_clock_anchor a = anchor(100 * SEC, 1000 * GHZ3, GHZ3, 0);
	struct lt_clock_anchor b = anchor(5 * SEC, 1001 * GHZ3, GHZ3, 3 * SEC);
	struct clock_mapping m[2];

	map2(&a, &b, m);
	cr_assert_eq(m[1].method, CLOCK_BY_REALTIME);
}

Test(clock_map, three_stages_chain_through_nearest_anchors_and_add_errors)
{
	struct lt_clock_anchor s1a = anchor(10 * SEC, 100 * GHZ3, GHZ3, 0);
	struct lt_clock_anchor s1b = anchor(50 * SEC, 140 * GHZ3, GHZ3, 0);
	struct lt_clock_anchor s2 = anchor(1 * SEC, 150 * GHZ3, GHZ3, 0);
	struct lt_clock_anchor s3 = anchor(3 * SEC, 170 * GHZ3, GHZ3, 0);
	const struct lt_clock_anchor *first[] = { &s1a, &s2, &s3 };
	const struct lt_clock_anchor *last[] = { &s1b, &s2, &s3 };
	struct clock_mapping m[3];

	s1b.tsc_hz_err_ppb = 100;
	s2.tsc_hz_err_ppb = 100;
	clock_map_stages(3, first, last, m);
	/* Through s1b (the anchor nearest the kexec): 50 + 10 - 1 = 59 s. */
	cr_assert_eq(m[1].offset_ns, (int64_t)(59 * SEC));
	cr_assert_eq(m[1].error_ns, 1000);	/* 10 s x 0.1 ppm */
	/* s2 on the axis at 60 s, s3 20 s later, at its boottime 3 s. */
	cr_assert_eq(m[2].offset_ns, (int64_t)(77 * SEC));
	cr_assert_eq(m[2].error_ns, 1000 + 2000);
}
