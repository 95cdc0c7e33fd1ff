// SPDX-License-Identifier: GPL-2.0
#include "record/record_loop.h"

#include <stdio.h>
#include <string.h>

#include "record/clock_anchor.h"

volatile sig_atomic_t record_stop_requested;
volatile sig_atomic_t record_flush_requested;
volatile sig_atomic_t record_term_keeps_session;

static void on_stop_signal(int sig)
{
	if (sig == SIGTERM && record_term_keeps_session)
		record_flush_requested = 1;
	else
		record_stop_requested = 1;
}

void record_loop_catch_signals(void)
{
	signal(SIGINT, on_stop_signal);
	signal(SIGTERM, on_stop_signal);
}

static int append(void *ctx, const struct lt_event *e)
{
	return log_writer_append(ctx, e);
}

uint64_t record_loop_lost(const struct record_loop *l)
{
	uint64_t lost = 0;

	for (size_t i = 0; i < l->nsources; i++)
		if (l->sources[i].lost)
			lost += l->sources[i].lost(l->sources[i].self);
	return lost;
}

static int read_source(struct record_loop *l, const struct record_source *s,
		       int wait_ms)
{
	int ret = s->read(s->self, wait_ms, l->log->stage, append, l->log);

	if (ret < 0 && s->what)
		snprintf(l->err, sizeof(l->err), "reading %s: %s", s->what,
			 strerror(-ret));
	return ret;
}

/* The first source that lost events, by name. */
static const char *losing_source(const struct record_loop *l)
{
	for (size_t i = 0; i < l->nsources; i++)
		if (l->sources[i].lost && l->sources[i].lost(l->sources[i].self))
			return l->sources[i].what ? l->sources[i].what : "a source";
	return "a source";
}

/*
 * Why the recording degraded, once each: the log is full (recording goes
 * on, counting what it cannot write), or a source lost events.
 */
static void say_degraded(struct record_loop *l, uint64_t lost)
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
	if (lost && !l->said_lost) {
		l->said_lost = true;
		fprintf(out, "lutrace: events were lost: %s was full (%llu so far)%s%s\n",
			losing_source(l), (unsigned long long)lost,
			l->lost_hint ? "; " : "", l->lost_hint ? l->lost_hint : "");
	}
}

int record_loop_run(struct record_loop *l)
{
	uint64_t start = clock_boottime_ns(), last_anchor = start;

	l->err[0] = '\0';
	while (!*l->stop) {
		int ret = l->nsources ? read_source(l, &l->sources[0], l->poll_ms) : 0;
		uint64_t now = clock_boottime_ns(), lost;

		for (size_t i = 1; !ret && i < l->nsources; i++)
			ret = read_source(l, &l->sources[i], 0);
		if (ret)
			break;
		lost = record_loop_lost(l);
		say_degraded(l, lost);
		/* Only a failing write ends it: a full log skips the record. */
		if (log_writer_drops(l->log, lost, false))
			break;
		if (l->flush && *l->flush) {
			*l->flush = 0;
			if (!l->flushes++)
				fprintf(l->notes ? l->notes : stderr,
					"lutrace: SIGTERM: flight log flushed; recording goes on in its LUO session up to the kexec (SIGINT stops it)\n");
			last_anchor = now - l->anchor_every_ns;
		}
		if (now - last_anchor >= l->anchor_every_ns) {
			if (log_writer_anchor(l->log) ||
			    log_transport_sync(l->transport, l->log->pos))
				break;
			last_anchor = now;
		}
		if (l->duration_ns && now - start >= l->duration_ns) {
			*l->stop = 1;
			break;
		}
	}
	return *l->stop ? 0 : -1;
}
