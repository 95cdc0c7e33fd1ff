// SPDX-License-Identifier: GPL-2.0
/* Which program of each tp_btf/raw_tp and fentry/kprobe pair gets loaded. */
#include <bpf/btf.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/kernel_probe.h"
#include "record/prog_choice.h"

static struct kernel_probe kp;

/*
 * A kernel with BTF for tracepoint "map" and function pcie_flr, and symbols
 * (kallsyms) for those plus tracepoint "unmap" and function pci_pm_reset,
 * which have no BTF.
 */
static void fake_kernel(void)
{
	struct btf *btf = btf__new_empty();
	int proto;

	cr_assert_not_null(btf);
	proto = btf__add_func_proto(btf, 0);
	cr_assert_gt(proto, 0);
	cr_assert_gt(btf__add_typedef(btf, "btf_trace_map", proto), 0);
	cr_assert_gt(btf__add_func(btf, "pcie_flr", BTF_FUNC_GLOBAL, proto), 0);
	cr_assert_eq(kernel_probe_set_btf(&kp, btf), 0);
	cr_assert_eq(kernel_probe_set_kallsyms(&kp,
		"ffffffff81d414a0 T __traceiter_map\n"
		"ffffffff81d414c0 T __traceiter_unmap\n"
		"ffffffff81c4d9d0 T pcie_flr\n"
		"ffffffff81c4dd80 t pci_pm_reset\n"), 0);
}

static void release(void)
{
	kernel_probe_close(&kp);
}

TestSuite(prog_choice, .init = fake_kernel, .fini = release);

Test(prog_choice, kind_and_target_from_the_section)
{
	const char *target;

	cr_assert_eq(prog_kind_of("tp_btf/vfio_pci_reset", &target), PK_TP_BTF);
	cr_assert_str_eq(target, "vfio_pci_reset");
	cr_assert_eq(prog_kind_of("kprobe/pcie_flr", &target), PK_KPROBE);
	cr_assert_str_eq(target, "pcie_flr");
	cr_assert_eq(prog_kind_of("raw_tp/map", &target), PK_RAW_TP);
	cr_assert_eq(prog_kind_of("fentry/pcie_flr", &target), PK_FENTRY);
	cr_assert_eq(prog_kind_of(".text", &target), PK_OTHER);
	cr_assert_eq(prog_preferred_kind(PK_RAW_TP), PK_TP_BTF);
	cr_assert_eq(prog_preferred_kind(PK_KPROBE), PK_FENTRY);
	cr_assert_eq(prog_kind_of("fexit/pcie_flr", &target), PK_FEXIT);
	cr_assert_str_eq(target, "pcie_flr");
	cr_assert_eq(prog_kind_of("kretprobe/pcie_flr", &target), PK_KRETPROBE);
	cr_assert_str_eq(target, "pcie_flr");
	cr_assert_eq(prog_preferred_kind(PK_KRETPROBE), PK_FEXIT);
	cr_assert_eq(prog_preferred_kind(PK_FEXIT), PK_OTHER, "fexit is no fallback");
	cr_assert_str_eq(prog_kind_name(PK_KRETPROBE), "kretprobe");
}

/* Each section, under each policy: is its program the one loaded? */
Test(prog_choice, one_program_of_each_pair)
{
	static const struct prog_policy fentry = { .fentry_ok = true, .function_probes = true };
	static const struct prog_policy kprobes = { .function_probes = true };
	static const struct prog_policy none = { .fentry_ok = true };
	static const struct {
		const struct prog_policy *pol;
		const char *section;
		bool loaded;
	} cases[] = {
		/* Tracepoints prefer tp_btf and fall back to raw_tp... */
		{ &fentry, "tp_btf/map", true }, { &fentry, "raw_tp/map", false },
		/* ...found through its __traceiter_ symbol when BTF lacks it. */
		{ &fentry, "tp_btf/unmap", false }, { &fentry, "raw_tp/unmap", true },
		/* Not in this kernel at all. */
		{ &fentry, "tp_btf/vfio_pci_reset", false },
		{ &fentry, "raw_tp/vfio_pci_reset", false },
		/* Functions prefer fentry and fall back to kprobe. */
		{ &fentry, "fentry/pcie_flr", true }, { &fentry, "kprobe/pcie_flr", false },
		{ &kprobes, "fentry/pcie_flr", false }, { &kprobes, "kprobe/pcie_flr", true },
		/* No BTF for it, so no fentry; a symbol, so a kprobe. */
		{ &kprobes, "fentry/pci_pm_reset", false },
		{ &kprobes, "kprobe/pci_pm_reset", true },
		/* Function exits: fexit where fentry can go, else kretprobe. */
		{ &fentry, "fexit/pcie_flr", true }, { &fentry, "kretprobe/pcie_flr", false },
		{ &kprobes, "fexit/pcie_flr", false }, { &kprobes, "kretprobe/pcie_flr", true },
		{ &fentry, "fexit/pci_pm_reset", false },
		{ &fentry, "kretprobe/pci_pm_reset", true },
		/* After loads failed with function probes: none. */
		{ &none, "fentry/pcie_flr", false }, { &none, "kprobe/pcie_flr", false },
		{ &none, "fexit/pcie_flr", false }, { &none, "kretprobe/pcie_flr", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(prog_choose(&kp, cases[i].pol, cases[i].section), cases[i].loaded,
			     "case %zu: %s", i, cases[i].section);
}

/*
 * The series' pci_reset and pci_bus_master events replace the probes on the
 * reset and bus-master functions: one event per reset, seen from boot on.
 */
Test(prog_choice, pci_events_replace_the_function_probes)
{
	static const struct prog_policy fentry = { .fentry_ok = true, .function_probes = true };
	static const struct prog_policy kprobes = { .function_probes = true };
	struct kernel_probe k = { 0 };
	struct btf *btf = btf__new_empty();
	int proto = btf__add_func_proto(btf, 0);

	cr_assert_gt(btf__add_typedef(btf, "btf_trace_pci_reset", proto), 0);
	cr_assert_gt(btf__add_func(btf, "pcie_flr", BTF_FUNC_GLOBAL, proto), 0);
	cr_assert_gt(btf__add_func(btf, "pci_reset_bus", BTF_FUNC_GLOBAL, proto), 0);
	cr_assert_gt(btf__add_func(btf, "pci_set_master", BTF_FUNC_GLOBAL, proto), 0);
	cr_assert_eq(kernel_probe_set_btf(&k, btf), 0);
	cr_assert_eq(kernel_probe_set_kallsyms(&k, "ffffffff81c4d9d0 T pcie_flr\n"), 0);
	cr_assert(prog_choose(&k, &fentry, "tp_btf/pci_reset"));
	cr_assert_not(prog_choose(&k, &fentry, "fentry/pcie_flr"));
	cr_assert_not(prog_choose(&k, &kprobes, "kprobe/pcie_flr"));
	cr_assert_not(prog_choose(&k, &fentry, "fentry/pci_reset_bus"));
	/* No pci_bus_master in this kernel: bus mastering is still probed. */
	cr_assert(prog_choose(&k, &fentry, "fentry/pci_set_master"));
	cr_assert_not(prog_choose(&k, &fentry, "tp_btf/pci_bus_master"));
	kernel_probe_close(&k);
}

/* kallsyms takes a second to read under emulation: BTF answers first. */
Test(kernel_probe, btf_answers_without_reading_kallsyms)
{
	struct kernel_probe k = { 0 };
	struct btf *btf = btf__new_empty();
	char name[32];
	int proto = btf__add_func_proto(btf, 0);

	/* Enough names for the hash to collide and wrap. */
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "func_%d", i);
		cr_assert_gt(btf__add_func(btf, name, BTF_FUNC_GLOBAL, proto), 0);
		snprintf(name, sizeof(name), "btf_trace_tp_%d", i);
		cr_assert_gt(btf__add_typedef(btf, name, proto), 0);
	}
	cr_assert_gt(btf__add_typedef(btf, "not_a_tracepoint", proto), 0);
	cr_assert_eq(kernel_probe_set_btf(&k, btf), 0);
	for (int i = 0; i < 3000; i += 7) {
		snprintf(name, sizeof(name), "func_%d", i);
		cr_assert(kernel_has_btf_func(&k, name), "%s", name);
		cr_assert(kernel_has_symbol(&k, name), "%s", name);
		snprintf(name, sizeof(name), "tp_%d", i);
		cr_assert(kernel_has_tp_btf(&k, name), "%s", name);
		cr_assert_not(kernel_has_btf_func(&k, name), "a typedef is no function");
	}
	cr_assert_not(kernel_has_btf_func(&k, "func_3000"));
	cr_assert_not(kernel_has_tp_btf(&k, "func_1"), "a function is no tracepoint");
	cr_assert_not(k.kallsyms_tried, "kallsyms was read");
	kernel_probe_close(&k);
}

/*
 * Where perf can attach a tracepoint (its events/SYSTEM/NAME/id in tracefs),
 * its perf program is chosen, and prog_prefer_perf() drops its tp_btf and
 * raw_tp ones: those run preemptible, and the kernel skips runs of one that
 * another task was preempted in (events lost under concurrency).
 */
Test(prog_choice, perf_tracepoints_first)
{
	static const struct prog_policy perf = { .fentry_ok = true, .function_probes = true,
						 .perf_tracepoints = true };
	static const struct prog_policy no_perf = { .fentry_ok = true, .function_probes = true };
	char dir[] = "/tmp/lutrace-events-XXXXXX", path[256];
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/iommu", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/iommu/map", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/iommu/map/id", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("1234\n", f);
	fclose(f);
	cr_assert_eq(kernel_probe_set_events_dir(&kp, dir), 0);

	cr_assert(kernel_has_perf_tracepoint(&kp, "iommu/map"));
	cr_assert_not(kernel_has_perf_tracepoint(&kp, "other/map"), "the exact system only");
	cr_assert_not(kernel_has_perf_tracepoint(&kp, "iommu/unmap"));
	cr_assert_not(kernel_has_perf_tracepoint(&kp, "*/map"), "no globbing");
	cr_assert_not(kernel_has_perf_tracepoint(&kp, "../iommu/map"));
	cr_assert(prog_choose(&kp, &perf, "tp/iommu/map"));
	cr_assert_not(prog_choose(&kp, &perf, "tp/other/map"), "a wrong system is not attached");
	cr_assert_not(prog_choose(&kp, &perf, "tp/iommu/unmap"));
	cr_assert_not(prog_choose(&kp, &no_perf, "tp/iommu/map"), "after a failed load");
	{
		/* A wrong system's twin leaves that event to tp_btf, not to nothing */
		const char *sections[] = { "tp_btf/map", "raw_tp/map", "tp/iommu/map",
					   "raw_tp/unmap", "tp/iommu/unmap", "tp_btf/other",
					   "tp/wrong/other" };
		bool chosen[] = { true, false, true, true, false, true, false };
		const bool want[] = { false, false, true, true, false, true, false };

		prog_prefer_perf(sections, chosen, 7);
		for (size_t i = 0; i < 7; i++)
			cr_assert_eq(chosen[i], want[i], "%s", sections[i]);
	}

	remove(path);
	snprintf(path, sizeof(path), "%s/iommu/map", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/iommu", dir);
	rmdir(path);
	rmdir(dir);
}

/*
 * kprobes before fentry: fentry's trampoline runs its program preemptible,
 * and the kernel skips that program's runs on a CPU where another task was
 * preempted in it. fentry stays for a function BTF knows without a symbol.
 */
Test(prog_choice, kprobes_first)
{
	static const struct prog_policy kfirst = { .fentry_ok = true, .function_probes = true,
						   .kprobes_first = true };

	cr_assert(prog_choose(&kp, &kfirst, "kprobe/pcie_flr"));
	cr_assert_not(prog_choose(&kp, &kfirst, "fentry/pcie_flr"));
	cr_assert(prog_choose(&kp, &kfirst, "kretprobe/pcie_flr"));
	cr_assert_not(prog_choose(&kp, &kfirst, "fexit/pcie_flr"));
	cr_assert(prog_choose(&kp, &kfirst, "kprobe/pci_pm_reset"));
	cr_assert_not(prog_choose(&kp, &kfirst, "fentry/pci_pm_reset"));
}
