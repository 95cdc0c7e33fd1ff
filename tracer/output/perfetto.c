// SPDX-License-Identifier: GPL-2.0
#include "output/perfetto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/devices.h"
#include "analyze/evidence_text.h"
#include "analyze/device_gap.h"
#include "analyze/handover.h"
#include "log/event_names.h"
#include "output/event_json.h"
#include "output/json_writer.h"

#define SPAN_BLACKOUT PH_NR_PHASES
#define SPAN_DEVICE_GAP (PH_NR_PHASES + 1)

/* A complete event: a phase, the blackout or the device gap of one handover. */
struct span {
	int64_t from_ns;
	int64_t dur_ns;
	size_t stage;
	const struct handover *h;
	int phase;		/* enum handover_phase, SPAN_BLACKOUT or SPAN_DEVICE_GAP */
	uint64_t error_ns;	/* blackout and device gap */
	bool kept_running;	/* device gap: 0, nothing stopped it */
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->from_ns != y->from_ns)
		return x->from_ns < y->from_ns ? -1 : 1;
	/* Longer first, so an enclosing span opens before what it holds. */
	if (x->dur_ns != y->dur_ns)
		return x->dur_ns > y->dur_ns ? -1 : 1;
	return 0;
}

static int event_tid(const struct device_names *d, const struct lt_trace_event *e)
{
	if (e->ev.dev[0])
		return PERFETTO_TID_FIRST_DEVICE + (int)devices_index_of_event(d, e);
	return e->ev.id == LT_EV_MARKER ? PERFETTO_TID_MARKERS : PERFETTO_TID_SESSIONS;
}

/* Phases up to the stage-k+1 boot belong to stage k, the rest to k+1. */
static size_t collect_spans(const struct lt_trace *t,
			    const struct handover_list *ho, struct span *out)
{
	size_t n = 0;

	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		struct device_gap g;
		int64_t from, to, ns;
		uint64_t err;

		for (int p = 0; p < PH_NR_PHASES; p++) {
			if (!handover_phase_span(t, h, p, &from, &to))
				continue;
			out[n++] = (struct span){
				.from_ns = from, .dur_ns = to - from, .h = h, .phase = p,
				.stage = p > PH_KEXEC_BOOT ? h->stage_in : h->stage_out,
			};
		}
		if (h->has_next_stage && handover_blackout(t, h, &ns, &err))
			out[n++] = (struct span){
				.from_ns = t->events[h->at[HO_FREEZE]].axis_ns,
				.dur_ns = ns, .stage = h->stage_out, .h = h,
				.phase = SPAN_BLACKOUT, .error_ns = err,
			};
		/* A device kept running has a gap of 0 where the blackout began. */
		device_gap_of(t, h, &g);
		if (device_gap_measured(&g) && (g.kind == GAP_STOPPED || h->at[HO_FREEZE] >= 0))
			out[n++] = (struct span){
				.from_ns = t->events[g.kind == GAP_STOPPED ? g.stopped_at :
						     h->at[HO_FREEZE]].axis_ns,
				.dur_ns = g.ns, .stage = h->stage_out, .h = h,
				.phase = SPAN_DEVICE_GAP, .error_ns = g.error_ns,
				.kept_running = g.kind == GAP_KEPT_RUNNING,
			};
	}
	qsort(out, n, sizeof(*out), cmp_span);
	return n;
}

static void pf_common(struct json_writer *w, const char *name, const char *ph,
		      size_t stage, int tid)
{
	jw_string_field(w, "name", name);
	jw_string_field(w, "ph", ph);
	jw_u64_field(w, "pid", stage + 1);
	jw_i64_field(w, "tid", tid);
}

static void pf_meta(struct json_writer *w, const char *what, size_t stage,
		    int tid, const char *name, uint64_t sort_index)
{
	jw_object_start(w);
	pf_common(w, what, "M", stage, tid);
	jw_name(w, "args");
	jw_object_start(w);
	jw_string_field(w, "name", name);
	jw_object_end(w);
	jw_object_end(w);
	jw_object_start(w);
	pf_common(w, strcmp(what, "process_name") ? "thread_sort_index" :
		  "process_sort_index", "M", stage, tid);
	jw_name(w, "args");
	jw_object_start(w);
	jw_u64_field(w, "sort_index", sort_index);
	jw_object_end(w);
	jw_object_end(w);
}

/* Names every stage and every track that has something on it. */
static void pf_metadata(struct json_writer *w, const struct lt_trace *t,
			const struct device_names *d, const struct span *spans,
			size_t nspans)
{
	size_t ntracks = PERFETTO_TID_FIRST_DEVICE + d->n;
	bool *used = calloc(t->nstages * ntracks + 1, sizeof(*used));
	char name[256], id[33];

	if (!used)
		abort();
	for (size_t i = 0; i < t->nevents; i++)
		used[t->events[i].stage * ntracks + event_tid(d, &t->events[i])] = true;
	for (size_t i = 0; i < nspans; i++)
		used[spans[i].stage * ntracks + PERFETTO_TID_FIRST_DEVICE +
		     devices_index(d, spans[i].h->dev)] = true;
	for (size_t s = 0; s < t->nstages; s++) {
		format_boot_id(t->stages[s].boot_id, id);
		snprintf(name, sizeof(name), "stage %u: %s boot %s", t->stages[s].number,
			 t->stages[s].first_anchor.kernel_release, id);
		pf_meta(w, "process_name", s, 0, name, s);
		for (size_t k = 1; k < ntracks; k++) {
			if (!used[s * ntracks + k])
				continue;
			if (k == PERFETTO_TID_SESSIONS)
				snprintf(name, sizeof(name), "sessions / LUO");
			else if (k == PERFETTO_TID_MARKERS)
				snprintf(name, sizeof(name), "markers");
			else
				snprintf(name, sizeof(name), "%s",
					 d->names[k - PERFETTO_TID_FIRST_DEVICE]);
			pf_meta(w, "thread_name", s, (int)k, name, k);
		}
	}
	free(used);
}

static void pf_span(struct json_writer *w, const struct lt_trace *t,
		    const struct device_names *d, const struct span *sp)
{
	bool blackout = sp->phase == SPAN_BLACKOUT, gap = sp->phase == SPAN_DEVICE_GAP;

	jw_object_start(w);
	pf_common(w, blackout ? "blackout" : gap ? (sp->kept_running ? "device gap (kept running)" :
						     "device gap") :
		  handover_phase_name(sp->phase), "X",
		  sp->stage, PERFETTO_TID_FIRST_DEVICE + (int)devices_index(d, sp->h->dev));
	jw_string_field(w, "cat", blackout ? "blackout" : gap ? "device_gap" : "phase");
	jw_name(w, "ts");
	jw_ns_as_us(w, sp->from_ns);
	/* A viewer rejects a negative slice; args keep the measured value. */
	jw_name(w, "dur");
	jw_ns_as_us(w, sp->dur_ns > 0 ? sp->dur_ns : 0);
	jw_name(w, "args");
	jw_object_start(w);
	jw_string_field(w, "dev", sp->h->dev);
	jw_u64_field(w, "from_stage", t->stages[sp->h->stage_out].number);
	jw_i64_field(w, "duration_ns", sp->dur_ns);
	if (blackout || gap)
		jw_u64_field(w, "error_ns", sp->error_ns);
	jw_object_end(w);
	jw_object_end(w);
}

static void pf_event(struct json_writer *w, const struct lt_trace *t,
		     const struct device_names *d, size_t i)
{
	const struct lt_trace_event *e = &t->events[i];

	jw_object_start(w);
	pf_common(w, event_name(e->ev.id), "i", e->stage, event_tid(d, e));
	jw_string_field(w, "cat", "event");
	jw_string_field(w, "s", "t");
	jw_name(w, "ts");
	jw_ns_as_us(w, e->axis_ns);
	jw_name(w, "args");
	jw_object_start(w);
	event_json_fields(w, t, i);
	jw_object_end(w);
	jw_object_end(w);
}

void export_perfetto(FILE *out, const struct lt_trace *t)
{
	struct device_names d;
	struct handover_list ho;
	struct json_writer w;
	struct span *spans;
	size_t nspans, i = 0, k = 0;

	devices_collect(t, &d);
	handovers_find(t, &ho);
	spans = calloc(ho.n * (PH_NR_PHASES + 2) + 1, sizeof(*spans));
	if (!spans)
		abort();
	nspans = collect_spans(t, &ho, spans);
	jw_init(&w, out);
	jw_object_start(&w);
	jw_string_field(&w, "displayTimeUnit", "ms");
	jw_name(&w, "traceEvents");
	jw_array_start(&w);
	pf_metadata(&w, t, &d, spans, nspans);
	/* Both lists are in time order: merge them, spans first on a tie. */
	while (i < t->nevents || k < nspans) {
		if (k < nspans && (i == t->nevents || spans[k].from_ns <= t->events[i].axis_ns))
			pf_span(&w, t, &d, &spans[k++]);
		else
			pf_event(&w, t, &d, i++);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	free(spans);
	handovers_release(&ho);
	devices_release(&d);
}
