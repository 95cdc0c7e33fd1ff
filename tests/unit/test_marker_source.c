// SPDX-License-Identifier: GPL-2.0
/*
 * The trace_marker milestones: their lines as events, and read through
 * lutrace's own tracefs instance, on a directory laid out like tracefs that
 * holds the current kernel's formats and pages (tests/unit/tracefs; the
 * real tracefs: make test-bpf).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/marker_source.h"

#define NS 1000000000ull

Test(marker_text, open_attempts_or_timeline_markers)
{
	struct lt_event out;

	marker_text_to_event("lutrace: open_attempt dev=0000:02:00.0 path=group\n", 9, 2,
			  &out);
	cr_assert_eq(out.id, LT_EV_OPEN_ATTEMPT);
	cr_assert_str_eq(out.dev, "0000:02:00.0");
	cr_assert_eq(out.arg, LT_OPEN_GROUP);
	cr_assert_eq(out.stage, 2);
	cr_assert_eq(out.boottime_ns, 9);

	marker_text_to_event("lutrace: open_attempt dev=0000:02:00.0", 9, 2, &out);
	cr_assert_eq(out.arg, LT_OPEN_CDEV, "cdev unless it says group");

	marker_text_to_event("lutrace: dma verified dev=0000:01:00.0 bytes=4096\n", 9, 1,
			  &out);
	cr_assert_eq(out.id, LT_EV_MARKER);
	cr_assert_str_eq(out.text, "dma verified dev=0000:01:00.0 bytes=4096");
	cr_assert_str_eq(out.dev, "0000:01:00.0");

	marker_text_to_event("lutrace: handed over, no device", 9, 1, &out);
	cr_assert_eq(out.id, LT_EV_MARKER);
	cr_assert_str_eq(out.dev, "");
	/* "xdev=" is not "dev=", "open_attempts" is not "open_attempt" */
	marker_text_to_event("lutrace: open_attempts xdev=1", 9, 1, &out);
	cr_assert_eq(out.id, LT_EV_MARKER);
	cr_assert_str_eq(out.dev, "");
}

/* The VMM's word for dma_kept_running: events of their own, on the device. */
Test(marker_text, dma_in_flight_and_what_landed)
{
	struct lt_event out;

	marker_text_to_event("lutrace: dma_in_flight dev=0000:01:00.0 status=0x3 dst=0x3e5a8000 bytes=4096\n",
			     9, 1, &out);
	cr_assert_eq(out.id, LT_EV_DMA_IN_FLIGHT);
	cr_assert_str_eq(out.dev, "0000:01:00.0");
	cr_assert_str_eq(out.text, "dma_in_flight dev=0000:01:00.0 status=0x3 dst=0x3e5a8000 bytes=4096");
	marker_text_to_event("lutrace: dma_landed dev=0000:01:00.0 bytes=4096", 9, 2, &out);
	cr_assert_eq(out.id, LT_EV_DMA_CHECK);
	cr_assert_eq(out.arg, 1);
	marker_text_to_event("lutrace: dma_not_landed dev=0000:01:00.0 zeros=1", 9, 2, &out);
	cr_assert_eq(out.id, LT_EV_DMA_CHECK);
	cr_assert_eq(out.arg, 0);
	/* a word is whole: "dma_landed_late" is a marker */
	marker_text_to_event("lutrace: dma_landed_late dev=0000:01:00.0", 9, 2, &out);
	cr_assert_eq(out.id, LT_EV_MARKER);
}

Test(marker_text, only_lutrace_lines_are_ours)
{
	cr_assert(marker_text_is_ours("lutrace: dma_verified dev=0000:01:00.0"));
	cr_assert_not(marker_text_is_ours("hello lutrace: x"));
	cr_assert_not(marker_text_is_ours(""));
}

static char root[] = "/tmp/lutrace-tracefs-XXXXXX";
static char inst[512];
static struct marker_source ms;

static void put(const char *name, const char *text)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", inst, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static const char *get(const char *name)
{
	static char text[256];
	char path[1200];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", inst, name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* tracefs makes an instance's files on mkdir; here they are there already. */
static void fake_tracefs(void)
{
	char cmd[sizeof(inst) * 2 + 200];

	cr_assert_not_null(mkdtemp(root));
	snprintf(inst, sizeof(inst), "%s/instances/" MARKER_INSTANCE, root);
	/* The formats at the top; the pages (with two markers) in the instance. */
	snprintf(cmd, sizeof(cmd),
		 "cp -r tests/unit/tracefs/events %s/ && mkdir -p %s/options && cp -r tests/unit/tracefs/per_cpu %s/",
		 root, inst, inst);
	cr_assert_eq(system(cmd), 0);
	put("options/copy_trace_marker", "0\n");
	put("trace_clock", "[local] boot\n");
	put("buffer_size_kb", "1410\n");
	put("trace", "old lines\n");
}

static void cleanup(void)
{
	char cmd[300];

	marker_source_close(&ms);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	cr_assert_eq(system(cmd), 0);
	strcpy(root, "/tmp/lutrace-tracefs-XXXXXX");
}

TestSuite(marker_source, .init = fake_tracefs, .fini = cleanup);

#define MAX_GOT 8
static struct lt_event got[MAX_GOT];
static size_t ngot;

static int collect(void *ctx, const struct lt_event *e)
{
	(void)ctx;
	cr_assert_lt(ngot, MAX_GOT);
	got[ngot++] = *e;
	return 0;
}

Test(marker_source, sets_the_instance_up_and_reads_only_lutrace_lines)
{
	char err[256] = "";

	cr_assert_eq(marker_source_open(&ms, root, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(get("options/copy_trace_marker"), "1");
	cr_assert_str_eq(get("trace_clock"), "boot", "the BPF events' clock");
	cr_assert_str_eq(get("trace"), "", "a previous recorder's lines are cleared");
	cr_assert_str_eq(get("buffer_size_kb"), "64");

	ngot = 0;
	cr_assert_eq(marker_source_read(&ms, 2, collect, NULL), 0);
	/* The two print events of the pages, CPU 0's first (preserved), no kernel event. */
	cr_assert_eq(ngot, 2);
	cr_assert_str_eq(got[1].text, "cycle_done dev=0000:01:00.0 session=tp-cycle token=1");
	cr_assert_eq(got[1].boottime_ns, 3834513369ull, "exact ns");
	cr_assert_str_eq(got[0].session, "tp-cycle");
	cr_assert_str_eq(got[0].dev, "0000:01:00.0");
	cr_assert_eq(got[0].token, 1);
	cr_assert_eq(got[0].stage, 2);
	cr_assert_eq(got[0].boottime_ns, 3812666064ull, "exact ns");
	cr_assert_eq(ms.lost, 0);
	cr_assert_eq(marker_source_read(&ms, 2, collect, NULL), 0);
	cr_assert_eq(ngot, 2, "what was read is not read again");

	marker_source_close(&ms);
	cr_assert_str_eq(get("options/copy_trace_marker"), "0", "copying stops");
}

/*
 * A page the kernel wrote after dropping events says so in its commit
 * word (bit 31), with the count after the data when it had room (bit 30).
 * Lines lost are the markers' own cause, not the ring buffer's.
 */
Test(marker_source, lines_the_buffer_dropped_count_as_marker_lost)
{
	char path[1200], err[256] = "";
	unsigned char page[4096];
	uint64_t commit, nlost = 7;
	struct lt_losses sum = { 0 };
	struct record_source src;
	FILE *f;

	snprintf(path, sizeof(path), "%s/per_cpu/cpu0/trace_pipe_raw", inst);
	f = fopen(path, "r+");
	cr_assert_not_null(f);
	cr_assert_eq(fread(page, 1, sizeof(page), f), sizeof(page));
	memcpy(&commit, page + 8, 8);
	memcpy(page + 16 + commit, &nlost, 8);
	commit |= 3ull << 30;
	memcpy(page + 8, &commit, 8);
	rewind(f);
	cr_assert_eq(fwrite(page, 1, sizeof(page), f), sizeof(page));
	fclose(f);

	cr_assert_eq(marker_source_open(&ms, root, err, sizeof(err)), 0, "%s", err);
	ngot = 0;
	cr_assert_eq(marker_source_read(&ms, 1, collect, NULL), 0);
	cr_assert_eq(ngot, 2, "the page's events are read all the same");
	src = marker_record_source(&ms);
	marker_source_close(&ms);
	src.lost(src.self, &sum);
	cr_assert_eq(sum.by_cause[LT_LOSS_MARKER_LOST], 7, "counted, and kept once closed");
	cr_assert_eq(lt_losses_total(&sum), 7, "under no other cause");
	cr_assert_not_null(src.what, "a failing read says what failed");
}

Test(marker_source, a_kernel_without_copy_trace_marker_says_so)
{
	char path[1200], err[256] = "";

	snprintf(path, sizeof(path), "%s/options/copy_trace_marker", inst);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(marker_source_open(&ms, root, err, sizeof(err)), -1);
	cr_assert(strstr(err, "needs Linux 6.17"), "%s", err);
	cr_assert_not(ms.open);
	cr_assert_eq(marker_source_read(&ms, 1, collect, NULL), 0, "reads nothing");
}
