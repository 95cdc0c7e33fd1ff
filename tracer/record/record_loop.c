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

int record_loop_run(struct record_loop *l)
{
	uint64_t start = clock_boottime_ns(), last_anchor = start;

	l->err[0] = '\0';
	while (!*l->stop) {
		int ret = l->nsources ? read_source(l, &l->sources[0], l->poll_ms) : 0;
		uint64_t now = clock_boottime_ns();

		for (size_t i = 1; !ret && i < l->nsources; i++)
			ret = read_source(l, &l->sources[i], 0);
		if (ret || log_writer_drops(l->log, record_loop_lost(l), false))
			break;
		if (l->flush && *l->flush) {
			*l->flush = 0;
			if (!l->flushes++)
				fprintf(stderr, "lutrace: SIGTERM: flight log flushed; recording goes on in its LUO session up to the kexec (SIGINT stops it)\n");
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
