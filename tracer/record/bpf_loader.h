/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_BPF_LOADER_H
#define LUTRACE_BPF_LOADER_H

/*
 * Loads lutrace.bpf.c the libbpf-tools way: open the skeleton, pick one
 * program of each tp_btf/raw_tp and fentry/kprobe pair from what this
 * kernel's BTF (kallsyms only where BTF has no answer) says, load once,
 * attach each program on its own so one missing event does not stop the
 * others, and say in -v what is and is not traced, and why. Where an fentry
 * program does not attach, a second load of the object brings its kprobe,
 * sharing the first one's ring buffer and drop counter; where loading fails
 * with fentry programs, kprobes take their place.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../bpf/lutrace.h"
#include "record/bpf_event.h"
#include "record/record_source.h"
#include "record/stopwatch.h"

struct bpf_loader_options {
	bool verbose;
	bool trace_iommu_mappings;
	bpf_event_fn on_event;
	void *ctx;
	struct stopwatch *sw;	/* laps of start-up, or NULL */
	/*
	 * Size of the ring buffer (the events map), set between open and load;
	 * a power of two multiple of the page size. 0: the object's (1 MiB).
	 */
	uint32_t ringbuf_bytes;
};

struct bpf_tracer;

/* Returns NULL with err set (no BTF, no privileges, nothing attachable). */
struct bpf_tracer *bpf_tracer_start(const struct bpf_loader_options *opt,
				    char *err, size_t errlen);
/* Delivers pending events; returns how many, or a negative errno. */
int bpf_tracer_poll(struct bpf_tracer *t, int timeout_ms);
/* Cumulative ring-buffer reserve failures counted in BPF. */
uint64_t bpf_tracer_dropped(const struct bpf_tracer *t);
/*
 * Read the runs of the programs the kernel skipped (prog_recursion) now;
 * while recording they are read at most every 100 ms, so call this before
 * the last losses are taken.
 */
void bpf_tracer_read_misses(struct bpf_tracer *t);
/* The ring buffer's size as loaded. */
uint32_t bpf_tracer_ringbuf_bytes(const struct bpf_tracer *t);
size_t bpf_tracer_attached(const struct bpf_tracer *t);
/* Events of the program that this kernel cannot trace at all. */
size_t bpf_tracer_untraced(const struct bpf_tracer *t);
void bpf_tracer_stop(struct bpf_tracer *t);

/*
 * The ring buffer as the record loop's first source: it waits in
 * bpf_tracer_poll(), its events go to opt->on_event, its losses are
 * bpf_tracer_dropped() (ring_buffer) and the samples too short to be an
 * event (short_sample), and a poll failure is "reading the ring buffer".
 */
struct record_source bpf_tracer_record_source(struct bpf_tracer *t);

#endif
