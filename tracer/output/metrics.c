// SPDX-License-Identifier: GPL-2.0
#include "output/metrics.h"

#include <stdbool.h>

#include "analyze/device_gap.h"
#include "analyze/handover.h"
#include "output/prom_writer.h"

static void stage_label(char *buf, size_t len, const struct lt_trace *t, size_t s)
{
	snprintf(buf, len, "%u", t->stages[s].number);
}

static bool measured(const struct lt_trace *t, const struct handover *h,
		     int64_t *ns, uint64_t *err)
{
	return h->has_next_stage && handover_blackout(t, h, ns, err);
}

/* What blackouts() writes for each handed-over device. */
enum blackout_value {
	BLACKOUT_NS,		/* the blackout, where measurable */
	BLACKOUT_ERROR,		/* its error bound, where measurable */
	BLACKOUT_MEASURED,	/* 1 or 0, for every one: fast vs unknown */
};

static void blackouts(struct prom_writer *w, const struct lt_trace *t,
		      const struct handover_list *ho, enum blackout_value what)
{
	char stage[16];
	int64_t ns;
	uint64_t err;

	for (size_t i = 0; i < ho->n; i++) {
		const struct handover *h = &ho->items[i];
		const char *const labels[] = { "device", h->dev, "stage", stage, NULL };
		bool ok = measured(t, h, &ns, &err);

		stage_label(stage, sizeof(stage), t, h->stage_out);
		if (what == BLACKOUT_MEASURED)
			prom_u64(w, labels, ok);
		else if (ok)
			prom_seconds(w, labels, what == BLACKOUT_ERROR ? (int64_t)err : ns);
	}
}

/* The device-side gap beside the blackout: 0 for a device kept running. */
static void device_gaps(struct prom_writer *w, const struct lt_trace *t,
			const struct handover_list *ho)
{
	char stage[16];

	prom_family(w, "lutrace_device_gap_seconds", "gauge",
		    "How long a handed-over device could not do DMA: 0 when it was kept running (nothing stopped it from preserve to finish), else from the first event that stopped it (a reset, bus mastering off, a power state change; in the default mode the freeze quiesce) to its first enable in stage k+1. No sample when the trace cannot say.");
	for (size_t i = 0; i < ho->n; i++) {
		const struct handover *h = &ho->items[i];
		const char *const labels[] = { "device", h->dev, "stage", stage, NULL };
		struct device_gap g;

		stage_label(stage, sizeof(stage), t, h->stage_out);
		device_gap_of(t, h, &g);
		if (device_gap_measured(&g))
			prom_seconds(w, labels, g.ns);
	}
}

static void handover_metrics(struct prom_writer *w, const struct lt_trace *t,
			     const struct handover_list *ho)
{
	char stage[16];
	int64_t ns;

	prom_family(w, "lutrace_blackout_seconds", "gauge",
		    "Stage k+1 retrieve (or first enable) minus stage k freeze of a handed-over device, on the shared time axis.");
	blackouts(w, t, ho, BLACKOUT_NS);
	prom_family(w, "lutrace_blackout_error_seconds", "gauge",
		    "Error bound of lutrace_blackout_seconds from placing the two stages on one axis.");
	blackouts(w, t, ho, BLACKOUT_ERROR);
	prom_family(w, "lutrace_blackout_measured", "gauge",
		    "1 when the blackout of a handed-over device was measured, 0 when not (no freeze in the log, no next stage, or neither retrieve nor enable in it): then lutrace_blackout_seconds has no sample for it.");
	blackouts(w, t, ho, BLACKOUT_MEASURED);
	device_gaps(w, t, ho);
	prom_family(w, "lutrace_phase_seconds", "gauge",
		    "Latency of each phase of a handed-over device: preserve, freeze, kexec, boot, retrieve, enable, finish.");
	for (size_t i = 0; i < ho->n; i++) {
		const struct handover *h = &ho->items[i];

		stage_label(stage, sizeof(stage), t, h->stage_out);
		for (int p = 0; p < PH_NR_PHASES; p++)
			if (handover_phase_ns(t, h, p, &ns))
				prom_seconds(w, (const char *const[]){ "device", h->dev, "stage", stage,
								       "phase", handover_phase_key(p), NULL }, ns);
	}
}

static void verify_metrics(struct prom_writer *w, const struct verify_result *v)
{
	static const enum verdict verdicts[] = {
		VERDICT_PASS, VERDICT_FAIL, VERDICT_NOT_EXERCISED,
	};

	prom_family(w, "lutrace_verify_rule", "gauge",
		    "1 for the verdict each verify rule reached, 0 for the others.");
	for (size_t i = 0; i < v->nrules; i++)
		for (size_t k = 0; k < sizeof(verdicts) / sizeof(verdicts[0]); k++)
			prom_u64(w, (const char *const[]){ "rule", v->rules[i].rule, "verdict",
							   verdict_name(verdicts[k]), NULL },
				 v->rules[i].verdict == verdicts[k]);
	prom_family(w, "lutrace_verify_failed_rules", "gauge",
		    "Verify rules that failed (lutrace verify exits 1 when this is not 0).");
	prom_u64(w, NULL, v->failed);
	prom_family(w, "lutrace_verify_not_exercised_rules", "gauge",
		    "Verify rules NOT_EXERCISED: the trace lacks what they need (lutrace verify exits 1 on them too, unless --allow-not-exercised).");
	prom_u64(w, NULL, v->not_exercised);
}

/*
 * Where stage s began to hand over to stage s+1: its first freeze, its LUO
 * reboot or the kexec, whichever the log has first (events are in axis order).
 */
static const struct lt_trace_event *update_start(const struct lt_trace *t, size_t s)
{
	for (size_t i = 0; i < t->nevents; i++) {
		const struct lt_trace_event *e = &t->events[i];

		if (e->stage == s && (e->ev.id == LT_EV_VFIO_LU_FREEZE ||
				      e->ev.id == LT_EV_LU_REBOOT || e->ev.id == LT_EV_KEXEC))
			return e;
	}
	return NULL;
}

static void stage_metrics(struct prom_writer *w, const struct lt_trace *t)
{
	char stage[16];

	prom_family(w, "lutrace_kernel_info", "gauge",
		    "1 for each stage, labelled with the release of the kernel it ran (uname -r, from its clock anchor).");
	for (size_t s = 0; s < t->nstages; s++) {
		stage_label(stage, sizeof(stage), t, s);
		prom_u64(w, (const char *const[]){ "stage", stage, "release",
						   t->stages[s].first_anchor.kernel_release, NULL }, 1);
	}
	prom_family(w, "lutrace_update_start_timestamp_seconds", "gauge",
		    "Wall clock (from the stage's clock anchors) at which a stage with a next stage in the trace began the live update: its first freeze, LUO reboot or kexec.");
	for (size_t s = 0; s < t->nstages; s++) {
		const struct lt_trace_event *e = update_start(t, s);

		if (!e || lt_trace_next_stage(t, s) < 0)
			continue;
		stage_label(stage, sizeof(stage), t, s);
		prom_seconds(w, (const char *const[]){ "stage", stage, NULL },
			     (int64_t)e->ev.boottime_ns + t->stages[s].clock.realtime_offset_ns);
	}
}

static void log_metrics(struct prom_writer *w, const struct lt_trace *t)
{
	char stage[16];

	prom_family(w, "lutrace_dropped_events_total", "counter",
		    "Events lost per stage and cause: ring_buffer, log_full, marker_lost, kmsg_overrun, tracefs_overrun, short_sample, prog_recursion (lutrace.8, LOST EVENTS).");
	for (size_t s = 0; s < t->nstages; s++) {
		stage_label(stage, sizeof(stage), t, s);
		for (int c = 0; c < LT_LOSS_NR_CAUSES; c++)
			prom_u64(w, (const char *const[]){ "stage", stage, "cause",
							   lt_loss_cause_name(c), NULL },
				 t->stages[s].lost.by_cause[c]);
	}
	prom_family(w, "lutrace_clock_trusted", "gauge",
		    "1 when the clock join that placed this stage after the one before can be trusted, 0 when not (TSC and REALTIME disagree, or placed by REALTIME): its blackouts are not judged.");
	for (size_t s = 1; s < t->nstages; s++) {
		stage_label(stage, sizeof(stage), t, s);
		prom_u64(w, (const char *const[]){ "stage", stage, NULL },
			 t->stages[s].clock.trusted);
	}
	prom_family(w, "lutrace_log_damage", "gauge",
		    "Torn or corrupt records and other damage found in the flight logs.");
	prom_u64(w, NULL, t->ndiags);
	if (!t->nstages)
		return;
	prom_family(w, "lutrace_trace_end_timestamp_seconds", "gauge",
		    "Wall clock of the last stage's last clock anchor: when the trace ends.");
	prom_seconds(w, NULL, (int64_t)t->stages[t->nstages - 1].last_anchor.realtime_ns);
}

void metrics_write(FILE *out, const struct lt_trace *t,
		   const struct verify_result *v)
{
	struct prom_writer w;
	struct handover_list ho;

	handovers_find(t, &ho);
	prom_init(&w, out);
	prom_family(&w, "lutrace_stages", "gauge", "Stages (boots) in the joined flight logs.");
	prom_u64(&w, NULL, t->nstages);
	stage_metrics(&w, t);
	prom_family(&w, "lutrace_handovers", "gauge",
		    "Devices preserved in one stage and handed over to the next.");
	prom_u64(&w, NULL, ho.n);
	handover_metrics(&w, t, &ho);
	verify_metrics(&w, v);
	log_metrics(&w, t);
	handovers_release(&ho);
}
