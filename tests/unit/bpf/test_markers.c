// SPDX-License-Identifier: GPL-2.0
/*
 * trace_marker milestones on the host kernel: a tracefs instance with
 * copy_trace_marker gets the top-level trace_marker's lines (Linux 6.17).
 * Needs root; make test-bpf.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record/marker_source.h"

static char tracefs[] = "/tmp/lutrace-bpf-tracefs-XXXXXX";
static struct lt_event got[4];
static size_t ngot;

static int collect(void *ctx, const struct lt_event *e)
{
	(void)ctx;
	if (ngot < 4)
		got[ngot] = *e;
	ngot++;
	return 0;
}

static void mark(const char *line)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/trace_marker", tracefs);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	close(fd);
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

Test(markers, top_level_trace_marker_lines_reach_the_instance)
{
	struct marker_source ms;
	char err[512] = "", inst[128];
	uint64_t before;

	if (geteuid() != 0)
		cr_skip_test("needs root to mount tracefs");
	cr_assert_not_null(mkdtemp(tracefs));
	cr_assert_eq(mount("tracefs", tracefs, "tracefs", 0, NULL), 0);
	if (marker_source_open(&ms, tracefs, err, sizeof(err))) {
		umount(tracefs);
		rmdir(tracefs);
		cr_skip_test("%s", err);
	}
	before = boottime_ns();
	mark("lutrace: dma_verified dev=0000:01:00.0 bytes=4096\n");
	mark("someone else's line\n");
	mark("lutrace: open_attempt dev=0000:02:00.0 path=group");
	cr_assert_eq(marker_source_read(&ms, 1, collect, NULL), 0);
	marker_source_close(&ms);
	snprintf(inst, sizeof(inst), "%s/instances/" MARKER_INSTANCE, tracefs);
	cr_assert_neq(access(inst, F_OK), 0, "the instance is removed");
	cr_assert_eq(umount(tracefs), 0);
	rmdir(tracefs);

	cr_assert_eq(ngot, 2);
	cr_assert_eq(got[0].id, LT_EV_MARKER);
	cr_assert_str_eq(got[0].dev, "0000:01:00.0");
	cr_assert_str_eq(got[0].text, "dma_verified dev=0000:01:00.0 bytes=4096");
	/* trace_clock boot, printed to the microsecond */
	cr_assert_geq(got[0].boottime_ns + 1000, before);
	cr_assert_leq(got[0].boottime_ns, boottime_ns());
	cr_assert_eq(got[1].id, LT_EV_OPEN_ATTEMPT);
	cr_assert_eq(got[1].arg, LT_OPEN_GROUP);
}
