// SPDX-License-Identifier: GPL-2.0
#include "record/startup_overlap.h"

#include <stdlib.h>
#include <string.h>

#include "log/event_compare.h"
#include "log/event_names.h"
#include "record/clock_anchor.h"

void startup_overlap_start(struct startup_overlap *o, uint64_t cutoff_ns,
			   uint64_t previous_run_ns, lt_event_fn fn, void *ctx)
{
	memset(o, 0, sizeof(*o));
	o->cutoff_ns = cutoff_ns;
	o->previous_run_ns = previous_run_ns;
	o->fn = fn;
	o->ctx = ctx;
}

int startup_overlap_imported(void *self, const struct lt_event *e)
{
	struct startup_overlap *o = self;
	uint64_t logged = event_is_marker(e->id) ? o->previous_markers_ns :
						   o->previous_run_ns;

	if (e->boottime_ns <= logged) {
		o->in_log_already++;
		return 0;
	}
	if (e->boottime_ns < o->cutoff_ns || o->settled)
		return o->fn(o->ctx, e);
	if (o->nheld == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->held = realloc(o->held, o->cap * sizeof(*o->held));
		if (!o->held)
			abort();
	}
	o->held[o->nheld++] = *e;
	return 0;
}

void startup_overlap_import_done(struct startup_overlap *o, uint64_t now_ns)
{
	o->import_ns = now_ns;
}

static uint64_t distance(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

int startup_overlap_from_bpf(struct startup_overlap *o, const struct lt_event *e)
{
	size_t best = o->nheld;

	for (size_t i = 0; i < o->nheld; i++) {
		uint64_t d = distance(o->held[i].boottime_ns, e->boottime_ns);

		if (d <= OVERLAP_MATCH_NS && event_same_fields(&o->held[i], e) &&
		    (best == o->nheld ||
		     d < distance(o->held[best].boottime_ns, e->boottime_ns)))
			best = i;
	}
	if (best < o->nheld) {
		memmove(&o->held[best], &o->held[best + 1],
			(o->nheld - best - 1) * sizeof(*o->held));
		o->nheld--;
		o->duplicates++;
	}
	return o->fn(o->ctx, e);
}

int startup_overlap_live(void *o, const struct lt_event *e)
{
	return startup_overlap_from_bpf(o, e);
}

static int write_held(struct startup_overlap *o)
{
	int ret = 0;

	o->settled = true;
	for (size_t i = 0; i < o->nheld && !ret; i++)
		ret = o->fn(o->ctx, &o->held[i]);
	free(o->held);
	o->held = NULL;
	o->nheld = o->cap = 0;
	return ret;
}

int startup_overlap_round(struct startup_overlap *o, uint64_t now_ns)
{
	/*
	 * The ring buffer was read between the last round and this one: if
	 * the last was already settle time past the import, BPF's copies of
	 * everything the import read are in.
	 */
	bool settled = o->import_ns && o->last_round_ns &&
		       o->last_round_ns >= o->import_ns + OVERLAP_SETTLE_NS;

	o->last_round_ns = now_ns;
	return !o->settled && settled ? write_held(o) : 0;
}

static int read_overlap(void *self, int wait_ms, uint32_t stage,
			lt_event_fn fn, void *ctx)
{
	struct startup_overlap *o = self;
	int ret;

	(void)fn;
	(void)ctx;
	if (o->live.read &&
	    (ret = o->live.read(o->live.self, wait_ms, stage, startup_overlap_live, o)))
		return ret;
	return startup_overlap_round(o, clock_boottime_ns());
}

static void overlap_lost(void *self, struct lt_losses *sum)
{
	struct startup_overlap *o = self;

	if (o->live.lost)
		o->live.lost(o->live.self, sum);
}

struct record_source startup_overlap_record_source(struct startup_overlap *o,
						   struct record_source live)
{
	o->live = live;
	return (struct record_source){ read_overlap, overlap_lost, o, live.what };
}

int startup_overlap_finish(struct startup_overlap *o)
{
	return o->settled ? 0 : write_held(o);
}
