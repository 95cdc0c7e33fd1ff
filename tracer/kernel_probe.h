/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_KERNEL_PROBE_H
#define LUTRACE_KERNEL_PROBE_H

/*
 * What the running kernel offers, asked once before loading: which
 * tracepoints have BTF (tp_btf) or at least exist (raw_tp), which functions
 * have BTF (fentry) or a symbol (kprobe).
 */

#include <stdbool.h>

struct btf;

struct kernel_probe {
	struct btf *vmlinux_btf;	/* NULL: no BTF in this kernel */
	char *kallsyms;			/* "\n"-separated symbol names */
};

/* Returns 0, or -1 with why (no BTF is not an error: checked later). */
int kernel_probe_open(struct kernel_probe *kp, char *why, int whylen);
void kernel_probe_close(struct kernel_probe *kp);

bool kernel_has_tp_btf(const struct kernel_probe *kp, const char *tracepoint);
bool kernel_has_tracepoint(const struct kernel_probe *kp, const char *tracepoint);
bool kernel_has_btf_func(const struct kernel_probe *kp, const char *func);
bool kernel_has_symbol(const struct kernel_probe *kp, const char *symbol);

/* For tests: probe a given symbol list ("addr type name\n" lines). */
int kernel_probe_set_kallsyms(struct kernel_probe *kp, const char *text);

#endif
