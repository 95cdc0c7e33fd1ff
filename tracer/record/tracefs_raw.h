/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TRACEFS_RAW_H
#define LUTRACE_TRACEFS_RAW_H

/*
 * A tracefs ring buffer read in binary, with the libraries made for it: the
 * per-CPU trace_pipe_raw pages (reading them takes them out of the buffer)
 * are cut into records by libtraceevent's kbuffer, and each record is
 * matched to its event by the formats under events/, which libtracefs loads.
 * A record's time is the buffer's trace_clock as the kernel stamped it, in
 * ns; its fields are read by name, so a changed print format changes
 * nothing and a changed field layout is followed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tep_handle;
struct tep_event;
struct tep_record;
struct kbuffer;

#define TRACEFS_RAW_MAX_CPUS 256

struct tracefs_raw {
	struct tep_handle *tep;
	struct kbuffer *kbuf;
	void *subbuf;
	size_t subbuf_size;
	int fds[TRACEFS_RAW_MAX_CPUS];	/* per_cpu/cpuN/trace_pipe_raw */
	int cpus[TRACEFS_RAW_MAX_CPUS];	/* the N of each */
	size_t ncpus;
	uint64_t missed;	/* records the buffer lost before they were read */
};

/*
 * Loads the formats of the given systems, or SYSTEM/EVENT for one event
 * (NULL-terminated), from formats_dir/events and opens every per_cpu/cpuN/trace_pipe_raw under
 * buffer_dir (a tracefs directory or one of its instances), non-blocking.
 * Returns 0, or -1 with err.
 */
int tracefs_raw_open(struct tracefs_raw *r, const char *formats_dir,
		     const char *const *systems, const char *buffer_dir,
		     char *err, size_t errlen);

/* A record and its event (NULL when no loaded format has its id). */
typedef int (*tracefs_raw_fn)(void *ctx, struct tep_event *event,
			      struct tep_record *rec);

/*
 * Feeds fn every record the buffer has now, CPU by CPU, each CPU's in time
 * order. Returns 0, what fn returned, or -errno of a failed read.
 */
int tracefs_raw_read(struct tracefs_raw *r, tracefs_raw_fn fn, void *ctx);

void tracefs_raw_close(struct tracefs_raw *r);

/* Field `name` of rec: a string (cut to fit out[len]) or a number; false if absent. */
bool tracefs_raw_string(struct tep_event *event, struct tep_record *rec,
			const char *name, char *out, size_t len);
bool tracefs_raw_number(struct tep_event *event, struct tep_record *rec,
			const char *name, uint64_t *value);

#endif
