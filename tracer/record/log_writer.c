// SPDX-License-Identifier: GPL-2.0
#include "record/log_writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log/event_names.h"
#include "record/bpf_event.h"

/*
 * Room for periodic drop records and anchors once events no longer fit: a
 * drop record (88 bytes) and an anchor (at most 144), or two drop records.
 * The closing reserve after it (log_writer.h) holds one of each.
 */
#define PERIODIC_RESERVE 256

struct stage_scan {
	const uint8_t *boot_id;
	uint32_t highest;
	bool highest_is_us;
	uint64_t last_ns;	/* the latest series event of the highest stage */
	uint64_t last_marker_ns;	/* its latest trace_marker milestone */
};

/*
 * The series' tracepoints and the IOMMU mappings: a run logged every one it
 * saw, through BPF or its import, so the latest of them is where what it
 * saw ends. Its closing records, and the markers it read after its loop
 * ended, are later than that. The markers apart: the run read its
 * instance's copy of trace_marker up to the end, so the latest of them is
 * where its markers end.
 */
static int scan_record(void *ctx, const struct lt_record *rec)
{
	struct stage_scan *s = ctx;

	if (rec->type == LT_REC_EVENT && rec->event.stage == s->highest) {
		uint64_t *last = event_is_marker(rec->event.id) ? &s->last_marker_ns :
				 event_is_imported(rec->event.id) ? &s->last_ns : NULL;

		if (last && rec->event.boottime_ns > *last)
			*last = rec->event.boottime_ns;
	}
	if (rec->type != LT_REC_CLOCK_ANCHOR || rec->anchor.stage < s->highest)
		return 0;
	if (rec->anchor.stage > s->highest)
		s->last_ns = s->last_marker_ns = 0;
	s->highest = rec->anchor.stage;
	s->highest_is_us = !memcmp(rec->anchor.boot_id, s->boot_id, 16);
	return 0;
}

static struct stage_scan scan_stages(const void *log, size_t len,
				     const uint8_t boot_id[16])
{
	static const struct lt_log_visitor v = { .record = scan_record };
	struct stage_scan s = { .boot_id = boot_id };
	char err[128];

	if (lt_log_parse(log, len, &v, &s, err, sizeof(err)))
		s.highest = 0;
	return s;
}

static uint32_t stage_of_scan(const struct stage_scan *s)
{
	if (!s->highest)
		return 1;
	return s->highest_is_us ? s->highest : s->highest + 1;
}

uint32_t log_writer_stage_for(const void *log, size_t len,
			      const uint8_t boot_id[16])
{
	struct stage_scan s = scan_stages(log, len, boot_id);

	return stage_of_scan(&s);
}

static int read_log(int fd, uint64_t used, uint8_t **out)
{
	uint8_t *buf = malloc((size_t)used + 1);

	if (!buf)
		return -ENOMEM;
	if (pread(fd, buf, (size_t)used, 0) != (ssize_t)used) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	return 0;
}

/* Finds where the existing log ends and which stage this boot writes. */
static int continue_log(struct log_writer *r, uint64_t used, char *err,
			size_t errlen)
{
	uint8_t boot_id[16], *log = NULL;
	int ret = read_log(r->fd, used, &log);

	if (ret) {
		snprintf(err, errlen, "cannot read the flight log: %s", strerror(-ret));
		return -1;
	}
	r->pos = lt_log_used_length(log, (size_t)used);
	if (r->pos && (lt_log_check_header(log, (size_t)used, err, errlen) ||
		       read_boot_id(boot_id, err, (int)errlen))) {
		free(log);
		return -1;
	}
	r->stage = 1;
	if (r->pos) {
		struct stage_scan s = scan_stages(log, (size_t)r->pos, boot_id);

		r->stage = stage_of_scan(&s);
		r->continues_stage = s.highest && s.highest_is_us;
		r->previous_run_ns = r->continues_stage ? s.last_ns : 0;
		r->previous_markers_ns = r->continues_stage ? s.last_marker_ns : 0;
	}
	free(log);
	return 0;
}

/*
 * Where a record may go in a pre-sized log. Events stop short of both
 * reserves; the periodic drop records and anchors (and the opening ones)
 * may use the first; only the closing drop record and anchor the last
 * LOG_WRITER_CLOSING_RESERVE bytes, so the true totals always fit.
 */
enum room {
	ROOM_EVENT,
	ROOM_PERIODIC,
	ROOM_CLOSING,
};

static uint64_t limit_of(const struct log_writer *r, enum room room)
{
	uint64_t keep = room == ROOM_EVENT ? LOG_WRITER_CLOSING_RESERVE + PERIODIC_RESERVE :
			room == ROOM_PERIODIC ? LOG_WRITER_CLOSING_RESERVE : 0;

	return r->capacity > keep ? r->capacity - keep : 0;
}

static int append(struct log_writer *r, const struct lt_record *rec,
		  enum room room)
{
	uint8_t buf[LT_REC_HEADER_LEN + LT_REC_MAX_PAYLOAD];
	size_t len = lt_log_encode_record(rec, buf, sizeof(buf));
	ssize_t n;

	if (!len)
		return -EINVAL;
	if (r->capacity && r->pos + len > limit_of(r, room))
		return -ENOSPC;
	n = pwrite(r->fd, buf, len, (off_t)r->pos);
	if (n < 0)
		return -errno;
	/* A short write leaves a torn record; the next one goes after it. */
	r->pos += (uint64_t)n;
	return (size_t)n == len ? 0 : -EIO;
}

static int write_anchor(struct log_writer *r, enum room room)
{
	struct lt_record rec = { .type = LT_REC_CLOCK_ANCHOR };
	char err[160];

	if (clock_anchor_read(&rec.anchor, r->stage, &r->cal, err, sizeof(err)))
		return -EIO;
	return append(r, &rec, room);
}

/* The sources' counts, with the writer's own for a full log. */
static struct lt_losses losses_of(const struct log_writer *r,
				  const struct lt_losses *sources)
{
	struct lt_losses l = { 0 };

	if (sources)
		l = *sources;
	l.by_cause[LT_LOSS_LOG_FULL] = r->unwritten;
	return l;
}

static int write_drops(struct log_writer *r, const struct lt_losses *sources,
		       enum room room)
{
	struct lt_record rec = { .type = LT_REC_DROPS };
	int ret;

	rec.drops.stage = r->stage;
	rec.drops.boottime_ns = clock_boottime_ns();
	rec.drops.run_id = r->run_id;
	rec.drops.lost = losses_of(r, sources);
	ret = append(r, &rec, room);
	if (!ret)
		r->written = rec.drops.lost;
	return ret;
}

/* A periodic record with no room left is skipped and counted, not fatal. */
static int skip_if_full(struct log_writer *r, int ret)
{
	if (ret != -ENOSPC)
		return ret;
	r->skipped_records++;
	return 0;
}

int log_writer_start(struct log_writer *r, int fd, uint64_t used,
		     uint64_t capacity, uint32_t flags,
		     const struct tsc_calibration *cal, char *err, size_t errlen)
{
	uint8_t hdr[LT_LOG_HEADER_LEN];
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->run_id = clock_boottime_ns();
	r->capacity = capacity;
	r->cal = *cal;
	if (continue_log(r, used, err, errlen))
		return -1;
	if (!r->pos) {
		ssize_t n;

		lt_log_encode_header(hdr, flags);
		n = pwrite(fd, hdr, sizeof(hdr), 0);
		if (n != (ssize_t)sizeof(hdr)) {
			snprintf(err, errlen, "cannot write the log header: %s",
				 n < 0 ? strerror(errno) : "short write");
			return -1;
		}
		r->pos = sizeof(hdr);
	}
	/* The opening records are not optional: a stage needs its anchor. */
	ret = write_anchor(r, ROOM_PERIODIC);
	if (!ret)
		ret = write_drops(r, NULL, ROOM_PERIODIC);
	if (ret) {
		snprintf(err, errlen, "cannot write to the flight log: %s",
			 strerror(-ret));
		return -1;
	}
	return 0;
}

int log_writer_anchor(struct log_writer *r)
{
	return skip_if_full(r, write_anchor(r, ROOM_PERIODIC));
}

int log_writer_drops(struct log_writer *r, const struct lt_losses *sources,
		     bool force)
{
	struct lt_losses now = losses_of(r, sources);

	if (!force && !memcmp(&now, &r->written, sizeof(now)))
		return 0;
	return skip_if_full(r, write_drops(r, sources, ROOM_PERIODIC));
}

int log_writer_append(struct log_writer *r, const struct lt_event *e)
{
	struct lt_record rec = { .type = LT_REC_EVENT, .event = *e };
	int ret;

	rec.event.stage = r->stage;
	ret = append(r, &rec, ROOM_EVENT);
	if (ret == -ENOSPC) {
		r->unwritten++;
		return 0;
	}
	if (ret)
		return ret;
	r->events++;
	/* The jump is near: the anchor nearest it makes the best clock link. */
	if (e->id == LT_EV_KEXEC)
		ret = log_writer_anchor(r);
	return ret;
}

int log_writer_bpf_event(struct log_writer *r, const struct lutrace_event *e)
{
	struct lt_event ev;

	event_from_bpf(e, r->stage, &ev);
	return log_writer_append(r, &ev);
}

int log_writer_finish(struct log_writer *r, const struct lt_losses *sources)
{
	int ret = write_drops(r, sources, ROOM_CLOSING);

	return ret ? ret : write_anchor(r, ROOM_CLOSING);
}
