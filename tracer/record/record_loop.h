/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_RECORD_LOOP_H
#define LUTRACE_RECORD_LOOP_H

/*
 * The recording loop of one stage. Each round it waits on the first source
 * (the BPF ring buffer) for up to poll_ms, takes in what the other sources
 * have without waiting (kmsg faults, markers), writes a drop record when
 * the sources' losses or the log's unwritten count moved, and every
 * anchor_every_ns a clock anchor, after which the transport copies the log
 * out (log_transport_sync). So the drop count in the log is never more
 * than a round old, the copy never more than an anchor interval behind.
 *
 * It ends cleanly (0) once *stop is set, by SIGINT or SIGTERM after
 * record_loop_catch_signals(), or by itself when duration_ns has passed.
 * While the log is in an outgoing LUO session (record_term_keeps_session),
 * SIGTERM does not stop it: init systems send SIGTERM to every process
 * before a kexec, and a recorder that exits releases the session and loses
 * the log. SIGTERM then only sets *flush: the loop writes the drop count
 * and an anchor and copies the log out at once, says so once on stderr,
 * and goes on recording up to the jump (SIGINT still stops it).
 * It ends with -1 as soon as a source or a write into the log fails (an
 * event, a drop record, an anchor), and err says which and why ("reading
 * /dev/kmsg: ...", "writing a drop record to the flight log: ..."). A
 * clean stop is said on notes too ("recording stopped: SIGINT", or the
 * duration). A failing copy of the LUO memfd into the log file does not
 * end it: the log is safe in the memfd, which only crosses the kexec while
 * the recorder holds its session; it is said once and retried.
 *
 * A full log never ends it: events that do not fit are counted as
 * unwritten, drop records and anchors that no longer fit are skipped and
 * counted (log_writer.h), and the closing drop record (log_writer_finish,
 * after the loop) has the true totals. The first time the log is full,
 * and the first time events are lost to each cause (lt_loss_cause), it
 * says so once on notes (stderr when NULL), followed by log_full_hint or,
 * for the ring buffer, lost_hint: what to raise, in the caller's words.
 * Only a failing write ends it.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record/log_transport.h"
#include "record/log_writer.h"
#include "record/record_source.h"

#define RECORD_POLL_MS 100
#define RECORD_ANCHOR_EVERY_NS 1000000000ull

struct record_loop {
	struct log_writer *log;
	struct log_transport *transport;
	struct record_source *sources;	/* the first one waits */
	size_t nsources;
	int poll_ms;
	uint64_t anchor_every_ns;
	uint64_t duration_ns;		/* 0: until stopped */
	volatile sig_atomic_t *stop;
	volatile sig_atomic_t *flush;	/* may be NULL */
	unsigned int flushes;		/* flush requests served */
	FILE *notes;			/* where it says why it degraded; NULL: stderr */
	const char *log_full_hint;	/* what to do about a full log, or NULL */
	const char *lost_hint;		/* about ring-buffer losses, or NULL */
	/* Losses counted before the loop (the tracefs import's), by cause. */
	struct lt_losses startup_lost;
	bool said_log_full;
	unsigned int said_lost;		/* a bit per cause already said */
	unsigned int copy_failures;	/* anchors since the copy last worked */
	char err[256];
};

/*
 * Set by SIGINT, and by SIGTERM unless record_term_keeps_session is set, in
 * which case SIGTERM sets record_flush_requested, once
 * record_loop_catch_signals() has run; record_stop_signal says which.
 */
extern volatile sig_atomic_t record_stop_requested;
extern volatile sig_atomic_t record_stop_signal;
extern volatile sig_atomic_t record_flush_requested;
extern volatile sig_atomic_t record_term_keeps_session;
void record_loop_catch_signals(void);

/* Runs until stopped (0) or until something fails (-1, see above). */
int record_loop_run(struct record_loop *l);
/* The losses so far by cause: the sources' and startup_lost. */
struct lt_losses record_loop_losses(const struct record_loop *l);

#endif
