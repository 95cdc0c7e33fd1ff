// SPDX-License-Identifier: GPL-2.0
#include "output/report_text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/device_gap.h"
#include "analyze/devices.h"
#include "analyze/evidence_text.h"
#include "analyze/handover.h"
#include "log/event_names.h"

static void format_wall_clock(int64_t realtime_ns, char *buf, size_t len)
{
	time_t sec = (time_t)(realtime_ns / 1000000000);
	struct tm tm;

	if (!gmtime_r(&sec, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), ".%03dZ",
		 (int)(realtime_ns % 1000000000 / 1000000));
}

static void print_stages(FILE *out, const struct lt_trace *t)
{
	fprintf(out, "Stages (axis: stage %u BOOTTIME; wall clock is a label)\n",
		t->nstages ? t->stages[0].number : 0);
	for (size_t i = 0; i < t->nstages; i++) {
		const struct lt_trace_stage *s = &t->stages[i];
		char id[33], off[32], err[32], wall[48];

		format_boot_id(s->boot_id, id);
		format_ms(s->clock.offset_ns, off, sizeof(off));
		format_ms((int64_t)s->clock.error_ns, err, sizeof(err));
		format_wall_clock((int64_t)s->first_anchor.realtime_ns, wall, sizeof(wall));
		fprintf(out, "  stage %u  boot %s  %s\n", s->number, id,
			s->first_anchor.kernel_release);
		fprintf(out, "           booted at axis %s ms +- %s ms (by %s%s), anchor wall clock %s\n",
			off, err, clock_method_name(s->clock.method),
			s->clock.trusted ? "" : ", NOT TRUSTED", wall);
		if (s->clock.note[0])
			fprintf(out, "           note: %s\n", s->clock.note);
	}
}

static bool shown_in_text(const struct lt_event *e, bool verbose)
{
	return verbose || (e->id != LT_EV_IOMMU_MAP && e->id != LT_EV_IOMMU_UNMAP);
}

static void print_event_row(FILE *out, const struct lt_trace *t, size_t i)
{
	const struct lt_trace_event *e = &t->events[i];
	char when[32], detail[320];

	format_ms(e->axis_ns - trace_origin_ns(t), when, sizeof(when));
	event_format_detail(&e->ev, detail, sizeof(detail));
	fprintf(out, "  %14s  %5u  %-30s %s\n", when, t->stages[e->stage].number,
		event_name(e->ev.id), detail);
}

static void print_timelines(FILE *out, const struct lt_trace *t,
			    const struct device_names *d, bool verbose)
{
	for (size_t k = 0; k <= d->n; k++) {
		const char *dev = k < d->n ? d->names[k] : "";
		const struct lt_trace_device *td = lt_trace_device_named(t, dev);

		fprintf(out, "\nTimeline: %s\n", k < d->n ? dev : "(no device)");
		fprintf(out, "  %14s  %5s  %-30s %s\n", "t (ms)", "stage", "event",
			"detail");
		for (size_t p = 0; td && p < td->nevents; p++)
			if (shown_in_text(&t->events[td->events[p]].ev, verbose))
				print_event_row(out, t, td->events[p]);
	}
}

static void print_cell(FILE *out, bool have, int64_t ns)
{
	char ms[32];

	if (!have) {
		fprintf(out, " %16s", "-");
		return;
	}
	format_ms(ns, ms, sizeof(ms));
	fprintf(out, " %16s", ms);
}

static void print_phases(FILE *out, const struct lt_trace *t,
			 const struct handover_list *ho)
{
	fprintf(out, "\nPhase latency (ms)\n  %-13s %5s", "device", "stage");
	for (int p = 0; p < PH_NR_PHASES; p++)
		fprintf(out, " %16s", handover_phase_name(p));
	fprintf(out, " %16s %s\n", "blackout", "+-");
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		int64_t ns;
		uint64_t err = 0;
		bool have;
		char e[32];

		fprintf(out, "  %-13s %5u", h->dev, t->stages[h->stage_out].number);
		for (int p = 0; p < PH_NR_PHASES; p++) {
			have = handover_phase_ns(t, h, p, &ns);
			print_cell(out, have, ns);
		}
		have = h->has_next_stage && handover_blackout(t, h, &ns, &err);
		print_cell(out, have, ns);
		format_ms((int64_t)err, e, sizeof(e));
		fprintf(out, " %s\n", have ? e : "-");
	}
	if (!ho->n)
		fprintf(out, "  (no device was preserved)\n");
}

/* What the device itself went through, beside the VMM's blackout. */
static void print_device_gaps(FILE *out, const struct lt_trace *t,
			      const struct handover_list *ho)
{
	fprintf(out, "\nDevice gap: how long the device could not do DMA, beside the blackout (ms)\n"
		"  %-13s %5s %16s %16s %s\n", "device", "stage", "device gap", "blackout", "how");
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		struct device_gap g;
		char how[512];
		int64_t ns = 0;
		uint64_t err = 0;
		bool have = h->has_next_stage && handover_blackout(t, h, &ns, &err);

		device_gap_of(t, h, &g);
		fprintf(out, "  %-13s %5u", h->dev, t->stages[h->stage_out].number);
		print_cell(out, device_gap_measured(&g), g.ns);
		print_cell(out, have, ns);
		if (g.kind == GAP_KEPT_RUNNING)
			snprintf(how, sizeof(how), "kept running: nothing stopped its DMA");
		else if (g.kind == GAP_STOPPED)
			cite_event(t, (size_t)g.stopped_at, how, sizeof(how));
		else
			snprintf(how, sizeof(how), "unknown: %s", g.why);
		fprintf(out, " %s%s\n", g.kind == GAP_STOPPED ? "stopped by " : "", how);
	}
}

static void print_health(FILE *out, const struct lt_trace *t)
{
	char causes[256];

	format_losses(&t->lost, true, causes, sizeof(causes));
	fprintf(out, "\nLost events: %llu (%s)\n",
		(unsigned long long)lt_losses_total(&t->lost), causes);
	for (size_t s = 0; s < t->nstages; s++) {
		const struct lt_trace_stage *st = &t->stages[s];

		if (!st->has_drop_record) {
			fprintf(out, "  stage %u: drop counter never reported: losses unknown\n",
				st->number);
			continue;
		}
		if (!lt_losses_total(&st->lost))
			continue;
		format_losses(&st->lost, false, causes, sizeof(causes));
		fprintf(out, "  stage %u: %s (%zu recorder run(s))\n", st->number,
			causes, st->runs);
	}
	for (size_t i = 0; i < t->ndiags; i++)
		fprintf(out, "Log damage: %s: %s\n", t->sources[t->diags[i].source],
			t->diags[i].diag.message);
}

void report_print_text(FILE *out, const struct lt_trace *t,
		       const struct report_options *opt)
{
	struct device_names d;
	struct handover_list ho;

	devices_collect(t, &d);
	handovers_find(t, &ho);
	print_stages(out, t);
	print_timelines(out, t, &d, opt->verbose);
	print_phases(out, t, &ho);
	if (ho.n)
		print_device_gaps(out, t, &ho);
	print_health(out, t);
	handovers_release(&ho);
	devices_release(&d);
}
