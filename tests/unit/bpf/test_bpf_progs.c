// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF programs on the host kernel, through BPF_PROG_TEST_RUN: raw_tp
 * programs load anywhere (they bind to a tracepoint only when attached), so
 * every handler can be run with chosen arguments even on a kernel without
 * the series' tracepoints. Needs root; make test-bpf.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "lutrace.h"
#include "lutrace.skel.h"

#define MAX_EVENTS 64

static struct lutrace_bpf *skel;
static struct ring_buffer *rb;
static struct lutrace_event got[MAX_EVENTS];
static size_t ngot;

static int collect(void *ctx, void *data, size_t size)
{
	(void)ctx;
	cr_assert_eq(size, sizeof(struct lutrace_event));
	if (ngot < MAX_EVENTS)
		memcpy(&got[ngot++], data, sizeof(got[0]));
	return 0;
}

/* Loads every program whose section starts with prefix. */
static void load_section(const char *prefix, bool iommu_mappings,
			 unsigned int ring_bytes)
{
	struct bpf_program *p;

	if (geteuid() != 0)
		cr_skip_test("needs root to load BPF");
	skel = lutrace_bpf__open();
	cr_assert_not_null(skel);
	skel->rodata->trace_iommu_mappings = iommu_mappings;
	if (ring_bytes)
		bpf_map__set_max_entries(skel->maps.events, ring_bytes);
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, !strncmp(bpf_program__section_name(p),
						      prefix, strlen(prefix)));
	cr_assert_eq(lutrace_bpf__load(skel), 0, "%s programs did not load", prefix);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), collect, NULL, NULL);
	cr_assert_not_null(rb);
	ngot = 0;
}

/* Every raw_tp program: the verifier must accept them all. */
static void load(bool iommu_mappings, unsigned int ring_bytes)
{
	load_section("raw_tp/", iommu_mappings, ring_bytes);
}

static void fini(void)
{
	ring_buffer__free(rb);
	lutrace_bpf__destroy(skel);
	rb = NULL;
	skel = NULL;
}

static void run(struct bpf_program *prog, unsigned long long *args, size_t nargs)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = (__u32)(nargs * sizeof(*args)));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(prog), &opts), 0,
		     "test run of %s failed", bpf_program__name(prog));
}

static const struct lutrace_event *one_event(void)
{
	ring_buffer__consume(rb);
	cr_assert_eq(ngot, 1, "%zu events", ngot);
	cr_assert_gt(got[0].boottime_ns, 0);
	cr_assert_eq(got[0].pid, (unsigned int)getpid());
	return &got[0];
}

#define BTest(name) Test(bpf, name, .fini = fini)

BTest(vfio_pci_reset_carries_site_and_ret)
{
	unsigned long long args[] = { 0, LT_RESET_SITE_FREEZE, (unsigned long long)-16 };
	const struct lutrace_event *e;

	load(true, 0);
	run(skel->progs.raw_vfio_pci_reset, args, 3);
	e = one_event();
	cr_assert_eq(e->id, LT_EV_VFIO_RESET);
	cr_assert_eq(e->arg, LT_RESET_SITE_FREEZE);
	cr_assert_eq(e->ret, -16);
	cr_assert_str_eq(e->dev, "", "a NULL pdev leaves no name");
}

BTest(vfio_liveupdate_class_carries_token)
{
	unsigned long long args[] = { 0, 0xfeedull, 0 };
	const struct lutrace_event *e;

	load(true, 0);
	run(skel->progs.raw_vfio_pci_liveupdate_retrieve, args, 3);
	e = one_event();
	cr_assert_eq(e->id, LT_EV_VFIO_LU_RETRIEVE);
	cr_assert_eq(e->token, 0xfeed);
}

BTest(liveupdate_session_and_file_classes)
{
	unsigned long long session[] = { 0, 1, (unsigned long long)-22 };
	unsigned long long file[] = { 0, 0, 77, 0 };

	load(true, 0);
	run(skel->progs.raw_liveupdate_session_retrieve, session, 3);
	run(skel->progs.raw_liveupdate_file_freeze, file, 4);
	ring_buffer__consume(rb);
	cr_assert_eq(ngot, 2);
	cr_assert_eq(got[0].id, LT_EV_LU_SESSION_RETRIEVE);
	cr_assert_eq(got[0].arg, 1, "incoming");
	cr_assert_eq(got[0].ret, -22);
	cr_assert_eq(got[1].id, LT_EV_LU_FILE_FREEZE);
	cr_assert_eq(got[1].token, 77);
}

BTest(reboot_incoming_and_bus_inheritance_counts)
{
	unsigned long long reboot[] = { 2, 3, 0 };
	unsigned long long incoming[] = { 9, 2, 0 };
	unsigned long long buses[] = { 0, 1, 2, 5 };

	load(true, 0);
	run(skel->progs.raw_liveupdate_reboot, reboot, 3);
	run(skel->progs.raw_liveupdate_incoming, incoming, 3);
	run(skel->progs.raw_pci_liveupdate_inherit_buses, buses, 4);
	ring_buffer__consume(rb);
	cr_assert_eq(ngot, 3);
	cr_assert_eq(got[0].nr_sessions, 2);
	cr_assert_eq(got[0].nr_files, 3);
	cr_assert_eq(got[1].token, 9, "liveupdate_num");
	cr_assert_eq(got[2].bus_primary, 1);
	cr_assert_eq(got[2].bus_secondary, 2);
	cr_assert_eq(got[2].bus_subordinate, 5);
}

BTest(iommu_mappings_and_their_switch)
{
	unsigned long long map[] = { 0x100000, 0x80000000, 0x10000 };
	const struct lutrace_event *e;

	load(true, 0);
	run(skel->progs.raw_map, map, 3);
	e = one_event();
	cr_assert_eq(e->id, LT_EV_IOMMU_MAP);
	cr_assert_eq(e->iova, 0x100000);
	cr_assert_eq(e->phys, 0x80000000);
	cr_assert_eq(e->size, 0x10000);
	fini();

	load(false, 0);
	run(skel->progs.raw_map, map, 3);
	ring_buffer__consume(rb);
	cr_assert_eq(ngot, 0, "--no-iommu-maps must silence map events");
}

/*
 * The entry probes of iommu_map()/iommu_unmap() (fentry or kprobe, which
 * BPF_PROG_TEST_RUN cannot run) leave the domain's number for the task;
 * the tracepoint inside, run here in this task, picks it up.
 */
BTest(iommu_mapping_carries_the_domain_its_function_entered)
{
	unsigned long long map[] = { 0x100000, 0x80000000, 0x10000 };
	unsigned long long unmap[] = { 0x100000, 0x10000, 0x10000 };
	unsigned long long task = ((unsigned long long)getpid() << 32) | (unsigned int)gettid();
	unsigned int number = 5;

	load(true, 0);
	cr_assert_eq(bpf_map__update_elem(skel->maps.domain_of_task, &task, sizeof(task),
					  &number, sizeof(number), BPF_ANY), 0);
	run(skel->progs.raw_map, map, 3);
	run(skel->progs.raw_unmap, unmap, 3);
	cr_assert_eq(bpf_map__delete_elem(skel->maps.domain_of_task, &task, sizeof(task), 0), 0);
	run(skel->progs.raw_map, map, 3);
	ring_buffer__consume(rb);
	cr_assert_eq(ngot, 3);
	cr_assert_eq(got[0].iommu_domain, 5);
	cr_assert_eq(got[1].id, LT_EV_IOMMU_UNMAP);
	cr_assert_eq(got[1].iommu_domain, 5);
	cr_assert_eq(got[2].iommu_domain, 0, "no entry probe ran: domain unknown");
}

/* Loads only the programs whose section is in list (NULL-terminated). */
static int load_only(const char *const *list)
{
	struct bpf_program *p;

	skel = lutrace_bpf__open();
	cr_assert_not_null(skel);
	bpf_object__for_each_program(p, skel->obj) {
		bool want = false;

		for (const char *const *s = list; *s; s++)
			want |= !strcmp(bpf_program__section_name(p), *s);
		bpf_program__set_autoload(p, want);
	}
	return lutrace_bpf__load(skel);
}

/*
 * fentry/fexit load against this kernel's BTF (attaching is not needed):
 * the domain numbering verifies with typed arguments too. A kernel that
 * loads no fentry program at all (this project's host) leaves it to the
 * guest, whose VM run uses them.
 */
BTest(iommu_domain_fentry_and_fexit_pass_the_verifier)
{
	static const char *const known_good[] = { "fentry/pcie_flr", NULL };
	static const char *const iommu[] = {
		"fentry/iommu_map_nosync", "fexit/iommu_map_nosync", "fentry/iommu_unmap",
		"fexit/iommu_unmap", "fentry/iommu_domain_free", NULL,
	};
	int ret;

	if (geteuid() != 0)
		cr_skip_test("needs root to load BPF");
	ret = load_only(known_good);
	fini();
	if (ret)
		cr_skip_test("this kernel loads no fentry program (%s)", strerror(-ret));
	cr_assert_eq(load_only(iommu), 0, "fentry/fexit iommu programs did not load");
	cr_assert_geq(bpf_program__fd(skel->progs.fexit_iommu_unmap), 0);
}

BTest(full_ring_buffer_is_counted_not_silent)
{
	unsigned long long args[] = { 0, 0 };
	const int runs = 40;

	/* One page holds 4096 / (224 + 8) = 17 events. */
	load(true, 4096);
	for (int i = 0; i < runs; i++)
		run(skel->progs.raw_pci_liveupdate_finish, args, 2);
	ring_buffer__consume(rb);
	cr_assert_gt(ngot, 0);
	cr_assert_eq(skel->bss->dropped_events, (unsigned long long)(runs - (int)ngot),
		     "%zu delivered, %llu counted as dropped", ngot,
		     (unsigned long long)skel->bss->dropped_events);
}

BTest(kprobe_handlers_pass_the_verifier)
{
	/*
	 * Loading needs no kprobe support, only attaching does, so this proves
	 * the function-probe handlers (PCI resets, bus master, kexec) verify
	 * even on this host.
	 */
	load_section("kprobe/", true, 0);
	cr_assert_geq(bpf_program__fd(skel->progs.kprobe_pcie_flr), 0);
	cr_assert_geq(bpf_program__fd(skel->progs.kprobe_kernel_kexec), 0);
	cr_assert_geq(bpf_program__fd(skel->progs.kprobe_iommu_map), 0);
	cr_assert_geq(bpf_program__fd(skel->progs.kprobe_iommu_domain_free), 0);
	fini();
	load_section("kretprobe/", true, 0);
	cr_assert_geq(bpf_program__fd(skel->progs.kretprobe_iommu_unmap_fast), 0);
}
