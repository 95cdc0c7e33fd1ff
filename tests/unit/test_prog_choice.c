// SPDX-License-Identifier: GPL-2.0
/* Which program of each tp_btf/raw_tp and fentry/kprobe pair gets loaded. */
#include <bpf/btf.h>
#include <criterion/criterion.h>
#include <stdio.h>

#include "kernel_probe.h"
#include "prog_choice.h"

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

static const struct prog_policy fentry_works = {
	.fentry_ok = true, .function_probes = true,
};

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
}

Test(prog_choice, tracepoints_prefer_tp_btf_and_fall_back_to_raw_tp)
{
	cr_assert(prog_choose(&kp, &fentry_works, "tp_btf/map"));
	cr_assert_not(prog_choose(&kp, &fentry_works, "raw_tp/map"));
	/* No BTF for it: raw_tp, found through its __traceiter_ symbol. */
	cr_assert_not(prog_choose(&kp, &fentry_works, "tp_btf/unmap"));
	cr_assert(prog_choose(&kp, &fentry_works, "raw_tp/unmap"));
	/* Not in this kernel at all. */
	cr_assert_not(prog_choose(&kp, &fentry_works, "tp_btf/vfio_pci_reset"));
	cr_assert_not(prog_choose(&kp, &fentry_works, "raw_tp/vfio_pci_reset"));
}

Test(prog_choice, functions_prefer_fentry_and_fall_back_to_kprobe)
{
	const struct prog_policy kprobes_only = { .function_probes = true };
	const struct prog_policy none = { .fentry_ok = true };

	cr_assert(prog_choose(&kp, &fentry_works, "fentry/pcie_flr"));
	cr_assert_not(prog_choose(&kp, &fentry_works, "kprobe/pcie_flr"));
	cr_assert_not(prog_choose(&kp, &kprobes_only, "fentry/pcie_flr"));
	cr_assert(prog_choose(&kp, &kprobes_only, "kprobe/pcie_flr"));
	/* No BTF for it, so no fentry; a symbol, so a kprobe. */
	cr_assert_not(prog_choose(&kp, &kprobes_only, "fentry/pci_pm_reset"));
	cr_assert(prog_choose(&kp, &kprobes_only, "kprobe/pci_pm_reset"));
	/* After a failed load with function probes: none. */
	cr_assert_not(prog_choose(&kp, &none, "fentry/pcie_flr"));
	cr_assert_not(prog_choose(&kp, &none, "kprobe/pcie_flr"));
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
