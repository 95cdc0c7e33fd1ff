// SPDX-License-Identifier: GPL-2.0
/* lutrace export: Perfetto trace JSON and the HTML report. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/verify.h"
#include "capture.h"
#include "json_check.h"
#include "output/html.h"
#include "output/perfetto.h"
#include "scenario.h"
#include "verified.h"

/* One trace event as the writer lays it out: name, ph, pid, tid first. */
struct pf_event {
	char name[64];
	char ph;
	unsigned int pid;
	int tid;
	double ts;	/* -1 for metadata */
	const char *text;	/* its object, up to the next event */
};

#define MAX_PF 128

/* The objects of traceEvents: each starts {"name": after '[' or ','. */
static size_t pf_events(const char *json, struct pf_event *out)
{
	size_t n = 0;

	for (const char *p = strstr(json, "{\"name\":\""); p; p = strstr(p + 1, "{\"name\":\"")) {
		const char *ts;

		if (p[-1] != '[' && p[-1] != ',')
			continue;	/* a process/thread name in args */
		cr_assert_lt(n, MAX_PF);
		cr_assert_eq(sscanf(p, "{\"name\":\"%63[^\"]\",\"ph\":\"%c\",\"pid\":%u,\"tid\":%d",
				    out[n].name, &out[n].ph, &out[n].pid, &out[n].tid), 4, "%.80s", p);
		ts = strstr(p, "\"ts\":");
		out[n].ts = out[n].ph == 'M' ? -1 : strtod(ts + 5, NULL);
		out[n].text = p;
		n++;
	}
	return n;
}

static const char *perfetto_of(const struct scenario *sc)
{
	scenario_build(&buf, sc);
	sc_add(&buf, 2, LT_EV_MARKER, 4500 * SC_MS, -1, 0);
	sc_join(&trace, &buf);
	export_perfetto(capture_open(&cap), &trace);
	capture_close(&cap);
	cr_assert(json_valid(cap.text, cap.len), "not JSON:\n%s", cap.text);
	return cap.text;
}

static size_t count(const struct pf_event *ev, size_t n, char ph, unsigned int pid,
		    int tid, const char *name)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ev[i].ph == ph && (!pid || ev[i].pid == pid) &&
		     (tid < 0 || ev[i].tid == tid) && (!name || !strcmp(ev[i].name, name));
	return c;
}

static const struct pf_event *find(const struct pf_event *ev, size_t n, char ph,
				   unsigned int pid, int tid, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (ev[i].ph == ph && ev[i].pid == pid && ev[i].tid == tid &&
		    !strcmp(ev[i].name, name))
			return &ev[i];
	cr_assert_fail("no %c %s on %u/%d", ph, name, pid, tid);
	return NULL;
}

#define ETest(name) Test(export, name, .fini = verified_fini)

ETest(perfetto_names_a_process_per_stage_and_a_track_per_device)
{
	const char *out = perfetto_of(&(struct scenario){ 0 });
	static struct pf_event ev[MAX_PF];
	size_t n = pf_events(out, ev);
	const int dev0 = PERFETTO_TID_FIRST_DEVICE, dev1 = PERFETTO_TID_FIRST_DEVICE + 1;

	assert_has(out, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[");
	assert_has(out, "\"pid\":1,\"tid\":0,\"args\":{\"name\":\"stage 1: 7.2.0-lutrace-stage1 boot "
			"11111111111111111111111111111111\"}");
	assert_has(out, "\"pid\":2,\"tid\":0,\"args\":{\"name\":\"stage 2: 7.2.0-lutrace-stage2 boot "
			"22222222222222222222222222222222\"}");
	cr_assert_eq(count(ev, n, 'M', 0, 0, "process_name"), 2);
	assert_has(out, "\"pid\":1,\"tid\":3,\"args\":{\"name\":\"0000:01:00.0\"}");
	assert_has(out, "\"pid\":2,\"tid\":4,\"args\":{\"name\":\"0000:02:00.0\"}");
	assert_has(out, "\"pid\":1,\"tid\":1,\"args\":{\"name\":\"sessions / LUO\"}");
	assert_has(out, "\"pid\":2,\"tid\":2,\"args\":{\"name\":\"markers\"}");
	/* Stage 1 had no marker: no empty markers track. */
	cr_assert_null(strstr(out, "\"pid\":1,\"tid\":2,\"args\":{\"name\":\"markers\"}"));
	/* 3 tracks in stage 1 (sessions, 2 devices), 4 in stage 2 (+ markers). */
	cr_assert_eq(count(ev, n, 'M', 0, -1, "thread_name"), 7);

	/* Six phases, a blackout and a device gap per device. */
	cr_assert_eq(count(ev, n, 'X', 0, dev0, NULL), 8);
	cr_assert_eq(count(ev, n, 'X', 0, dev1, NULL), 8);
	cr_assert_eq(count(ev, n, 'X', 1, dev0, NULL), 5, "up to the boot: stage 1");
	cr_assert_eq(count(ev, n, 'X', 1, dev0, "device gap"), 1);
	cr_assert_eq(count(ev, n, 'X', 2, dev0, NULL), 3, "from the boot: stage 2");
	cr_assert_eq(count(ev, n, 'i', 0, -1, NULL), trace.nevents);
	cr_assert_eq(count(ev, n, 'i', 2, PERFETTO_TID_MARKERS, "marker"), 1);
	cr_assert_eq(count(ev, n, 'i', 1, PERFETTO_TID_SESSIONS, "kernel_kexec"), 1);
	cr_assert_eq(count(ev, n, 'i', 2, dev1, "vfio_pci_liveupdate_retrieve"), 1);
}

ETest(perfetto_times_are_microseconds_on_the_shared_axis_in_order)
{
	const char *out = perfetto_of(&(struct scenario){ 0 });
	static struct pf_event ev[MAX_PF];
	size_t n = pf_events(out, ev);
	const int dev0 = PERFETTO_TID_FIRST_DEVICE;
	double last = -1;

	/* Stage 1 BOOTTIME is the axis; stage 2's zero is 14 s on it. */
	assert_has(find(ev, n, 'X', 1, dev0, "preserve->freeze")->text,
		   "\"ts\":11000000.000,\"dur\":1001000.000,");
	assert_has(find(ev, n, 'X', 1, dev0, "kexec->boot")->text,
		   "\"ts\":12200000.000,\"dur\":1800000.000,");
	assert_has(find(ev, n, 'X', 2, dev0, "boot->retrieve")->text,
		   "\"ts\":14000000.000,\"dur\":2000000.000,");
	assert_has(find(ev, n, 'X', 1, dev0, "blackout")->text,
		   "\"ts\":12001000.000,\"dur\":3999000.000,\"args\":{\"dev\":\"0000:01:00.0\","
		   "\"from_stage\":1,\"duration_ns\":3999000000,\"error_ns\":0}");
	assert_has(find(ev, n, 'i', 2, dev0, "vfio_pci_liveupdate_retrieve")->text,
		   "\"ts\":16000000.000,\"args\":{\"t_ns\":5000000000,\"axis_ns\":\"16000000000\",");
	/* Stage 2's events in its own BOOTTIME, too. */
	assert_has(find(ev, n, 'i', 2, dev0, "vfio_pci_liveupdate_retrieve")->text,
		   "\"boottime_ns\":\"2000000000\",");
	for (size_t i = 0; i < n; i++) {
		if (ev[i].ph == 'M') {
			cr_assert_eq(last, -1, "metadata after an event");
			continue;
		}
		cr_assert_geq(ev[i].ts, last, "%s at %f after %f", ev[i].name, ev[i].ts, last);
		last = ev[i].ts;
	}
}

ETest(perfetto_of_an_empty_trace_is_still_json)
{
	lt_trace_init(&trace);
	cr_assert_eq(lt_trace_finish(&trace, (char[64]){ 0 }, 64), 0);
	export_perfetto(capture_open(&cap), &trace);
	capture_close(&cap);
	cr_assert(json_valid(cap.text, cap.len), "%s", cap.text);
	cr_assert_str_eq(cap.text, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[]}\n");
}

/* The HTML of the log in buf. */
static const char *html_of(const struct verify_options *opt)
{
	sc_join(&trace, &buf);
	verify_trace(&trace, opt, &result);
	export_html(capture_open(&cap), &trace, &result);
	return capture_close(&cap);
}

#define HOSTILE_DEV "<b>&\"x'</b>"
#define HOSTILE_SESSION "<script>alert(1)</script>"

ETest(html_escapes_what_comes_from_the_log)
{
	struct lt_record dev = fx_event(2, LT_EV_PCI_RESET, 3500 * SC_MS, HOSTILE_DEV);
	struct lt_record sess = fx_event(1, LT_EV_LU_SESSION_CREATE, 10500 * SC_MS, NULL);
	const char *out;

	scenario_build(&buf, &(struct scenario){ 0 });
	snprintf(sess.event.session, sizeof(sess.event.session), "%s", HOSTILE_SESSION);
	fx_append(&buf, &sess);
	fx_append(&buf, &dev);
	out = html_of(&(struct verify_options){ 0 });
	cr_assert_null(strstr(out, "<b>"), "%s", out);
	cr_assert_null(strstr(out, "<script"), "%s", out);
	assert_has(out, "<h3>&lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;</h3>");
	assert_has(out, "session=&lt;script&gt;alert(1)&lt;/script&gt;");
	/* Self-contained: nothing fetched, nothing run. */
	cr_assert_null(strstr(out, "src="));
	cr_assert_null(strstr(out, "href="));
	assert_has(out, "<style>");
}

ETest(html_has_every_verdict_the_phase_table_and_timelines)
{
	const char *out;
	char row[256], line[128];

	scenario_build(&buf, &(struct scenario){ .no_retrieve = { false, true } });
	out = html_of(&(struct verify_options){ .has_budget = true,
						      .budget_ns = 5000 * SC_MS });
	cr_assert_eq(result.nrules, verify_nr_rules);
	for (size_t i = 0; i < result.nrules; i++) {
		const char *v = verdict_name(result.rules[i].verdict);

		snprintf(row, sizeof(row), "<tr class=\"%s\"><td>%s</td><td>%s</td>", v, v,
			 result.rules[i].rule);
		assert_has(out, row);
	}
	snprintf(line, sizeof(line),
		 "<h2>Verify: FAIL (1 of %zu rules failed, 2 not exercised, 1 of them allowed)</h2>",
		 verify_nr_rules);
	assert_has(out, line);
	assert_has(out, "<tr class=\"FAIL\"><td>FAIL</td><td>retrieved_and_finished</td>");
	assert_has(out, "<li><code>0000:02:00.0: never retrieved in stage 2");
	/* Same numbers as report: blackout 3999 ms, error 0; device 2 to its enable. */
	assert_has(out, "<tr><td>0000:01:00.0</td><td>1</td><td>1001.000000</td>");
	/* the device gap: from the freeze-time reset (11.999) to the first enable (17.0) */
	assert_has(out, "<td>3999.000000</td><td>0.000000</td><td>5001.000000</td><td>stopped</td></tr>");
	assert_has(out, "<td>4999.000000</td><td>0.000000</td><td>5001.000000</td><td>stopped</td></tr>");
	/* To scale: preserve 11 s to finish 18 s; blackout from 12.001 s. */
	assert_has(out, "<div class=\"p0\" style=\"left:0.000%;width:14.300%\" "
			"title=\"preserve-&gt;freeze 1001.000000 ms\">preserve-&gt;freeze</div>");
	assert_has(out, "<div class=\"blackout\" style=\"left:14.300%;width:57.129%\"");
	assert_has(out, "<h3>0000:01:00.0</h3>");
	assert_has(out, "<h3>(no device)</h3>");
	assert_has(out, "<td>vfio_pci_liveupdate_freeze</td>");
	assert_has(out, "</body></html>\n");
}
