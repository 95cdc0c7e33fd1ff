/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_MARKER_SOURCE_H
#define LUTRACE_MARKER_SOURCE_H

/*
 * The milestones a test or VMM writes to the top-level trace_marker
 * ("lutrace: ..." lines). BPF cannot see those writes: tracing_mark_write
 * is in kernel/trace/, which is built without ftrace hooks, so it takes no
 * fentry and no kprobe ("Could not probe notrace function"). Instead
 * lutrace makes a tracefs instance of its own with copy_trace_marker set
 * (Linux 6.17), into which the kernel copies every top-level trace_marker
 * line, stamped with the instance's trace_clock (boot, like the BPF events)
 * as an ftrace/print event; lutrace reads the instance's buffer in binary
 * (tracefs_raw.h) and takes the line from the event's buf field
 * (marker_text.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"
#include "record/marker_text.h"
#include "record/record_source.h"
#include "record/tracefs_raw.h"

#define MARKER_INSTANCE "lutrace"

struct marker_source {
	char dir[256];		/* the instance */
	bool open;		/* raw is open */
	struct tracefs_raw raw;	/* its buffer */
	uint64_t lost;		/* lines the buffer dropped (raw.missed), kept past close */
	uint32_t stage;		/* of the read in progress */
	lt_event_fn fn;
	void *ctx;
};

/*
 * Makes (or takes over) the instance under the tracefs directory and starts
 * copying. Returns 0, or -1 with err (no such option before Linux 6.17).
 */
int marker_source_open(struct marker_source *m, const char *tracefs,
		       char *err, size_t errlen);
/* Feeds fn each lutrace line read so far; 0, or what fn returned. */
int marker_source_read(struct marker_source *m, uint32_t stage,
		       lt_event_fn fn, void *ctx);
/* m as a record loop source: its losses are m->lost (marker_lost). */
struct record_source marker_record_source(struct marker_source *m);
/* Stops copying and removes the instance. */
void marker_source_close(struct marker_source *m);

#endif
