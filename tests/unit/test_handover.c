// SPDX-License-Identifier: GPL-2.0
/*
 * handovers_find's milestones, each event index checked: which kexec a
 * freeze belongs to, and which stage-k+1 events are whose.
 */
#include <criterion/criterion.h>

#include "analyze/handover.h"
#include "scenario.h"

static struct log_buf buf;
static struct lt_trace trace;
static struct handover_list ho;

static void fini(void)
{
	handovers_release(&ho);
	lt_trace_release(&trace);
}

static void find(void)
{
	sc_join(&trace, &buf);
	handovers_find(&trace, &ho);
	cr_assert_eq(ho.n, SC_NDEV, "%zu handovers, want %d", ho.n, SC_NDEV);
}

/* The event at milestone m of device d's handover: its id, stage and device. */
static void assert_at(int d, enum handover_milestone m, uint16_t id,
		      uint32_t stage)
{
	const struct handover *h = &ho.items[d];
	const struct lt_trace_event *e;

	cr_assert_str_eq(h->dev, sc_dev(d));
	cr_assert_geq(h->at[m], 0, "%s: no %s", h->dev, handover_milestone_name(m));
	e = &trace.events[h->at[m]];
	cr_assert_eq(e->ev.id, id, "%s: %s is event %u, want %u", h->dev,
		     handover_milestone_name(m), e->ev.id, id);
	cr_assert_eq(trace.stages[e->stage].number, stage, "%s: %s from stage %u",
		     h->dev, handover_milestone_name(m), trace.stages[e->stage].number);
	if (m != HO_KEXEC)
		cr_assert_str_eq(e->ev.dev, h->dev, "%s: %s is %s's", h->dev,
				 handover_milestone_name(m), e->ev.dev);
}

#define HTest(name) Test(handover, name, .fini = fini)

HTest(kexec_after_the_freeze_is_the_jump)
{
	scenario_build(&buf, &(struct scenario){ 0 });
	find();
	for (int d = 0; d < SC_NDEV; d++)
		assert_at(d, HO_KEXEC, LT_EV_KEXEC, 1);
}

/* kernel_kexec fired at the entry of the call that froze: the reboot stands in. */
HTest(kexec_at_entry_leaves_the_reboot_freeze_as_the_jump)
{
	scenario_build(&buf, &(struct scenario){ .kexec_at_entry = true });
	find();
	for (int d = 0; d < SC_NDEV; d++)
		assert_at(d, HO_KEXEC, LT_EV_LU_REBOOT, 1);
}

HTest(next_stage_kexec_is_not_the_jump_of_this_one)
{
	scenario_build(&buf, &(struct scenario){ .kexec_at_entry = true });
	sc_add(&buf, 2, LT_EV_KEXEC, 4200 * SC_MS, -1, 0);
	find();
	for (int d = 0; d < SC_NDEV; d++)
		assert_at(d, HO_KEXEC, LT_EV_LU_REBOOT, 1);
}

HTest(incoming_milestones_are_each_devices_own)
{
	scenario_build(&buf, &(struct scenario){ .no_retrieve = { false, true },
						 .no_finish = { true, false },
						 .enable_with_reset = { false, true } });
	find();
	assert_at(0, HO_RETRIEVE, LT_EV_VFIO_LU_RETRIEVE, 2);
	cr_assert_eq(ho.items[1].at[HO_RETRIEVE], -1, "device 1 took device 0's retrieve");
	assert_at(0, HO_ENABLE, LT_EV_VFIO_RESET_SKIPPED, 2);
	assert_at(1, HO_ENABLE, LT_EV_VFIO_RESET, 2);
	cr_assert_eq(ho.items[0].at[HO_FINISH], -1, "device 0 took device 1's finish");
	assert_at(1, HO_FINISH, LT_EV_VFIO_LU_FINISH, 2);
}

/* Stage 2's log is missing: stage 3's events are nobody's incoming milestones. */
HTest(stage_after_a_gap_holds_no_incoming_milestone)
{
	scenario_build(&buf, &(struct scenario){ .stage2_number = 3 });
	find();
	for (int d = 0; d < SC_NDEV; d++) {
		cr_assert_not(ho.items[d].has_next_stage);
		cr_assert_eq(ho.items[d].at[HO_RETRIEVE], -1);
		cr_assert_eq(ho.items[d].at[HO_ENABLE], -1);
		cr_assert_eq(ho.items[d].at[HO_FINISH], -1);
	}
}
