// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/verify.h"
#include "scenario.h"

static struct log_buf buf;
static struct lt_trace trace;
static struct verify_result result;
static struct verify_options opt = { .has_budget = true,
				     .budget_ns = 5000 * SC_MS };

static void fini(void)
{
	verify_result_release(&result);
	lt_trace_release(&trace);
}

static void build(const struct scenario *sc)
{
	scenario_build(&buf, sc);
}

static const struct rule_result *run(const char *rule)
{
	const struct rule_result *r;

	sc_join(&trace, &buf);
	verify_trace(&trace, &opt, &result);
	r = verify_find_rule(&result, rule);
	cr_assert_not_null(r, "no rule %s", rule);
	return r;
}

static bool has_evidence(const struct rule_result *r, const char *needle)
{
	for (size_t i = 0; i < r->nevidence; i++)
		if (strstr(r->evidence[i], needle))
			return true;
	return false;
}

static void assert_verdict(const struct rule_result *r, enum verdict v,
			   const char *needle)
{
	cr_assert_eq(r->verdict, v, "%s: %s, want %s", r->rule,
		     verdict_name(r->verdict), verdict_name(v));
	cr_assert(has_evidence(r, needle),
		  "%s: no evidence line has \"%s\" (first: %s)", r->rule, needle,
		  r->nevidence ? r->evidence[0] : "-");
}

#define VTest(name) Test(verify, name, .fini = fini)

VTest(good_live_update_passes_every_rule_it_can_check)
{
	build(&(struct scenario){ 0 });
	run("log_intact");
	cr_assert_eq(result.failed, 0);
	for (size_t i = 0; i < result.nrules; i++) {
		const struct rule_result *r = &result.rules[i];
		enum verdict want = !strcmp(r->rule, "other_opens_blocked") ?
				    VERDICT_NOT_EXERCISED : VERDICT_PASS;

		cr_assert_eq(r->verdict, want, "%s: %s", r->rule,
			     verdict_name(r->verdict));
	}
}

/* ---- retrieved_and_finished ---- */

VTest(retrieved_and_finished_pass)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("retrieved_and_finished"), VERDICT_PASS,
		       "0000:02:00.0: retrieved and finished t=+");
}

VTest(device_never_retrieved_fails)
{
	build(&(struct scenario){ .no_retrieve = { false, true } });
	assert_verdict(run("retrieved_and_finished"), VERDICT_FAIL,
		       "0000:02:00.0: never retrieved in stage 2");
}

VTest(device_retrieved_but_not_finished_fails)
{
	build(&(struct scenario){ .no_finish = { true, false } });
	assert_verdict(run("retrieved_and_finished"), VERDICT_FAIL,
		       "0000:01:00.0: retrieved but never finished");
}

VTest(trace_without_stage_two_fails)
{
	build(&(struct scenario){ .no_stage2 = true });
	assert_verdict(run("retrieved_and_finished"), VERDICT_FAIL,
		       "preserved in stage 1, but the trace has no stage 2");
}

VTest(unpreserved_device_is_not_expected_back)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 1, LT_EV_VFIO_LU_PRESERVE, 11200 * SC_MS, 2, 0);
	sc_add(&buf, 1, LT_EV_VFIO_LU_UNPRESERVE, 11300 * SC_MS, 2, 0);
	assert_verdict(run("retrieved_and_finished"), VERDICT_PASS,
		       "0000:01:00.0: retrieved and finished");
	cr_assert(!has_evidence(verify_find_rule(&result, "retrieved_and_finished"),
				"0000:03:00.0"));
}

VTest(nothing_preserved_fails)
{
	struct lt_record a = fx_anchor(1, 0x11, SC_SEC, SC_SEC, SC_SEC);

	fx_header(&buf);
	fx_append(&buf, &a);
	assert_verdict(run("retrieved_and_finished"), VERDICT_FAIL,
		       "no device was preserved");
	assert_verdict(verify_find_rule(&result, "no_reset_before_enable"),
		       VERDICT_NOT_EXERCISED, "no device was preserved");
}

/* ---- no_reset_before_enable ---- */

VTest(freeze_quiesce_and_resets_after_enable_are_allowed)
{
	build(&(struct scenario){ 0 });
	/* A VMM may reset the device once it owns it again. */
	sc_add(&buf, 2, LT_EV_VFIO_RESET, 3500 * SC_MS, 0, LT_RESET_SITE_IOCTL);
	/* A freeze-site reset reported after the freeze event is still one. */
	sc_add(&buf, 1, LT_EV_PCI_RESET, 12050 * SC_MS, 1, LT_PCI_RESET_FLR);
	sc_add(&buf, 1, LT_EV_VFIO_RESET, 12051 * SC_MS, 1, LT_RESET_SITE_FREEZE);
	assert_verdict(run("no_reset_before_enable"), VERDICT_PASS,
		       "0000:01:00.0: no reset from freeze to first enable");
}

VTest(vfio_reset_in_stage_two_before_enable_fails)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_VFIO_RESET, 2200 * SC_MS, 0, LT_RESET_SITE_IOCTL);
	assert_verdict(run("no_reset_before_enable"), VERDICT_FAIL,
		       "stage 2 vfio_pci_reset 0000:01:00.0 site=ioctl ret=0 [flight.log@");
}

VTest(pci_flr_in_stage_two_before_enable_fails)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_PCI_RESET, 1000 * SC_MS, 1, LT_PCI_RESET_FLR);
	assert_verdict(run("no_reset_before_enable"), VERDICT_FAIL,
		       "0000:02:00.0: reset between freeze and first enable: t=+");
}

VTest(first_enable_that_resets_fails)
{
	build(&(struct scenario){ .enable_with_reset = { true, false } });
	assert_verdict(run("no_reset_before_enable"), VERDICT_FAIL,
		       "vfio_pci_reset 0000:01:00.0 site=enable");
}

VTest(bus_reset_after_freeze_in_stage_one_fails)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 1, LT_EV_PCI_RESET, 12050 * SC_MS, 0, LT_PCI_RESET_BUS);
	assert_verdict(run("no_reset_before_enable"), VERDICT_FAIL,
		       "pci_reset 0000:01:00.0 kind=bus");
}

/* ---- no_iommu_fault ---- */

VTest(fault_on_other_device_passes_with_a_note)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_IOMMU_FAULT, 2100 * SC_MS, 2, 0);
	assert_verdict(run("no_iommu_fault"), VERDICT_PASS,
		       "1 IOMMU fault(s) on devices that were not preserved");
}

VTest(fault_on_preserved_device_fails)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_IOMMU_FAULT, 2100 * SC_MS, 1, 0);
	assert_verdict(run("no_iommu_fault"), VERDICT_FAIL,
		       "IOMMU fault on preserved device: t=+");
}

VTest(dmar_fault_from_kmsg_on_preserved_device_fails)
{
	struct lt_record f = fx_event(2, LT_EV_DMAR_FAULT, 1500 * SC_MS, "0000:02:00.0");

	f.event.iova = 0x200000;
	f.event.arg = 6;
	build(&(struct scenario){ 0 });
	fx_append(&buf, &f);
	assert_verdict(run("no_iommu_fault"), VERDICT_FAIL,
		       "dmar_fault 0000:02:00.0 addr=0x200000 reason=0x06");
}

/* ---- other_opens_blocked ---- */

VTest(no_open_attempt_is_not_exercised_not_pass)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("other_opens_blocked"), VERDICT_NOT_EXERCISED,
		       "no other open of a preserved device was attempted");
}

VTest(blocked_open_passes)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_OPEN_ATTEMPT, 2100 * SC_MS, 0, LT_OPEN_CDEV);
	sc_add(&buf, 2, LT_EV_VFIO_OPEN_BLOCKED, 2101 * SC_MS, 0, LT_OPEN_CDEV);
	assert_verdict(run("other_opens_blocked"), VERDICT_PASS,
		       "0000:01:00.0: 1 open(s) before finish, all blocked");
}

VTest(open_that_was_not_blocked_fails)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_OPEN_ATTEMPT, 2100 * SC_MS, 1, LT_OPEN_GROUP);
	assert_verdict(run("other_opens_blocked"), VERDICT_FAIL,
		       "0000:02:00.0: 1 open attempt(s) before its session finished, only 0 blocked");
}

VTest(open_after_finish_is_not_counted)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_OPEN_ATTEMPT, 5000 * SC_MS, 1, LT_OPEN_CDEV);
	assert_verdict(run("other_opens_blocked"), VERDICT_NOT_EXERCISED,
		       "no other open");
}

/* ---- mappings_identical ---- */

VTest(identical_mappings_pass)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("mappings_identical"), VERDICT_PASS,
		       "2 mapping(s) identical from stage 1 to stage 2");
}

VTest(moved_mapping_fails)
{
	build(&(struct scenario){ .stage2_phys_shift = 0x1000 });
	assert_verdict(run("mappings_identical"), VERDICT_FAIL,
		       "iova 0x100000: phys 0x80000000 size 65536 in stage 1, phys 0x80001000 size 65536 in stage 2");
}

VTest(mapping_unmapped_before_kexec_is_not_compared)
{
	struct lt_record unmap = fx_event(1, LT_EV_IOMMU_UNMAP, 11800 * SC_MS, NULL);

	build(&(struct scenario){ .stage2_phys_shift = 0x1000 });
	unmap.event.iova = 0x100000;
	unmap.event.size = 0x200000;	/* both devices' buffers */
	fx_append(&buf, &unmap);
	assert_verdict(run("mappings_identical"), VERDICT_NOT_EXERCISED,
		       "no IOVA was mapped on both sides");
}

/* ---- blackout_budget ---- */

VTest(blackout_within_budget_passes)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("blackout_budget"), VERDICT_PASS,
		       "0000:01:00.0: blackout 3999.000000 ms +- 0.000000 ms");
}

VTest(blackout_over_budget_fails)
{
	opt.budget_ns = 1000 * SC_MS;
	build(&(struct scenario){ 0 });
	assert_verdict(run("blackout_budget"), VERDICT_FAIL,
		       "0000:02:00.0: blackout 3999.000000 ms +- 0.000000 ms exceeds the budget of 1000.000000 ms");
	opt.budget_ns = 5000 * SC_MS;
}

VTest(blackout_falls_back_to_first_enable)
{
	build(&(struct scenario){ .no_retrieve = { true, false } });
	/* enable at stage-2 3.0 s: 14 + 3 - 12.001 */
	assert_verdict(run("blackout_budget"), VERDICT_PASS,
		       "0000:01:00.0: blackout 4999.000000 ms");
}

VTest(no_budget_is_not_exercised_but_shows_the_figures)
{
	opt.has_budget = false;
	build(&(struct scenario){ 0 });
	assert_verdict(run("blackout_budget"), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: blackout 3999.000000 ms");
	opt.has_budget = true;
}

/* ---- no_dropped_events ---- */

VTest(no_drops_passes)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("no_dropped_events"), VERDICT_PASS,
		       "stage 2: no event dropped");
}

VTest(drops_fail)
{
	build(&(struct scenario){ .stage1_drops = 5 });
	assert_verdict(run("no_dropped_events"), VERDICT_FAIL,
		       "stage 1: 5 event(s) dropped (ring buffer full)");
	cr_assert_eq(trace.reserve_failures, 5);
}

VTest(events_the_log_had_no_room_for_fail)
{
	struct lt_record d = fx_drops(2, 0);

	d.drops.unwritten = 3;
	build(&(struct scenario){ 0 });
	fx_append(&buf, &d);
	assert_verdict(run("no_dropped_events"), VERDICT_FAIL,
		       "stage 2: 3 event(s) not written (flight log full)");
	cr_assert_eq(trace.unwritten, 3);
}

VTest(missing_drop_counter_fails_as_unknown)
{
	build(&(struct scenario){ .no_drops_record = true });
	assert_verdict(run("no_dropped_events"), VERDICT_FAIL,
		       "stage 1 never reported its drop counter; drops unknown");
}

/* ---- log_intact ---- */

VTest(intact_log_passes)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("log_intact"), VERDICT_PASS, "no damaged record");
}

VTest(damaged_record_fails_with_its_offset)
{
	size_t at;

	build(&(struct scenario){ 0 });
	at = buf.len;
	sc_add(&buf, 2, LT_EV_MARKER, 4500 * SC_MS, -1, 0);
	buf.data[at + LT_REC_HEADER_LEN + 2] ^= 0x40;
	assert_verdict(run("log_intact"), VERDICT_FAIL, "flight.log: corrupt record at offset");
	cr_assert_eq(result.failed, 1);
}
