// SPDX-License-Identifier: GPL-2.0
#include "record/marker_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event-parse.h>

/* Per CPU: markers are a few lines a second, read every 100 ms. */
#define BUFFER_KB "64"

static int write_file(const struct marker_source *m, const char *name,
		      const char *value)
{
	char path[512];
	ssize_t n;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", m->dir, name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	ret = n < 0 ? -errno : (size_t)n != strlen(value) ? -EIO : 0;
	/* close() may set errno too: the write's own error comes first. */
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int marker_source_open(struct marker_source *m, const char *tracefs,
		       char *err, size_t errlen)
{
	static const char *const systems[] = { "ftrace/print", NULL };
	char why[384];
	int ret;

	memset(m, 0, sizeof(*m));
	snprintf(m->dir, sizeof(m->dir), "%s/instances/%s", tracefs, MARKER_INSTANCE);
	/* An instance left by a recorder that died is taken over. */
	if (mkdir(m->dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot make tracefs instance %s: %s", m->dir,
			 strerror(errno));
		m->dir[0] = '\0';
		return -1;
	}
	if ((ret = write_file(m, "buffer_size_kb", BUFFER_KB)) ||
	    (ret = write_file(m, "trace_clock", "boot")) ||
	    (ret = write_file(m, "trace", ""))) {
		snprintf(err, errlen, "cannot set up tracefs instance %s: %s", m->dir,
			 strerror(-ret));
		goto fail;
	}
	/* The print event's format is the top level's; the pages the instance's. */
	if (tracefs_raw_open(&m->raw, tracefs, systems, m->dir, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		goto fail;
	}
	m->open = true;
	ret = write_file(m, "options/copy_trace_marker", "1");
	if (ret) {
		snprintf(err, errlen, "%s/options/copy_trace_marker: %s%s", m->dir,
			 strerror(-ret), ret == -ENOENT ?
			 " (copying trace_marker into an instance needs Linux 6.17)" : "");
		goto fail;
	}
	return 0;
fail:
	marker_source_close(m);
	return -1;
}

/* A trace_marker write is an ftrace/print event; its text is the buf field. */
static int take_record(void *ctx, struct tep_event *ev, struct tep_record *rec)
{
	struct marker_source *m = ctx;
	char text[LT_TEXT_LEN];
	struct lt_event e;

	if (!ev || strcmp(ev->system, "ftrace") || strcmp(ev->name, "print") ||
	    !tracefs_raw_string(ev, rec, "buf", text, sizeof(text)) ||
	    !marker_text_is_ours(text))
		return 0;
	marker_text_to_event(text, rec->ts, m->stage, &e);
	return m->fn(m->ctx, &e);
}

int marker_source_read(struct marker_source *m, uint32_t stage,
		       lt_event_fn fn, void *ctx)
{
	int ret;

	if (!m->open)
		return 0;
	m->stage = stage;
	m->fn = fn;
	m->ctx = ctx;
	ret = tracefs_raw_read(&m->raw, take_record, m);
	m->lost = m->raw.missed;
	return ret;
}

static int read_markers(void *self, int wait_ms, uint32_t stage,
			lt_event_fn fn, void *ctx)
{
	(void)wait_ms;
	return marker_source_read(self, stage, fn, ctx);
}

static void markers_lost(void *self, struct lt_losses *sum)
{
	const struct marker_source *m = self;

	sum->by_cause[LT_LOSS_MARKER_LOST] += m->lost;
}

struct record_source marker_record_source(struct marker_source *m)
{
	return (struct record_source){ read_markers, markers_lost, m,
				       "the trace_marker copy (trace_pipe_raw of the lutrace instance)" };
}

void marker_source_close(struct marker_source *m)
{
	if (!m->dir[0])
		return;
	write_file(m, "options/copy_trace_marker", "0");
	if (m->open)
		tracefs_raw_close(&m->raw);
	m->open = false;
	rmdir(m->dir);
	m->dir[0] = '\0';
}
