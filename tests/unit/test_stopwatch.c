// SPDX-License-Identifier: GPL-2.0
/* record -v's account of start-up: laps, and the process's memory. */
#include <criterion/criterion.h>
#include <string.h>

#include "record/self_memory.h"
#include "record/stopwatch.h"

Test(stopwatch, laps_sum_per_name_in_first_seen_order)
{
	struct stopwatch sw;
	char out[128];

	stopwatch_start(&sw);
	stopwatch_add(&sw, "probe", 400000000);
	stopwatch_add(&sw, "load", 1200500000);
	stopwatch_add(&sw, "probe", 2000000);	/* a second pass */
	cr_assert_eq(stopwatch_total_ns(&sw), 1602500000ull);
	stopwatch_format(&sw, out, sizeof(out));
	cr_assert_str_eq(out, "probe 402 ms, load 1200 ms");
	stopwatch_format(&sw, out, 12);
	cr_assert_str_eq(out, "probe 402 m", "cut, still terminated");
}

Test(stopwatch, a_lap_is_the_time_since_the_last_one)
{
	struct stopwatch sw;

	stopwatch_start(&sw);
	stopwatch_lap(&sw, "a");
	stopwatch_lap(&sw, "b");
	cr_assert_eq(sw.nlaps, 2);
	cr_assert_eq(stopwatch_total_ns(&sw), sw.last_ns - sw.start_ns);
}

Test(stopwatch, more_names_than_room_go_to_the_last_lap)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f", "g",
					      "h", "i", "j", "k", "l", "m", "n" };
	struct stopwatch sw;

	stopwatch_start(&sw);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		stopwatch_add(&sw, names[i], 1000000);
	cr_assert_eq(sw.nlaps, STOPWATCH_MAX_LAPS);
	cr_assert_eq(stopwatch_total_ns(&sw), 14000000ull, "no time is lost");
}

Test(self_memory, resident_and_peak_from_proc_status)
{
	struct self_memory m;

	cr_assert_eq(self_memory_parse("Name:\tlutrace\nVmPeak:\t   30000 kB\n"
				       "VmHWM:\t   26112 kB\nVmRSS:\t   20480 kB\n", &m), 0);
	cr_assert_eq(m.rss_kb, 20480);
	cr_assert_eq(m.hwm_kb, 26112);
	cr_assert_eq(self_memory_parse("VmRSS:\t1 kB\n", &m), -1, "no VmHWM");
	cr_assert_eq(self_memory_parse("XVmRSS:\t1 kB\nVmHWM:\t2 kB\n", &m), -1);
	cr_assert_eq(self_memory_read(&m), 0);
	cr_assert_gt(m.rss_kb, 0);
	cr_assert_geq(m.hwm_kb, m.rss_kb);
}
