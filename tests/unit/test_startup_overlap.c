// SPDX-License-Identifier: GPL-2.0
/*
 * Events that fire while the recorder starts are imported from tracefs and,
 * once attached, seen by BPF: each must reach the log once.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "record/startup_overlap.h"

#define MS 1000000ull

static struct lt_event logged[16];
static size_t nlogged;

static int to_log(void *ctx, const struct lt_event *e)
{
	(void)ctx;
	cr_assert_lt(nlogged, 16);
	logged[nlogged++] = *e;
	return 0;
}

static struct lt_event session_create(const char *name, uint64_t ns, uint64_t tsc)
{
	struct lt_event e;

	memset(&e, 0, sizeof(e));
	e.id = LT_EV_LU_SESSION_CREATE;
	e.boottime_ns = ns;
	e.tsc = tsc;
	snprintf(e.session, sizeof(e.session), "%s", name);
	return e;
}

static size_t count(const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < nlogged; i++)
		n += !strcmp(logged[i].session, name);
	return n;
}

/*
 * Cut-off at 100 ms, programs attached by 110 ms, import read at 120 ms:
 * "boot" fired before the cut-off, "gap" between it and the attach (only
 * tracefs has it), "both" after the attach (tracefs and BPF, stamped 3 µs
 * apart), "late" after the import (only BPF).
 */
Test(startup_overlap, each_event_of_the_start_up_once)
{
	struct startup_overlap o;
	struct lt_event e;

	nlogged = 0;
	startup_overlap_start(&o, 100 * MS, 0, to_log, NULL);
	e = session_create("boot", 50 * MS, 0);
	cr_assert_eq(startup_overlap_imported(&o, &e), 0);
	cr_assert_eq(nlogged, 1, "older than the cut-off: written at once");
	e = session_create("gap", 105 * MS, 0);
	startup_overlap_imported(&o, &e);
	e = session_create("both", 115 * MS, 0);
	startup_overlap_imported(&o, &e);
	startup_overlap_import_done(&o, 120 * MS);
	cr_assert_eq(nlogged, 1, "younger ones are held");

	cr_assert_eq(startup_overlap_round(&o, 121 * MS), 0);
	e = session_create("both", 115 * MS + 3000, 777);
	e.pid = 284;
	cr_assert_eq(startup_overlap_from_bpf(&o, &e), 0);
	e = session_create("late", 125 * MS, 778);
	startup_overlap_from_bpf(&o, &e);
	cr_assert_eq(startup_overlap_round(&o, 221 * MS), 0);
	cr_assert_eq(count("gap"), 0, "held until a ring-buffer read after settling");
	cr_assert_eq(startup_overlap_round(&o, 321 * MS), 0);

	cr_assert_eq(count("boot"), 1);
	cr_assert_eq(count("gap"), 1, "seen by tracefs only, before the attach");
	cr_assert_eq(count("both"), 1, "seen by both, kept once");
	cr_assert_eq(count("late"), 1);
	cr_assert_eq(nlogged, 4);
	for (size_t i = 0; i < nlogged; i++)
		if (!strcmp(logged[i].session, "both"))
			cr_assert_eq(logged[i].pid, 284, "BPF's copy, with its process");
	cr_assert_eq(o.duplicates, 1);
	cr_assert_eq(startup_overlap_finish(&o), 0);
	cr_assert_eq(nlogged, 4);
}

/* Two of the same event are two events, also when BPF saw only the second. */
Test(startup_overlap, repeats_are_matched_one_for_one_nearest_first)
{
	struct startup_overlap o;
	struct lt_event e;

	nlogged = 0;
	startup_overlap_start(&o, 100 * MS, 0, to_log, NULL);
	e = session_create("vm", 101 * MS, 0);
	startup_overlap_imported(&o, &e);
	e = session_create("vm", 104 * MS, 0);
	startup_overlap_imported(&o, &e);
	startup_overlap_import_done(&o, 120 * MS);
	e = session_create("vm", 104 * MS + 2000, 9);
	startup_overlap_from_bpf(&o, &e);
	e = session_create("vm", 300 * MS, 10);
	startup_overlap_from_bpf(&o, &e);	/* a third one, much later */
	cr_assert_eq(startup_overlap_finish(&o), 0, "the end of recording writes what is held");
	cr_assert_eq(count("vm"), 3);
	cr_assert_eq(o.duplicates, 1);
	for (size_t i = 0; i < nlogged; i++)
		if (logged[i].tsc == 0)
			cr_assert_eq(logged[i].boottime_ns, 101 * MS, "the unmatched one is the first");
}

/* Without an import (--no-import, no tracefs) nothing is held. */
Test(startup_overlap, without_an_import_bpf_events_pass_through)
{
	struct startup_overlap o;
	struct lt_event e = session_create("x", 200 * MS, 1);

	nlogged = 0;
	startup_overlap_start(&o, 100 * MS, 0, to_log, NULL);
	cr_assert_eq(startup_overlap_from_bpf(&o, &e), 0);
	cr_assert_eq(nlogged, 1);
	cr_assert_eq(startup_overlap_round(&o, 300 * MS), 0);
	cr_assert_eq(startup_overlap_finish(&o), 0);
	cr_assert_eq(nlogged, 1);
}

/*
 * A restart in the same boot: the buffer still has what the earlier run
 * saw through BPF after it started, up to the last thing it wrote (40 ms).
 */
Test(startup_overlap, a_restart_skips_what_the_earlier_run_logged)
{
	struct startup_overlap o;
	struct lt_event e;

	nlogged = 0;
	startup_overlap_start(&o, 100 * MS, 40 * MS, to_log, NULL);
	e = session_create("seen-by-run-1", 30 * MS, 0);
	startup_overlap_imported(&o, &e);
	e = session_create("seen-by-run-1", 40 * MS, 0);
	startup_overlap_imported(&o, &e);
	e = session_create("between-runs", 60 * MS, 0);
	startup_overlap_imported(&o, &e);
	cr_assert_eq(count("seen-by-run-1"), 0, "in the log already");
	cr_assert_eq(count("between-runs"), 1, "no run saw it but the import");
	cr_assert_eq(o.in_log_already, 2);
	cr_assert_eq(startup_overlap_finish(&o), 0);
}

/*
 * A VMM's mapping made while the recorder attached: tracefs' copy has no
 * domain, BPF's has one; the log keeps BPF's, once. One made before the
 * cut-off is in the log from the import alone, its domain unknown.
 */
Test(startup_overlap, an_imported_mapping_gives_way_to_bpfs_with_its_domain)
{
	struct startup_overlap o;
	struct lt_event e;

	nlogged = 0;
	startup_overlap_start(&o, 100 * MS, 0, to_log, NULL);
	memset(&e, 0, sizeof(e));
	e.id = LT_EV_IOMMU_MAP;
	e.iova = 0x110000;
	e.phys = 0x7f2000;
	e.size = 0x1000;
	e.boottime_ns = 50 * MS;
	startup_overlap_imported(&o, &e);
	e.iova = 0x120000;
	e.boottime_ns = 105 * MS;
	startup_overlap_imported(&o, &e);
	startup_overlap_import_done(&o, 120 * MS);
	cr_assert_eq(nlogged, 1);
	cr_assert_eq(logged[0].iova, 0x110000);
	cr_assert_eq(logged[0].iommu_domain, 0);
	e.boottime_ns = 105 * MS + 2000;
	e.iommu_domain = 4;
	cr_assert_eq(startup_overlap_from_bpf(&o, &e), 0);
	startup_overlap_round(&o, 321 * MS);
	cr_assert_eq(startup_overlap_finish(&o), 0);
	cr_assert_eq(nlogged, 2, "the mapping at 0x120000 once");
	cr_assert_eq(logged[1].iova, 0x120000);
	cr_assert_eq(logged[1].iommu_domain, 4, "BPF's copy, which knows the domain");
	cr_assert_eq(o.duplicates, 1);
}

/*
 * A milestone written after the marker instance exists and before the
 * import is in both buffers: the instance's copy, read as a live event,
 * takes the imported one's place. A restarted recorder skips the imported
 * milestones its stage's earlier run logged (previous_markers_ns), whatever
 * the series' events say.
 */
Test(startup_overlap, a_milestone_in_both_buffers_is_logged_once)
{
	struct startup_overlap o;
	struct lt_event e;

	nlogged = 0;
	startup_overlap_start(&o, 100 * MS, 10 * MS, to_log, NULL);
	o.previous_markers_ns = 60 * MS;
	memset(&e, 0, sizeof(e));
	e.id = LT_EV_MARKER;
	snprintf(e.text, sizeof(e.text), "retrieved dev=0000:01:00.0");
	e.boottime_ns = 55 * MS;
	startup_overlap_imported(&o, &e);
	cr_assert_eq(nlogged, 0, "the earlier run logged it");
	e.boottime_ns = 70 * MS;
	startup_overlap_imported(&o, &e);
	cr_assert_eq(nlogged, 1, "after the earlier run, before the cut-off");
	e.boottime_ns = 112 * MS;
	startup_overlap_imported(&o, &e);
	startup_overlap_import_done(&o, 120 * MS);
	e.boottime_ns = 112 * MS + 4000;
	cr_assert_eq(startup_overlap_live(&o, &e), 0);
	startup_overlap_round(&o, 200 * MS);
	startup_overlap_round(&o, 300 * MS);
	cr_assert_eq(startup_overlap_finish(&o), 0);
	cr_assert_eq(nlogged, 2);
	cr_assert_eq(logged[1].boottime_ns, 112 * MS + 4000, "the instance's copy");
	cr_assert_eq(o.in_log_already, 1);
	cr_assert_eq(o.duplicates, 1);
}
