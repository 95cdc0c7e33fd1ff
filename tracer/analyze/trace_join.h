/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TRACE_JOIN_H
#define LUTRACE_TRACE_JOIN_H

/*
 * Joins flight logs into one trace on one time axis.
 *
 * A stage is one boot, known by its boot_id; its number comes from its clock
 * anchors. Events name their stage by number, which is resolved against the
 * latest anchor of that number earlier in the same log. So a log may hold
 * several stages (stage 2 continuing stage 1's file), several logs may hold
 * pieces of one stage, and the same records loaded twice count once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/clock_map.h"
#include "log/log_format.h"

struct lt_trace_stage {
	uint32_t number;
	uint8_t boot_id[16];
	struct lt_clock_anchor first_anchor;
	struct lt_clock_anchor last_anchor;
	struct clock_mapping clock;
	/*
	 * Events lost, by cause: per recorder run the highest cumulative count
	 * seen (the same records loaded twice count once), summed over the
	 * runs of this boot (a restarted recorder counts from zero again).
	 */
	struct lt_losses lost;
	size_t runs;			/* recorder runs with a drop record */
	bool has_drop_record;
	/*
	 * What its recorders could see, from their recorder_attached events:
	 * BPF's events from the earliest attach on (axis ns), and before it
	 * only the kinds of boot_traced (enum lutrace_boot_traced, of every
	 * run). Without such an event (an older lutrace) neither is known.
	 */
	bool attach_known;
	int64_t attached_ns;
	uint32_t boot_traced;
};

/* One recorder run: a stage's drop records with one run id. */
struct lt_trace_run {
	uint8_t boot_id[16];	/* its stage */
	uint64_t run_id;	/* 0: revision 1 records, taken as one run */
	struct lt_losses lost;
};

struct lt_trace_event {
	struct lt_event ev;
	int64_t axis_ns;	/* on the shared axis (stage 1 BOOTTIME) */
	size_t stage;		/* index into lt_trace.stages */
	size_t source;		/* index into lt_trace.sources */
	uint64_t offset;	/* of its record in that source */
	size_t device;		/* index into lt_trace.devices, after finish */
};

/*
 * One ev.dev value of the events ("" too: the events that name no device),
 * with its events, so what one device did is found without walking the
 * whole trace once per device.
 */
struct lt_trace_device {
	const char *name;	/* the ev.dev of its first event */
	size_t *events;		/* indexes into lt_trace.events, in order */
	size_t nevents;
};

struct lt_trace_diag {
	size_t source;
	struct lt_log_diag diag;
};

struct lt_trace {
	char **sources;
	size_t nsources;
	struct lt_trace_stage *stages;	/* ordered by number after finish */
	size_t nstages;
	struct lt_trace_event *events;	/* ordered by axis_ns after finish */
	size_t nevents;
	struct lt_trace_diag *diags;
	size_t ndiags;
	size_t unanchored_events;	/* events whose stage had no anchor */
	struct lt_trace_run *runs;
	size_t nruns;
	struct lt_losses lost;		/* sum over stages */
	/* In order of first event after finish; "" among them when named. */
	struct lt_trace_device *devices;
	size_t ndevices;
};

void lt_trace_init(struct lt_trace *t);
void lt_trace_release(struct lt_trace *t);

/* Adds one log held in memory; name is how diagnostics refer to it. */
int lt_trace_add_log(struct lt_trace *t, const char *name, const void *buf,
		     size_t len, char *err, size_t errlen);
int lt_trace_add_file(struct lt_trace *t, const char *path, char *err,
		      size_t errlen);

/* Orders stages, maps clocks, places and orders events, drops duplicates. */
int lt_trace_finish(struct lt_trace *t, char *err, size_t errlen);

/* The device of that ev.dev ("" included), or NULL: no event names it. */
const struct lt_trace_device *lt_trace_device_named(const struct lt_trace *t,
						    const char *dev);
/* The position in d->events of the first event after event index i. */
size_t lt_trace_device_after(const struct lt_trace_device *d, size_t i);

/*
 * Whether stage s's trace has every event of the kinds given (enum
 * lutrace_boot_traced) from axis time from_ns on: its recorder attached by
 * then, or the import has them from boot. Never without attach_known.
 */
bool lt_trace_saw_from(const struct lt_trace *t, size_t s, int64_t from_ns,
		       uint32_t kinds);

/* Index of the stage with this number, or -1. */
long lt_trace_stage_index(const struct lt_trace *t, uint32_t number);
/*
 * Index of the stage numbered one more than stage s, or -1 when the trace
 * has none: the last stage, or a gap (stage k+1's log is missing, even if
 * k+2's is there). Only the stage k+1 is the one stage k handed over to.
 */
long lt_trace_next_stage(const struct lt_trace *t, size_t s);
/*
 * The clock's bound on a time span from stage a to stage b (indices): the
 * mapping's errors accumulate along the chain of stages, so the span's
 * share is the step between the two; 0 within one stage.
 */
uint64_t lt_trace_span_error_ns(const struct lt_trace *t, size_t a, size_t b);

#endif
