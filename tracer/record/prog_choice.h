/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_PROG_CHOICE_H
#define LUTRACE_PROG_CHOICE_H

/*
 * Which BPF programs this kernel gets, libbpf-tools style: a tracepoint has
 * a tp_btf and a raw_tp program, a kernel function an fentry and a kprobe
 * program (its exit an fexit and a kretprobe), and one of each pair is loaded, chosen from what the kernel
 * offers (kernel_probe.h). Known from the section name alone, so it is
 * testable without loading anything.
 *
 * A tracepoint also has a perf program ("tp/system/name"), preferred over
 * both where perf can attach that very event (prog_prefer_perf()): tracepoints run preemptible, and a tp_btf
 * or raw_tp program preempted on a CPU makes the kernel skip every other
 * run of it there until it resumes (recursion_misses: events lost under
 * concurrency), while perf runs it with preemption off.
 */

#include <stdbool.h>

#include "record/kernel_probe.h"

enum prog_kind {
	PK_TP_BTF, PK_RAW_TP, PK_FENTRY, PK_KPROBE, PK_FEXIT, PK_KRETPROBE,
	PK_TP,		/* a tracepoint through perf: "tp/system/name" */
	PK_OTHER
};

/*
 * "tp_btf/map" -> PK_TP_BTF, target "map"; "tp/iommu/map" -> PK_TP, target
 * "iommu/map"; PK_OTHER for anything else.
 */
enum prog_kind prog_kind_of(const char *section, const char **target);

/*
 * The kind a fallback program stands in for: raw_tp -> tp_btf, kprobe ->
 * fentry, kretprobe -> fexit; PK_OTHER for a kind that is no fallback.
 */
enum prog_kind prog_preferred_kind(enum prog_kind fallback);

/* "tp_btf", "kprobe", ...: the section prefix without its slash. */
const char *prog_kind_name(enum prog_kind kind);

struct prog_policy {
	bool fentry_ok;		/* fentry and fexit programs can be attached here */
	bool function_probes;	/* false after a load failure: none at all */
	bool perf_tracepoints;	/* tracepoints through perf where it can attach */
	/*
	 * kprobes and kretprobes before fentry and fexit: trampolines run
	 * their programs preemptible, with the same skipped runs as tp_btf
	 * (and a missed entry loses the IOMMU domain of a mapping), kprobes
	 * with preemption off. fentry and fexit then only stand in for a
	 * kprobe or kretprobe that did not attach (bpf_loader.c).
	 */
	bool kprobes_first;
};

/*
 * Whether to load the program of this section. A function probe of a reset
 * or of bus mastering is not loaded where the kernel has the pci event that
 * reports it (pci_reset, pci_bus_master).
 */
bool prog_choose(struct kernel_probe *kp, const struct prog_policy *pol,
		 const char *section);

/*
 * Of the programs of @sections chosen (@chosen, as prog_choose() said),
 * unchoose each tp_btf and raw_tp program whose perf twin, "tp/" any
 * system and the same event, is chosen: one program per tracepoint.
 */
void prog_prefer_perf(const char *const *sections, bool *chosen, size_t n);

/* The event of a perf section, "tp/iommu/map" -> "map"; NULL for any other. */
const char *prog_perf_event(const char *section);

#endif
