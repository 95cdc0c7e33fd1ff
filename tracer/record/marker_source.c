// SPDX-License-Identifier: GPL-2.0
#include "record/marker_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/pci_name.h"
#include "record/tracefs_text.h"

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
	char path[512];
	int ret;

	memset(m, 0, sizeof(*m));
	m->pipe = -1;
	snprintf(m->dir, sizeof(m->dir), "%s/instances/%s", tracefs, MARKER_INSTANCE);
	/* An instance left by a recorder that died is taken over. */
	if (mkdir(m->dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot make tracefs instance %s: %s", m->dir,
			 strerror(errno));
		return -1;
	}
	if ((ret = write_file(m, "buffer_size_kb", BUFFER_KB)) ||
	    (ret = write_file(m, "trace_clock", "boot")) ||
	    (ret = write_file(m, "trace", ""))) {
		snprintf(err, errlen, "cannot set up tracefs instance %s: %s", m->dir,
			 strerror(-ret));
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", m->dir);
	m->pipe = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (m->pipe < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
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

void marker_text_to_event(const char *line, uint64_t boottime_ns,
			  uint32_t stage, struct lt_event *out)
{
	char text[LT_TEXT_LEN], path[16], token[24];
	const char *body = text;

	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->boottime_ns = boottime_ns;
	snprintf(text, sizeof(text), "%s", line);
	text[strcspn(text, "\n")] = '\0';
	if (!strncmp(body, LUTRACE_MARKER_PREFIX, strlen(LUTRACE_MARKER_PREFIX)))
		body += strlen(LUTRACE_MARKER_PREFIX);
	body += strspn(body, " ");
	text_field(body, "dev", out->dev, sizeof(out->dev));
	out->domain = pci_name_domain(out->dev);
	/* "preserved dev=D session=S token=T": joinable like the kernel's events */
	text_field(body, "session", out->session, sizeof(out->session));
	if (text_field(body, "token", token, sizeof(token)))
		out->token = strtoull(token, NULL, 0);
	if (!strncmp(body, "open_attempt", 12) && (body[12] == ' ' || !body[12])) {
		out->id = LT_EV_OPEN_ATTEMPT;
		out->arg = text_field(body, "path", path, sizeof(path)) &&
			   !strcmp(path, "group") ? LT_OPEN_GROUP : LT_OPEN_CDEV;
		return;
	}
	out->id = LT_EV_MARKER;
	snprintf(out->text, sizeof(out->text), "%s", body);
}

bool marker_line_to_event(const char *line, uint32_t stage, struct lt_event *out)
{
	char name[64];
	uint64_t ns;
	const char *text = tracefs_split_line(line, &ns, name, sizeof(name));

	/* "tracing_mark_write: lutrace: ...": the writer's IP, then the line */
	if (!text || strncmp(text, LUTRACE_MARKER_PREFIX, strlen(LUTRACE_MARKER_PREFIX)))
		return false;
	marker_text_to_event(text, ns, stage, out);
	return true;
}

/* One complete line of the pipe. */
static int take_line(struct marker_source *m, const char *line, uint32_t stage,
		     lt_event_fn fn, void *ctx)
{
	struct lt_event e;
	uint64_t lost;

	if (tracefs_lost_events(line, &lost)) {
		m->lost += lost;
		return 0;
	}
	return marker_line_to_event(line, stage, &e) ? fn(ctx, &e) : 0;
}

int marker_source_read(struct marker_source *m, uint32_t stage,
		       lt_event_fn fn, void *ctx)
{
	ssize_t n = 0;

	while (m->pipe >= 0 &&
	       (n = read(m->pipe, m->line + m->len, sizeof(m->line) - 1 - m->len)) > 0) {
		char *start = m->line, *nl;
		int ret = 0;

		m->len += (size_t)n;
		m->line[m->len] = '\0';
		while (!ret && (nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			ret = take_line(m, start, stage, fn, ctx);
			start = nl + 1;
		}
		m->len -= (size_t)(start - m->line);
		memmove(m->line, start, m->len);
		if (m->len == sizeof(m->line) - 1) {
			m->len = 0;	/* no line is this long: drop it, counted */
			m->lost++;
		}
		if (ret)
			return ret;
	}
	/* An empty pipe is EAGAIN; anything else is said, not taken for it. */
	if (m->pipe >= 0 && n < 0 && errno != EAGAIN && errno != EINTR)
		return -errno;
	return 0;
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
				       "the trace_marker copy (trace_pipe of the lutrace instance)" };
}

void marker_source_close(struct marker_source *m)
{
	if (!m->dir[0])
		return;
	write_file(m, "options/copy_trace_marker", "0");
	if (m->pipe >= 0)
		close(m->pipe);
	m->pipe = -1;
	rmdir(m->dir);
	m->dir[0] = '\0';
}
