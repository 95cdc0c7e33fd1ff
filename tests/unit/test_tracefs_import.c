// SPDX-License-Identifier: GPL-2.0
/*
 * The boot-time import, on tests/unit/tracefs/: the formats and raw pages of
 * the current kernel (its README says how they were taken; the VM run of
 * tracepoints-preserve-cycle checks they still are the kernel's).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event-parse.h>

#include "log/event_names.h"
#include "record/tracefs_import.h"

#define FIXTURE "tests/unit/tracefs"

static struct lt_event got[64];
static unsigned int ngot;

static int collect(void *ctx, const struct lt_event *e)
{
	(void)ctx;
	cr_assert_lt(ngot, 64);
	got[ngot++] = *e;
	return 0;
}

/* The "trace" text of the same buffer: event names and µs, in order. */
struct text_line {
	char name[64];
	unsigned long long us;
};

static size_t read_text(struct text_line *lines, size_t max)
{
	char buf[512];
	size_t n = 0;
	FILE *f = fopen(FIXTURE "/trace", "r");

	cr_assert_not_null(f);
	while (n < max && fgets(buf, sizeof(buf), f)) {
		unsigned long long s, us;
		char *p = strstr(buf, "] ");

		if (buf[0] == '#' || !p)
			continue;
		p = strchr(p + 2, ' ');
		cr_assert_eq(sscanf(p, " %llu.%llu: %63[^:]:", &s, &us, lines[n].name), 3);
		/* a trace_marker line of lutrace's is a milestone */
		if (!strcmp(lines[n].name, "tracing_mark_write"))
			snprintf(lines[n].name, sizeof(lines[n].name), "marker");
		lines[n++].us = s * 1000000 + us;
	}
	fclose(f);
	return n;
}

static int by_time(const void *a, const void *b)
{
	const struct lt_event *x = a, *y = b;

	return x->boottime_ns < y->boottime_ns ? -1 : x->boottime_ns > y->boottime_ns;
}

Test(tracefs_import, reads_the_current_kernels_pages_exactly)
{
	struct tracefs_import_result res;
	struct text_line text[64];
	size_t ntext = read_text(text, 64);
	char err[256] = "";

	ngot = 0;
	cr_assert_eq(tracefs_import(FIXTURE, 2, collect, NULL, &res, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert(res.boot_clock);
	/* Every event of the series the text shows, and its two milestones. */
	cr_assert_eq(ntext, 20);
	cr_assert_eq(ngot, ntext);
	cr_assert_eq(res.imported, ntext);
	/* CPU by CPU: the cycle_done milestone is CPU 1's, the rest CPU 0's. */
	qsort(got, ngot, sizeof(got[0]), by_time);
	for (size_t i = 0; i < ntext; i++) {
		cr_assert_str_eq(event_name(got[i].id), text[i].name, "event %zu", i);
		/* ns, which the text rounds to µs */
		cr_assert_eq((got[i].boottime_ns + 500) / 1000, text[i].us,
			     "%s at %llu ns, text %llu us", text[i].name,
			     (unsigned long long)got[i].boottime_ns, text[i].us);
		cr_assert_eq(got[i].stage, 2);
	}
	cr_assert_eq(got[0].id, LT_EV_VFIO_RESET);
	cr_assert_eq(got[0].boottime_ns, 3793741104ull, "exact ns, not 3793741000");
	cr_assert_str_eq(got[0].dev, "0000:01:00.0");
	cr_assert_eq(got[0].bus, 1);
	cr_assert_eq(got[0].arg, LT_RESET_SITE_ENABLE);
	cr_assert_eq(got[18].arg, LT_RESET_SITE_DISABLE);
	cr_assert_eq(got[1].id, LT_EV_LU_SESSION_CREATE);
	cr_assert_str_eq(got[1].session, "tp-cycle");
	cr_assert_eq(got[3].id, LT_EV_VFIO_LU_PRESERVE);
	cr_assert_eq(got[3].token, 1);
	cr_assert_eq(got[3].arg, LT_LU_FLAGS_KNOWN, "this kernel's flags field, none set");
	cr_assert_eq(got[4].id, LT_EV_LU_FILE_PRESERVE);
	cr_assert_str_eq(got[4].compatible, "vfio-pci-v3");
	cr_assert_eq(got[4].token, 1);
	cr_assert_eq(got[5].id, LT_EV_MARKER);
	cr_assert_str_eq(got[5].dev, "0000:01:00.0");
	cr_assert_str_eq(got[5].text, "preserved dev=0000:01:00.0 session=tp-cycle token=1");
}

/* A record laid out by the real vfio_pci_reset format, values of our choosing. */
Test(tracefs_import, fields_are_read_by_name_signed_and_strings_by_data_loc)
{
	struct tep_handle *tep = tep_alloc();
	char format[4096];
	FILE *f = fopen(FIXTURE "/events/vfio_pci/vfio_pci_reset/format", "r");
	size_t flen;
	struct tep_event *ev;
	unsigned char data[64] = { 0 };
	struct tep_record rec = { .ts = 42, .data = data, .size = sizeof(data) };
	static const char dev[] = "0001:02:03.4";
	struct lt_event e;
	uint32_t loc = (uint32_t)sizeof(dev) << 16 | 28;
	uint16_t type;
	int32_t site = LT_RESET_SITE_FREEZE, ret = -16;
	uint32_t domain = 1;

	cr_assert_not_null(f);
	flen = fread(format, 1, sizeof(format), f);
	fclose(f);
	cr_assert_eq(tep_parse_event(tep, format, flen, "vfio_pci"), 0);
	ev = tep_find_event_by_name(tep, "vfio_pci", "vfio_pci_reset");
	cr_assert_not_null(ev);
	type = (uint16_t)ev->id;
	memcpy(data, &type, 2);
	memcpy(data + 8, &loc, 4);
	memcpy(data + 12, &domain, 4);
	data[16] = 2;
	data[17] = 0x1c;
	memcpy(data + 20, &site, 4);
	memcpy(data + 24, &ret, 4);
	memcpy(data + 28, dev, sizeof(dev));
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_VFIO_RESET);
	cr_assert_eq(e.boottime_ns, 42);
	cr_assert_str_eq(e.dev, dev);
	cr_assert_eq(e.domain, 1);
	cr_assert_eq(e.bus, 2);
	cr_assert_eq(e.devfn, 0x1c);
	cr_assert_eq(e.arg, LT_RESET_SITE_FREEZE);
	cr_assert_eq(e.ret, -16);
	cr_assert_not(tracefs_record_to_event(NULL, &rec, 2, &e), "a record of no known event");
	tep_free(tep);
}

Test(tracefs_import, no_buffer_is_an_error_that_says_where)
{
	struct tracefs_import_result res;
	char err[256] = "";

	cr_assert_eq(tracefs_import("/nonexistent", 2, collect, NULL, &res, err, sizeof(err)), -1);
	cr_assert(strstr(err, "/nonexistent"), "%s", err);
}

/* What the buffer overwrote before the import is counted, not passed over. */
Test(tracefs_import, entries_the_buffer_overwrote_are_counted)
{
	char dir[] = "/tmp/lutrace-tracefs-XXXXXX", cmd[160], err[256] = "";
	struct tracefs_import_result res;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -r " FIXTURE "/. %s/", dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(tracefs_import(dir, 2, collect, NULL, &res, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(res.overwritten, 0, "no stats, pages that miss nothing: none lost");
	for (int cpu = 0; cpu < 2; cpu++) {
		snprintf(cmd, sizeof(cmd), "%s/per_cpu/cpu%d/stats", dir, cpu);
		f = fopen(cmd, "w");
		cr_assert_not_null(f);
		fprintf(f, "entries: 9\noverrun: %d\ncommit overrun: 0\nbytes: 580\n",
			cpu ? 3 : 12);
		fclose(f);
	}
	ngot = 0;
	cr_assert_eq(tracefs_import(dir, 2, collect, NULL, &res, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(res.imported, 20);
	cr_assert_eq(res.overwritten, 15, "each CPU's overrun, summed");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* trace_event=pci:pci_liveupdate_* enables nothing: the kernel compares whole names. */
Test(tracefs_import, says_which_early_events_boot_time_tracing_left_off)
{
	char dir[] = "/tmp/lutrace-tracefs-XXXXXX", path[160];
	static const char *const made[][2] = {
		{ "events/liveupdate/liveupdate_incoming", "1\n" },
		{ "events/pci/pci_liveupdate_incoming", "0\n" },
	};
	struct tracefs_import_result res;
	char err[256];
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "mkdir -p %s/%s", dir, made[i][0]);
		cr_assert_eq(system(path), 0);
		snprintf(path, sizeof(path), "%s/%s/enable", dir, made[i][0]);
		f = fopen(path, "w");
		fputs(made[i][1], f);
		fclose(f);
	}
	/* No buffer to read, but what was not enabled is said all the same. */
	cr_assert_eq(tracefs_import(dir, 2, collect, NULL, &res, err, sizeof(err)), -1);
	/* inherit_buses has no enable file at all: not in this kernel */
	cr_assert_str_eq(res.not_enabled,
			 "pci:pci_liveupdate_incoming pci:pci_liveupdate_inherit_buses");
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	cr_assert_eq(system(path), 0);
	cr_assert_null(strstr(LUTRACE_BOOT_CMDLINE, "_*"), "no pattern trace_event= would drop");
}

/* The fields tracefs puts first in every event's format. */
#define TRACE_COMMON_FIELDS \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n" \
	"\n"

/* include/trace/events/iommu.h's map and unmap, as tracefs gives them. */
static const char iommu_map_format[] =
	"name: map\n"
	"ID: 900\n"
	"format:\n"
	TRACE_COMMON_FIELDS
	"\tfield:u64 iova;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 paddr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"IOMMU: iova=0x%016llx paddr=0x%016llx size=%zu\", REC->iova, REC->paddr, REC->size\n";
static const char iommu_unmap_format[] =
	"name: unmap\n"
	"ID: 901\n"
	"format:\n"
	TRACE_COMMON_FIELDS
	"\tfield:u64 iova;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t unmapped_size;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"IOMMU: iova=0x%016llx size=%zu unmapped_size=%zu\", REC->iova, REC->size, REC->unmapped_size\n";

/*
 * A VMM that maps before the recorder attached is in the log through the
 * import: the mapping as BPF would have it, with the domain unknown (0).
 */
Test(tracefs_import, iommu_mappings_come_with_the_domain_unknown)
{
	struct tep_handle *tep = tep_alloc();
	uint64_t map[4] = { 900, 0x110000, 0x7f2000, 0x1000 };
	uint64_t unmap[4] = { 901, 0x110000, 0x1000, 0x1000 };
	struct tep_record rec = { .ts = 7, .data = map, .size = sizeof(map) };
	struct lt_event e;

	cr_assert_eq(tep_parse_event(tep, iommu_map_format, sizeof(iommu_map_format) - 1, "iommu"), 0);
	cr_assert_eq(tep_parse_event(tep, iommu_unmap_format, sizeof(iommu_unmap_format) - 1, "iommu"), 0);
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_IOMMU_MAP);
	cr_assert_eq(e.stage, 2);
	cr_assert_eq(e.boottime_ns, 7);
	cr_assert_eq(e.iova, 0x110000);
	cr_assert_eq(e.phys, 0x7f2000);
	cr_assert_eq(e.size, 0x1000);
	cr_assert_eq(e.iommu_domain, 0, "only BPF learns the domain");
	rec.data = unmap;
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_IOMMU_UNMAP);
	cr_assert_eq(e.iova, 0x110000);
	cr_assert_eq(e.size, 0x1000);
	cr_assert_eq(e.phys, 0);
	tep_free(tep);
}

/* include/trace/events/pci.h's pci_dev_op_class, as tracefs gives it. */
#define PCI_DEV_OP_FORMAT(name, id)                                          \
	"name: " name "\n"                                                   \
	"ID: " id "\n"                                                       \
	"format:\n"                                                          \
	TRACE_COMMON_FIELDS                                                  \
	"\tfield:__data_loc char[] dev;\toffset:8;\tsize:4;\tsigned:0;\n"    \
	"\tfield:u32 domain;\toffset:12;\tsize:4;\tsigned:0;\n"              \
	"\tfield:u8 bus;\toffset:16;\tsize:1;\tsigned:0;\n"                  \
	"\tfield:u8 devfn;\toffset:17;\tsize:1;\tsigned:0;\n"                \
	"\tfield:int op;\toffset:20;\tsize:4;\tsigned:1;\n"                  \
	"\n"                                                                 \
	"print fmt: \"dev=%s op=%d\", __get_str(dev), REC->op\n"
static const char pci_reset_format[] = PCI_DEV_OP_FORMAT("pci_reset", "910");
static const char pci_bus_master_format[] = PCI_DEV_OP_FORMAT("pci_bus_master", "911");

static void pci_dev_op_record(uint8_t rec[40], uint16_t id, int op)
{
	uint32_t loc = (13u << 16) | 24, domain = 0;

	memset(rec, 0, 40);
	memcpy(rec, &id, sizeof(id));
	memcpy(rec + 8, &loc, sizeof(loc));
	memcpy(rec + 12, &domain, sizeof(domain));
	rec[16] = 0x01;		/* bus */
	rec[17] = 0x08;		/* devfn */
	memcpy(rec + 20, &op, sizeof(op));
	memcpy(rec + 24, "0000:01:01.0", 13);
}

/*
 * A reset or a bus-master change before the recorder attached (in stage 2:
 * from early boot on) is in the log as BPF would have it.
 */
Test(tracefs_import, pci_core_resets_and_bus_mastering_as_bpf_has_them)
{
	struct tep_handle *tep = tep_alloc();
	uint8_t data[40];
	struct tep_record rec = { .ts = 9, .data = data, .size = sizeof(data) };
	struct lt_event e;

	cr_assert_eq(tep_parse_event(tep, pci_reset_format, sizeof(pci_reset_format) - 1, "pci"), 0);
	cr_assert_eq(tep_parse_event(tep, pci_bus_master_format,
				     sizeof(pci_bus_master_format) - 1, "pci"), 0);
	pci_dev_op_record(data, 910, LT_PCI_RESET_FUNCTION);
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_PCI_RESET);
	cr_assert_eq(e.arg, LT_PCI_RESET_FUNCTION);
	cr_assert_str_eq(e.dev, "0000:01:01.0");
	cr_assert_eq(e.bus, 1);
	cr_assert_eq(e.devfn, 8);
	cr_assert_eq(e.boottime_ns, 9);
	pci_dev_op_record(data, 911, 0);
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_PCI_CLEAR_MASTER);
	cr_assert_eq(e.arg, 0, "BPF's bus-master events carry no arg");
	pci_dev_op_record(data, 911, 1);
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_PCI_SET_MASTER);
	cr_assert_str_eq(e.dev, "0000:01:01.0");
	tep_free(tep);
}

/* pci_power_state (class pci_dev_transition_class): from and to in arg. */
static const char pci_power_state_format[] =
	"name: pci_power_state\n"
	"ID: 912\n"
	"format:\n"
	TRACE_COMMON_FIELDS
	"\tfield:__data_loc char[] dev;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 domain;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:u8 bus;\toffset:16;\tsize:1;\tsigned:0;\n"
	"\tfield:u8 devfn;\toffset:17;\tsize:1;\tsigned:0;\n"
	"\tfield:int from;\toffset:20;\tsize:4;\tsigned:1;\n"
	"\tfield:int to;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"dev=%s from=%d to=%d\", __get_str(dev), REC->from, REC->to\n";

Test(tracefs_import, power_state_changes_as_bpf_has_them)
{
	struct tep_handle *tep = tep_alloc();
	uint8_t data[44] = { 0 };
	struct tep_record rec = { .ts = 9, .data = data, .size = sizeof(data) };
	uint16_t id = 912;
	uint32_t loc = (13u << 16) | 28;
	int from = 0, to = 3;
	struct lt_event e;
	char detail[128];

	cr_assert_eq(tep_parse_event(tep, pci_power_state_format,
				     sizeof(pci_power_state_format) - 1, "pci"), 0);
	memcpy(data, &id, sizeof(id));
	memcpy(data + 8, &loc, sizeof(loc));
	data[16] = 0x01;
	data[17] = 0x08;
	memcpy(data + 20, &from, sizeof(from));
	memcpy(data + 24, &to, sizeof(to));
	memcpy(data + 28, "0000:01:01.0", 13);
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_PCI_POWER_STATE);
	cr_assert_str_eq(e.dev, "0000:01:01.0");
	cr_assert_eq(LT_POWER_FROM(e.arg), 0);
	cr_assert_eq(LT_POWER_TO(e.arg), 3);
	event_format_detail(&e, detail, sizeof(detail));
	cr_assert_str_eq(detail, "from=D0 to=D3hot");
	tep_free(tep);
}

/* vfio_pci_liveupdate_class, with the flags field (id 913) and before it (914). */
#define VFIO_LU_FORMAT(id, flags_field)                                      \
	"name: vfio_pci_liveupdate_preserve\n"                                \
	"ID: " id "\n"                                                        \
	"format:\n"                                                           \
	TRACE_COMMON_FIELDS                                                  \
	"\tfield:__data_loc char[] dev;\toffset:8;\tsize:4;\tsigned:0;\n"    \
	"\tfield:u32 domain;\toffset:12;\tsize:4;\tsigned:0;\n"              \
	"\tfield:u8 bus;\toffset:16;\tsize:1;\tsigned:0;\n"                  \
	"\tfield:u8 devfn;\toffset:17;\tsize:1;\tsigned:0;\n"                \
	"\tfield:u64 token;\toffset:24;\tsize:8;\tsigned:0;\n"               \
	"\tfield:int ret;\toffset:32;\tsize:4;\tsigned:1;\n"                 \
	flags_field                                                          \
	"\n"                                                                 \
	"print fmt: \"dev=%s\", __get_str(dev)\n"

Test(tracefs_import, the_preserved_states_flags_when_the_kernel_has_them)
{
	static const char with[] = VFIO_LU_FORMAT("913",
		"\tfield:u32 flags;\toffset:36;\tsize:4;\tsigned:0;\n");
	static const char without[] = VFIO_LU_FORMAT("914", "");
	struct tep_handle *tep = tep_alloc();
	uint8_t data[56] = { 0 };
	struct tep_record rec = { .ts = 9, .data = data, .size = sizeof(data) };
	uint32_t loc = (13u << 16) | 40, flags = 0x6;	/* noiommu | keep_running */
	uint16_t id = 913;
	struct lt_event e;
	char detail[128];

	cr_assert_eq(tep_parse_event(tep, with, sizeof(with) - 1, "vfio_pci"), 0);
	memcpy(data, &id, sizeof(id));
	memcpy(data + 8, &loc, sizeof(loc));
	memcpy(data + 36, &flags, sizeof(flags));
	memcpy(data + 40, "0000:01:01.0", 13);
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_VFIO_LU_PRESERVE);
	cr_assert_eq(e.arg, LT_LU_FLAGS_KNOWN | LT_LU_NOIOMMU | LT_LU_KEEP_RUNNING);
	event_format_detail(&e, detail, sizeof(detail));
	cr_assert_str_eq(detail, "token=0 ret=0 flags=noiommu,keep_running");
	tep_free(tep);

	tep = tep_alloc();
	cr_assert_eq(tep_parse_event(tep, without, sizeof(without) - 1, "vfio_pci"), 0);
	id = 914;
	memcpy(data, &id, sizeof(id));
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.arg, 0, "no flags field: the mode is not known");
	event_format_detail(&e, detail, sizeof(detail));
	cr_assert_str_eq(detail, "token=0 ret=0 flags=unknown");
	tep_free(tep);
}

/* include/trace/events/iommu.h's io_page_fault (class iommu_error). */
static const char io_page_fault_format[] =
	"name: io_page_fault\n"
	"ID: 902\n"
	"format:\n"
	TRACE_COMMON_FIELDS
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc char[] driver;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 iova;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:int flags;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"IOMMU:%s %s iova=0x%016llx flags=0x%04x\", __get_str(driver), __get_str(device), REC->iova, REC->flags\n";

Test(tracefs_import, io_page_faults_as_bpf_has_them)
{
	struct tep_handle *tep = tep_alloc();
	uint8_t data[56] = { 0 };
	uint16_t id = 902;
	uint32_t device = (13u << 16) | 28, driver = (9u << 16) | 41;
	uint64_t iova = 0x110000;
	int flags = 2;
	struct tep_record rec = { .ts = 11, .data = data, .size = sizeof(data) };
	struct lt_event e;

	memcpy(data, &id, sizeof(id));
	memcpy(data + 8, &device, sizeof(device));
	memcpy(data + 12, &driver, sizeof(driver));
	memcpy(data + 16, &iova, sizeof(iova));
	memcpy(data + 24, &flags, sizeof(flags));
	memcpy(data + 28, "0001:02:00.0", 13);
	memcpy(data + 41, "vfio-pci", 9);
	cr_assert_eq(tep_parse_event(tep, io_page_fault_format,
				     sizeof(io_page_fault_format) - 1, "iommu"), 0);
	cr_assert(tracefs_record_to_event(tep_find_event_by_record(tep, &rec), &rec, 2, &e));
	cr_assert_eq(e.id, LT_EV_IOMMU_FAULT);
	cr_assert_str_eq(e.dev, "0001:02:00.0");
	cr_assert_eq(e.domain, 1, "the domain from the name, as BPF's user space does");
	cr_assert_eq(e.bus, 0);
	cr_assert_eq(e.iova, 0x110000);
	cr_assert_eq(e.arg, 2);
	tep_free(tep);
}
