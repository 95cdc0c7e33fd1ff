// SPDX-License-Identifier: GPL-2.0
#include "output/report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/handover.h"
#include "analyze/trace_text.h"
#include "log/event_names.h"

void report_collect_devices(const struct lt_trace *t, struct device_names *d)
{
	memset(d, 0, sizeof(*d));
	d->names = calloc(t->nevents + 1, sizeof(*d->names));
	if (!d->names)
		abort();
	for (size_t i = 0; i < t->nevents; i++) {
		const char *dev = t->events[i].ev.dev;
		size_t k = 0;

		if (!dev[0])
			continue;
		while (k < d->n && strcmp(d->names[k], dev))
			k++;
		if (k == d->n)
			d->names[d->n++] = dev;
	}
}

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
		fprintf(out, "           booted at axis %s ms +- %s ms (by %s), anchor wall clock %s\n",
			off, err, clock_method_name(s->clock.method), wall);
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

		fprintf(out, "\nTimeline: %s\n", k < d->n ? dev : "(no device)");
		fprintf(out, "  %14s  %5s  %-30s %s\n", "t (ms)", "stage", "event",
			"detail");
		for (size_t i = 0; i < t->nevents; i++)
			if (!strcmp(t->events[i].ev.dev, dev) &&
			    shown_in_text(&t->events[i].ev, verbose))
				print_event_row(out, t, i);
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

static void print_health(FILE *out, const struct lt_trace *t)
{
	fprintf(out, "\nDropped events: %llu ring-buffer reserve failures, %llu not written (log full)",
		(unsigned long long)t->reserve_failures,
		(unsigned long long)t->unwritten);
	for (size_t s = 0; s < t->nstages; s++)
		if (!t->stages[s].has_drop_record)
			fprintf(out, " (stage %u: counter never reported)",
				t->stages[s].number);
	fprintf(out, "\n");
	for (size_t i = 0; i < t->ndiags; i++)
		fprintf(out, "Log damage: %s: %s\n", t->sources[t->diags[i].source],
			t->diags[i].diag.message);
}

void report_print_text(FILE *out, const struct lt_trace *t,
		       const struct report_options *opt)
{
	struct device_names d;
	struct handover_list ho;

	report_collect_devices(t, &d);
	handovers_find(t, &ho);
	print_stages(out, t);
	print_timelines(out, t, &d, opt->verbose);
	print_phases(out, t, &ho);
	print_health(out, t);
	handovers_release(&ho);
	free(d.names);
}

/* ---- JSON Lines ---- */

static void json_stage(struct json_writer *w, const struct lt_trace_stage *s)
{
	char id[33];

	format_boot_id(s->boot_id, id);
	jw_object_start(w);
	jw_string_field(w, "type", "stage");
	jw_u64_field(w, "stage", s->number);
	jw_string_field(w, "boot_id", id);
	jw_string_field(w, "kernel_release", s->first_anchor.kernel_release);
	jw_string_field(w, "clock_method", clock_method_name(s->clock.method));
	jw_i64_field(w, "offset_ns", s->clock.offset_ns);
	jw_u64_field(w, "error_ns", s->clock.error_ns);
	jw_i64_field(w, "realtime_offset_ns", s->clock.realtime_offset_ns);
	jw_u64_field(w, "tsc_hz", s->first_anchor.tsc_hz);
	jw_u64_field(w, "dropped_events", s->reserve_failures);
	jw_u64_field(w, "unwritten_events", s->unwritten);
	jw_bool_field(w, "drop_counter_reported", s->has_drop_record);
	jw_string_field(w, "note", s->clock.note);
	jw_object_end(w);
}

void report_json_event_fields(struct json_writer *w, const struct lt_trace *t,
			      size_t i)
{
	const struct lt_trace_event *e = &t->events[i];
	char detail[320];

	event_format_detail(&e->ev, detail, sizeof(detail));
	jw_i64_field(w, "t_ns", e->axis_ns - trace_origin_ns(t));
	jw_i64_field(w, "axis_ns", e->axis_ns);
	jw_u64_field(w, "stage", t->stages[e->stage].number);
	jw_u64_field(w, "boottime_ns", e->ev.boottime_ns);
	jw_string_field(w, "event", event_name(e->ev.id));
	jw_string_field(w, "dev", e->ev.dev);
	jw_u64_field(w, "domain", e->ev.domain);
	jw_u64_field(w, "bus", e->ev.bus);
	jw_u64_field(w, "devfn", e->ev.devfn);
	jw_string_field(w, "session", e->ev.session);
	jw_string_field(w, "compatible", e->ev.compatible);
	jw_u64_field(w, "token", e->ev.token);
	jw_i64_field(w, "ret", e->ev.ret);
	jw_i64_field(w, "arg", e->ev.arg);
	jw_string_field(w, "detail", detail);
	jw_string_field(w, "source", t->sources[e->source]);
	jw_u64_field(w, "offset", e->offset);
}

static void json_event(struct json_writer *w, const struct lt_trace *t, size_t i)
{
	jw_object_start(w);
	jw_string_field(w, "type", "event");
	report_json_event_fields(w, t, i);
	jw_object_end(w);
}

static void json_ns_or_null(struct json_writer *w, const char *name, bool have,
			    int64_t ns)
{
	jw_name(w, name);
	if (have)
		jw_i64(w, ns);
	else
		jw_null(w);
}

static void json_phases(struct json_writer *w, const struct lt_trace *t,
			const struct handover *h)
{
	char key[64];
	int64_t ns;
	uint64_t err = 0;
	bool have;

	jw_object_start(w);
	jw_string_field(w, "type", "phases");
	jw_string_field(w, "dev", h->dev);
	jw_u64_field(w, "stage", t->stages[h->stage_out].number);
	for (int p = 0; p < PH_NR_PHASES; p++) {
		have = handover_phase_ns(t, h, p, &ns);
		snprintf(key, sizeof(key), "%s_ns", handover_phase_key(p));
		json_ns_or_null(w, key, have, ns);
	}
	have = h->has_next_stage && handover_blackout(t, h, &ns, &err);
	json_ns_or_null(w, "blackout_ns", have, ns);
	json_ns_or_null(w, "blackout_error_ns", have, (int64_t)err);
	jw_object_end(w);
}

static void json_diag(struct json_writer *w, const struct lt_trace *t,
		      const struct lt_trace_diag *d)
{
	jw_object_start(w);
	jw_string_field(w, "type", "log_diag");
	jw_string_field(w, "source", t->sources[d->source]);
	jw_u64_field(w, "offset", d->diag.offset);
	jw_string_field(w, "kind", lt_diag_kind_name(d->diag.kind));
	jw_u64_field(w, "skipped", d->diag.skipped);
	jw_string_field(w, "message", d->diag.message);
	jw_object_end(w);
}

void report_print_json(struct json_writer *w, const struct lt_trace *t)
{
	struct handover_list ho;

	handovers_find(t, &ho);
	for (size_t i = 0; i < t->nstages; i++)
		json_stage(w, &t->stages[i]);
	for (size_t i = 0; i < t->nevents; i++)
		json_event(w, t, i);
	for (size_t k = 0; k < ho.n; k++)
		json_phases(w, t, &ho.items[k]);
	for (size_t i = 0; i < t->ndiags; i++)
		json_diag(w, t, &t->diags[i]);
	jw_object_start(w);
	jw_string_field(w, "type", "summary");
	jw_u64_field(w, "stages", t->nstages);
	jw_u64_field(w, "events", t->nevents);
	jw_u64_field(w, "handovers", ho.n);
	jw_u64_field(w, "log_diags", t->ndiags);
	jw_u64_field(w, "dropped_events", t->reserve_failures);
	jw_u64_field(w, "unwritten_events", t->unwritten);
	jw_object_end(w);
	handovers_release(&ho);
}
