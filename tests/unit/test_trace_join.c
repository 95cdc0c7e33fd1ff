// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analyze/trace_join.h"
#include "log_fixture.h"

#define SEC 1000000000ull
#define HZ 1000000000ull	/* 1 GHz: one tick per ns keeps numbers readable */

static struct log_buf stage1, stage2;
static struct lt_trace t;
static char err[256];

static void init(void)
{
	lt_trace_init(&t);
}

static void fini(void)
{
	lt_trace_release(&t);
}

/* Stage 1 anchored at boottime 10 s / TSC 1000 s; stage 2 boots 4 s later. */
static void build_two_stages(struct log_buf *s1, struct log_buf *s2)
{
	struct lt_record a1 = fx_anchor(1, 0x11, 10 * SEC, 1000 * SEC, HZ);
	struct lt_record a2 = fx_anchor(2, 0x22, 1 * SEC, 1005 * SEC, HZ);
	struct lt_record r;

	fx_header(s1);
	fx_append(s1, &a1);
	r = fx_event(1, LT_EV_VFIO_LU_FREEZE, 11 * SEC, "0000:01:00.0");
	fx_append(s1, &r);
	r = fx_event(1, LT_EV_KEXEC, 12 * SEC, NULL);
	fx_append(s1, &r);
	r = fx_drops(1, 2);
	fx_append(s1, &r);

	if (s2 != s1)
		fx_header(s2);
	fx_append(s2, &a2);
	r = fx_event(2, LT_EV_VFIO_LU_RETRIEVE, 2 * SEC, "0000:01:00.0");
	fx_append(s2, &r);
	r = fx_event(2, LT_EV_PCI_LU_INCOMING, SEC / 2, "0000:01:00.0");
	fx_append(s2, &r);
	r = fx_drops(2, 1);
	fx_append(s2, &r);
	r = fx_drops(2, 3);	/* cumulative: 3 is the stage total */
	fx_append(s2, &r);
}

static void add(struct log_buf *b, const char *name)
{
	cr_assert_eq(lt_trace_add_log(&t, name, b->data, b->len, err, sizeof(err)),
		     0, "%s", err);
}

static void assert_joined_order(void)
{
	static const struct { uint16_t id; int64_t axis; size_t stage; } want[] = {
		{ LT_EV_VFIO_LU_FREEZE, 11 * SEC, 0 },
		{ LT_EV_KEXEC, 12 * SEC, 0 },
		/* stage 2 offset: 10 + 5 - 1 = 14 s */
		{ LT_EV_PCI_LU_INCOMING, 14 * SEC + SEC / 2, 1 },
		{ LT_EV_VFIO_LU_RETRIEVE, 16 * SEC, 1 },
	};

	cr_assert_eq(lt_trace_finish(&t, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(t.nstages, 2);
	cr_assert_eq(t.stages[0].number, 1);
	cr_assert_eq(t.stages[1].number, 2);
	cr_assert_eq(t.stages[1].clock.offset_ns, (int64_t)(14 * SEC));
	cr_assert_eq(t.nevents, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(t.events[i].ev.id, want[i].id, "event %zu", i);
		cr_assert_eq(t.events[i].axis_ns, want[i].axis, "event %zu", i);
		cr_assert_eq(t.events[i].stage, want[i].stage, "event %zu", i);
	}
	cr_assert_eq(t.lost.by_cause[LT_LOSS_RING_BUFFER], 2 + 3);
}

Test(trace_join, two_logs_share_one_axis, .init = init, .fini = fini)
{
	build_two_stages(&stage1, &stage2);
	/* Order of loading must not matter. */
	add(&stage2, "stage2.log");
	add(&stage1, "stage1.log");
	assert_joined_order();
	cr_assert_eq(t.ndiags, 0);
}

Test(trace_join, stage_two_continuing_the_same_file, .init = init, .fini = fini)
{
	build_two_stages(&stage1, &stage1);
	add(&stage1, "flight.log");
	assert_joined_order();
}

Test(trace_join, records_loaded_twice_count_once, .init = init, .fini = fini)
{
	build_two_stages(&stage1, &stage1);
	build_two_stages(&stage2, &stage2);
	add(&stage1, "flight.log");
	add(&stage2, "copy-of-flight.log");
	assert_joined_order();
}

Test(trace_join, damaged_log_keeps_its_diagnostics_and_good_records,
     .init = init, .fini = fini)
{
	build_two_stages(&stage1, &stage1);
	stage1.len -= 5;	/* the last drop record is torn */
	add(&stage1, "flight.log");
	cr_assert_eq(lt_trace_finish(&t, err, sizeof(err)), 0);
	cr_assert_eq(t.ndiags, 1);
	cr_assert_eq(t.diags[0].diag.kind, LT_DIAG_TORN);
	cr_assert_str_eq(t.sources[t.diags[0].source], "flight.log");
	cr_assert_eq(t.nevents, 4);
	cr_assert_eq(t.lost.by_cause[LT_LOSS_RING_BUFFER], 2 + 1);
}

Test(trace_join, event_without_anchor_is_reported_not_guessed,
     .init = init, .fini = fini)
{
	struct lt_record e = fx_event(1, LT_EV_KEXEC, 5, NULL);
	size_t at;

	fx_header(&stage1);
	at = fx_append(&stage1, &e);
	add(&stage1, "noanchor.log");
	cr_assert_eq(lt_trace_finish(&t, err, sizeof(err)), 0);
	cr_assert_eq(t.nevents, 0);
	cr_assert_eq(t.unanchored_events, 1);
	cr_assert_eq(t.ndiags, 1);
	cr_assert_eq(t.diags[0].diag.offset, at);
	cr_assert(strstr(t.diags[0].diag.message, "no clock anchor"));
}

Test(trace_join, two_boots_claiming_one_stage_number_is_an_error,
     .init = init, .fini = fini)
{
	struct lt_record a = fx_anchor(1, 0x11, SEC, SEC, HZ);
	struct lt_record b = fx_anchor(1, 0x99, SEC, SEC, HZ);

	fx_header(&stage1);
	fx_append(&stage1, &a);
	fx_header(&stage2);
	fx_append(&stage2, &b);
	add(&stage1, "run-a.log");
	add(&stage2, "run-b.log");
	cr_assert_eq(lt_trace_finish(&t, err, sizeof(err)), -1);
	cr_assert(strstr(err, "both claim to be stage 1"), "%s", err);
}

Test(trace_join, files_are_read_and_foreign_ones_refused,
     .init = init, .fini = fini)
{
	char path[] = "/tmp/lutrace-join-XXXXXX";
	int fd = mkstemp(path);

	build_two_stages(&stage1, &stage1);
	cr_assert_eq(write(fd, stage1.data, stage1.len), (ssize_t)stage1.len);
	close(fd);
	cr_assert_eq(lt_trace_add_file(&t, path, err, sizeof(err)), 0, "%s", err);
	assert_joined_order();
	unlink(path);

	cr_assert_eq(lt_trace_add_file(&t, "/nonexistent/log", err, sizeof(err)), -1);
	cr_assert(strstr(err, "No such file"), "%s", err);
	cr_assert_eq(lt_trace_add_file(&t, "/etc/hostname", err, sizeof(err)), -1);
	cr_assert(strstr(err, "not a lutrace flight log"), "%s", err);
}

/*
 * Each device's events, indexed at finish: every event under the device it
 * names ("" for none), in trace order, the devices in order of first event,
 * with more devices than the index starts with room for.
 */
Test(trace_join, every_event_is_indexed_under_its_device, .init = init, .fini = fini)
{
	enum { NDEV = 80, ROUNDS = 2 };
	struct lt_record a = fx_anchor(1, 0x11, 10 * SEC, 1000 * SEC, HZ);
	char dev[NDEV][LUTRACE_DEV_LEN];
	size_t seen = 0;

	fx_header(&stage1);
	fx_append(&stage1, &a);
	for (int d = 0; d < NDEV; d++)
		snprintf(dev[d], sizeof(dev[d]), "0000:%02x:00.0", d + 1);
	for (int r = 0; r < ROUNDS; r++) {
		for (int d = 0; d < NDEV; d++) {
			struct lt_record e = fx_event(1, LT_EV_VFIO_LU_PRESERVE,
						      11 * SEC + (uint64_t)(r * NDEV + d) * 1000,
						      dev[(d * 7 + r) % NDEV]);

			fx_append(&stage1, &e);
			if (d % 2 == 0) {
				e = fx_event(1, LT_EV_IOMMU_MAP,
					     11 * SEC + (uint64_t)(r * NDEV + d) * 1000 + 1, NULL);
				e.event.iova = (uint64_t)(r * NDEV + d) << 12;
				fx_append(&stage1, &e);
			}
		}
	}
	cr_assert_eq(lt_trace_add_log(&t, "flight.log", stage1.data, stage1.len, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(lt_trace_finish(&t, err, sizeof(err)), 0, "%s", err);

	cr_assert_eq(t.ndevices, NDEV + 1, "%zu devices, want %d and \"\"", t.ndevices, NDEV + 1);
	cr_assert_str_eq(t.devices[0].name, dev[0], "devices are not in order of first event");
	cr_assert_str_eq(t.devices[1].name, "");
	cr_assert_str_eq(t.devices[2].name, dev[7]);
	for (size_t k = 0; k < t.ndevices; k++) {
		const struct lt_trace_device *d = &t.devices[k];

		cr_assert_eq(lt_trace_device_named(&t, d->name), d);
		cr_assert_eq(d->nevents, d->name[0] ? ROUNDS : (size_t)ROUNDS * NDEV / 2,
			     "%s: %zu events", d->name, d->nevents);
		for (size_t p = 0; p < d->nevents; p++) {
			size_t i = d->events[p];

			cr_assert_str_eq(t.events[i].ev.dev, d->name);
			cr_assert_eq(t.events[i].device, k);
			cr_assert(p == 0 || d->events[p - 1] < i, "%s: events out of order", d->name);
			cr_assert_eq(lt_trace_device_after(d, i), p + 1);
			if (i > 0)
				cr_assert_eq(lt_trace_device_after(d, i - 1), p);
		}
		seen += d->nevents;
	}
	cr_assert_eq(seen, t.nevents, "%zu events indexed of %zu", seen, t.nevents);
	cr_assert_null(lt_trace_device_named(&t, "0000:ff:00.0"));
}
