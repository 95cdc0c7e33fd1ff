// SPDX-License-Identifier: GPL-2.0
#include "record/tracefs_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>

#include "log/event_names.h"
#include "record/boot_traced.h"
#include "record/marker_text.h"
#include "record/pci_name.h"
#include "record/tracefs_raw.h"

static uint64_t number(struct tep_event *ev, struct tep_record *rec,
		       const char *name)
{
	uint64_t v = 0;

	tracefs_raw_number(ev, rec, name, &v);
	return v;
}

/* The fields of kernel/interface.md, by name; ABI enums are stored as numbers. */
static void read_fields(struct tep_event *ev, struct tep_record *rec,
			struct lt_event *e)
{
	tracefs_raw_string(ev, rec, "dev", e->dev, sizeof(e->dev));
	tracefs_raw_string(ev, rec, "session", e->session, sizeof(e->session));
	tracefs_raw_string(ev, rec, "compatible", e->compatible, sizeof(e->compatible));
	e->domain = (uint32_t)number(ev, rec, "domain");
	e->bus = (uint8_t)number(ev, rec, "bus");
	e->devfn = (uint8_t)number(ev, rec, "devfn");
	e->bus_primary = (uint8_t)number(ev, rec, "primary");
	e->bus_secondary = (uint8_t)number(ev, rec, "secondary");
	e->bus_subordinate = (uint8_t)number(ev, rec, "subordinate");
	e->ret = (int32_t)number(ev, rec, "ret");
	e->token = number(ev, rec, e->id == LT_EV_LU_INCOMING ? "liveupdate_num" : "token");
	e->nr_sessions = (uint32_t)number(ev, rec, "nr_sessions");
	e->nr_files = (uint32_t)number(ev, rec, "nr_files");
	switch (e->id) {
	case LT_EV_LU_SESSION_CREATE ... LT_EV_LU_SESSION_RELEASE:
		e->arg = (int32_t)number(ev, rec, "incoming");
		break;
	case LT_EV_VFIO_RESET_SKIPPED:
		e->arg = (int32_t)number(ev, rec, "reason");
		break;
	case LT_EV_VFIO_OPEN_BLOCKED:
		e->arg = (int32_t)number(ev, rec, "path");
		break;
	case LT_EV_VFIO_RESET:
		e->arg = (int32_t)number(ev, rec, "site");
		break;
	case LT_EV_PCI_RESET:
		e->arg = (int32_t)number(ev, rec, "op");
		break;
	case LT_EV_PCI_POWER_STATE:
		e->arg = LT_POWER_ARG(number(ev, rec, "from"), number(ev, rec, "to"));
		break;
	case LT_EV_VFIO_LU_PRESERVE ... LT_EV_VFIO_LU_FINISH: {
		uint64_t flags;

		/* kernels from before the flags have no such field: mode unknown */
		if (tracefs_raw_number(ev, rec, "flags", &flags))
			e->arg = (int32_t)(flags & 0xffff) | LT_LU_FLAGS_KNOWN;
		break;
	}
	}
}

/*
 * iommu:map and iommu:unmap, as BPF records them, but with iommu_domain 0:
 * only BPF's probes on the functions around them learn the domain; and
 * iommu:io_page_fault.
 */
static unsigned int iommu_event_id(const struct tep_event *ev)
{
	if (!ev->system || strcmp(ev->system, "iommu"))
		return LT_EV_NONE;
	if (!strcmp(ev->name, "map"))
		return LT_EV_IOMMU_MAP;
	if (!strcmp(ev->name, "unmap"))
		return LT_EV_IOMMU_UNMAP;
	if (!strcmp(ev->name, "io_page_fault"))
		return LT_EV_IOMMU_FAULT;
	return LT_EV_NONE;
}

/*
 * The PCI core's pci_reset and pci_bus_master (kernel/interface.md), as BPF
 * records them: the reset kind in arg, bus mastering on or off by event.
 */
static unsigned int pci_core_event_id(struct tep_event *ev, struct tep_record *rec)
{
	if (!ev->system || strcmp(ev->system, "pci"))
		return LT_EV_NONE;
	if (!strcmp(ev->name, "pci_reset"))
		return LT_EV_PCI_RESET;
	if (!strcmp(ev->name, "pci_bus_master"))
		return number(ev, rec, "op") ? LT_EV_PCI_SET_MASTER : LT_EV_PCI_CLEAR_MASTER;
	if (!strcmp(ev->name, "pci_power_state"))
		return LT_EV_PCI_POWER_STATE;
	return LT_EV_NONE;
}

/* A trace_marker write is an ftrace/print event: lutrace's lines are milestones. */
static bool marker_to_event(struct tep_event *ev, struct tep_record *rec,
			    uint32_t stage, struct lt_event *out)
{
	char text[LT_TEXT_LEN];

	if (strcmp(ev->name, "print") ||
	    !tracefs_raw_string(ev, rec, "buf", text, sizeof(text)) ||
	    !marker_text_is_ours(text))
		return false;
	marker_text_to_event(text, rec->ts, stage, out);
	return true;
}

bool tracefs_record_to_event(struct tep_event *ev, struct tep_record *rec,
			     uint32_t stage, struct lt_event *out)
{
	unsigned int id;

	if (!ev)
		return false;
	if (ev->system && !strcmp(ev->system, "ftrace"))
		return marker_to_event(ev, rec, stage, out);
	id = iommu_event_id(ev);
	if (id == LT_EV_NONE)
		id = pci_core_event_id(ev, rec);
	/* The series' events, and the mappings a VMM may make before attach. */
	if (id == LT_EV_NONE)
		id = event_id_by_name(ev->name);
	if (!event_is_imported(id))
		return false;
	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->id = (uint16_t)id;
	out->boottime_ns = rec->ts;
	if (id == LT_EV_IOMMU_MAP || id == LT_EV_IOMMU_UNMAP) {
		out->iova = number(ev, rec, "iova");
		out->phys = id == LT_EV_IOMMU_MAP ? number(ev, rec, "paddr") : 0;
		out->size = number(ev, rec, "size");
		return true;
	}
	if (id == LT_EV_IOMMU_FAULT) {	/* as BPF has it: no bus, no devfn */
		tracefs_raw_string(ev, rec, "device", out->dev, sizeof(out->dev));
		out->domain = pci_name_domain(out->dev);
		out->iova = number(ev, rec, "iova");
		out->arg = (int32_t)number(ev, rec, "flags");
		return true;
	}
	read_fields(ev, rec, out);
	return true;
}

static bool clock_is_boot(const char *dir)
{
	char path[256], line[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace_clock", dir);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	return strstr(line, "[boot]") != NULL;
}

/* What only boot-time tracing can see: it fires before any process runs. */
static void check_early_events(const char *dir, struct tracefs_import_result *res)
{
	static const char *const early[] = {
		"liveupdate:liveupdate_incoming",
		"pci:pci_liveupdate_incoming",
		"pci:pci_liveupdate_inherit_buses",
	};
	size_t used = 0;

	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		int n;

		if (tracefs_event_enabled(dir, early[i]))
			continue;
		n = snprintf(res->not_enabled + used, sizeof(res->not_enabled) - used,
			     "%s%s", used ? " " : "", early[i]);
		if (n > 0 && (size_t)n < sizeof(res->not_enabled) - used)
			used += (size_t)n;
	}
}

/* What the buffer overwrote before anyone read it: "overrun: N" per CPU. */
static uint64_t overwritten(const struct tracefs_raw *raw, const char *dir)
{
	char path[256], line[128];
	uint64_t sum = 0;

	for (size_t i = 0; i < raw->ncpus; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/stats", dir, raw->cpus[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			unsigned long long n;

			if (sscanf(line, "overrun: %llu", &n) == 1)
				sum += n;
		}
		fclose(f);
	}
	return sum;
}

static bool has_format(const char *dir, const char *system_event)
{
	char path[384];

	snprintf(path, sizeof(path), "%s/events/%s/format", dir, system_event);
	return !access(path, R_OK);
}

struct import_ctx {
	uint32_t stage;
	lt_event_fn fn;
	void *ctx;
	struct tracefs_import_result *res;
};

static int import_record(void *ctx, struct tep_event *ev, struct tep_record *rec)
{
	struct import_ctx *c = ctx;
	struct lt_event e;
	int ret;

	if (!tracefs_record_to_event(ev, rec, c->stage, &e))
		return 0;
	ret = c->fn(c->ctx, &e);
	c->res->imported += !ret;
	return ret;
}

int tracefs_import(const char *dir, uint32_t stage, lt_event_fn fn, void *ctx,
		   struct tracefs_import_result *res, char *err, size_t errlen)
{
	const char *systems[8] = { "liveupdate", "pci", "vfio_pci" };
	struct import_ctx c = { stage, fn, ctx, res };
	struct tracefs_raw raw;
	size_t n = 3;
	int ret;

	memset(res, 0, sizeof(*res));
	if (has_format(dir, "ftrace/print"))
		systems[n++] = "ftrace/print";
	/* A kernel without IOMMU tracepoints has no such format to read. */
	if (has_format(dir, "iommu/map") && has_format(dir, "iommu/unmap")) {
		systems[n++] = "iommu/map";
		systems[n++] = "iommu/unmap";
	}
	if (has_format(dir, "iommu/io_page_fault"))
		systems[n++] = "iommu/io_page_fault";
	res->boot_clock = clock_is_boot(dir);
	check_early_events(dir, res);
	if (tracefs_raw_open(&raw, dir, systems, dir, err, errlen))
		return -1;
	ret = tracefs_raw_read(&raw, import_record, &c);
	if (ret)
		snprintf(err, errlen, "reading %s/per_cpu/*/trace_pipe_raw: %s", dir,
			 strerror(ret < 0 ? -ret : EIO));
	/*
	 * A page's missed events are a slice of the same per-CPU overrun
	 * counter the stats file sums: count them only where no stats were.
	 */
	res->overwritten = overwritten(&raw, dir);
	if (res->overwritten < raw.missed)
		res->overwritten = raw.missed;
	tracefs_raw_close(&raw);
	return ret;
}
