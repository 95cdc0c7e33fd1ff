// SPDX-License-Identifier: GPL-2.0
#include "record/record_loop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "record/clock_anchor.h"

volatile sig_atomic_t record_stop_requested;
volatile sig_atomic_t record_stop_signal;
volatile sig_atomic_t record_flush_requested;
volatile sig_atomic_t record_term_keeps_session;

static void on_stop_signal(int sig)
{
	if (sig == SIGTERM && record_term_keeps_session) {
		record_flush_requested = 1;
	} else {
		record_stop_signal = sig;
		record_stop_requested = 1;
	}
}

void record_loop_catch_signals(void)
{
	signal(SIGINT, on_stop_signal);
	signal(SIGTERM, on_stop_signal);
}

/* An event for the log; a failing write is the loop's to report. */
static int append(void *ctx, const struct lt_event *e)
{
	struct record_loop *l = ctx;
	int ret = log_writer_append(l->log, e);

	if (ret && !l->err[0])
		snprintf(l->err, sizeof(l->err), "writing an event to the flight log: %s",
			 strerror(-ret));
	return ret;
}

struct lt_losses record_loop_losses(const struct record_loop *l)
{
	struct lt_losses sum = l->startup_lost;

	for (size_t i = 0; i < l->nsources; i++)
		if (l->sources[i].lost)
			l->sources[i].lost(l->sources[i].self, &sum);
	return sum;
}

static int read_source(struct record_loop *l, const struct record_source *s,
		       int wait_ms)
{
	int ret = s->read(s->self, wait_ms, l->log->stage, append, l);

	if (ret && !l->err[0])
		snprintf(l->err, sizeof(l->err), "reading %s: %s",
			 s->what ? s->what : "an event source",
			 ret < 0 ? strerror(-ret) : "it failed");
	return ret;
}

/* What a loss of each cause means, for the line that says it once. */
static const char *const loss_meaning[LT_LOSS_NR_CAUSES] = {
	[LT_LOSS_RING_BUFFER] = "the ring buffer was full",
	[LT_LOSS_MARKER_LOST] = "the trace_marker instance's buffer was full; milestones are missing",
	[LT_LOSS_KMSG_OVERRUN] = "/dev/kmsg records were overwritten before lutrace read them; DMAR faults may be missing",
	[LT_LOSS_TRACEFS_OVERRUN] = "the tracefs buffer overwrote boot-time events before lutrace imported them",
	[LT_LOSS_SHORT_SAMPLE] = "ring-buffer samples were shorter than an event (a BPF object of another lutrace?)",
	[LT_LOSS_PROG_RECURSION] = "the kernel skipped runs of lutrace's BPF programs (one already running on that CPU, preempted): events may be missing",
};

/*
 * Why the recording degraded, once each: the log is full (recording goes
 * on, counting what it cannot write), or events were lost, by cause.
 */
static void say_degraded(struct record_loop *l, const struct lt_losses *lost)
{
	FILE *out = l->notes ? l->notes : stderr;
	const struct log_writer *w = l->log;

	if (w->unwritten && !l->said_log_full) {
		l->said_log_full = true;
		fprintf(out, "lutrace: flight log full at %llu bytes: %llu event(s) not written; recording goes on and counts them, and the log ends with the true totals%s%s\n",
			(unsigned long long)(w->capacity ? w->capacity : w->pos),
			(unsigned long long)w->unwritten,
			l->log_full_hint ? "; " : "",
			l->log_full_hint ? l->log_full_hint : "");
	}
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++) {
		const char *hint = c == LT_LOSS_RING_BUFFER ? l->lost_hint : NULL;

		if (!loss_meaning[c] || !lost->by_cause[c] || (l->said_lost & 1u << c))
			continue;
		l->said_lost |= 1u << c;
		fprintf(out, "lutrace: events were lost (%s): %s (%llu so far)%s%s\n",
			lt_loss_cause_name(c), loss_meaning[c],
			(unsigned long long)lost->by_cause[c],
			hint ? "; " : "", hint ? hint : "");
	}
}

/* A write into the log or its copy failed: what, and why. */
static int failed(struct record_loop *l, const char *what, int ret)
{
	snprintf(l->err, sizeof(l->err), "%s: %s", what, strerror(ret < 0 ? -ret : EIO));
	return -1;
}

/*
 * The copy of the LUO memfd into the log file. It failing (a full disk) is
 * said once and retried at every anchor, not a reason to stop: the log is
 * safe in the memfd, which crosses the kexec only while the recorder holds
 * its session, so stopping would be what loses it.
 */
static void copy_log_out(struct record_loop *l)
{
	int ret = log_transport_sync(l->transport, l->log->pos);

	if (!ret) {
		if (l->copy_failures)
			fprintf(l->notes ? l->notes : stderr,
				"lutrace: the copy of the flight log into %s is up to date again\n",
				l->transport->path ? l->transport->path : "its file");
		l->copy_failures = 0;
		return;
	}
	if (!l->copy_failures++)
		fprintf(l->notes ? l->notes : stderr,
			"lutrace: copying the flight log into %s: %s; the log is safe in its LUO memfd, which crosses the kexec, and the copy is retried at every anchor\n",
			l->transport->path ? l->transport->path : "its file",
			strerror(-ret));
}

/* Why a clean stop came, on notes. */
static void say_stopped(struct record_loop *l, bool by_duration)
{
	FILE *out = l->notes ? l->notes : stderr;

	if (by_duration)
		fprintf(out, "lutrace: recording stopped: --duration of %llu s passed\n",
			(unsigned long long)(l->duration_ns / 1000000000ull));
	else if (l->stop == &record_stop_requested && record_stop_signal)
		fprintf(out, "lutrace: recording stopped: %s\n",
			record_stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
	else
		fprintf(out, "lutrace: recording stopped: asked to stop\n");
}

int record_loop_run(struct record_loop *l)
{
	uint64_t start = clock_boottime_ns(), last_anchor = start;
	bool by_duration = false;
	int ret;

	l->err[0] = '\0';
	while (!*l->stop) {
		uint64_t now;
		struct lt_losses lost;

		ret = l->nsources ? read_source(l, &l->sources[0], l->poll_ms) : 0;
		for (size_t i = 1; !ret && i < l->nsources; i++)
			ret = read_source(l, &l->sources[i], 0);
		if (ret)
			return -1;
		now = clock_boottime_ns();
		lost = record_loop_losses(l);
		say_degraded(l, &lost);
		/* Only a failing write ends it: a full log skips the record. */
		ret = log_writer_drops(l->log, &lost, false);
		if (ret)
			return failed(l, "writing a drop record to the flight log", ret);
		if (l->flush && *l->flush) {
			*l->flush = 0;
			if (!l->flushes++)
				fprintf(l->notes ? l->notes : stderr,
					"lutrace: SIGTERM: flight log flushed; recording goes on in its LUO session up to the kexec (SIGINT stops it)\n");
			last_anchor = now - l->anchor_every_ns;
		}
		if (now - last_anchor >= l->anchor_every_ns) {
			ret = log_writer_anchor(l->log);
			if (ret)
				return failed(l, "writing a clock anchor to the flight log", ret);
			copy_log_out(l);
			last_anchor = now;
		}
		if (l->duration_ns && now - start >= l->duration_ns) {
			*l->stop = 1;
			by_duration = true;
		}
	}
	say_stopped(l, by_duration);
	return 0;
}
