// SPDX-License-Identifier: GPL-2.0
#include "log/event_compare.h"

#include <string.h>

#define CMP(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)
#define CMP_STR(x, y) do {						\
	int c_ = strncmp((x), (y), sizeof(x));				\
	if (c_)								\
		return c_ < 0 ? -1 : 1;					\
} while (0)

static int compare_fields(const struct lt_event *a, const struct lt_event *b)
{
	CMP(a->id, b->id);
	CMP(a->domain, b->domain);
	CMP(a->bus, b->bus);
	CMP(a->devfn, b->devfn);
	CMP(a->bus_primary, b->bus_primary);
	CMP(a->bus_secondary, b->bus_secondary);
	CMP(a->bus_subordinate, b->bus_subordinate);
	CMP(a->ret, b->ret);
	CMP(a->arg, b->arg);
	CMP(a->token, b->token);
	CMP(a->iova, b->iova);
	CMP(a->phys, b->phys);
	CMP(a->size, b->size);
	CMP(a->nr_sessions, b->nr_sessions);
	CMP(a->nr_files, b->nr_files);
	CMP_STR(a->dev, b->dev);
	CMP_STR(a->session, b->session);
	CMP_STR(a->compatible, b->compatible);
	CMP_STR(a->text, b->text);
	return 0;
}

int event_compare(const struct lt_event *a, const struct lt_event *b)
{
	CMP(a->stage, b->stage);
	CMP(a->boottime_ns, b->boottime_ns);
	CMP(a->tsc, b->tsc);
	CMP(a->pid, b->pid);
	CMP(a->iommu_domain, b->iommu_domain);
	return compare_fields(a, b);
}

/*
 * Only BPF learns a mapping's iommu_domain: the tracefs copy of the same
 * map or unmap has 0 (unknown), which matches any.
 */
bool event_same_fields(const struct lt_event *a, const struct lt_event *b)
{
	if (a->iommu_domain && b->iommu_domain && a->iommu_domain != b->iommu_domain)
		return false;
	return !compare_fields(a, b);
}
