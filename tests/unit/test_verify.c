// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdio.h>
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
		enum verdict want = !strcmp(r->rule, "other_opens_blocked") ||
				    !strcmp(r->rule, "dma_kept_running") ?
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

/* A device reset by its bridge's secondary bus reset is named by that event. */
VTest(secondary_bus_reset_of_a_device_in_stage_two_fails)
{
	build(&(struct scenario){ 0 });
	sc_add(&buf, 2, LT_EV_PCI_RESET, 1000 * SC_MS, 1, LT_PCI_RESET_SECONDARY_BUS);
	assert_verdict(run("no_reset_before_enable"), VERDICT_FAIL,
		       "pci_reset 0000:02:00.0 kind=secondary_bus");
}

/*
 * Absent evidence is no evidence where the recorder could not see: resets
 * in stage 2 before its recorder attached are in the trace only when the
 * import has them from boot.
 */
VTest(stage_two_resets_not_traced_from_boot_are_not_exercised)
{
	build(&(struct scenario){ .stage2_not_boot_traced = LT_BOOT_PCI_RESETS });
	assert_verdict(run("no_reset_before_enable"), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: no reset seen, but stage 2's recorder attached 1000.000000 ms after its boot, and pci:pci_reset was not traced from boot");
}

VTest(stage_two_vfio_resets_not_traced_from_boot_are_not_exercised)
{
	build(&(struct scenario){ .stage2_not_boot_traced = LT_BOOT_VFIO_RESETS |
							    LT_BOOT_PCI_RESETS });
	assert_verdict(run("no_reset_before_enable"), VERDICT_NOT_EXERCISED,
		       "vfio_pci:vfio_pci_reset,pci:pci_reset were not traced from boot");
}

/* What was seen still fails, whatever was not. */
VTest(a_reset_seen_fails_where_coverage_is_partial)
{
	build(&(struct scenario){ .stage2_not_boot_traced = LT_BOOT_PCI_RESETS });
	sc_add(&buf, 2, LT_EV_VFIO_RESET, 2200 * SC_MS, 0, LT_RESET_SITE_IOCTL);
	assert_verdict(run("no_reset_before_enable"), VERDICT_FAIL,
		       "0000:01:00.0: reset between freeze and first enable");
}

/* Bus mastering is not what this rule needs. */
VTest(bus_master_not_traced_from_boot_does_not_matter_to_resets)
{
	build(&(struct scenario){ .stage2_not_boot_traced = LT_BOOT_BUS_MASTER });
	assert_verdict(run("no_reset_before_enable"), VERDICT_PASS,
		       "0000:01:00.0: no reset from freeze to first enable");
}

/* A log of a lutrace that did not say when it attached proves nothing. */
VTest(log_without_attach_events_is_not_exercised)
{
	build(&(struct scenario){ .no_attach_events = true });
	assert_verdict(run("no_reset_before_enable"), VERDICT_NOT_EXERCISED,
		       "stage 1's log does not say when its recorder attached nor what it traced from boot");
	assert_verdict(verify_find_rule(&result, "no_iommu_fault"), VERDICT_NOT_EXERCISED,
		       "stage 2's log does not say when its recorder attached");
}

/* Stage 1's recorder started after the freeze: the freeze window is blind. */
VTest(stage_one_recorder_attached_after_freeze_is_not_exercised)
{
	build(&(struct scenario){ .stage1_attached_ms = 12050 });
	assert_verdict(run("no_reset_before_enable"), VERDICT_NOT_EXERCISED,
		       "stage 1's recorder attached 12050.000000 ms after its boot, after its freeze");
}

/* ---- no_iommu_fault ---- */

VTest(stage_two_faults_not_traced_from_boot_are_not_exercised)
{
	build(&(struct scenario){ .stage2_not_boot_traced = LT_BOOT_IOMMU_FAULTS });
	assert_verdict(run("no_iommu_fault"), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: stage 2's recorder attached 1000.000000 ms after its boot, and iommu:io_page_fault was not traced from boot");
}

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
		       "iova 0x100000 size 65536: phys 0x80000000 in stage 1 (iommu_domain 1), phys 0x80001000 in stage 2 (iommu_domain 1)");
}

VTest(mapping_unmapped_before_kexec_is_not_compared)
{
	struct lt_record unmap = fx_event(1, LT_EV_IOMMU_UNMAP, 11800 * SC_MS, NULL);

	build(&(struct scenario){ .stage2_phys_shift = 0x1000 });
	unmap.event.iova = 0x100000;
	unmap.event.size = 0x200000;	/* both devices' buffers */
	unmap.event.iommu_domain = 1;
	fx_append(&buf, &unmap);
	unmap.event.iommu_domain = 2;
	fx_append(&buf, &unmap);
	assert_verdict(run("mappings_identical"), VERDICT_NOT_EXERCISED,
		       "no IOVA was mapped on both sides");
}

static void add_mapping(uint32_t stage, uint64_t bt_ns, uint32_t domain,
			uint64_t iova, uint64_t phys, uint64_t size)
{
	struct lt_record r = fx_event(stage, LT_EV_IOMMU_MAP, bt_ns, NULL);

	r.event.iommu_domain = domain;
	r.event.iova = iova;
	r.event.phys = phys;
	r.event.size = size;
	fx_append(&buf, &r);
}

static void add_unmapping(uint32_t stage, uint64_t bt_ns, uint32_t domain,
			  uint64_t iova, uint64_t size)
{
	struct lt_record r = fx_event(stage, LT_EV_IOMMU_UNMAP, bt_ns, NULL);

	r.event.iommu_domain = domain;
	r.event.iova = iova;
	r.event.size = size;
	fx_append(&buf, &r);
}

/* Two devices, each in its own domain, both DMA at IOVA 0x400000. */
VTest(two_domains_mapping_the_same_iova_are_not_a_moved_mapping)
{
	build(&(struct scenario){ 0 });
	add_mapping(1, 11600 * SC_MS, 1, 0x400000, 0x90000000, 0x10000);
	add_mapping(1, 11601 * SC_MS, 2, 0x400000, 0xa0000000, 0x10000);
	/* Stage 2 numbers its domains afresh, and in another order. */
	add_mapping(2, 2600 * SC_MS, 7, 0x400000, 0xa0000000, 0x10000);
	add_mapping(2, 2601 * SC_MS, 8, 0x400000, 0x90000000, 0x10000);
	assert_verdict(run("mappings_identical"), VERDICT_PASS,
		       "4 mapping(s) identical from stage 1 to stage 2");
}

/* Ranges are matched by overlap: the same buffer mapped in two pieces. */
VTest(buffer_mapped_again_in_pieces_is_identical)
{
	build(&(struct scenario){ 0 });
	add_mapping(1, 11600 * SC_MS, 1, 0x400000, 0x90000000, 0x20000);
	add_mapping(2, 2600 * SC_MS, 1, 0x400000, 0x90000000, 0x8000);
	add_mapping(2, 2601 * SC_MS, 1, 0x408000, 0x90008000, 0x18000);
	assert_verdict(run("mappings_identical"), VERDICT_PASS,
		       "3 mapping(s) identical from stage 1 to stage 2");
}

VTest(piece_of_a_buffer_that_moved_fails_though_its_start_did_not)
{
	build(&(struct scenario){ 0 });
	add_mapping(1, 11600 * SC_MS, 1, 0x400000, 0x90000000, 0x20000);
	add_mapping(2, 2600 * SC_MS, 1, 0x400000, 0x90000000, 0x8000);
	add_mapping(2, 2601 * SC_MS, 1, 0x408000, 0x99008000, 0x18000);
	assert_verdict(run("mappings_identical"), VERDICT_FAIL,
		       "iova 0x408000 size 98304: phys 0x90008000 in stage 1 (iommu_domain 1), phys 0x99008000 in stage 2 (iommu_domain 1)");
}

/* An unmap of the second half leaves only the first half live. */
VTest(unmap_of_part_of_a_mapping_leaves_the_rest_live)
{
	build(&(struct scenario){ 0 });
	add_mapping(1, 11600 * SC_MS, 1, 0x400000, 0x90000000, 0x20000);
	add_unmapping(1, 11700 * SC_MS, 1, 0x410000, 0x10000);
	add_mapping(2, 2600 * SC_MS, 1, 0x400000, 0x90000000, 0x10000);
	add_mapping(2, 2601 * SC_MS, 1, 0x410000, 0xb0000000, 0x10000);
	assert_verdict(run("mappings_identical"), VERDICT_PASS,
		       "3 mapping(s) identical from stage 1 to stage 2");
}

/* An unmap in another domain does not touch this one's mapping. */
VTest(unmap_in_another_domain_leaves_the_mapping_live)
{
	build(&(struct scenario){ 0 });
	add_mapping(1, 11600 * SC_MS, 1, 0x400000, 0x90000000, 0x10000);
	add_mapping(1, 11601 * SC_MS, 2, 0x400000, 0xa0000000, 0x10000);
	add_unmapping(1, 11700 * SC_MS, 2, 0x400000, 0x10000);
	add_mapping(2, 2600 * SC_MS, 1, 0x400000, 0x99000000, 0x10000);
	assert_verdict(run("mappings_identical"), VERDICT_FAIL,
		       "iova 0x400000 size 65536: phys 0x90000000 in stage 1 (iommu_domain 1), phys 0x99000000 in stage 2 (iommu_domain 1)");
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

/*
 * One rule for verify and the alert: FAIL when blackout - error is over
 * the budget, PASS when blackout + error is within it, else inconclusive.
 * A TSC not promised invariant puts 500 ppm of the 2.85 s gap in the bound.
 */
VTest(blackout_over_budget_within_its_error_bound_is_inconclusive_not_fail)
{
	opt.budget_ns = 3998500 * 1000ull;	/* 3998.5 ms */
	build(&(struct scenario){ .stage2_tsc_not_invariant = true });
	assert_verdict(run("blackout_budget"), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: blackout 3999.000000 ms +- 1.425000 ms: the budget of 3998.500000 ms is within its error bound, inconclusive");
	opt.budget_ns = 5000 * SC_MS;
}

VTest(blackout_under_budget_within_its_error_bound_is_inconclusive_not_pass)
{
	opt.budget_ns = 4000 * SC_MS;
	build(&(struct scenario){ .stage2_tsc_not_invariant = true });
	assert_verdict(run("blackout_budget"), VERDICT_NOT_EXERCISED,
		       "0000:02:00.0: blackout 3999.000000 ms +- 1.425000 ms: the budget of 4000.000000 ms is within its error bound, inconclusive");
	opt.budget_ns = 5000 * SC_MS;
}

VTest(blackout_over_budget_by_more_than_its_error_bound_fails)
{
	opt.budget_ns = 3997 * SC_MS;
	build(&(struct scenario){ .stage2_tsc_not_invariant = true });
	assert_verdict(run("blackout_budget"), VERDICT_FAIL,
		       "0000:01:00.0: blackout 3999.000000 ms +- 1.425000 ms exceeds the budget of 3997.000000 ms by more than its error bound");
	opt.budget_ns = 5000 * SC_MS;
}

VTest(widened_clock_bound_is_said_in_the_evidence)
{
	build(&(struct scenario){ .stage2_tsc_not_invariant = true });
	assert_verdict(run("blackout_budget"), VERDICT_PASS,
		       "stage 2 placed by tsc +- 1.425000 ms: stage 2: TSC not promised invariant");
}

VTest(blackout_on_an_untrusted_clock_join_is_not_judged)
{
	build(&(struct scenario){ .stage2_wall_clock_step_ns = 60 * SC_SEC });
	assert_verdict(run("blackout_budget"), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: blackout 3999.000000 ms +- 0.000000 ms not judged: the clock join of stage 2 to stage 1 is not trusted");
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
		       "stage 1: 5 event(s) lost: ring_buffer 5");
	cr_assert_eq(trace.lost.by_cause[LT_LOSS_RING_BUFFER], 5);
}

VTest(events_the_log_had_no_room_for_fail)
{
	struct lt_record d = fx_drops(2, 0);

	d.drops.lost.by_cause[LT_LOSS_LOG_FULL] = 3;
	build(&(struct scenario){ 0 });
	fx_append(&buf, &d);
	assert_verdict(run("no_dropped_events"), VERDICT_FAIL,
		       "stage 2: 3 event(s) lost: log_full 3");
	cr_assert_eq(trace.lost.by_cause[LT_LOSS_LOG_FULL], 3);
}

/* A stage-2 drop record of one recorder run, as log_writer writes it. */
static void add_run_drops(uint32_t stage, uint64_t run_id, enum lt_loss_cause c,
			  uint64_t n)
{
	struct lt_record d = fx_drops(stage, 0);

	d.drops.run_id = run_id;
	d.drops.lost.by_cause[c] = n;
	fx_append(&buf, &d);
}

/* Every cause fails the rule on its own, and the evidence names it. */
VTest(each_cause_of_loss_fails_under_its_own_name)
{
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++) {
		char want[96];

		build(&(struct scenario){ 0 });
		add_run_drops(2, 77, c, 2);
		snprintf(want, sizeof(want), "stage 2: 2 event(s) lost: %s 2",
			 lt_loss_cause_name(c));
		assert_verdict(run("no_dropped_events"), VERDICT_FAIL, want);
		cr_assert_eq(trace.stages[1].lost.by_cause[c], 2, "%s", want);
		cr_assert_eq(lt_losses_total(&trace.lost), 2, "%s counted once, nowhere else", want);
		fini();
	}
}

/*
 * lutrace restarted in stage 2: the second run's counters start from zero,
 * so the stage lost the sum of both runs, not the larger of them; a run's
 * own cumulative records (and the same records loaded twice) count once.
 */
VTest(losses_of_recorder_runs_in_one_boot_are_summed)
{
	char err[256];

	build(&(struct scenario){ 0 });
	add_run_drops(2, 100, LT_LOSS_KMSG_OVERRUN, 1);
	add_run_drops(2, 100, LT_LOSS_KMSG_OVERRUN, 3);	/* run 100: 3 in all */
	add_run_drops(2, 200, LT_LOSS_KMSG_OVERRUN, 2);	/* the restart: 2 more */
	assert_verdict(run("no_dropped_events"), VERDICT_FAIL,
		       "stage 2: 5 event(s) lost: kmsg_overrun 5 (3 recorder run(s), summed)");
	cr_assert_eq(trace.stages[1].runs, 3, "the scenario's own run and two more");
	fini();
	/* The same log twice: every run is there twice, and counts once. */
	lt_trace_init(&trace);
	cr_assert_eq(lt_trace_add_log(&trace, "a", buf.data, buf.len, err, sizeof(err)), 0);
	cr_assert_eq(lt_trace_add_log(&trace, "b", buf.data, buf.len, err, sizeof(err)), 0);
	cr_assert_eq(lt_trace_finish(&trace, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(trace.stages[1].lost.by_cause[LT_LOSS_KMSG_OVERRUN], 5);
}

/*
 * A trace that passes every rule but has lost events: no rule that needs
 * events PASSes (the lost one may be the reset, the fault, the retrieve);
 * each says which stage lost what. The rules about the logs themselves
 * keep their verdicts.
 */
VTest(no_rule_that_needs_events_passes_when_events_were_lost)
{
	static const char *const about_the_logs[] = {
		"stages_contiguous", "no_dropped_events", "log_intact",
	};

	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++) {
		build(&(struct scenario){ .opens_blocked = true });
		add_run_drops(2, 9, c, 1);
		run("log_intact");
		for (size_t i = 0; i < result.nrules; i++) {
			const struct rule_result *r = &result.rules[i];
			bool logs = false;
			char want[128];

			for (size_t k = 0; k < 3; k++)
				logs |= !strcmp(r->rule, about_the_logs[k]);
			if (logs)
				continue;
			snprintf(want, sizeof(want), "stage 2 lost 1 event(s) (%s 1): the evidence may be among them",
				 lt_loss_cause_name(c));
			assert_verdict(r, VERDICT_NOT_EXERCISED, want);
		}
		assert_verdict(verify_find_rule(&result, "log_intact"), VERDICT_PASS, "no damaged record");
		assert_verdict(verify_find_rule(&result, "stages_contiguous"), VERDICT_PASS, "none missing");
		fini();
	}
}

VTest(no_rule_that_needs_events_passes_without_a_drop_counter)
{
	build(&(struct scenario){ .opens_blocked = true, .no_drops_record = true });
	assert_verdict(run("handover_complete"), VERDICT_NOT_EXERCISED,
		       "stage 1 never reported its drop counter: its evidence may be incomplete");
	assert_verdict(verify_find_rule(&result, "no_reset_before_enable"), VERDICT_NOT_EXERCISED,
		       "stage 1 never reported its drop counter");
}

/* A found violation is one whatever was lost: FAIL stays FAIL. */
VTest(losses_do_not_hide_a_failure)
{
	build(&(struct scenario){ .enable_with_reset = { true, false }, .stage1_drops = 1 });
	assert_verdict(run("no_reset_before_enable"), VERDICT_FAIL,
		       "reset between freeze and first enable");
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

/* ---- no PASS on incomplete evidence (issue 11, item 1) ---- */

static bool any_evidence(const char *needle, const char **rule)
{
	for (size_t i = 0; i < result.nrules; i++) {
		if (has_evidence(&result.rules[i], needle)) {
			*rule = result.rules[i].rule;
			return true;
		}
	}
	return false;
}

static void assert_not_pass(const struct rule_result *r, const char *needle)
{
	cr_assert_neq(r->verdict, VERDICT_PASS, "%s: PASS on incomplete evidence", r->rule);
	cr_assert(has_evidence(r, needle),
		  "%s: no evidence line has \"%s\" (first: %s)", r->rule, needle,
		  r->nevidence ? r->evidence[0] : "-");
}

VTest(device_whose_freeze_never_reached_the_log_is_no_blackout_pass)
{
	build(&(struct scenario){ .no_freeze = { false, true } });
	assert_not_pass(run("blackout_budget"), "0000:02:00.0: blackout not measurable");
	assert_verdict(verify_find_rule(&result, "handover_complete"), VERDICT_FAIL,
		       "0000:02:00.0: no vfio_pci_liveupdate_freeze in stage 1");
}

VTest(complete_handover_passes)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("handover_complete"), VERDICT_PASS,
		       "0000:01:00.0: frozen t=+");
}

/* fentry/kernel_kexec fires at the entry of the call that runs the freeze. */
VTest(kexec_at_the_entry_of_the_freezing_call_is_a_complete_handover)
{
	build(&(struct scenario){ .kexec_at_entry = true });
	assert_verdict(run("handover_complete"), VERDICT_PASS,
		       "0000:02:00.0: frozen t=+");
}

VTest(stage_without_liveupdate_reboot_is_an_incomplete_handover)
{
	build(&(struct scenario){ .no_reboot = true });
	run("log_intact");
	cr_assert_gt(result.failed, 0, "a stage without liveupdate_reboot fails no rule");
	assert_verdict(verify_find_rule(&result, "handover_complete"), VERDICT_FAIL,
		       "0000:01:00.0: no liveupdate_reboot ret=0 in stage 1 after its freeze");
}

VTest(failed_liveupdate_reboot_is_an_incomplete_handover)
{
	build(&(struct scenario){ .reboot_ret = -16 });
	assert_verdict(run("handover_complete"), VERDICT_FAIL,
		       "liveupdate_reboot sessions=0 files=0 ret=-16");
}

VTest(stage_without_kexec_is_an_incomplete_handover)
{
	build(&(struct scenario){ .no_kexec = true });
	run("log_intact");
	cr_assert_gt(result.failed, 0, "a stage without its kexec fails no rule");
	assert_verdict(verify_find_rule(&result, "handover_complete"), VERDICT_FAIL,
		       "0000:01:00.0: no kernel_kexec in stage 1");
}

VTest(freeze_after_the_reboot_freeze_is_out_of_order)
{
	build(&(struct scenario){ .no_freeze = { true, false } });
	sc_add(&buf, 1, LT_EV_VFIO_LU_FREEZE, 12150 * SC_MS, 0, 0);
	assert_verdict(run("handover_complete"), VERDICT_FAIL,
		       "0000:01:00.0: no liveupdate_reboot ret=0 in stage 1 after its freeze");
}

VTest(missing_stage_two_is_a_gap_not_a_handover_to_stage_three)
{
	const char *rule = NULL;

	build(&(struct scenario){ .stage2_number = 3 });
	run("log_intact");
	cr_assert(!any_evidence("stage 3 vfio_pci_liveupdate", &rule),
		  "%s cites stage 3's events as stage 1's handover", rule);
	cr_assert(!any_evidence("to stage 3", &rule),
		  "%s takes stage 3 for the next stage of stage 1", rule);
	assert_verdict(verify_find_rule(&result, "retrieved_and_finished"), VERDICT_FAIL,
		       "the trace has no stage 2");
	assert_verdict(verify_find_rule(&result, "stages_contiguous"), VERDICT_FAIL,
		       "stage 2 is missing: the logs hold stage 1, then stage 3");
	assert_verdict(verify_find_rule(&result, "handover_complete"), VERDICT_FAIL,
		       "the trace has no stage 2");
	for (size_t i = 0; i < result.nrules; i++) {
		const struct rule_result *r = &result.rules[i];

		if (strcmp(r->rule, "log_intact") && strcmp(r->rule, "no_dropped_events"))
			cr_assert_neq(r->verdict, VERDICT_PASS, "%s: PASS across a gap",
				      r->rule);
	}
}

VTest(logs_without_stage_one_are_a_gap)
{
	struct lt_record a = fx_anchor(2, 0x22, SC_SEC, 1005 * SC_SEC, SC_SEC);
	struct lt_record d = fx_drops(2, 0);

	fx_header(&buf);
	fx_append(&buf, &a);
	fx_append(&buf, &d);
	assert_verdict(run("stages_contiguous"), VERDICT_FAIL,
		       "stage 1 is missing: the first stage in the logs is stage 2");
}

VTest(stage_one_log_that_ends_before_the_jump_says_so)
{
	build(&(struct scenario){ .no_stage2 = true, .no_kexec = true,
				  .no_reboot = true });
	assert_verdict(run("retrieved_and_finished"), VERDICT_FAIL,
		       "stage 1 ends before the jump");
	assert_verdict(verify_find_rule(&result, "handover_complete"), VERDICT_FAIL,
		       "stage 1 ends before the jump");
}

VTest(rules_without_any_evidence_are_not_exercised_never_pass)
{
	struct lt_record a = fx_anchor(1, 0x11, SC_SEC, SC_SEC, SC_SEC);
	struct lt_record d = fx_drops(1, 0);
	static const char *const not_exercised[] = {
		"handover_complete", "no_reset_before_enable", "no_iommu_fault",
		"other_opens_blocked", "mappings_identical", "blackout_budget",
	};

	fx_header(&buf);
	fx_append(&buf, &a);
	fx_append(&buf, &d);
	assert_verdict(run("retrieved_and_finished"), VERDICT_FAIL,
		       "no device was preserved");
	for (size_t i = 0; i < sizeof(not_exercised) / sizeof(*not_exercised); i++) {
		const struct rule_result *r = verify_find_rule(&result, not_exercised[i]);

		cr_assert_not_null(r, "no rule %s", not_exercised[i]);
		assert_verdict(r, VERDICT_NOT_EXERCISED, "no device was preserved");
	}
}

VTest(empty_log_passes_nothing)
{
	fx_header(&buf);
	run("log_intact");
	for (size_t i = 0; i < result.nrules; i++)
		cr_assert_neq(result.rules[i].verdict, VERDICT_PASS,
			      "%s: PASS on a log with no record", result.rules[i].rule);
}

VTest(device_without_stage_two_is_no_reset_or_fault_pass)
{
	build(&(struct scenario){ .no_stage2 = true });
	assert_not_pass(run("no_reset_before_enable"), "the trace has no stage 2");
	assert_not_pass(verify_find_rule(&result, "no_iommu_fault"), "the trace has no stage 2");
}

/* ---- dma_kept_running ---- */

#define KEPT_RUNNING .keep_running = { true, true }, .dma_in_flight = { true, true }, \
		     .dma_check = { 1, 1 }

VTest(dma_kept_running_passes_with_the_whole_proof)
{
	build(&(struct scenario){ KEPT_RUNNING });
	assert_verdict(run("dma_kept_running"), VERDICT_PASS,
		       "0000:02:00.0: kept running from preserve to finish");
	cr_assert(has_evidence(verify_find_rule(&result, "dma_kept_running"),
			       "0000:01:00.0: the DMA in flight at the jump landed before the device was retrieved"));
}

VTest(dma_kept_running_not_exercised_without_such_a_device)
{
	build(&(struct scenario){ 0 });
	assert_verdict(run("dma_kept_running"), VERDICT_NOT_EXERCISED,
		       "no device was preserved to keep running");
	cr_assert(verify_find_rule(&result, "dma_kept_running")->allowed, "an opt-in mode nothing used");
}

/* The control run: the same DMA in flight, the device in the default mode. */
VTest(dma_kept_running_fails_for_dma_in_flight_on_a_default_device)
{
	build(&(struct scenario){ .dma_in_flight = { false, true }, .dma_check = { 0, 2 } });
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL,
		       "0000:02:00.0: DMA in flight at the jump");
	cr_assert(has_evidence(verify_find_rule(&result, "dma_kept_running"),
			       "preserved in the default mode"));
	cr_assert(has_evidence(verify_find_rule(&result, "dma_kept_running"),
			       "stage 1 vfio_pci_reset 0000:02:00.0 site=freeze"));
	cr_assert(has_evidence(verify_find_rule(&result, "dma_kept_running"),
			       "did not land"));
}

/* Events without flags (an older kernel): the DMA checked was lost all the same. */
VTest(dma_kept_running_mode_unknown_fails_on_a_loss_it_was_told_of)
{
	build(&(struct scenario){ .lu_flags_unknown = true, .dma_in_flight = { true, false },
				  .dma_check = { 2, 0 } });
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL,
		       "its preserve event carries no flags");
	cr_assert(has_evidence(verify_find_rule(&result, "dma_kept_running"),
			       "stage 1 pci_reset 0000:01:00.0 kind=flr"));
}

static void assert_disturbance_fails(uint16_t id, const char *name)
{
	build(&(struct scenario){ KEPT_RUNNING, .stage2_disturb = { 0, id } });
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL, name);
	cr_assert(has_evidence(verify_find_rule(&result, "dma_kept_running"),
			       "0000:02:00.0: preserved to keep running, but reset"));
}

VTest(dma_kept_running_fails_on_bus_master_cleared)
{
	assert_disturbance_fails(LT_EV_PCI_CLEAR_MASTER, "pci_clear_master");
}

VTest(dma_kept_running_fails_on_power_state_change)
{
	assert_disturbance_fails(LT_EV_PCI_POWER_STATE, "pci_power_state");
}

VTest(dma_kept_running_fails_on_pci_reset)
{
	assert_disturbance_fails(LT_EV_PCI_RESET, "pci_reset");
}

VTest(dma_kept_running_fails_on_a_command_write_without_bus_master)
{
	assert_disturbance_fails(LT_EV_PCI_CONFIG_WRITE, "pci_config_write");
}

/* The first enable writes Command with memory decode and bus mastering on. */
VTest(dma_kept_running_a_command_write_keeping_bus_master_is_no_stop)
{
	struct scenario sc = { KEPT_RUNNING };

	scenario_build(&buf, &sc);
	sc_add(&buf, 2, LT_EV_PCI_CONFIG_WRITE, 2900 * SC_MS, 0, 0x0107);
	assert_verdict(run("dma_kept_running"), VERDICT_PASS,
		       "0000:01:00.0: kept running from preserve to finish");
}

VTest(dma_kept_running_fails_on_a_freeze_reset)
{
	struct scenario sc = { KEPT_RUNNING };

	scenario_build(&buf, &sc);
	sc_add(&buf, 1, LT_EV_VFIO_RESET, 12000 * SC_MS + 5, 0, LT_RESET_SITE_FREEZE);
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL,
		       "stage 1 vfio_pci_reset 0000:01:00.0 site=freeze");
}

VTest(dma_kept_running_fails_when_not_landed)
{
	build(&(struct scenario){ .keep_running = { true, true }, .dma_in_flight = { true, true },
				  .dma_check = { 1, 2 } });
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL,
		       "0000:02:00.0: the DMA in flight at the jump did not land");
}

VTest(dma_kept_running_fails_when_not_retrieved_as_kept_running)
{
	build(&(struct scenario){ KEPT_RUNNING, .retrieve_not_kept = { true, false } });
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL,
		       "0000:01:00.0: preserved to keep running, but not retrieved as a device kept running");
}

VTest(dma_kept_running_needs_the_in_flight_marker)
{
	build(&(struct scenario){ .keep_running = { true, true }, .dma_in_flight = { true, false },
				  .dma_check = { 1, 1 } });
	assert_verdict(run("dma_kept_running"), VERDICT_NOT_EXERCISED,
		       "0000:02:00.0: no dma_in_flight marker in stage 1");
}

VTest(dma_kept_running_needs_the_landing_check)
{
	build(&(struct scenario){ .keep_running = { true, true }, .dma_in_flight = { true, true },
				  .dma_check = { 1, 0 } });
	assert_verdict(run("dma_kept_running"), VERDICT_NOT_EXERCISED,
		       "0000:02:00.0: no dma_landed or dma_not_landed marker in stage 2");
}

VTest(dma_kept_running_a_check_after_the_retrieve_proves_nothing)
{
	build(&(struct scenario){ KEPT_RUNNING, .dma_check_late = true });
	assert_verdict(run("dma_kept_running"), VERDICT_NOT_EXERCISED,
		       "the check came after the device's retrieve");
}

VTest(dma_kept_running_unseen_power_changes_are_not_exercised)
{
	build(&(struct scenario){ KEPT_RUNNING, .stage2_not_boot_traced = LT_BOOT_POWER_STATE });
	assert_verdict(run("dma_kept_running"), VERDICT_NOT_EXERCISED,
		       "pci:pci_power_state was not traced from boot");
}

VTest(dma_kept_running_without_stage2_is_not_exercised)
{
	build(&(struct scenario){ KEPT_RUNNING, .no_stage2 = true });
	assert_verdict(run("dma_kept_running"), VERDICT_NOT_EXERCISED,
		       "left running, not checked");
}

/* Without flags nobody can tell a device kept running from one that was not. */
VTest(dma_kept_running_mode_unknown_is_not_allowed_by_itself)
{
	const struct rule_result *r;

	build(&(struct scenario){ .lu_flags_unknown = true });
	r = run("dma_kept_running");
	assert_verdict(r, VERDICT_NOT_EXERCISED, "2 device(s) preserved with events that carry no flags");
	cr_assert(!r->allowed);
}

/* "Nothing used the mode" rests on events: a stage that lost some cannot say it. */
VTest(dma_kept_running_not_used_is_not_allowed_when_events_were_lost)
{
	const struct rule_result *r;

	build(&(struct scenario){ 0 });
	add_run_drops(2, 9, LT_LOSS_RING_BUFFER, 1);
	r = run("dma_kept_running");
	assert_verdict(r, VERDICT_NOT_EXERCISED, "stage 2 lost 1 event(s)");
	cr_assert(!r->allowed);
}

static void add_event(uint32_t stage, uint16_t id, uint64_t bt_ns, int d, int32_t arg,
		      int32_t ret)
{
	struct lt_record rec = fx_event(stage, id, bt_ns, sc_dev(d));

	rec.event.arg = arg;
	rec.event.ret = ret;
	rec.event.bus = (uint8_t)(d + 1);
	rec.event.token = (uint64_t)d + 1;
	fx_append(&buf, &rec);
}

VTest(dma_kept_running_fails_when_the_next_kernel_refuses_the_retrieve)
{
	build(&(struct scenario){ KEPT_RUNNING, .no_retrieve = { true, false } });
	add_event(2, LT_EV_VFIO_LU_RETRIEVE, 2000 * SC_MS, 0,
		  LT_LU_FLAGS_KNOWN | LT_LU_KEEP_RUNNING | LT_LU_NOIOMMU, -22);
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL,
		       "0000:01:00.0: preserved to keep running, but the next kernel refused its retrieve");
}

/* Once the VMM has the device back (first enable at 3.0), what it does is its own. */
VTest(dma_kept_running_the_users_own_writes_after_the_first_enable_are_no_stop)
{
	build(&(struct scenario){ KEPT_RUNNING });
	add_event(2, LT_EV_PCI_CONFIG_WRITE, 3500 * SC_MS, 0, 0x0003, 1);
	add_event(2, LT_EV_VFIO_RESET, 3600 * SC_MS, 1, LT_RESET_SITE_IOCTL, 0);
	assert_verdict(run("dma_kept_running"), VERDICT_PASS,
		       "0000:01:00.0: kept running from preserve to finish");
}

VTest(dma_kept_running_a_kernel_write_after_the_first_enable_still_counts)
{
	build(&(struct scenario){ KEPT_RUNNING });
	add_event(2, LT_EV_PCI_CONFIG_WRITE, 3500 * SC_MS, 0, 0x0003, 0);
	assert_verdict(run("dma_kept_running"), VERDICT_FAIL,
		       "stage 2 pci_config_write 0000:01:00.0 kernel where=0x0 size=0 value=0x3 (bus master off)");
}

VTest(dma_kept_running_a_contended_reset_did_nothing)
{
	build(&(struct scenario){ KEPT_RUNNING });
	add_event(2, LT_EV_VFIO_RESET, 1300 * SC_MS, 0, LT_RESET_SITE_HOT_RESET, -11);
	assert_verdict(run("dma_kept_running"), VERDICT_PASS,
		       "0000:01:00.0: kept running from preserve to finish");
}

/* A marker written after the jump began is no word about the jump. */
VTest(dma_kept_running_an_in_flight_marker_after_the_kexec_proves_nothing)
{
	build(&(struct scenario){ .keep_running = { true, true }, .dma_in_flight = { false, true },
				  .dma_check = { 1, 1 } });
	add_event(1, LT_EV_DMA_IN_FLIGHT, 12300 * SC_MS, 0, 0, 0);
	assert_verdict(run("dma_kept_running"), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: no dma_in_flight marker in stage 1");
}

VTest(dma_kept_running_without_a_finish_says_so)
{
	build(&(struct scenario){ KEPT_RUNNING, .no_finish = { true, false } });
	run("dma_kept_running");
	cr_assert(has_evidence(verify_find_rule(&result, "dma_kept_running"),
			       "0000:01:00.0: kept running from preserve to the end of the next stage's log"));
}
