// SPDX-License-Identifier: GPL-2.0
/*
 * The record loop with fake sources in place of the ring buffer, kmsg and
 * the markers: what they hand it lands in the log, a full log is counted
 * and never fatal, and a signal, a duration or a failing source ends it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "log_fixture.h"
#include "record/log_transport.h"
#include "record/log_writer.h"
#include "record/record_loop.h"

struct fake_source {
	int per_read;		/* events handed over per read */
	int raise_at;		/* read that raises SIGTERM, 0: none */
	int stop_at;		/* read that sets *stop, 0: none */
	int fail_at;		/* read that returns fail_with, 0: none */
	int fail_with;
	volatile sig_atomic_t *stop;
	int reads;
	int handed;		/* events handed over so far */
	int last_wait_ms;
	uint32_t last_stage;	/* the stage the loop said it records */
	uint64_t lost;		/* one more each read */
	enum lt_loss_cause cause;	/* what it loses to (ring_buffer) */
	int break_at;		/* read that makes break_fd read-only, 0: none */
	int *break_fd;
};

/* fd, open on the same file, turned read-only: writes into it fail. */
static void make_read_only(int fd)
{
	char path[64];
	int ro;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY);
	cr_assert_geq(ro, 0);
	cr_assert_eq(dup2(ro, fd), fd);
	close(ro);
}

static int fake_read(void *self, int wait_ms, uint32_t stage, lt_event_fn fn,
		     void *ctx)
{
	struct fake_source *s = self;
	const struct timespec pause = { 0, 1000000 };	/* not a busy loop */

	s->reads++;
	s->last_wait_ms = wait_ms;
	s->last_stage = stage;
	if (wait_ms)
		nanosleep(&pause, NULL);
	for (int i = 0; i < s->per_read; i++) {
		struct lt_event e = { .stage = 99, .id = LT_EV_VFIO_LU_FREEZE,
				      .boottime_ns = (uint64_t)++s->handed };
		int ret;

		snprintf(e.dev, sizeof(e.dev), "0000:01:00.0");
		ret = fn(ctx, &e);
		if (ret)
			return ret;
	}
	s->lost++;
	if (s->reads == s->break_at)
		make_read_only(*s->break_fd);
	if (s->reads == s->raise_at)
		raise(SIGTERM);
	if (s->reads == s->stop_at)
		*s->stop = 1;
	return s->reads == s->fail_at ? s->fail_with : 0;
}

/* The fake's losses, under its cause. */
static void fake_lost(void *self, struct lt_losses *sum)
{
	const struct fake_source *s = self;

	sum->by_cause[s->cause] += s->lost;
}

static uint64_t ring_lost(const struct record_loop *l)
{
	return record_loop_losses(l).by_cause[LT_LOSS_RING_BUFFER];
}

static struct log_buf buf;
static struct parsed_log parsed;
static struct log_writer w;
static struct log_transport tr;
static volatile sig_atomic_t stop;

/* A log writer on a new memfd of capacity bytes (0: a growing file). */
static void open_log(uint64_t capacity)
{
	struct tsc_calibration cal = { 0 };
	char err[256];

	memset(&tr, 0, sizeof(tr));
	tr.mode = TRANSPORT_FILE;
	tr.session = tr.file_fd = -1;
	tr.fd = memfd_create("lutrace-test", 0);
	cr_assert_geq(tr.fd, 0);
	if (capacity)
		cr_assert_eq(ftruncate(tr.fd, (off_t)capacity), 0);
	cr_assert_eq(log_writer_start(&w, tr.fd, 0, capacity, 0, &cal, err, sizeof(err)),
		     0, "%s", err);
}

static struct record_loop loop_of(struct record_source *src, size_t n)
{
	return (struct record_loop){
		.log = &w, .transport = &tr, .sources = src, .nsources = n,
		.poll_ms = 7, .anchor_every_ns = RECORD_ANCHOR_EVERY_NS,
		.stop = &stop,
	};
}

/* The log as written so far, parsed into parsed. */
static void read_back(void)
{
	ssize_t n = pread(tr.fd, buf.data, sizeof(buf.data), 0);

	cr_assert_gt(n, 0);
	fx_parse(buf.data, lt_log_used_length(buf.data, (size_t)n), &parsed);
	cr_assert_eq(parsed.ret, 0, "%s", parsed.err);
	cr_assert_eq(parsed.ndiags, 0, "%s", parsed.ndiags ? parsed.diags[0].message : "");
}

static const struct lt_drops *last_drops(void)
{
	const struct lt_drops *d = NULL;

	for (size_t i = 0; i < parsed.nrecs; i++)
		if (parsed.recs[i].type == LT_REC_DROPS)
			d = &parsed.recs[i].drops;
	cr_assert_not_null(d, "no drop record");
	return d;
}

static size_t count(enum lt_record_type type)
{
	size_t n = 0;

	for (size_t i = 0; i < parsed.nrecs; i++)
		n += parsed.recs[i].type == type;
	return n;
}

static void fini(void)
{
	if (tr.fd >= 0)
		close(tr.fd);
	if (tr.file_fd >= 0)
		close(tr.file_fd);
}

TestSuite(record_loop, .fini = fini);

Test(record_loop, a_signal_ends_it_with_every_event_handed_over_in_the_log)
{
	struct fake_source ring = { .per_read = 3, .raise_at = 4 };
	struct fake_source later = { .per_read = 1 };
	struct record_source src[] = {
		{ fake_read, fake_lost, &ring, "the fake ring" },
		{ fake_read, NULL, &later, NULL },
	};
	struct record_loop l;
	uint64_t t = 0;

	open_log(0);
	l = loop_of(src, 2);
	l.stop = &record_stop_requested;
	record_loop_catch_signals();
	cr_assert_eq(record_loop_run(&l), 0, "a signal is a clean stop: %s", l.err);
	cr_assert_eq(record_stop_requested, 1);
	cr_assert_str_eq(l.err, "");
	/* The round the signal came in is finished: the second source too. */
	cr_assert_eq(ring.reads, 4);
	cr_assert_eq(later.reads, 4);
	cr_assert_eq(ring.last_wait_ms, 7, "the first source waits poll_ms");
	cr_assert_eq(later.last_wait_ms, 0, "the others do not wait");
	cr_assert_eq(ring.last_stage, 1);
	cr_assert_eq(w.events, 16);
	cr_assert_eq(w.unwritten, 0);
	read_back();
	cr_assert_eq(count(LT_REC_EVENT), 16);
	for (size_t i = 0; i < parsed.nrecs; i++) {
		const struct lt_event *e = &parsed.recs[i].event;

		if (parsed.recs[i].type != LT_REC_EVENT)
			continue;
		cr_assert_eq(e->stage, 1, "the log writer's stage, not the source's");
		cr_assert_gt(e->boottime_ns, 0);
		t++;
	}
	cr_assert_eq(t, 16);
	/* A drop record each round the fake ring's loss count moved. */
	cr_assert_eq(count(LT_REC_DROPS), 1 + 4, "the opening one, then one a round");
	cr_assert_eq(last_drops()->lost.by_cause[LT_LOSS_RING_BUFFER], 4);
	cr_assert_eq(ring_lost(&l), 4, "only sources with a lost() count");
}

Test(record_loop, a_set_stop_flag_ends_it_before_it_reads)
{
	struct fake_source ring = { .per_read = 1 };
	struct record_source src[] = { { fake_read, fake_lost, &ring, NULL } };
	struct record_loop l;

	open_log(0);
	l = loop_of(src, 1);
	stop = 1;
	cr_assert_eq(record_loop_run(&l), 0);
	cr_assert_eq(ring.reads, 0);
}

/*
 * A full log: the events that do not fit are counted as unwritten, and the
 * drop records, in the room the log writer keeps back, say how many.
 */
Test(record_loop, a_full_log_counts_what_did_not_fit_and_goes_on)
{
	struct fake_source ring = { .per_read = 5, .stop_at = 6, .stop = &stop };
	struct record_source src[] = { { fake_read, NULL, &ring, NULL } };
	struct record_loop l;

	open_log(1024);
	l = loop_of(src, 1);
	cr_assert_eq(record_loop_run(&l), 0, "a full log is not a failure");
	cr_assert_eq(ring.reads, 6);
	cr_assert_eq(w.events + w.unwritten, 30);
	cr_assert_gt(w.events, 0);
	cr_assert_gt(w.unwritten, 0);
	read_back();
	cr_assert_eq(count(LT_REC_EVENT), w.events);
	/* Periodic drop records have a room of their own, which fills too. */
	cr_assert_gt(last_drops()->lost.by_cause[LT_LOSS_LOG_FULL], 0, "the log says it was full");
	cr_assert_eq(log_writer_finish(&w, NULL), 0);
	read_back();
	cr_assert_eq(last_drops()->lost.by_cause[LT_LOSS_LOG_FULL], w.unwritten,
		     "the closing record says how many");
	cr_assert_leq(w.pos, 1024);
}

/* How often needle occurs in text. */
static int occurrences(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/*
 * A log that fills up to its last byte while events keep coming: the loop
 * goes on until it is stopped, every event that did not fit is counted in
 * memory, drop records and anchors that no longer fit are skipped (and
 * counted) instead of ending it, and the closing drop record, in room that
 * only it and the closing anchor may use, has the true totals. Why the
 * recording degraded is said once, with the option to raise.
 */
Test(record_loop, a_full_log_never_stops_it_and_its_closing_record_has_the_true_totals)
{
	struct fake_source ring = { .per_read = 1, .stop_at = 300, .stop = &stop };
	struct record_source src[] = { { fake_read, fake_lost, &ring, "the fake ring" } };
	const struct lt_drops *closing;
	struct capture notes;
	struct record_loop l;
	const char *text;

	open_log(1024);
	l = loop_of(src, 1);
	l.poll_ms = 0;
	l.anchor_every_ns = 1;	/* an anchor every round: they fill up too */
	l.notes = capture_open(&notes);
	l.log_full_hint = "raise --luo-size";
	cr_assert_eq(record_loop_run(&l), 0, "a full log is no reason to stop: %s", l.err);
	cr_assert_eq(ring.reads, 300, "it went on until it was stopped");
	cr_assert_str_eq(l.err, "");
	cr_assert_eq(w.events + w.unwritten, 300, "every event is written or counted");
	cr_assert_gt(w.unwritten, 200);
	cr_assert_gt(w.skipped_records, 0, "periodic records that did not fit are counted");
	cr_assert_leq(w.pos, 1024 - LOG_WRITER_CLOSING_RESERVE,
		      "periodic records keep out of the closing reserve");
	cr_assert_eq(log_writer_finish(&w, &(struct lt_losses){ .by_cause[LT_LOSS_RING_BUFFER] = ring_lost(&l) }), 0,
		     "the closing records always fit");
	cr_assert_leq(w.pos, 1024);
	read_back();
	closing = last_drops();
	cr_assert_eq(closing->lost.by_cause[LT_LOSS_LOG_FULL], 300 - count(LT_REC_EVENT),
		     "events seen = written + unwritten");
	cr_assert_eq(closing->lost.by_cause[LT_LOSS_LOG_FULL], w.unwritten);
	cr_assert_eq(closing->lost.by_cause[LT_LOSS_RING_BUFFER], 300, "the sources' losses, all of them");
	cr_assert_eq(parsed.recs[parsed.nrecs - 2].type, LT_REC_DROPS);
	cr_assert_eq(parsed.recs[parsed.nrecs - 1].type, LT_REC_CLOCK_ANCHOR,
		     "the closing anchor is there too");
	text = capture_close(&notes);
	cr_assert_eq(occurrences(text, "flight log full at 1024 bytes: "), 1,
		     "said once: %s", text);
	cr_assert(strstr(text, " event(s) not written"), "%s", text);
	cr_assert(strstr(text, "raise --luo-size"), "%s", text);
	free(notes.text);
}

/* Losses in the ring buffer are said once, with the option to raise. */
Test(record_loop, ring_buffer_losses_say_once_which_option_to_raise)
{
	struct fake_source ring = { .per_read = 1, .stop_at = 5, .stop = &stop };
	struct record_source src[] = { { fake_read, fake_lost, &ring, "the ring buffer" } };
	struct capture notes;
	struct record_loop l;
	const char *text;

	open_log(0);
	l = loop_of(src, 1);
	l.notes = capture_open(&notes);
	l.lost_hint = "raise --ringbuf-size";
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	text = capture_close(&notes);
	cr_assert_eq(occurrences(text, "events were lost (ring_buffer): "), 1, "said once: %s", text);
	cr_assert(strstr(text, "the ring buffer was full"), "%s", text);
	cr_assert(strstr(text, "raise --ringbuf-size"), "%s", text);
	cr_assert_eq(occurrences(text, "flight log full"), 0, "%s", text);
	free(notes.text);
}

/*
 * Every cause is said once, by its name and what it means, and the drop
 * records count each under its own, the ones before the loop (the tracefs
 * import's) too: a marker or kmsg loss is not a ring-buffer one.
 */
Test(record_loop, each_cause_is_said_once_and_counted_under_its_own_name)
{
	struct fake_source ring = { .per_read = 1, .stop_at = 4, .stop = &stop };
	struct fake_source kmsg = { .cause = LT_LOSS_KMSG_OVERRUN };
	struct fake_source markers = { .cause = LT_LOSS_MARKER_LOST };
	struct record_source src[] = {
		{ fake_read, fake_lost, &ring, "the ring buffer" },
		{ fake_read, fake_lost, &kmsg, "/dev/kmsg" },
		{ fake_read, fake_lost, &markers, "the markers" },
	};
	const struct lt_drops *d;
	struct capture notes;
	struct record_loop l;
	const char *text;

	open_log(0);
	l = loop_of(src, 3);
	l.notes = capture_open(&notes);
	l.lost_hint = "raise --ringbuf-size";
	l.startup_lost.by_cause[LT_LOSS_TRACEFS_OVERRUN] = 2;
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	text = capture_close(&notes);
	cr_assert_eq(occurrences(text, "events were lost (ring_buffer): the ring buffer was full (1 so far); raise --ringbuf-size\n"), 1, "%s", text);
	cr_assert_eq(occurrences(text, "events were lost (kmsg_overrun): /dev/kmsg records were overwritten"), 1, "%s", text);
	cr_assert_eq(occurrences(text, "events were lost (marker_lost): "), 1, "%s", text);
	cr_assert_eq(occurrences(text, "events were lost (tracefs_overrun): "), 1, "%s", text);
	cr_assert_eq(occurrences(text, "raise --ringbuf-size"), 1, "the ring buffer's hint only: %s", text);
	read_back();
	d = last_drops();
	cr_assert_eq(d->lost.by_cause[LT_LOSS_RING_BUFFER], 4);
	cr_assert_eq(d->lost.by_cause[LT_LOSS_KMSG_OVERRUN], 4);
	cr_assert_eq(d->lost.by_cause[LT_LOSS_MARKER_LOST], 4);
	cr_assert_eq(d->lost.by_cause[LT_LOSS_TRACEFS_OVERRUN], 2);
	cr_assert_eq(d->run_id, w.run_id);
	free(notes.text);
}

/* Why it stopped, when nothing failed: said on notes. */
Test(record_loop, a_clean_stop_says_why)
{
	struct fake_source ring = { .per_read = 1, .raise_at = 2 };
	struct record_source src[] = { { fake_read, NULL, &ring, "the ring buffer" } };
	struct capture notes;
	struct record_loop l;

	open_log(0);
	l = loop_of(src, 1);
	l.notes = capture_open(&notes);
	l.stop = &record_stop_requested;
	record_stop_requested = 0;
	record_term_keeps_session = 0;
	record_loop_catch_signals();
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	cr_assert_str_eq(capture_close(&notes), "lutrace: recording stopped: SIGTERM\n");
	free(notes.text);
	l = loop_of(src, 1);
	l.notes = capture_open(&notes);
	l.duration_ns = 1;
	stop = 0;
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	cr_assert_str_eq(capture_close(&notes), "lutrace: recording stopped: --duration of 0 s passed\n");
	free(notes.text);
}

/*
 * A write into the log that fails ends the loop, and err says which write
 * and why: an event, a drop record, an anchor (the loop stopped without a
 * word for each of them once).
 */
static void run_breaking(int per_read, bool losing, uint64_t anchor_every_ns,
			 const char *want)
{
	struct fake_source ring = { .per_read = per_read, .break_at = 2 };
	struct record_source src[] = { { fake_read, losing ? fake_lost : NULL, &ring, NULL } };
	struct record_loop l;

	open_log(0);
	ring.break_fd = &tr.fd;
	l = loop_of(src, 1);
	l.anchor_every_ns = anchor_every_ns;
	cr_assert_eq(record_loop_run(&l), -1, "%s", want);
	cr_assert_str_eq(l.err, want);
	fini();
	tr.fd = tr.file_fd = -1;
}

Test(record_loop, a_failing_write_ends_it_saying_which_and_why)
{
	run_breaking(1, false, UINT64_MAX / 2,
		     "writing an event to the flight log: Bad file descriptor");
	run_breaking(0, true, UINT64_MAX / 2,
		     "writing a drop record to the flight log: Bad file descriptor");
	run_breaking(0, false, 1,
		     "writing a clock anchor to the flight log: Bad file descriptor");
}

/*
 * The copy of the LUO memfd into the log file failing (a full disk) does
 * not end the loop, which used to stop and, by exiting, release the
 * session and lose the log: it is said once and retried at every anchor.
 */
Test(record_loop, a_failing_copy_into_the_file_is_said_once_and_recording_goes_on)
{
	char path[] = "/tmp/lutrace-loop-XXXXXX";
	struct fake_source ring = { .per_read = 1, .break_at = 2, .stop_at = 6, .stop = &stop };
	struct record_source src[] = { { fake_read, NULL, &ring, NULL } };
	struct capture notes;
	struct record_loop l;
	const char *text;

	open_log(0);
	tr.mode = TRANSPORT_LUO;
	tr.path = "the-log-file";
	tr.file_fd = mkstemp(path);
	unlink(path);
	ring.break_fd = &tr.file_fd;
	l = loop_of(src, 1);
	l.anchor_every_ns = 1;
	l.notes = capture_open(&notes);
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	cr_assert_eq(ring.reads, 6, "recording went on");
	cr_assert_eq(w.events, 6);
	cr_assert_geq(l.copy_failures, 4, "retried at every anchor");
	text = capture_close(&notes);
	cr_assert_eq(occurrences(text, "copying the flight log into the-log-file: Bad file descriptor; the log is safe in its LUO memfd"), 1,
		     "said once: %s", text);
	free(notes.text);
}

/*
 * A failing source ends the round and the loop, and err says which source
 * and why, named or not (it said nothing for kmsg and the markers once).
 */
static void run_failing(const char *ring_name, const char *kmsg_name)
{
	struct fake_source ring = { .per_read = 1, .fail_at = 2, .fail_with = -EBADF };
	struct fake_source kmsg = { .per_read = 1, .fail_at = 3, .fail_with = -EIO };
	struct record_source src[] = {
		{ fake_read, NULL, &ring, ring_name },
		{ fake_read, NULL, &kmsg, kmsg_name },
	};
	struct record_loop l;

	open_log(0);
	l = loop_of(src, 2);
	cr_assert_eq(record_loop_run(&l), -1);
	cr_assert_eq(ring.reads, 2);
	cr_assert_eq(kmsg.reads, 1, "the round ends at the failure");
	cr_assert_eq(w.events, 3);
	if (ring_name)
		cr_assert_str_eq(l.err, "reading the fake ring: Bad file descriptor");
	else
		cr_assert_str_eq(l.err, "reading an event source: Bad file descriptor");
	close(tr.fd);
}

Test(record_loop, a_failing_source_ends_it_saying_why)
{
	run_failing("the fake ring", NULL);
	run_failing(NULL, "the fake kmsg");
	tr.fd = -1;
}

/* The duration stops it cleanly; anchors come on time and are copied out. */
Test(record_loop, duration_ends_it_and_each_anchor_syncs_the_copy)
{
	char path[] = "/tmp/lutrace-loop-XXXXXX";
	struct fake_source ring = { .per_read = 1 };
	struct record_source src[] = { { fake_read, NULL, &ring, NULL } };
	struct record_loop l;
	uint8_t *copy = malloc(sizeof(buf.data));
	size_t anchors_before;
	ssize_t n;

	open_log(1 << 16);
	tr.mode = TRANSPORT_LUO;	/* the memfd, mirrored to a file */
	tr.file_fd = mkstemp(path);
	unlink(path);
	read_back();
	anchors_before = count(LT_REC_CLOCK_ANCHOR);
	l = loop_of(src, 1);
	l.anchor_every_ns = 20 * 1000000ull;
	l.duration_ns = 130 * 1000000ull;
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	cr_assert_eq(stop, 1, "the duration sets the stop flag");
	read_back();
	cr_assert_geq(count(LT_REC_CLOCK_ANCHOR) - anchors_before, 3);
	cr_assert_leq(count(LT_REC_CLOCK_ANCHOR) - anchors_before, 7);
	/* The copy has the log up to the last anchor, byte for byte. */
	cr_assert_gt(tr.synced, 0);
	cr_assert_leq(tr.synced, w.pos);
	n = pread(tr.file_fd, copy, sizeof(buf.data), 0);
	cr_assert_eq((uint64_t)n, tr.synced);
	cr_assert_eq(memcmp(copy, buf.data, (size_t)n), 0);
	free(copy);
}

Test(record_loop, sigterm_in_a_luo_session_flushes_and_goes_on)
{
	/* SIGTERM at read 3, SIGINT-like stop at read 9. */
	struct fake_source ring = { .per_read = 2, .raise_at = 3, .stop_at = 9, .stop = &stop };
	struct record_source src[] = { { fake_read, fake_lost, &ring, "the fake ring" } };
	struct record_loop l;
	size_t anchors_before;

	open_log(0);
	l = loop_of(src, 1);
	/* No anchor by the clock in this short run: only the flush writes one. */
	l.anchor_every_ns = UINT64_MAX / 2;
	l.flush = &record_flush_requested;
	stop = 0;
	record_stop_requested = 0;
	record_flush_requested = 0;
	record_term_keeps_session = 1;
	record_loop_catch_signals();
	read_back();
	anchors_before = count(LT_REC_CLOCK_ANCHOR);
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	record_term_keeps_session = 0;
	cr_assert_eq(record_stop_requested, 0, "SIGTERM must not stop a recorder holding a LUO session");
	cr_assert_eq(l.flushes, 1, "the SIGTERM was served as a flush");
	cr_assert_eq(ring.reads, 9, "recording went on after the SIGTERM until the stop");
	cr_assert_eq(w.events, 18);
	read_back();
	cr_assert_eq(count(LT_REC_CLOCK_ANCHOR), anchors_before + 1, "the flush wrote an anchor");
}

Test(record_loop, sigterm_on_a_plain_file_stops_it)
{
	struct fake_source ring = { .per_read = 1, .raise_at = 2 };
	struct record_source src[] = { { fake_read, fake_lost, &ring, "the fake ring" } };
	struct record_loop l;

	open_log(0);
	l = loop_of(src, 1);
	l.stop = &record_stop_requested;
	l.flush = &record_flush_requested;
	record_stop_requested = 0;
	record_term_keeps_session = 0;
	record_loop_catch_signals();
	cr_assert_eq(record_loop_run(&l), 0, "%s", l.err);
	cr_assert_eq(record_stop_requested, 1);
	cr_assert_eq(l.flushes, 0);
	cr_assert_eq(ring.reads, 2);
}
