// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>

#include "analyze/device_gap.h"
#include "scenario.h"

/* The device-side gap beside the blackout (analyze/device_gap.h). */

static struct log_buf buf;
static struct lt_trace trace;
static struct handover_list ho;

static void fini(void)
{
	handovers_release(&ho);
	lt_trace_release(&trace);
}

static struct device_gap gap_of(const struct scenario *sc, int d)
{
	struct device_gap g;

	scenario_build(&buf, sc);
	sc_join(&trace, &buf);
	handovers_find(&trace, &ho);
	cr_assert_eq(ho.n, SC_NDEV);
	device_gap_of(&trace, &ho.items[d], &g);
	return g;
}

Test(device_gap, zero_for_a_device_kept_running, .fini = fini)
{
	struct device_gap g = gap_of(&(struct scenario){ .keep_running = { true, true } }, 1);

	cr_assert_eq(g.kind, GAP_KEPT_RUNNING);
	cr_assert(device_gap_measured(&g));
	cr_assert_eq(g.ns, 0);
	cr_assert_str_eq(device_gap_kind_name(g.kind), "kept_running");
}

/* The freeze quiesce (pci_reset at 11.999) to the first enable (axis 17.0). */
Test(device_gap, from_the_freeze_reset_to_the_first_enable, .fini = fini)
{
	struct device_gap g = gap_of(&(struct scenario){ 0 }, 0);

	cr_assert_eq(g.kind, GAP_STOPPED);
	cr_assert_eq(trace.events[g.stopped_at].ev.id, LT_EV_PCI_RESET);
	cr_assert_eq(g.ns, 5001 * SC_MS);
}

/* Kept running, but bus mastering off at stage 2's 1.2 s (axis 15.2). */
Test(device_gap, a_device_stopped_in_the_next_kernel_has_a_gap, .fini = fini)
{
	struct device_gap g = gap_of(&(struct scenario){ .keep_running = { true, true },
		.stage2_disturb = { LT_EV_PCI_CLEAR_MASTER, 0 } }, 0);

	cr_assert_eq(g.kind, GAP_STOPPED);
	cr_assert_eq(trace.events[g.stopped_at].ev.id, LT_EV_PCI_CLEAR_MASTER);
	cr_assert_eq(g.ns, 1800 * SC_MS);
}

Test(device_gap, unknown_without_a_next_stage_or_a_mode, .fini = fini)
{
	struct device_gap g = gap_of(&(struct scenario){ .keep_running = { true, true },
							 .no_stage2 = true }, 0);

	cr_assert_eq(g.kind, GAP_UNKNOWN);
	cr_assert(!device_gap_measured(&g));
	cr_assert_str_eq(g.why, "no next stage");
}

Test(device_gap, not_kept_running_when_the_retrieve_says_otherwise, .fini = fini)
{
	struct device_gap g = gap_of(&(struct scenario){ .keep_running = { true, true },
		.retrieve_not_kept = { true, false } }, 0);

	cr_assert_eq(g.kind, GAP_UNKNOWN, "nothing stopped it that was seen, but not kept running");
}

/* A gap of 0 is a claim about every event of the window: unseen, it is unknown. */
Test(device_gap, kept_running_needs_the_whole_window_seen, .fini = fini)
{
	struct device_gap g = gap_of(&(struct scenario){ .keep_running = { true, true },
		.stage2_not_boot_traced = LT_BOOT_POWER_STATE }, 0);

	cr_assert_eq(g.kind, GAP_UNKNOWN);
	cr_assert(!device_gap_measured(&g));
}

Test(device_gap, kept_running_needs_no_event_lost, .fini = fini)
{
	struct device_gap g = gap_of(&(struct scenario){ .keep_running = { true, true },
							 .stage1_drops = 1 }, 0);

	cr_assert_eq(g.kind, GAP_UNKNOWN);
	cr_assert_str_eq(g.why, "events were lost, or a drop counter was never reported");
}

/* Waking from "unknown" (the kernel's first look) is no stop; D3hot either way is. */
Test(device_gap, power_states_that_stop_dma)
{
	struct lt_event e = { .id = LT_EV_PCI_POWER_STATE };

	e.arg = LT_POWER_ARG(5, 0);
	cr_assert(!device_gap_stops_dma(&e), "unknown to D0");
	e.arg = LT_POWER_ARG(-1, 0);
	cr_assert(!device_gap_stops_dma(&e), "error to D0");
	e.arg = LT_POWER_ARG(0, 3);
	cr_assert(device_gap_stops_dma(&e), "D0 to D3hot");
	e.arg = LT_POWER_ARG(3, 0);
	cr_assert(device_gap_stops_dma(&e), "D3hot to D0: it was stopped, and may be reset");
	e.arg = LT_POWER_ARG(3, 4);
	cr_assert(device_gap_stops_dma(&e), "D3hot to D3cold");
}
