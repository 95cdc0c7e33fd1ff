// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "analyze/rule_eval.h"
#include "scenario.h"

static struct log_buf buf;
static struct lt_trace trace;
static struct verify_result result;
static struct rule_file rules;
static struct verify_options opt;
static bool joined;

static void fini(void)
{
	verify_result_release(&result);
	rule_file_release(&rules);
	if (joined)
		lt_trace_release(&trace);
	joined = false;
	memset(&opt, 0, sizeof(opt));
}

#define ETest(name) Test(rule_eval, name, .fini = fini)

static void join(const struct scenario *sc)
{
	scenario_build(&buf, sc);
	sc_join(&trace, &buf);
	joined = true;
}

/* Judges the one rule of text over the joined trace; its result. */
static const struct rule_result *judge(const char *text)
{
	char err[256];

	cr_assert_eq(rule_file_parse("t.rules", text, strlen(text), &rules, err,
				     sizeof(err)), 0, "%s", err);
	verify_trace_rules(&trace, &rules, &opt, &result);
	cr_assert_eq(result.nrules, verify_nr_rules + rules.n);
	return &result.rules[verify_nr_rules];
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
	cr_assert_eq(r->verdict, v, "%s: %s, want %s (first evidence: %s)", r->rule,
		     verdict_name(r->verdict), verdict_name(v),
		     r->nevidence ? r->evidence[0] : "-");
	cr_assert(has_evidence(r, needle), "%s: no evidence line has \"%s\" (first: %s)",
		  r->rule, needle, r->nevidence ? r->evidence[0] : "-");
}

#define FREEZE_BEFORE_KEXEC \
	"f: for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec"

ETest(order_passes_citing_both_events)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge(FREEZE_BEFORE_KEXEC), VERDICT_PASS,
		       "0000:02:00.0: t=+1001.000001 ms stage 1 vfio_pci_liveupdate_freeze 0000:02:00.0");
	cr_assert_eq(result.failed, 0);
}

ETest(order_fails_citing_log_and_offset)
{
	join(&(struct scenario){ .kexec_at_entry = true });
	assert_verdict(judge(FREEZE_BEFORE_KEXEC), VERDICT_FAIL,
		       "the first kernel_kexec comes before the first vfio_pci_liveupdate_freeze dev=0000:01:00.0");
	cr_assert(has_evidence(&result.rules[verify_nr_rules], "stage 1 kernel_kexec [flight.log@"));
	cr_assert_eq(result.failed, 1);
	cr_assert(!verify_passed(&result));
}

ETest(order_without_its_second_event_is_not_exercised)
{
	join(&(struct scenario){ .no_kexec = true });
	assert_verdict(judge(FREEZE_BEFORE_KEXEC), VERDICT_NOT_EXERCISED,
		       "no kernel_kexec in the trace: nothing to order");
	cr_assert(!verify_passed(&result));
}

ETest(order_without_its_first_event_fails)
{
	join(&(struct scenario){ .no_freeze = { false, true } });
	assert_verdict(judge(FREEZE_BEFORE_KEXEC), VERDICT_FAIL,
		       "0000:02:00.0: kernel_kexec with no vfio_pci_liveupdate_freeze dev=0000:02:00.0 before it");
	cr_assert(!has_evidence(&result.rules[verify_nr_rules], "0000:01:00.0: kernel_kexec with"));
}

#define PRESERVE_THEN_RETRIEVE \
	"r: for every device: vfio_pci_liveupdate_retrieve dev=$dev after vfio_pci_liveupdate_preserve dev=$dev across the kexec"

ETest(across_the_kexec_passes)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge(PRESERVE_THEN_RETRIEVE), VERDICT_PASS,
		       ", then across the kexec t=+");
}

ETest(across_a_gap_is_not_exercised)
{
	join(&(struct scenario){ .stage2_number = 3 });
	assert_verdict(judge(PRESERVE_THEN_RETRIEVE), VERDICT_NOT_EXERCISED,
		       "but stage 2 is not in the trace");
}

ETest(in_the_same_stage_fails_across_stages)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge("s: for every device: vfio_pci_liveupdate_preserve dev=$dev before "
			     "vfio_pci_liveupdate_retrieve dev=$dev in the same stage"),
		       VERDICT_FAIL, "with no vfio_pci_liveupdate_preserve dev=0000:01:00.0 before it in stage 2");
}

#define ONE_REBOOT "c: exactly 1 liveupdate_reboot ret=0 per outgoing stage"

ETest(count_passes)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge(ONE_REBOOT), VERDICT_PASS,
		       "1 liveupdate_reboot ret=0 in stage 1 (want exactly 1)");
}

ETest(count_fails_with_the_count)
{
	join(&(struct scenario){ .reboot_ret = -16 });
	assert_verdict(judge(ONE_REBOOT), VERDICT_FAIL,
		       "0 liveupdate_reboot ret=0 in stage 1, want exactly 1");
}

ETest(count_too_many_cites_the_extra)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge("c: at most 1 vfio_pci_liveupdate_preserve"), VERDICT_FAIL,
		       "one too many: t=+10.000000 ms stage 1 vfio_pci_liveupdate_preserve 0000:02:00.0");
}

ETest(count_per_outgoing_stage_without_one_is_not_exercised)
{
	join(&(struct scenario){ .no_stage2 = true });
	assert_verdict(judge(ONE_REBOOT), VERDICT_NOT_EXERCISED,
		       "no stage is followed by its next stage in the trace");
}

ETest(none_fails_citing_each)
{
	join(&(struct scenario){ .enable_with_reset = { false, true } });
	assert_verdict(judge("n: no vfio_pci_reset site=enable"), VERDICT_FAIL,
		       "found t=+6000.000001 ms stage 2 vfio_pci_reset 0000:02:00.0 site=enable ret=0 [flight.log@");
}

#define NO_RESET_WINDOW \
	"w: for every device: no vfio_pci_reset dev=$dev site!=freeze between " \
	"vfio_pci_liveupdate_freeze dev=$dev and vfio_pci_liveupdate_finish dev=$dev"

ETest(window_passes)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge(NO_RESET_WINDOW), VERDICT_PASS,
		       "0000:01:00.0: no vfio_pci_reset dev=0000:01:00.0 site!=freeze from t=+");
}

ETest(window_fails_on_the_device_that_was_reset)
{
	const struct rule_result *r;

	join(&(struct scenario){ .enable_with_reset = { false, true } });
	r = judge(NO_RESET_WINDOW);
	assert_verdict(r, VERDICT_FAIL, "0000:02:00.0: vfio_pci_reset dev=0000:02:00.0 site!=freeze between");
	cr_assert(has_evidence(r, "0000:01:00.0: no vfio_pci_reset"));
	cr_assert(!has_evidence(r, "0000:01:00.0: vfio_pci_reset dev="));
}

ETest(window_that_never_closes_is_not_exercised)
{
	join(&(struct scenario){ .no_finish = { true, false } });
	assert_verdict(judge(NO_RESET_WINDOW), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: the window opened by t=+");
}

#define RETRIEVE_TO_ENABLE(limit) \
	"l: for every device: latency from vfio_pci_liveupdate_retrieve dev=$dev " \
	"to vfio_pci_reset_skipped dev=$dev under " limit

ETest(latency_under_passes)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge(RETRIEVE_TO_ENABLE("1001 ms")), VERDICT_PASS,
		       "1000.000000 ms +- 0.000000 ms, under 1001.000000 ms");
}

ETest(latency_at_the_limit_fails)
{
	join(&(struct scenario){ 0 });
	assert_verdict(judge(RETRIEVE_TO_ENABLE("1 s")), VERDICT_FAIL,
		       "0000:01:00.0: 1000.000000 ms +- 0.000000 ms, not under 1000.000000 ms");
}

ETest(latency_without_its_end_is_not_exercised)
{
	join(&(struct scenario){ .enable_with_reset = { true, false } });
	assert_verdict(judge(RETRIEVE_TO_ENABLE("2 s")), VERDICT_NOT_EXERCISED,
		       "0000:01:00.0: not measurable: no vfio_pci_reset_skipped dev=0000:01:00.0 after");
}

/* Freeze (stage 1, axis 12.001 s) to retrieve (stage 2, axis 16 s): 3999 ms. */
#define FREEZE_TO_RETRIEVE(limit) \
	"b: for every device: latency from vfio_pci_liveupdate_freeze dev=$dev " \
	"to vfio_pci_liveupdate_retrieve dev=$dev under " limit

static void clock_error_10ms(void)
{
	join(&(struct scenario){ 0 });
	trace.stages[1].clock.error_ns = 10 * SC_MS;
}

ETest(latency_whose_error_straddles_the_limit_is_never_pass)
{
	clock_error_10ms();
	assert_verdict(judge(FREEZE_TO_RETRIEVE("4005 ms")), VERDICT_NOT_EXERCISED,
		       "3999.000000 ms +- 10.000000 ms straddles the limit of 4005.000000 ms");
}

ETest(latency_under_the_limit_by_more_than_the_error_passes)
{
	clock_error_10ms();
	assert_verdict(judge(FREEZE_TO_RETRIEVE("4010 ms")), VERDICT_PASS,
		       "3999.000000 ms +- 10.000000 ms, under 4010.000000 ms");
}

ETest(latency_over_the_limit_by_the_error_fails)
{
	clock_error_10ms();
	assert_verdict(judge(FREEZE_TO_RETRIEVE("3989 ms")), VERDICT_FAIL,
		       "3999.000000 ms +- 10.000000 ms, not under 3989.000000 ms");
}

ETest(a_pass_on_a_trace_that_lost_events_is_not_exercised)
{
	join(&(struct scenario){ .stage1_drops = 3 });
	assert_verdict(judge(ONE_REBOOT), VERDICT_NOT_EXERCISED, "stage 1 lost 3 event(s)");
}

ETest(not_exercised_allowed_by_its_bit)
{
	join(&(struct scenario){ .no_kexec = true });
	opt.allow_not_exercised = 1ull << verify_nr_rules;
	opt.has_budget = true;
	opt.budget_ns = 5000 * SC_MS;
	cr_assert_eq(judge(FREEZE_BEFORE_KEXEC)->verdict, VERDICT_NOT_EXERCISED);
	cr_assert(result.rules[verify_nr_rules].allowed);
}

static void add_marker(uint32_t stage, uint64_t bt, const char *text)
{
	struct lt_record r = fx_event(stage, LT_EV_MARKER, bt, NULL);

	snprintf(r.event.text, sizeof(r.event.text), "%s", text);
	fx_append(&buf, &r);
}

ETest(markers_by_text)
{
	scenario_build(&buf, &(struct scenario){ .no_stage2 = true });
	add_marker(1, 12300 * SC_MS, "guest paused");
	add_marker(1, 12400 * SC_MS, "guest resumed");
	sc_join(&trace, &buf);
	joined = true;
	static const char text[] = "a: marker text~resumed after marker text=\"guest paused\"\n"
				   "b: marker text~paused after marker text~resumed\n";
	char err[256];

	cr_assert_eq(rule_file_parse("t.rules", text, strlen(text), &rules, err,
				     sizeof(err)), 0, "%s", err);
	verify_trace_rules(&trace, &rules, &opt, &result);
	assert_verdict(&result.rules[verify_nr_rules], VERDICT_PASS, "t=+1300.000000 ms stage 1 marker guest paused [flight.log@");
	assert_verdict(&result.rules[verify_nr_rules + 1], VERDICT_FAIL,
		       "the first marker text~\"paused\" comes before the first marker text~\"resumed\"");
}

ETest(every_device_without_a_handover_is_not_exercised)
{
	struct lt_record a = fx_anchor(1, 0x11, 10 * SC_SEC, 1000 * SC_SEC, SC_SEC);

	fx_header(&buf);
	fx_append(&buf, &a);
	add_marker(1, 11 * SC_SEC, "nothing preserved");
	sc_join(&trace, &buf);
	joined = true;
	assert_verdict(judge(FREEZE_BEFORE_KEXEC), VERDICT_NOT_EXERCISED,
		       "no device was handed over in the trace");
}
