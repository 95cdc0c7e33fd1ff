// SPDX-License-Identifier: GPL-2.0
#include "output/report_json.h"

#include <stdbool.h>
#include <stdio.h>

#include "analyze/device_gap.h"
#include "analyze/evidence_text.h"
#include "analyze/handover.h"
#include "output/event_json.h"

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
	jw_i64_str_field(w, "offset_ns", s->clock.offset_ns);
	jw_u64_field(w, "error_ns", s->clock.error_ns);
	jw_bool_field(w, "clock_trusted", s->clock.trusted);
	jw_u64_field(w, "clock_rate_error_ppb", s->clock.rate_error_ppb);
	jw_i64_str_field(w, "realtime_offset_ns", s->clock.realtime_offset_ns);
	jw_u64_field(w, "tsc_hz", s->first_anchor.tsc_hz);
	jw_u64_field(w, "dropped_events", losses_dropped(&s->lost));
	jw_u64_field(w, "unwritten_events", s->lost.by_cause[LT_LOSS_LOG_FULL]);
	json_losses(w, &s->lost);
	jw_u64_field(w, "recorder_runs", s->runs);
	jw_bool_field(w, "drop_counter_reported", s->has_drop_record);
	jw_string_field(w, "note", s->clock.note);
	jw_object_end(w);
}

static void json_event(struct json_writer *w, const struct lt_trace *t, size_t i)
{
	jw_object_start(w);
	jw_string_field(w, "type", "event");
	event_json_fields(w, t, i);
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
	struct device_gap g;
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
	device_gap_of(t, h, &g);
	jw_string_field(w, "device_gap", device_gap_kind_name(g.kind));
	json_ns_or_null(w, "device_gap_ns", device_gap_measured(&g), g.ns);
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
	jw_u64_field(w, "dropped_events", losses_dropped(&t->lost));
	jw_u64_field(w, "unwritten_events", t->lost.by_cause[LT_LOSS_LOG_FULL]);
	json_losses(w, &t->lost);
	jw_object_end(w);
	handovers_release(&ho);
}
