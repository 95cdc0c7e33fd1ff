// SPDX-License-Identifier: GPL-2.0
/*
 * The trace_marker milestones: their lines as events, and read through
 * lutrace's own tracefs instance, on a directory laid out like tracefs
 * (the real one: make test-bpf).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/marker_source.h"
#include "record/tracefs_text.h"

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

Test(marker_text, lines_as_trace_pipe_shows_them)
{
	struct lt_event e;
	uint64_t lost = 0;

	cr_assert(marker_line_to_event("           <...>-5627    [001] ...1.  4574.072335: tracing_mark_write: lutrace: dma_verified dev=0000:01:00.0 bytes=4096", 2, &e));
	cr_assert_eq(e.id, LT_EV_MARKER);
	cr_assert_eq(e.stage, 2);
	cr_assert_eq(e.boottime_ns, 4574 * NS + 72335000ull);
	cr_assert_str_eq(e.dev, "0000:01:00.0");
	cr_assert_str_eq(e.text, "dma_verified dev=0000:01:00.0 bytes=4096");
	cr_assert(marker_line_to_event(" lu_vfio-88 [000] ..... 12.000001: tracing_mark_write: lutrace: open_attempt dev=0000:02:00.0 path=group\n", 2, &e));
	cr_assert_eq(e.id, LT_EV_OPEN_ATTEMPT);
	cr_assert_eq(e.arg, LT_OPEN_GROUP);
	/* Someone else's marker, and an event line. */
	cr_assert_not(marker_line_to_event(" sh-5 [000] ..... 1.0: tracing_mark_write: hello lutrace: x", 2, &e));
	cr_assert_not(marker_line_to_event("   init-1 [000] ..... 1.100000: liveupdate_file_retrieve: session=lutrace compatible=memfd-v1 token=1 ret=0", 2, &e));

	cr_assert(tracefs_lost_events("CPU:1 [LOST 12 EVENTS]", &lost));
	cr_assert_eq(lost, 12);
	cr_assert_not(tracefs_lost_events(" sh-5 [000] ..... 1.0: tracing_mark_write: CPU:1 [LOST 3 EVENTS]", &lost));
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
	char path[sizeof(inst) + 16];

	cr_assert_not_null(mkdtemp(root));
	snprintf(inst, sizeof(inst), "%s/instances", root);
	cr_assert_eq(mkdir(inst, 0755), 0);
	snprintf(inst, sizeof(inst), "%s/instances/" MARKER_INSTANCE, root);
	cr_assert_eq(mkdir(inst, 0755), 0);
	snprintf(path, sizeof(path), "%s/options", inst);
	cr_assert_eq(mkdir(path, 0755), 0);
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

	put("trace_pipe",
	    " lu_vfio-88 [000] ..... 5.000001: tracing_mark_write: lutrace: preserved dev=0000:01:00.0 session=vm token=1\n"
	    " sh-5 [001] ..... 5.100000: tracing_mark_write: not ours\n"
	    "CPU:1 [LOST 3 EVENTS]\n"
	    " lu_vfio-88 [000] ..... 6.5: tracing_mark_write: lutrace: dma_verified dev=0000:01:00.0 bytes=4096\n"
	    " lu_vfio-88 [000] ..... 7.0: tracing_mark_write: lutrace: cut sh");
	cr_assert_eq(marker_source_open(&ms, root, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(get("options/copy_trace_marker"), "1");
	cr_assert_str_eq(get("trace_clock"), "boot", "the BPF events' clock");
	cr_assert_str_eq(get("trace"), "", "a previous recorder's lines are cleared");
	cr_assert_str_eq(get("buffer_size_kb"), "64");

	ngot = 0;
	cr_assert_eq(marker_source_read(&ms, 2, collect, NULL), 0);
	cr_assert_eq(ngot, 2, "the line without its end waits for it");
	cr_assert_str_eq(got[0].session, "vm");
	cr_assert_eq(got[0].token, 1);
	cr_assert_eq(got[0].stage, 2);
	cr_assert_eq(got[1].boottime_ns, 6500000000ull);
	cr_assert_str_eq(got[1].text, "dma_verified dev=0000:01:00.0 bytes=4096");
	cr_assert_eq(ms.lost, 3);

	marker_source_close(&ms);
	cr_assert_str_eq(get("options/copy_trace_marker"), "0", "copying stops");
}

/*
 * Lines lost are the markers' own cause, not the ring buffer's: the
 * "[LOST N EVENTS]" lines, and a line too long for any trace_marker write.
 */
Test(marker_source, lost_lines_count_as_marker_lost)
{
	static char text[MARKER_LINE_MAX + 200];
	struct lt_losses sum = { 0 };
	struct record_source src;
	char err[256] = "";
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "CPU:0 [LOST 2 EVENTS]\n");
	memset(text + n, 'x', MARKER_LINE_MAX + 10);
	strcpy(text + n + MARKER_LINE_MAX + 10,
	       "\n lu_vfio-88 [000] ..... 6.5: tracing_mark_write: lutrace: after dev=0000:01:00.0\n");
	put("trace_pipe", text);
	cr_assert_eq(marker_source_open(&ms, root, err, sizeof(err)), 0, "%s", err);
	ngot = 0;
	cr_assert_eq(marker_source_read(&ms, 1, collect, NULL), 0);
	cr_assert_eq(ngot, 1, "the line after the long one is read");
	cr_assert_str_eq(got[0].text, "after dev=0000:01:00.0");
	src = marker_record_source(&ms);
	src.lost(src.self, &sum);
	cr_assert_eq(sum.by_cause[LT_LOSS_MARKER_LOST], 2 + 1, "two lost, one too long");
	cr_assert_eq(lt_losses_total(&sum), 3, "under no other cause");
	cr_assert_not_null(src.what, "a failing read says what failed");
	marker_source_close(&ms);
}

Test(marker_source, a_kernel_without_copy_trace_marker_says_so)
{
	char path[1200], err[256] = "";

	snprintf(path, sizeof(path), "%s/options/copy_trace_marker", inst);
	cr_assert_eq(unlink(path), 0);
	put("trace_pipe", "");
	cr_assert_eq(marker_source_open(&ms, root, err, sizeof(err)), -1);
	cr_assert(strstr(err, "needs Linux 6.17"), "%s", err);
	cr_assert_eq(ms.pipe, -1);
	cr_assert_eq(marker_source_read(&ms, 1, collect, NULL), 0, "reads nothing");
}
