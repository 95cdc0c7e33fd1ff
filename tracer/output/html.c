// SPDX-License-Identifier: GPL-2.0
#include "output/html.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/device_gap.h"
#include "analyze/devices.h"
#include "analyze/evidence_text.h"
#include "analyze/handover.h"
#include "log/event_names.h"
#include "output/verify_print.h"

static void html_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void html_cell(FILE *out, const char *s)
{
	fputs("<td>", out);
	html_text(out, s);
	fputs("</td>", out);
}

static void html_ms_cell(FILE *out, bool have, int64_t ns)
{
	char ms[32];

	format_ms(ns, ms, sizeof(ms));
	html_cell(out, have ? ms : "-");
}

static const char html_style[] =
	"body{font-family:sans-serif;margin:2em;color:#222}"
	"table{border-collapse:collapse;margin:0.5em 0 1.5em}"
	"td,th{border:1px solid #bbb;padding:2px 8px;text-align:left;vertical-align:top}"
	"td.num{text-align:right;font-family:monospace}"
	".PASS{background:#cfc}.FAIL{background:#fcc}.NOT_EXERCISED{background:#eee}"
	"ul{margin:0;padding-left:1.2em}code{font-size:90%}"
	".bar{position:relative;height:1.4em;background:#f4f4f4;margin:2px 0;width:100%}"
	".bar div{position:absolute;top:0;height:100%;overflow:hidden;font-size:75%;"
	"white-space:nowrap;border-right:1px solid #fff;box-sizing:border-box}"
	".p0{background:#9cf}.p1{background:#69c}.p2{background:#c9c}.p3{background:#fc9}"
	".p4{background:#9c9}.p5{background:#6c6}.blackout{background:#e66}"
	".gap{background:#c33;color:#fff}";

/* One slice of a device's bar, placed in percent of [t0, t1]. */
static void html_slice(FILE *out, const char *cls, const char *name,
		       int64_t from, int64_t to, int64_t t0, int64_t t1)
{
	double span = t1 > t0 ? (double)(t1 - t0) : 1;
	char ms[32];

	format_ms(to - from, ms, sizeof(ms));
	fprintf(out, "<div class=\"%s\" style=\"left:%.3f%%;width:%.3f%%\" title=\"",
		cls, 100.0 * (double)(from - t0) / span, 100.0 * (double)(to - from) / span);
	html_text(out, name);
	fprintf(out, " %s ms\">", ms);
	html_text(out, name);
	fputs("</div>", out);
}

/* Each handover's phases, and under them its blackout, to scale. */
static void html_bars(FILE *out, const struct lt_trace *t,
		      const struct handover_list *ho)
{
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		int64_t from, to, t0 = INT64_MAX, t1 = INT64_MIN, ns;
		struct device_gap g;
		uint64_t err;

		for (int p = 0; p < PH_NR_PHASES; p++) {
			if (!handover_phase_span(t, h, p, &from, &to))
				continue;
			t0 = from < t0 ? from : t0;
			t1 = to > t1 ? to : t1;
		}
		if (t0 > t1)
			continue;
		fputs("<p>", out);
		html_text(out, h->dev);
		fputs("</p>\n<div class=\"bar\">", out);
		for (int p = 0; p < PH_NR_PHASES; p++) {
			char cls[8];

			if (!handover_phase_span(t, h, p, &from, &to))
				continue;
			snprintf(cls, sizeof(cls), "p%d", p);
			html_slice(out, cls, handover_phase_name(p), from, to, t0, t1);
		}
		fputs("</div>\n<div class=\"bar\">", out);
		if (h->has_next_stage && handover_blackout(t, h, &ns, &err)) {
			from = t->events[h->at[HO_FREEZE]].axis_ns;
			html_slice(out, "blackout", "blackout", from, from + ns, t0, t1);
		}
		fputs("</div>\n<div class=\"bar\">", out);
		device_gap_of(t, h, &g);
		if (g.kind == GAP_STOPPED && device_gap_measured(&g)) {
			from = t->events[g.stopped_at].axis_ns;
			html_slice(out, "gap", "device gap", from, from + g.ns, t0, t1);
		}
		fputs("</div>\n", out);
	}
}

static void html_stages(FILE *out, const struct lt_trace *t)
{
	char id[33], off[32], err[32];

	fputs("<h2>Stages</h2>\n<table><tr><th>stage</th><th>boot id</th>"
	      "<th>kernel</th><th>booted at axis (ms)</th><th>+- (ms)</th>"
	      "<th>clock placed by</th></tr>\n", out);
	for (size_t s = 0; s < t->nstages; s++) {
		const struct lt_trace_stage *st = &t->stages[s];

		format_boot_id(st->boot_id, id);
		format_ms(st->clock.offset_ns, off, sizeof(off));
		format_ms((int64_t)st->clock.error_ns, err, sizeof(err));
		fprintf(out, "<tr><td>%u</td>", st->number);
		html_cell(out, id);
		html_cell(out, st->first_anchor.kernel_release);
		html_cell(out, off);
		html_cell(out, err);
		html_cell(out, clock_method_name(st->clock.method));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void html_verdicts(FILE *out, const struct verify_result *v)
{
	char summary[160];

	verify_summary(summary, sizeof(summary), v);
	fprintf(out, "<h2>Verify: %s</h2>\n"
		"<table><tr><th>verdict</th><th>rule</th><th>checks</th>"
		"<th>evidence</th></tr>\n",
		summary);
	for (size_t i = 0; i < v->nrules; i++) {
		const struct rule_result *r = &v->rules[i];

		fprintf(out, "<tr class=\"%s\">", verdict_name(r->verdict));
		html_cell(out, verdict_name(r->verdict));
		html_cell(out, r->rule);
		html_cell(out, r->checks);
		fputs("<td><ul>", out);
		for (size_t j = 0; j < r->nevidence; j++) {
			fputs("<li><code>", out);
			html_text(out, r->evidence[j]);
			fputs("</code></li>", out);
		}
		fputs("</ul></td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void html_phases(FILE *out, const struct lt_trace *t,
			const struct handover_list *ho)
{
	fputs("<h2>Phase latency and blackout (ms)</h2>\n<table><tr><th>device</th>"
	      "<th>stage</th>", out);
	for (int p = 0; p < PH_NR_PHASES; p++) {
		fputs("<th>", out);
		html_text(out, handover_phase_name(p));
		fputs("</th>", out);
	}
	fputs("<th>blackout</th><th>+-</th><th>device gap</th><th>device</th></tr>\n", out);
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		struct device_gap g;
		int64_t ns;
		uint64_t err = 0;
		bool have;

		fputs("<tr>", out);
		html_cell(out, h->dev);
		fprintf(out, "<td>%u</td>", t->stages[h->stage_out].number);
		for (int p = 0; p < PH_NR_PHASES; p++) {
			have = handover_phase_ns(t, h, p, &ns);
			html_ms_cell(out, have, ns);
		}
		have = h->has_next_stage && handover_blackout(t, h, &ns, &err);
		html_ms_cell(out, have, ns);
		html_ms_cell(out, have, (int64_t)err);
		device_gap_of(t, h, &g);
		html_ms_cell(out, device_gap_measured(&g), g.ns);
		html_cell(out, g.kind == GAP_KEPT_RUNNING ? "kept running" :
			       g.kind == GAP_STOPPED ? "stopped" : g.why);
		fputs("</tr>\n", out);
	}
	if (!ho->n)
		fputs("<tr><td colspan=\"12\">no device was preserved</td></tr>\n", out);
	fputs("</table>\n", out);
	html_bars(out, t, ho);
}

static void html_timelines(FILE *out, const struct lt_trace *t,
			   const struct device_names *d)
{
	char when[32], detail[320];

	fputs("<h2>Timelines (ms from the first event)</h2>\n", out);
	for (size_t k = 0; k <= d->n; k++) {
		const char *dev = k < d->n ? d->names[k] : "";
		const struct lt_trace_device *td = lt_trace_device_named(t, dev);

		fputs("<h3>", out);
		html_text(out, k < d->n ? dev : "(no device)");
		fputs("</h3>\n<table><tr><th>t (ms)</th><th>stage</th><th>event</th>"
		      "<th>detail</th></tr>\n", out);
		for (size_t p = 0; td && p < td->nevents; p++) {
			const struct lt_trace_event *e = &t->events[td->events[p]];

			format_ms(e->axis_ns - trace_origin_ns(t), when, sizeof(when));
			event_format_detail(&e->ev, detail, sizeof(detail));
			fputs("<tr><td class=\"num\">", out);
			html_text(out, when);
			fprintf(out, "</td><td>%u</td>", t->stages[e->stage].number);
			html_cell(out, event_name(e->ev.id));
			html_cell(out, detail);
			fputs("</tr>\n", out);
		}
		fputs("</table>\n", out);
	}
}

static void html_health(FILE *out, const struct lt_trace *t)
{
	char causes[256];

	format_losses(&t->lost, true, causes, sizeof(causes));
	fprintf(out, "<h2>Log health</h2>\n<p>Lost events: %llu (%s).</p>\n",
		(unsigned long long)lt_losses_total(&t->lost), causes);
	if (!t->ndiags)
		return;
	fputs("<ul>\n", out);
	for (size_t i = 0; i < t->ndiags; i++) {
		fputs("<li>", out);
		html_text(out, t->sources[t->diags[i].source]);
		fputs(": ", out);
		html_text(out, t->diags[i].diag.message);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

void export_html(FILE *out, const struct lt_trace *t,
		 const struct verify_result *v)
{
	struct device_names d;
	struct handover_list ho;

	devices_collect(t, &d);
	handovers_find(t, &ho);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>lutrace: live update report</title>\n<style>%s</style>\n"
		"</head><body>\n<h1>lutrace: live update report</h1>\n", html_style);
	html_verdicts(out, v);
	html_phases(out, t, &ho);
	html_stages(out, t);
	html_timelines(out, t, &d);
	html_health(out, t);
	fputs("</body></html>\n", out);
	handovers_release(&ho);
	devices_release(&d);
}
