// SPDX-License-Identifier: GPL-2.0
/*
 * The programs of the BPF object itself, opened but not loaded: user space
 * loads a tracepoint's perf program instead of its tp_btf and raw_tp ones
 * wherever perf can attach it (record/prog_choice.h), which only loses
 * nothing if every tracepoint has one.
 */
#include <bpf/libbpf.h>
#include <criterion/criterion.h>
#include <string.h>

#include "lutrace.skel.h"
#include "record/prog_choice.h"

/*
 * Choosing perf for a tracepoint drops its tp_btf and raw_tp programs: the
 * object must have a perf twin of every one, with the same event name.
 */
Test(bpf_object, every_tracepoint_has_a_perf_program)
{
	struct lutrace_bpf *skel = lutrace_bpf__open();
	struct bpf_program *p, *q;
	const char *target, *t;
	size_t pairs = 0;

	cr_assert_not_null(skel);
	bpf_object__for_each_program(p, skel->obj) {
		bool twin = false;

		if (prog_kind_of(bpf_program__section_name(p), &target) != PK_TP_BTF)
			continue;
		pairs++;
		bpf_object__for_each_program(q, skel->obj) {
			const char *name;

			if (prog_kind_of(bpf_program__section_name(q), &t) != PK_TP)
				continue;
			name = strchr(t, '/');
			twin = twin || (name && !strcmp(name + 1, target));
		}
		cr_expect(twin, "tp_btf/%s has no tp/SYSTEM/%s program", target, target);
	}
	cr_assert_gt(pairs, 20);
	lutrace_bpf__destroy(skel);
}
