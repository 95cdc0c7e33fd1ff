/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_KERNEL_PROBE_H
#define LUTRACE_KERNEL_PROBE_H

/*
 * What the running kernel offers, asked once before loading: which
 * tracepoints have BTF (tp_btf) or at least exist (raw_tp), which functions
 * have BTF (fentry) or a symbol (kprobe).
 *
 * BTF answers all of it on a kernel whose events are built in, from one
 * pass over its types into a hash of the names asked about (function names
 * and btf_trace_ typedefs). /proc/kallsyms, a second or so to read under
 * emulation, is read only when BTF lacks an answer.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;

struct kernel_probe {
	struct btf *vmlinux_btf;	/* NULL: no BTF in this kernel */
	uint32_t *btf_index;		/* type ids by name hash; 0: empty */
	size_t btf_index_mask;
	char *kallsyms;			/* "\n"-separated symbol names */
	bool kallsyms_tried;		/* read (or failed) already */
	char *events_dir;		/* tests: tracefs events/ stand-in, or NULL */
};

/* Loads vmlinux BTF if there is any; a kernel without is checked later. */
void kernel_probe_open(struct kernel_probe *kp);
void kernel_probe_close(struct kernel_probe *kp);

bool kernel_has_tp_btf(struct kernel_probe *kp, const char *tracepoint);
bool kernel_has_tracepoint(struct kernel_probe *kp, const char *tracepoint);
bool kernel_has_btf_func(struct kernel_probe *kp, const char *func);
/* A function BTF knows, or a symbol in kallsyms. */
bool kernel_has_symbol(struct kernel_probe *kp, const char *symbol);
/*
 * Whether perf can attach to tracepoint @event, "system/name": tracefs,
 * mounted, has its events/system/name/id.
 */
bool kernel_has_perf_tracepoint(struct kernel_probe *kp, const char *event);

/* For tests: probe a given BTF (kp takes it over) and symbol list
 * ("addr type name\n" lines) instead of the running kernel's. */
int kernel_probe_set_btf(struct kernel_probe *kp, struct btf *btf);
int kernel_probe_set_kallsyms(struct kernel_probe *kp, const char *text);
/* For tests: a directory standing in for tracefs' events/. */
int kernel_probe_set_events_dir(struct kernel_probe *kp, const char *dir);

#endif
