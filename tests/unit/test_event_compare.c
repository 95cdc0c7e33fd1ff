// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>

#include "log/event_compare.h"

static void fill(struct lt_event *e, unsigned char garbage)
{
	memset(e, garbage, sizeof(*e));	/* padding and string tails too */
	e->stage = 2;
	e->id = LT_EV_VFIO_RESET;
	e->boottime_ns = 6063634107ull;
	e->tsc = 0;
	e->domain = 0;
	e->bus = 1;
	e->devfn = 0;
	e->bus_primary = e->bus_secondary = e->bus_subordinate = 0;
	e->ret = 0;
	e->arg = LT_RESET_SITE_ENABLE;
	e->token = e->iova = e->phys = e->size = 0;
	e->nr_sessions = e->nr_files = e->pid = 0;
	e->iommu_domain = 0;
	strcpy(e->dev, "0000:01:00.0");
	e->session[0] = e->compatible[0] = e->text[0] = '\0';
}

Test(event_compare, fields_not_bytes)
{
	struct lt_event a, b;

	fill(&a, 0);
	fill(&b, 0xa5);
	cr_assert_neq(memcmp(&a, &b, sizeof(a)), 0, "the bytes differ");
	cr_assert_eq(event_compare(&a, &b), 0, "the event does not");
	cr_assert(event_same_fields(&a, &b));
	b.ret = -16;
	cr_assert_lt(event_compare(&b, &a), 0);
	cr_assert_gt(event_compare(&a, &b), 0);
	cr_assert_not(event_same_fields(&a, &b));
	b.ret = 0;
	strcpy(b.dev, "0000:01:00.1");
	cr_assert_not(event_same_fields(&a, &b));
}

/* One event as BPF and the tracefs import see it: two stamps, one TSC. */
Test(event_compare, the_same_event_twice_differs_in_time_tsc_and_pid)
{
	struct lt_event imported, bpf;

	fill(&imported, 0);
	fill(&bpf, 0);
	bpf.boottime_ns += 2345;
	bpf.tsc = 123456789;
	bpf.pid = 284;
	bpf.stage = 3;
	cr_assert_neq(event_compare(&imported, &bpf), 0, "not duplicates in a log");
	cr_assert(event_same_fields(&imported, &bpf));
}

/* Two domains' unmaps of one IOVA are two events; tracefs knows no domain. */
Test(event_compare, iommu_domains_tell_mappings_apart)
{
	struct lt_event one, two, imported;

	fill(&one, 0);
	one.id = LT_EV_IOMMU_UNMAP;
	one.iova = 0x100000;
	one.size = 0x200000;
	two = one;
	imported = one;
	one.iommu_domain = 1;
	two.iommu_domain = 2;
	cr_assert_neq(event_compare(&one, &two), 0, "not duplicates in a log");
	cr_assert_not(event_same_fields(&one, &two));
	cr_assert(event_same_fields(&imported, &two), "the tracefs copy of domain 2's unmap");
}
