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
 * line, stamped with the instance's trace_clock (boot, like the BPF events);
 * lutrace reads them from its trace_pipe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"
#include "record/record_source.h"

/* Lines of trace_marker that are lutrace's: the rest are someone else's. */
#define LUTRACE_MARKER_PREFIX "lutrace:"

/*
 * A "lutrace:" trace_marker line as a log event.
 * "lutrace: open_attempt dev=D path=cdev|group" is an attempt to open device
 * D some other way than through its session, made by a test to check that
 * it is refused; any other line is a marker, shown on device D's timeline
 * when it names dev=D, with session=S and token=T in the event's fields when
 * it names them. The text is kept up to LT_TEXT_LEN - 1 bytes.
 */
void marker_text_to_event(const char *line, uint64_t boottime_ns,
			  uint32_t stage, struct lt_event *out);

/*
 * A trace_marker line as tracefs shows it ("TIMESTAMP: tracing_mark_write:
 * lutrace: ..."), if it is one of lutrace's; see marker_text_to_event().
 */
bool marker_line_to_event(const char *line, uint32_t stage, struct lt_event *out);

#define MARKER_INSTANCE "lutrace"
#define MARKER_LINE_MAX 8192	/* a trace_marker write is at most 4 KiB */

struct marker_source {
	char dir[256];		/* the instance */
	int pipe;		/* its trace_pipe, non-blocking; -1: closed */
	char line[MARKER_LINE_MAX];
	size_t len;		/* a line not complete yet */
	uint64_t lost;		/* lines dropped: by the instance's buffer, or too long */
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
