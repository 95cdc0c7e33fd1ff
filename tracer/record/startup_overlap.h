/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_STARTUP_OVERLAP_H
#define LUTRACE_STARTUP_OVERLAP_H

/*
 * The series' events that fire while lutrace starts are in two places: the
 * top-level tracefs buffer (boot-time trace_event=, tracefs_import.h) and,
 * from the moment their program attached, the BPF ring buffer. So that each
 * is in the log once:
 *
 * - the cut-off is taken before the first program attaches: an imported
 *   event older than it cannot have been seen by BPF and goes to the log;
 * - a younger one is held; a BPF event with the same fields
 *   (event_same_fields) stamped within OVERLAP_MATCH_NS of it takes its
 *   place, one for one, the nearest first (BPF's copy has the process);
 * - once a round of the record loop has read the ring buffer after
 *   OVERLAP_SETTLE_NS past the import, BPF has delivered every copy it
 *   will of what the import read, and the held events left over (they
 *   fired before their program attached) go to the log.
 *
 * A recorder restarted in the same boot finds in the buffer the events its
 * stage's earlier run saw through BPF (reading took out only what was there
 * when that run started): those not younger than the latest event of the
 * series in the log (previous_run_ns) are there already and are skipped;
 * so are the trace_marker milestones not younger than the latest in the log
 * (previous_markers_ns).
 *
 * The milestones are in two places as well: the top-level buffer, which the
 * import reads, and the recorder's own instance (marker_source.h) from the
 * moment it exists. The instance's go through startup_overlap_live() as
 * BPF's events do, read before each round (startup_overlap_source()).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"
#include "record/record_source.h"

/* Two stamps of one event: tracefs' and BPF's probe run back to back. */
#define OVERLAP_MATCH_NS 10000000ull
/* From a tracefs probe to its BPF copy being in the ring buffer. */
#define OVERLAP_SETTLE_NS 10000000ull

struct startup_overlap {
	uint64_t cutoff_ns;		/* taken before attaching */
	uint64_t previous_run_ns;	/* a restart: what is older is logged */
	uint64_t previous_markers_ns;	/* the same for milestones; 0 at first */
	uint64_t import_ns;		/* when the import read the buffer; 0: not yet */
	uint64_t last_round_ns;		/* when the loop last read this source */
	struct lt_event *held;
	size_t nheld, cap;
	bool settled;			/* nothing held any more, ever */
	unsigned int duplicates;	/* held events BPF's copy replaced */
	unsigned int in_log_already;	/* skipped: an earlier run's */
	lt_event_fn fn;			/* where events go: the log */
	void *ctx;
	struct record_source live;	/* read before each round; .read NULL: none */
};

/* previous_run_ns: log_writer's, 0 when this is the stage's first run. */
void startup_overlap_start(struct startup_overlap *o, uint64_t cutoff_ns,
			   uint64_t previous_run_ns, lt_event_fn fn, void *ctx);
/* An lt_event_fn for tracefs_import(): o is ctx. */
int startup_overlap_imported(void *o, const struct lt_event *e);
/* The import has read the buffer, at now_ns. */
void startup_overlap_import_done(struct startup_overlap *o, uint64_t now_ns);
/* An event from BPF: written, and the held copy it matches dropped. */
int startup_overlap_from_bpf(struct startup_overlap *o, const struct lt_event *e);
/* The record loop's round at now_ns: writes what is held once it is settled. */
int startup_overlap_round(struct startup_overlap *o, uint64_t now_ns);
/* An lt_event_fn for events seen live (the marker instance's): o is ctx. */
int startup_overlap_live(void *o, const struct lt_event *e);
/*
 * o as a record loop source (after the ring buffer, which it waits for):
 * each round first reads live (if its read is not NULL) through
 * startup_overlap_live, then settles; live's losses are o's.
 */
struct record_source startup_overlap_record_source(struct startup_overlap *o,
						   struct record_source live);
/* Writes what is still held and frees it; 0, or what fn returned. */
int startup_overlap_finish(struct startup_overlap *o);

#endif
