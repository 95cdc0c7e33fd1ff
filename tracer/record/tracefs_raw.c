// SPDX-License-Identifier: GPL-2.0
#include "record/tracefs_raw.h"
#include "record/whole_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <tracefs.h>

static void close_cpus(struct tracefs_raw *r)
{
	for (size_t i = 0; i < r->ncpus; i++)
		close(r->fds[i]);
	r->ncpus = 0;
}

/* cpu0, cpu1, ...: the numbers may have holes (CPUs not possible). */
static int open_cpus(struct tracefs_raw *r, const char *buffer_dir,
		     char *err, size_t errlen)
{
	char path[512];

	for (int cpu = 0; cpu < TRACEFS_RAW_MAX_CPUS; cpu++) {
		int fd;

		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw",
			 buffer_dir, cpu);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			close_cpus(r);
			return -1;
		}
		r->cpus[r->ncpus] = cpu;
		r->fds[r->ncpus++] = fd;
	}
	if (!r->ncpus) {
		snprintf(err, errlen, "%s/per_cpu: no trace_pipe_raw", buffer_dir);
		return -1;
	}
	return 0;
}

static int parse_file(struct tep_handle *tep, const char *path, const char *sys)
{
	size_t len;
	char *buf = whole_file(path, 4096, &len);
	int ret;

	if (!buf)
		return -1;
	ret = sys ? (tep_parse_event(tep, buf, len, sys) ? -1 : 0)
		  : tep_parse_header_page(tep, buf, len, (int)sizeof(long));
	free(buf);
	return ret;
}

/*
 * The header page and the formats of systems. libtracefs' own loader also
 * reads all of /proc/kallsyms, seconds on a big kernel for symbols no
 * event of ours prints; libtraceevent parses, libtracefs lists the events.
 */
static struct tep_handle *load_formats(const char *dir, const char *const *systems,
				       char *err, size_t errlen)
{
	struct tep_handle *tep = tep_alloc();
	char path[512];

	if (!tep)
		abort();
	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	if (parse_file(tep, path, NULL)) {
		snprintf(err, errlen, "%s: cannot read or parse it", path);
		goto fail;
	}
	for (size_t s = 0; systems[s]; s++) {
		const char *slash = strchr(systems[s], '/');
		char **events;

		if (slash) {	/* SYSTEM/EVENT: that one only */
			char sys[64];

			snprintf(sys, sizeof(sys), "%.*s", (int)(slash - systems[s]), systems[s]);
			snprintf(path, sizeof(path), "%s/events/%s/format", dir, systems[s]);
			if (parse_file(tep, path, sys)) {
				snprintf(err, errlen, "%s: cannot read or parse it", path);
				goto fail;
			}
			continue;
		}
		events = tracefs_system_events(dir, systems[s]);

		/* A system this kernel lacks has no events to read: not an error. */
		for (size_t e = 0; events && events[e]; e++) {
			snprintf(path, sizeof(path), "%s/events/%s/%s/format", dir,
				 systems[s], events[e]);
			if (parse_file(tep, path, systems[s])) {
				snprintf(err, errlen, "%s: cannot read or parse it", path);
				tracefs_list_free(events);
				goto fail;
			}
		}
		tracefs_list_free(events);
	}
	return tep;
fail:
	tep_free(tep);
	return NULL;
}

int tracefs_raw_open(struct tracefs_raw *r, const char *formats_dir,
		     const char *const *systems, const char *buffer_dir,
		     char *err, size_t errlen)
{
	int size;

	memset(r, 0, sizeof(*r));
	r->tep = load_formats(formats_dir, systems, err, errlen);
	if (!r->tep)
		return -1;
	/* A sub-buffer is a page unless buffer_subbuf_size_kb says otherwise. */
	size = tep_get_sub_buffer_size(r->tep);
	r->subbuf_size = size > 0 ? (size_t)size : (size_t)getpagesize();
	r->kbuf = kbuffer_alloc(KBUFFER_LSIZE_SAME_AS_HOST, KBUFFER_ENDIAN_SAME_AS_HOST);
	r->subbuf = malloc(r->subbuf_size);
	if (!r->kbuf || !r->subbuf)
		abort();
	if (open_cpus(r, buffer_dir, err, errlen)) {
		tracefs_raw_close(r);
		return -1;
	}
	return 0;
}

static int read_subbuf(struct tracefs_raw *r, int cpu, tracefs_raw_fn fn, void *ctx)
{
	unsigned long long ts;
	int missed, ret = 0;
	void *data;

	if (kbuffer_load_subbuffer(r->kbuf, r->subbuf))
		return 0;	/* not a sub-buffer: nothing to take from it */
	/* -1: lost, but the kernel had no room to say how many */
	missed = kbuffer_missed_events(r->kbuf);
	if (missed)
		r->missed += missed > 0 ? (uint64_t)missed : 1;
	for (data = kbuffer_read_event(r->kbuf, &ts); data && !ret;
	     data = kbuffer_next_event(r->kbuf, &ts)) {
		struct tep_record rec = {
			.ts = ts, .data = data, .cpu = cpu,
			.size = kbuffer_event_size(r->kbuf),
		};

		rec.record_size = rec.size;
		ret = fn(ctx, tep_find_event_by_record(r->tep, &rec), &rec);
	}
	return ret;
}

int tracefs_raw_read(struct tracefs_raw *r, tracefs_raw_fn fn, void *ctx)
{
	for (size_t i = 0; i < r->ncpus; i++) {
		ssize_t n;
		int ret;

		/* Each read is one whole sub-buffer; empty is EAGAIN (or EOF). */
		while ((n = read(r->fds[i], r->subbuf, r->subbuf_size)) > 0) {
			if ((size_t)n < r->subbuf_size)
				memset((char *)r->subbuf + n, 0, r->subbuf_size - (size_t)n);
			ret = read_subbuf(r, r->cpus[i], fn, ctx);
			if (ret)
				return ret;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
	}
	return 0;
}

void tracefs_raw_close(struct tracefs_raw *r)
{
	close_cpus(r);
	if (r->kbuf)
		kbuffer_free(r->kbuf);
	if (r->tep)
		tep_free(r->tep);
	free(r->subbuf);
	memset(r, 0, sizeof(*r));
}

bool tracefs_raw_string(struct tep_event *event, struct tep_record *rec,
			const char *name, char *out, size_t len)
{
	struct tep_format_field *f = tep_find_field(event, name);
	const char *p;
	int flen = 0;
	size_t n;

	out[0] = '\0';
	if (!f)
		return false;
	p = tep_get_field_raw(NULL, event, name, rec, &flen, 0);
	/* char buf[] (trace_marker's) has size 0: it runs to the record's end */
	if (p && !flen && f->offset < rec->size)
		flen = rec->size - f->offset;
	if (!p || flen <= 0)
		return p != NULL;
	n = strnlen(p, (size_t)flen);
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

bool tracefs_raw_number(struct tep_event *event, struct tep_record *rec,
			const char *name, uint64_t *value)
{
	struct tep_format_field *f = tep_find_field(event, name);
	unsigned long long v;

	/* tep_get_field_val() would look the field up a second time */
	if (!f || tep_read_number_field(f, rec->data, &v))
		return false;
	*value = v;
	return true;
}
