/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_LOG_WRITER_H
#define LUTRACE_LOG_WRITER_H

/*
 * The writing side of a flight log for one stage (the recorder's log
 * writer; the loop that feeds it is record_loop.h). A new log starts at
 * stage 1; an existing log is continued, as the next stage when it was
 * written by another boot (stage 2 after the kexec) or as the same stage
 * when this boot wrote it (lutrace restarted). Anchors go in at start, on
 * request, at the kexec and at close; a drop record whenever a loss counter
 * moved, so the last one before the jump is as fresh as possible.
 *
 * The log may have a fixed capacity (a preserved memfd cannot grow). A
 * full log is never an error: events that do not fit are counted in memory
 * as unwritten; periodic drop records and anchors get some room of their
 * own after the events', and once that is gone too they are skipped and
 * counted (skipped_records). The last LOG_WRITER_CLOSING_RESERVE bytes
 * only the closing drop record and anchor (log_writer_finish) may use, so
 * the log always ends with the true totals: events seen = events +
 * unwritten, and the sources' losses, each under its cause.
 *
 * Each start is a new recorder run with a run id of its own (its start on
 * this boot's BOOTTIME), in every drop record it writes: a run's counters
 * start at zero, and readers sum a stage's runs (trace_join.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"
#include "record/clock_anchor.h"

struct log_writer {
	int fd;
	uint32_t stage;
	bool continues_stage;	/* this boot wrote the log before: a restart */
	uint64_t previous_run_ns; /* a restart: the latest series event logged */
	uint64_t previous_markers_ns; /* and the latest trace_marker milestone */
	uint64_t run_id;
	struct tsc_calibration cal;
	uint64_t pos;		/* bytes of log in fd */
	uint64_t capacity;	/* 0: unbounded */
	uint64_t events;
	uint64_t unwritten;	/* received, no room: the log_full cause */
	struct lt_losses written;	/* the counts of the last drop record */
	uint64_t skipped_records;	/* drop records and anchors with no room */
};

/* Room at the end of a pre-sized log that only the closing records use. */
#define LOG_WRITER_CLOSING_RESERVE 256

/* The stage a boot with this boot_id writes into an existing log. */
uint32_t log_writer_stage_for(const void *log, size_t len,
			      const uint8_t boot_id[16]);

/*
 * Writes into fd and writes the opening anchor and drop record. The first
 * used bytes of fd are the log so far (what log_transport found, 0 for a
 * new log): only they are read, not the pre-sized space after them.
 * capacity 0 means the file may grow.
 */
int log_writer_start(struct log_writer *r, int fd, uint64_t used,
		     uint64_t capacity, uint32_t flags,
		     const struct tsc_calibration *cal, char *err, size_t errlen);

/* Appends a prepared event of this stage (imported ones, for instance). */
int log_writer_append(struct log_writer *r, const struct lt_event *e);
/* An event from the BPF ring buffer. */
int log_writer_bpf_event(struct log_writer *r, const struct lutrace_event *e);
/* Skipped and counted, returning 0, when the log has no room for it. */
int log_writer_anchor(struct log_writer *r);
/*
 * Writes a drop record if a count changed (or always, with force); as
 * above. sources: the sources' losses so far by cause (NULL: none); the
 * log_full count is the writer's own unwritten.
 */
int log_writer_drops(struct log_writer *r, const struct lt_losses *sources,
		     bool force);
/*
 * The closing drop record and anchor, in the closing reserve; the fd stays
 * its owner's. Call it once per log_writer_start.
 */
int log_writer_finish(struct log_writer *r, const struct lt_losses *sources);

#endif
