// SPDX-License-Identifier: GPL-2.0
#include "output/event_json.h"

#include "analyze/evidence_text.h"
#include "log/event_names.h"

void event_json_fields(struct json_writer *w, const struct lt_trace *t,
		       size_t i)
{
	const struct lt_trace_event *e = &t->events[i];
	char detail[320];

	event_format_detail(&e->ev, detail, sizeof(detail));
	jw_i64_field(w, "t_ns", e->axis_ns - trace_origin_ns(t));
	jw_i64_str_field(w, "axis_ns", e->axis_ns);
	jw_u64_field(w, "stage", t->stages[e->stage].number);
	jw_u64_str_field(w, "boottime_ns", e->ev.boottime_ns);
	jw_string_field(w, "event", event_name(e->ev.id));
	jw_string_field(w, "dev", e->ev.dev);
	jw_u64_field(w, "domain", e->ev.domain);
	jw_u64_field(w, "bus", e->ev.bus);
	jw_u64_field(w, "devfn", e->ev.devfn);
	jw_string_field(w, "session", e->ev.session);
	jw_string_field(w, "compatible", e->ev.compatible);
	jw_u64_str_field(w, "token", e->ev.token);
	jw_i64_field(w, "ret", e->ev.ret);
	jw_i64_field(w, "arg", e->ev.arg);
	jw_u64_str_field(w, "iova", e->ev.iova);
	jw_u64_str_field(w, "phys", e->ev.phys);
	jw_u64_str_field(w, "size", e->ev.size);
	jw_u64_field(w, "iommu_domain", e->ev.iommu_domain);
	jw_u64_field(w, "bus_primary", e->ev.bus_primary);
	jw_u64_field(w, "bus_secondary", e->ev.bus_secondary);
	jw_u64_field(w, "bus_subordinate", e->ev.bus_subordinate);
	jw_u64_field(w, "nr_sessions", e->ev.nr_sessions);
	jw_u64_field(w, "nr_files", e->ev.nr_files);
	jw_u64_field(w, "pid", e->ev.pid);
	jw_string_field(w, "text", e->ev.text);
	jw_string_field(w, "detail", detail);
	jw_string_field(w, "source", t->sources[e->source]);
	jw_u64_field(w, "offset", e->offset);
}

void json_losses(struct json_writer *w, const struct lt_losses *l)
{
	jw_name(w, "lost");
	jw_object_start(w);
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++)
		jw_u64_field(w, lt_loss_cause_name(c), l->by_cause[c]);
	jw_object_end(w);
}
