// SPDX-License-Identifier: GPL-2.0
/* lutrace metrics: the Prometheus text, and files a scrape sees whole. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "man_page.h"
#include "output/atomic_file.h"
#include "output/metrics.h"
#include "output/prom_writer.h"
#include "scenario.h"
#include "verified.h"

/*
 * The exposition format as a scraper checks it: comments are HELP or TYPE,
 * each family's TYPE comes before its samples, a sample is
 * name{label="value",...} value, and no series appears twice.
 */
static void assert_exposition(const char *text)
{
	char *copy = strdup(text), *save = NULL, typed[64][80], seen[256][200];
	size_t ntyped = 0, nseen = 0;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[80], type[16], *value;
		size_t n;

		if (!strncmp(line, "# HELP ", 7))
			continue;
		if (sscanf(line, "# TYPE %79s %15s", name, type) == 2) {
			cr_assert(!strcmp(type, "gauge") || !strcmp(type, "counter"), "%s", line);
			cr_assert_lt(ntyped, 64);
			strcpy(typed[ntyped++], name);
			continue;
		}
		cr_assert_neq(line[0], '#', "stray comment: %s", line);
		n = strcspn(line, "{ ");
		cr_assert_lt(n, sizeof(name));
		memcpy(name, line, n);
		name[n] = '\0';
		cr_assert(ntyped && !strcmp(typed[ntyped - 1], name),
			  "sample of %s outside its family: %s", name, line);
		if (line[n] == '{')
			cr_assert(strstr(line, "\"} "), "labels not closed: %s", line);
		value = strrchr(line, ' ') + 1;
		cr_assert_eq(strspn(value, "-0123456789."), strlen(value), "not a number: %s", line);
		for (size_t i = 0; i < nseen; i++)
			cr_assert_neq(strncmp(seen[i], line, (size_t)(value - line)), 0,
				      "series twice: %s", line);
		cr_assert_lt(nseen, 256);
		snprintf(seen[nseen++], sizeof(seen[0]), "%.*s", (int)(value - line), line);
	}
	free(copy);
}

static const char *metrics_of(const struct scenario *sc, const struct verify_options *opt)
{
	scenario_build(&buf, sc);
	sc_join(&trace, &buf);
	verify_trace(&trace, opt, &result);
	metrics_write(capture_open(&cap), &trace, &result);
	capture_close(&cap);
	assert_exposition(cap.text);
	return cap.text;
}

#define MTest(name) Test(metrics, name, .fini = verified_fini)

MTest(clock_join_trust_per_placed_stage)
{
	const char *out = metrics_of(&(struct scenario){ 0 }, &(struct verify_options){ 0 });

	assert_has(out, "# TYPE lutrace_clock_trusted gauge\n");
	assert_has(out, "lutrace_clock_trusted{stage=\"2\"} 1\n");
	cr_assert_null(strstr(out, "lutrace_clock_trusted{stage=\"1\"}"),
		       "stage 1 is the reference: no join to trust");
}

MTest(stepped_wall_clock_makes_the_clock_untrusted)
{
	const char *out = metrics_of(&(struct scenario){ .stage2_wall_clock_step_ns = 60 * SC_SEC },
				     &(struct verify_options){ 0 });

	assert_has(out, "lutrace_clock_trusted{stage=\"2\"} 0\n");
}

MTest(blackout_and_phases_per_device_in_seconds)
{
	const char *out = metrics_of(&(struct scenario){ 0 }, &(struct verify_options){ 0 });

	assert_has(out, "# TYPE lutrace_blackout_seconds gauge\n");
	/* (14 + 2.0) - 12.001 s */
	assert_has(out, "lutrace_blackout_seconds{device=\"0000:01:00.0\",stage=\"1\"} 3.999\n");
	assert_has(out, "lutrace_blackout_seconds{device=\"0000:02:00.0\",stage=\"1\"} 3.999\n");
	assert_has(out, "lutrace_blackout_error_seconds{device=\"0000:01:00.0\",stage=\"1\"} 0.0\n");
	assert_has(out, "lutrace_phase_seconds{device=\"0000:01:00.0\",stage=\"1\",phase=\"preserve_to_freeze\"} 1.001\n");
	assert_has(out, "lutrace_phase_seconds{device=\"0000:01:00.0\",stage=\"1\",phase=\"kexec_to_boot\"} 1.8\n");
	assert_has(out, "lutrace_phase_seconds{device=\"0000:02:00.0\",stage=\"1\",phase=\"enable_to_finish\"} 1.0\n");
	assert_has(out, "lutrace_stages 2\n");
	assert_has(out, "lutrace_handovers 2\n");
}

MTest(every_rule_has_its_verdict_and_drops_count_per_stage)
{
	const char *out = metrics_of(&(struct scenario){ .no_retrieve = { false, true },
							 .stage1_drops = 5 },
				     &(struct verify_options){ .has_budget = true,
							       .budget_ns = 5000 * SC_MS });

	assert_has(out, "lutrace_verify_rule{rule=\"retrieved_and_finished\",verdict=\"PASS\"} 0\n"
			"lutrace_verify_rule{rule=\"retrieved_and_finished\",verdict=\"FAIL\"} 1\n"
			"lutrace_verify_rule{rule=\"retrieved_and_finished\",verdict=\"NOT_EXERCISED\"} 0\n");
	/* Events were lost: a rule that needs them does not PASS. */
	assert_has(out, "lutrace_verify_rule{rule=\"blackout_budget\",verdict=\"NOT_EXERCISED\"} 1\n");
	assert_has(out, "lutrace_verify_rule{rule=\"no_dropped_events\",verdict=\"FAIL\"} 1\n");
	assert_has(out, "lutrace_verify_failed_rules 2\n");
	assert_has(out, "# TYPE lutrace_dropped_events_total counter\n");
	/* Every cause, per stage, each its own series. */
	assert_has(out, "lutrace_dropped_events_total{stage=\"1\",cause=\"ring_buffer\"} 5\n"
			"lutrace_dropped_events_total{stage=\"1\",cause=\"log_full\"} 0\n"
			"lutrace_dropped_events_total{stage=\"1\",cause=\"marker_lost\"} 0\n"
			"lutrace_dropped_events_total{stage=\"1\",cause=\"kmsg_overrun\"} 0\n"
			"lutrace_dropped_events_total{stage=\"1\",cause=\"tracefs_overrun\"} 0\n"
			"lutrace_dropped_events_total{stage=\"1\",cause=\"short_sample\"} 0\n"
			"lutrace_dropped_events_total{stage=\"1\",cause=\"prog_recursion\"} 0\n");
	assert_has(out, "lutrace_dropped_events_total{stage=\"2\",cause=\"log_full\"} 0\n");
	/* Device 2 was never retrieved: its blackout runs to its first enable. */
	assert_has(out, "lutrace_blackout_seconds{device=\"0000:02:00.0\",stage=\"1\"} 4.999\n");
	cr_assert_null(strstr(out, "device=\"0000:02:00.0\",stage=\"1\",phase=\"boot_to_retrieve\""));
	assert_has(out, "lutrace_log_damage 0\n");
	assert_has(out, "# TYPE lutrace_trace_end_timestamp_seconds gauge\n");
}

MTest(not_exercised_rules_are_counted_beside_the_failed_ones)
{
	/*
	 * No budget, no open attempt and no device kept running: three rules
	 * NOT_EXERCISED, none FAIL.
	 */
	const char *out = metrics_of(&(struct scenario){ 0 }, &(struct verify_options){ 0 });

	assert_has(out, "lutrace_verify_rule{rule=\"handover_complete\",verdict=\"PASS\"} 1\n");
	assert_has(out, "lutrace_verify_rule{rule=\"stages_contiguous\",verdict=\"PASS\"} 1\n");
	assert_has(out, "lutrace_verify_rule{rule=\"blackout_budget\",verdict=\"NOT_EXERCISED\"} 1\n");
	assert_has(out, "lutrace_verify_failed_rules 0\n");
	assert_has(out, "# TYPE lutrace_verify_not_exercised_rules gauge\n");
	assert_has(out, "lutrace_verify_not_exercised_rules 3\n");
}

MTest(kernel_release_of_every_stage_as_an_info_metric)
{
	const char *out = metrics_of(&(struct scenario){ 0 }, &(struct verify_options){ 0 });

	assert_has(out, "# TYPE lutrace_kernel_info gauge\n");
	/* fx_anchor's releases: the kernel before and the one after. */
	assert_has(out, "lutrace_kernel_info{stage=\"1\",release=\"7.2.0-lutrace-stage1\"} 1\n"
			"lutrace_kernel_info{stage=\"2\",release=\"7.2.0-lutrace-stage2\"} 1\n");
}

MTest(update_start_is_the_first_freeze_on_the_wall_clock)
{
	/* fx_anchor: wall clock = 1700000000 s + BOOTTIME; first freeze 12.001 s. */
	const char *out = metrics_of(&(struct scenario){ 0 }, &(struct verify_options){ 0 });

	assert_has(out, "# TYPE lutrace_update_start_timestamp_seconds gauge\n");
	assert_has(out, "lutrace_update_start_timestamp_seconds{stage=\"1\"} 1700000012.001\n");
	cr_assert_null(strstr(out, "lutrace_update_start_timestamp_seconds{stage=\"2\"}"),
		       "stage 2 handed over to no stage: %s", out);
}

MTest(update_start_is_the_kexec_when_it_comes_first)
{
	const char *out = metrics_of(&(struct scenario){ .kexec_at_entry = true },
				     &(struct verify_options){ 0 });

	assert_has(out, "lutrace_update_start_timestamp_seconds{stage=\"1\"} 1700000011.998\n");
}

MTest(blackout_measured_tells_fast_from_unknown)
{
	/* Device 2 has no freeze in the log: its blackout is unknown, not 0. */
	const char *out = metrics_of(&(struct scenario){ .no_freeze = { false, true } },
				     &(struct verify_options){ 0 });

	assert_has(out, "# TYPE lutrace_blackout_measured gauge\n");
	assert_has(out, "lutrace_blackout_measured{device=\"0000:01:00.0\",stage=\"1\"} 1\n"
			"lutrace_blackout_measured{device=\"0000:02:00.0\",stage=\"1\"} 0\n");
	assert_has(out, "lutrace_blackout_seconds{device=\"0000:01:00.0\",stage=\"1\"} 3.999\n");
	cr_assert_null(strstr(out, "lutrace_blackout_seconds{device=\"0000:02:00.0\""), "%s", out);
}

MTest(no_next_stage_means_no_update_start_and_no_blackout_measured)
{
	const char *out = metrics_of(&(struct scenario){ .no_stage2 = true },
				     &(struct verify_options){ 0 });

	cr_assert_null(strstr(out, "lutrace_update_start_timestamp_seconds{"),
		       "an update the trace does not see arrive has no start: %s", out);
	assert_has(out, "lutrace_kernel_info{stage=\"1\",release=\"7.2.0-lutrace-stage1\"} 1\n");
	assert_has(out, "lutrace_blackout_measured{device=\"0000:01:00.0\",stage=\"1\"} 0\n"
			"lutrace_blackout_measured{device=\"0000:02:00.0\",stage=\"1\"} 0\n");
}

/* Every family lutrace metrics writes has its entry under METRICS in lutrace.8. */
MTest(every_metric_is_in_the_man_page)
{
	const char *out = metrics_of(&(struct scenario){ 0 }, &(struct verify_options){ 0 });
	char *man = man_page_read(NULL), *sect, *end, name[80];
	size_t n = 0;

	sect = strstr(man, "\n.SH METRICS\n");
	cr_assert_not_null(sect, "lutrace.8 has no METRICS section");
	end = strstr(sect + 1, "\n.SH ");
	if (end)
		*end = '\0';
	for (const char *p = strstr(out, "# TYPE "); p; p = strstr(p + 1, "# TYPE ")) {
		const char *hit = sect;
		size_t len;

		cr_assert_eq(sscanf(p, "# TYPE %79s", name), 1);
		len = strlen(name);
		/* The name itself, not the start of a longer one. */
		while ((hit = strstr(hit + 1, name)) && (hit[len] == '_' || (hit[len] >= 'a' && hit[len] <= 'z')))
			;
		cr_expect_not_null(hit, "%s has no entry under METRICS in lutrace.8", name);
		n++;
	}
	cr_expect_gt(n, 10);
	free(man);
}

MTest(an_empty_trace_still_says_so)
{
	scenario_build(&buf, &(struct scenario){ 0 });
	lt_trace_init(&trace);
	cr_assert_eq(lt_trace_finish(&trace, (char[64]){ 0 }, 64), 0);
	verify_trace(&trace, &(struct verify_options){ 0 }, &result);
	metrics_write(capture_open(&cap), &trace, &result);
	capture_close(&cap);
	assert_exposition(cap.text);
	assert_has(cap.text, "lutrace_stages 0\n");
	assert_has(cap.text, "lutrace_handovers 0\n");
	cr_assert_null(strstr(cap.text, "trace_end_timestamp_seconds 0"));
}

Test(prom_writer, escapes_and_seconds_without_rounding)
{
	struct prom_writer w;

	prom_init(&w, capture_open(&cap));
	prom_family(&w, "x_seconds", "gauge", "back\\slash and\nnewline \"quoted\"");
	prom_seconds(&w, (const char *const[]){ "dev", "a\"b\\c\nd", NULL }, 1);
	prom_seconds(&w, NULL, -1500000000);
	prom_seconds(&w, NULL, 0);
	prom_seconds(&w, NULL, 12000000000);
	/* A log's text that is not UTF-8 must not make the scraper drop the file. */
	prom_u64(&w, (const char *const[]){ "release", "7.2\xff-\xc3\xa9", NULL }, 1);
	prom_family(&w, "y_total", "counter", "h");
	prom_u64(&w, (const char *const[]){ "a", "1", "b", "2", NULL }, 18446744073709551615ull);
	cr_assert_str_eq(capture_close(&cap),
		"# HELP x_seconds back\\\\slash and\\nnewline \"quoted\"\n"
		"# TYPE x_seconds gauge\n"
		"x_seconds{dev=\"a\\\"b\\\\c\\nd\"} 0.000000001\n"
		"x_seconds -1.5\n"
		"x_seconds 0.0\n"
		"x_seconds 12.0\n"
		"x_seconds{release=\"7.2\xef\xbf\xbd-\xc3\xa9\"} 1\n"
		"# HELP y_total h\n"
		"# TYPE y_total counter\n"
		"y_total{a=\"1\",b=\"2\"} 18446744073709551615\n");
	free(cap.text);
	cap.text = NULL;
}

Test(atomic_file, readers_see_all_or_nothing)
{
	char dir[] = "/tmp/lutrace-atomic-XXXXXX", path[64], got[16] = "";
	struct atomic_file af;
	char err[256];
	FILE *f;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lutrace.prom", dir);
	fd = atomic_file_open(&af, path, err, sizeof(err));
	cr_assert_geq(fd, 0, "%s", err);
	cr_assert_eq(write(fd, "new", 3), 3);
	cr_assert_neq(access(path, F_OK), 0, "visible before the commit");
	cr_assert_eq(atomic_file_commit(&af, err, sizeof(err)), 0, "%s", err);
	f = fopen(path, "r");
	cr_assert_not_null(fgets(got, sizeof(got), f));
	fclose(f);
	cr_assert_str_eq(got, "new");
	cr_assert_neq(access(af.tmp, F_OK), 0, "the temporary file stays");

	fd = atomic_file_open(&af, path, err, sizeof(err));
	cr_assert_eq(write(fd, "half", 4), 4);
	atomic_file_abort(&af);
	f = fopen(path, "r");
	cr_assert_not_null(fgets(got, sizeof(got), f));
	fclose(f);
	cr_assert_str_eq(got, "new", "an abandoned write changes nothing");
	cr_assert_neq(access(af.tmp, F_OK), 0);

	unlink(path);
	rmdir(dir);
	cr_assert_eq(atomic_file_open(&af, "/nonexistent/dir/x.prom", err, sizeof(err)), -1);
	cr_assert(strstr(err, "/nonexistent/dir/x.prom.tmp: No such file"), "%s", err);
}
