// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/verify.h"
#include "capture.h"
#include "json_check.h"
#include "output/html.h"
#include "output/perfetto.h"
#include "output/report_json.h"
#include "output/report_text.h"
#include "output/verify_print.h"
#include "record/marker_source.h"
#include "scenario.h"

static struct log_buf buf;
static struct lt_trace trace;
static struct capture cap;

static void fini(void)
{
	lt_trace_release(&trace);
	free(cap.text);
	cap.text = NULL;
}

static const char *text_report(bool verbose)
{
	struct report_options opt = { .verbose = verbose };

	fini();	/* a test may report twice */
	sc_join(&trace, &buf);
	report_print_text(capture_open(&cap), &trace, &opt);
	return capture_close(&cap);
}

static const char *json_report(void)
{
	struct json_writer w;
	long bad = 0, lines;

	fini();
	sc_join(&trace, &buf);
	jw_init(&w, capture_open(&cap));
	report_print_json(&w, &trace);
	lines = json_lines_check(capture_close(&cap), &bad);
	cr_assert_gt(lines, 0, "JSON line %ld is not valid:\n%s", bad, cap.text);
	return cap.text;
}

static void assert_has(const char *text, const char *needle)
{
	cr_assert(strstr(text, needle), "missing \"%s\" in:\n%s", needle, text);
}

#define RTest(name) Test(report, name, .fini = fini)

RTest(text_has_stages_timelines_phases_and_drops)
{
	const char *out;

	scenario_build(&buf, &(struct scenario){ 0 });
	out = text_report(false);
	assert_has(out, "stage 2  boot 22222222222222222222222222222222  7.2.0-lutrace-stage2");
	assert_has(out, "booted at axis 14000.000000 ms +- 0.000000 ms (by tsc)");
	assert_has(out, "Timeline: 0000:01:00.0");
	assert_has(out, "Timeline: (no device)");
	/* t=0 is the first event, the preserve of device 0 at 11 s. */
	assert_has(out, "     0.000000      1  vfio_pci_liveupdate_preserve   token=1 ret=0");
	assert_has(out, "  5000.000000      2  vfio_pci_liveupdate_retrieve   token=1 ret=0");
	/* preserve->freeze 1001, freeze->kexec 199, kexec->boot 1800,
	 * boot->retrieve 2000, retrieve->enable 1000, enable->finish 1000 */
	assert_has(out, "  0000:01:00.0      1      1001.000000       199.000000      1800.000000      2000.000000      1000.000000      1000.000000      3999.000000 0.000000");
	assert_has(out, "Lost events: 0 (ring_buffer 0, log_full 0, marker_lost 0, kmsg_overrun 0, tracefs_overrun 0, short_sample 0, prog_recursion 0)\n");
	/* Mappings are noise unless -v. */
	cr_assert_null(strstr(out, "iommu_map"));
	cr_assert(strstr(text_report(true), "iommu_map"));
}

RTest(a_clock_join_that_cannot_be_trusted_says_so)
{
	const char *out;

	scenario_build(&buf, &(struct scenario){ .stage2_wall_clock_step_ns = 60 * SC_SEC });
	out = text_report(false);
	assert_has(out, "booted at axis 14000.000000 ms +- 0.000000 ms (by tsc, NOT TRUSTED)");
	assert_has(out, "note: TSC puts 2.850 s between the stages' anchors, REALTIME 62.850 s");
	out = json_report();
	assert_has(out, "\"stage\":2,");
	assert_has(out, "\"clock_trusted\":false,");
	assert_has(out, "\"clock_rate_error_ppb\":0,");
}

RTest(missing_milestones_show_as_dashes_and_nulls)
{
	const char *out;

	scenario_build(&buf, &(struct scenario){ .no_retrieve = { false, true },
						 .no_finish = { false, true } });
	out = text_report(false);
	/* Device 1: no retrieve, so blackout falls back to enable: 17.000001 - 12.001001 s. */
	assert_has(out, "  0000:02:00.0      1       991.000001       198.999999      1800.000000                -                -                -      4999.000000 0.000000");
	out = json_report();
	assert_has(out, "\"dev\":\"0000:02:00.0\",\"stage\":1,\"preserve_to_freeze_ns\":991000001,");
	assert_has(out, "\"boot_to_retrieve_ns\":null,\"retrieve_to_enable_ns\":null,\"enable_to_finish_ns\":null,\"blackout_ns\":4999000000,");
}

RTest(json_lines_carry_every_record_type)
{
	const char *out;

	scenario_build(&buf, &(struct scenario){ .stage1_drops = 4 });
	buf.len -= 3;	/* tear the last record */
	out = json_report();
	cr_assert_eq(count_lines_with(out, "{\"type\":\"stage\""), 2);
	cr_assert_eq(count_lines_with(out, "{\"type\":\"event\""), trace.nevents);
	cr_assert_eq(count_lines_with(out, "{\"type\":\"phases\""), 2);
	cr_assert_eq(count_lines_with(out, "{\"type\":\"log_diag\""), 1);
	assert_has(out, "\"kind\":\"torn\"");
	assert_has(out, "\"dev\":\"0000:01:00.0\",\"stage\":1,\"preserve_to_freeze_ns\":1001000000,\"freeze_to_kexec_ns\":199000000,\"kexec_to_boot_ns\":1800000000,\"boot_to_retrieve_ns\":2000000000,\"retrieve_to_enable_ns\":1000000000,\"enable_to_finish_ns\":1000000000,\"blackout_ns\":3999000000,\"blackout_error_ns\":0,\"device_gap\":\"stopped\",\"device_gap_ns\":5001000000}");
	assert_has(out, "{\"type\":\"summary\",\"stages\":2,\"events\":");
	assert_has(out, "\"handovers\":2,\"log_diags\":1,\"dropped_events\":4,\"unwritten_events\":0,"
		   "\"lost\":{\"ring_buffer\":4,\"log_full\":0,\"marker_lost\":0,\"kmsg_overrun\":0,"
		   "\"tracefs_overrun\":0,\"short_sample\":0,\"prog_recursion\":0}}\n");
	assert_has(out, "\"dropped_events\":4,\"unwritten_events\":0,\"lost\":{\"ring_buffer\":4,"
		   "\"log_full\":0,\"marker_lost\":0,\"kmsg_overrun\":0,\"tracefs_overrun\":0,"
		   "\"short_sample\":0,\"prog_recursion\":0},\"recorder_runs\":1,\"drop_counter_reported\":true");
}

RTest(verify_json_is_json_lines_with_a_final_verdict)
{
	char line[320];
	struct verify_options opt = { .has_budget = true, .budget_ns = 1000 * SC_MS };
	struct verify_result r;
	struct json_writer w;
	long bad = 0;

	scenario_build(&buf, &(struct scenario){ 0 });
	sc_join(&trace, &buf);
	verify_trace(&trace, &opt, &r);
	jw_init(&w, capture_open(&cap));
	verify_print_json(&w, &trace, &r);
	cr_assert_eq(json_lines_check(capture_close(&cap), &bad), (long)verify_nr_rules + 1,
		     "line %ld", bad);
	assert_has(cap.text, "{\"type\":\"rule\",\"rule\":\"blackout_budget\",\"verdict\":\"FAIL\"");
	snprintf(line, sizeof(line), "{\"type\":\"verdict\",\"verdict\":\"FAIL\",\"rules\":%zu,\"failed\":1,\"not_exercised\":2,\"not_exercised_allowed\":1,\"dropped_events\":0,\"unwritten_events\":0,"
		 "\"lost\":{\"ring_buffer\":0,\"log_full\":0,\"marker_lost\":0,\"kmsg_overrun\":0,"
		 "\"tracefs_overrun\":0,\"short_sample\":0,\"prog_recursion\":0}}\n",
		 verify_nr_rules);
	assert_has(cap.text, line);
	verify_result_release(&r);
}

RTest(verify_text_shows_failing_evidence_and_the_drop_count)
{
	char line[160];
	struct verify_options opt = { 0 };
	struct verify_result r;

	scenario_build(&buf, &(struct scenario){ .no_retrieve = { true, false } });
	sc_join(&trace, &buf);
	verify_trace(&trace, &opt, &r);
	verify_print_text(capture_open(&cap), &trace, &r, false);
	capture_close(&cap);
	assert_has(cap.text, "FAIL           retrieved_and_finished");
	assert_has(cap.text, "- 0000:01:00.0: never retrieved in stage 2");
	assert_has(cap.text, "NOT_EXERCISED  other_opens_blocked");
	assert_has(cap.text, "lost events: 0 (ring_buffer 0, log_full 0, marker_lost 0, kmsg_overrun 0, tracefs_overrun 0, short_sample 0, prog_recursion 0)\n");
	/*
	 * No budget, no open attempt: two rules NOT_EXERCISED, and said so;
	 * the keep-running one, which no device used, allows itself.
	 */
	snprintf(line, sizeof(line),
		 "verdict: FAIL (1 of %zu rules failed, 3 not exercised, 1 of them allowed)\n",
		 verify_nr_rules);
	assert_has(cap.text, line);
	/* Passing evidence is left out without -v. */
	cr_assert_null(strstr(cap.text, "no event dropped"));
	verify_result_release(&r);
}

/* The DMA test's milestones, as lu_vfio writes them to trace_marker. */
static void add_marker(uint32_t stage, uint64_t bt_ns, const char *line)
{
	struct lt_record r = { .type = LT_REC_EVENT };

	marker_text_to_event(line, bt_ns, stage, &r.event);
	fx_append(&buf, &r);
}

RTest(milestones_are_on_their_device_timeline)
{
	const char *out;

	scenario_build(&buf, &(struct scenario){ 0 });
	add_marker(1, 11 * SC_SEC + 5 * SC_MS, "lutrace: preserved dev=0000:01:00.0 session=vm token=1");
	add_marker(1, 11 * SC_SEC + 6 * SC_MS, "lutrace: dma_verified dev=0000:01:00.0 bytes=4096");
	add_marker(2, 2 * SC_SEC + 1 * SC_MS, "lutrace: retrieved dev=0000:02:00.0 session=vm token=2\n");
	out = text_report(false);
	assert_has(out, "Timeline: 0000:01:00.0\n          t (ms)  stage  event                          detail\n"
		   "        0.000000      1  vfio_pci_liveupdate_preserve   token=1 ret=0 flags=none\n"
		   "        5.000000      1  marker                         preserved dev=0000:01:00.0 session=vm token=1\n"
		   "        6.000000      1  marker                         dma_verified dev=0000:01:00.0 bytes=4096\n");
	assert_has(out, "  5001.000000      2  marker                         retrieved dev=0000:02:00.0 session=vm token=2\n");
	out = json_report();
	assert_has(out, "\"event\":\"marker\",\"dev\":\"0000:02:00.0\",\"domain\":0,\"bus\":0,\"devfn\":0,\"session\":\"vm\",\"compatible\":\"\",\"token\":\"2\",");
}

/* jq and JavaScript round integers past 2^53: those are strings, exact. */
RTest(json_events_are_lossless_and_big_integers_exact)
{
	struct lt_record map, file;
	const char *out;

	scenario_build(&buf, &(struct scenario){ 0 });
	map = fx_event(1, LT_EV_IOMMU_MAP, 11 * SC_SEC + 7 * SC_MS, "");
	map.event.iova = 0xfffffffffffff001ull;
	map.event.phys = 0x123456789abcdef1ull;
	map.event.size = 4096;
	map.event.pid = 4242;
	fx_append(&buf, &map);
	file = fx_event(1, LT_EV_LU_FILE_PRESERVE, 11 * SC_SEC + 8 * SC_MS, "");
	file.event.token = UINT64_MAX;
	file.event.nr_sessions = 3;
	fx_append(&buf, &file);
	add_marker(1, 11 * SC_SEC + 9 * SC_MS, "lutrace: dma_verified dev=0000:01:00.0 bytes=4096");
	out = json_report();
	assert_has(out, "\"event\":\"iommu_map\"");
	assert_has(out, "\"iova\":\"18446744073709547521\",\"phys\":\"1311768467463790321\",\"size\":\"4096\"");
	assert_has(out, "\"pid\":4242");
	assert_has(out, "\"token\":\"18446744073709551615\"");
	assert_has(out, "\"nr_sessions\":3");
	assert_has(out, "\"text\":\"dma_verified dev=0000:01:00.0 bytes=4096\"");
	assert_has(out, "\"realtime_offset_ns\":\"");
}

/*
 * A crafted log whose times are all ones the reader takes (below 2^62) but
 * whose anchors put stage 2 146 years before stage 1: stage offsets, axis
 * times and the differences the report and exports take of them would
 * overflow int64_t. Stage 2 is put at 73 years, and everything renders.
 */
RTest(stages_the_anchors_put_centuries_apart_still_render)
{
	uint64_t late = LT_TIME_LIMIT_NS - 1;
	struct lt_record s1 = fx_anchor(1, 0x11, 0, 0, 0);
	struct lt_record s2 = fx_anchor(2, 0x22, late, 0, 0);
	struct verify_result result;
	const char *out;

	s1.anchor.realtime_ns = late;
	s2.anchor.realtime_ns = 0;
	fx_header(&buf);
	fx_append(&buf, &s1);
	sc_add(&buf, 1, LT_EV_VFIO_LU_PRESERVE, late - 2, 0, 0);
	sc_add(&buf, 1, LT_EV_VFIO_LU_FREEZE, late - 1, 0, 0);
	fx_append(&buf, &s2);
	sc_add(&buf, 2, LT_EV_VFIO_LU_RETRIEVE, 0, 0, 0);
	sc_add(&buf, 2, LT_EV_VFIO_LU_FINISH, 1, 0, 0);
	out = text_report(true);
	assert_has(out, "over 73 years from the first stage");
	assert_has(out, "booted at axis -2305843009213.693952 ms");
	json_report();
	free(cap.text);
	export_perfetto(capture_open(&cap), &trace);
	capture_close(&cap);
	cr_assert(json_valid(cap.text, cap.len), "%s", cap.text);
	free(cap.text);
	verify_trace(&trace, &(struct verify_options){ 0 }, &result);
	export_html(capture_open(&cap), &trace, &result);
	capture_close(&cap);
	assert_has(cap.text, "blackout");
	verify_result_release(&result);
}
