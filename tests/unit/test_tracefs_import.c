// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/tracefs_import.h"

#define NS 1000000000ull

static const char trace_file[] =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: 7/7   #P:2\n"
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	"         swapper/0-1       [000] .....     0.512345: pci_liveupdate_incoming: dev=0000:01:00.0 domain=0000 bus=01 devfn=00 ret=0\n"
	"  <idle>-0 [000] ..... 0.600000: pci_liveupdate_inherit_buses: dev=0000:00:01.0 domain=0000 bus=00 devfn=08 primary=00 secondary=01 subordinate=0a\n"
	"            init-1     [000] .....     0.700000: liveupdate_incoming: liveupdate_num=3 sessions=2 ret=0\n"
	"   kworker/0:1H-42  [001] d..1.  1.000001: vfio_pci_reset: dev=0000:02:00.0 domain=0001 bus=02 devfn=10 site=freeze ret=-16\n"
	"   init-1 [000] ..... 1.100000: liveupdate_file_retrieve: session=lutrace compatible=memfd-v1 token=1 ret=0\n"
	"   sh-5 [000] ..... 1.200000: sched_switch: prev_comm=sh prev_pid=5\n"
	"   init-1 [000] ..... 9.000000: liveupdate_session_retrieve: session=vmm incoming=1 ret=0\n";

Test(tracefs_import, lines_of_the_series_become_events)
{
	struct lt_event e;

	cr_assert(tracefs_line_to_event("         swapper/0-1       [000] .....     0.512345: pci_liveupdate_incoming: dev=0000:01:00.0 domain=0000 bus=01 devfn=00 ret=0\n", 2, &e));
	cr_assert_eq(e.id, LT_EV_PCI_LU_INCOMING);
	cr_assert_eq(e.stage, 2);
	cr_assert_eq(e.boottime_ns, 512345000ull);
	cr_assert_str_eq(e.dev, "0000:01:00.0");
	cr_assert_eq(e.bus, 1);

	cr_assert(tracefs_line_to_event("   kworker/0:1H-42  [001] d..1.  1.000001: vfio_pci_reset: dev=0000:02:00.0 domain=0001 bus=02 devfn=10 site=freeze ret=-16", 2, &e));
	cr_assert_eq(e.id, LT_EV_VFIO_RESET);
	cr_assert_eq(e.boottime_ns, NS + 1000);
	cr_assert_eq(e.arg, LT_RESET_SITE_FREEZE);
	cr_assert_eq(e.ret, -16);
	cr_assert_eq(e.domain, 1);
	cr_assert_eq(e.devfn, 0x10);

	cr_assert(tracefs_line_to_event("  <idle>-0 [000] ..... 0.600000: pci_liveupdate_inherit_buses: dev=0000:00:01.0 domain=0000 bus=00 devfn=08 primary=00 secondary=01 subordinate=0a", 2, &e));
	cr_assert_eq(e.bus_secondary, 1);
	cr_assert_eq(e.bus_subordinate, 0x0a);

	cr_assert(tracefs_line_to_event("init-1 [000] ..... 0.700000: liveupdate_incoming: liveupdate_num=3 sessions=2 ret=0", 2, &e));
	cr_assert_eq(e.token, 3);
	cr_assert_eq(e.nr_sessions, 2);

	cr_assert(tracefs_line_to_event("init-1 [000] ..... 1.100000: liveupdate_file_retrieve: session=lutrace compatible=memfd-v1 token=1 ret=0", 2, &e));
	cr_assert_str_eq(e.session, "lutrace");
	cr_assert_str_eq(e.compatible, "memfd-v1");
	cr_assert_eq(e.token, 1);

	cr_assert(tracefs_line_to_event("init-1 [000] ..... 1.0: vfio_pci_open_blocked: dev=0000:02:00.0 domain=0000 bus=02 devfn=00 path=group", 2, &e));
	cr_assert_eq(e.arg, LT_OPEN_GROUP);
}

Test(tracefs_import, everything_else_is_left_alone)
{
	struct lt_event e;

	cr_assert_not(tracefs_line_to_event("# tracer: nop", 2, &e));
	cr_assert_not(tracefs_line_to_event("sh-5 [000] ..... 1.2: sched_switch: prev_comm=sh", 2, &e));
	cr_assert_not(tracefs_line_to_event("sh-5 [000] ..... 1.2: map: IOMMU: iova=0x1000", 2, &e),
		      "existing events BPF sees from the start");
	cr_assert_not(tracefs_line_to_event("garbage without a timestamp", 2, &e));
	cr_assert_not(tracefs_line_to_event("x 12: vfio_pci_reset: dev=a", 2, &e), "no fraction");
	cr_assert_not(tracefs_line_to_event("x 1.0000000001: vfio_pci_reset: dev=a", 2, &e),
		      "finer than ns");
	cr_assert_not(tracefs_line_to_event("", 2, &e));
}

static struct lt_event got[16];
static unsigned int ngot;

static int collect(void *ctx, const struct lt_event *e)
{
	(void)ctx;
	got[ngot++] = *e;
	return 0;
}

Test(tracefs_import, reads_the_trace_file_up_to_the_attach_time)
{
	char dir[] = "/tmp/lutrace-tracefs-XXXXXX", path[64];
	struct tracefs_import_result res;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "w");
	fputs(trace_file, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/trace_clock", dir);
	f = fopen(path, "w");
	fputs("local global counter uptime perf mono mono_raw [boot] tai x86-tsc\n", f);
	fclose(f);

	ngot = 0;
	cr_assert_eq(tracefs_import(dir, 5 * NS, 2, collect, NULL, &res), 0);
	cr_assert(res.boot_clock);
	/* Five of ours before 5 s; sched_switch is not ours, 9 s is after. */
	cr_assert_eq(res.imported, 5);
	cr_assert_eq(ngot, 5);
	cr_assert_eq(got[0].id, LT_EV_PCI_LU_INCOMING);
	cr_assert_eq(got[4].id, LT_EV_LU_FILE_RETRIEVE);

	unlink(path);
	snprintf(path, sizeof(path), "%s/trace", dir);
	unlink(path);
	cr_assert_eq(tracefs_import(dir, 5 * NS, 2, collect, NULL, &res), -ENOENT);
	rmdir(dir);
}

/* What the buffer overwrote before the import is counted, not passed over. */
Test(tracefs_import, entries_the_buffer_overwrote_are_counted)
{
	char dir[] = "/tmp/lutrace-tracefs-XXXXXX", path[160];
	struct tracefs_import_result res;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "w");
	fputs("# tracer: nop\n#\n# entries-in-buffer/entries-written: 7/19   #P:2\n", f);
	fputs(trace_file + strlen("# tracer: nop\n#\n# entries-in-buffer/entries-written: 7/7   #P:2\n"), f);
	fclose(f);
	ngot = 0;
	cr_assert_eq(tracefs_import(dir, 5 * NS, 2, collect, NULL, &res), 0);
	cr_assert_eq(res.imported, 5);
	cr_assert_eq(res.overwritten, 12, "19 written, 7 left");
	f = fopen(path, "w");
	fputs(trace_file, f);
	fclose(f);
	cr_assert_eq(tracefs_import(dir, 5 * NS, 2, collect, NULL, &res), 0);
	cr_assert_eq(res.overwritten, 0, "7 of 7: none lost");
	unlink(path);
	rmdir(dir);
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
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "w");
	fclose(f);
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "mkdir -p %s/%s", dir, made[i][0]);
		cr_assert_eq(system(path), 0);
		snprintf(path, sizeof(path), "%s/%s/enable", dir, made[i][0]);
		f = fopen(path, "w");
		fputs(made[i][1], f);
		fclose(f);
	}
	cr_assert_eq(tracefs_import(dir, 5 * NS, 2, collect, NULL, &res), 0);
	/* inherit_buses has no enable file at all: not in this kernel */
	cr_assert_str_eq(res.not_enabled,
			 "pci:pci_liveupdate_incoming pci:pci_liveupdate_inherit_buses");
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	cr_assert_eq(system(path), 0);
	cr_assert_null(strstr(LUTRACE_BOOT_CMDLINE, "_*"), "no pattern trace_event= would drop");
}
