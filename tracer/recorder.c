// SPDX-License-Identifier: GPL-2.0
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "event_convert.h"

struct stage_scan {
	const uint8_t *boot_id;
	uint32_t highest;
	bool highest_is_us;
};

static int scan_anchor(void *ctx, const struct lt_record *rec)
{
	struct stage_scan *s = ctx;

	if (rec->type != LT_REC_CLOCK_ANCHOR || rec->anchor.stage < s->highest)
		return 0;
	s->highest = rec->anchor.stage;
	s->highest_is_us = !memcmp(rec->anchor.boot_id, s->boot_id, 16);
	return 0;
}

uint32_t recorder_stage_for(const void *log, size_t len,
			    const uint8_t boot_id[16])
{
	static const struct lt_log_visitor v = { .record = scan_anchor };
	struct stage_scan s = { .boot_id = boot_id };
	char err[128];

	if (lt_log_parse(log, len, &v, &s, err, sizeof(err)) || !s.highest)
		return 1;
	return s.highest_is_us ? s.highest : s.highest + 1;
}

static int read_all(int fd, uint8_t **out, size_t *len)
{
	struct stat st;
	uint8_t *buf;

	if (fstat(fd, &st))
		return -errno;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	*len = (size_t)st.st_size;
	return 0;
}

static int choose_stage(struct recorder *r, char *err, size_t errlen)
{
	uint8_t boot_id[16], *log = NULL;
	size_t len = 0;
	int ret;

	if (read_boot_id(boot_id, err, (int)errlen))
		return -1;
	ret = read_all(r->fd, &log, &len);
	if (ret) {
		snprintf(err, errlen, "cannot read the flight log: %s", strerror(-ret));
		return -1;
	}
	r->stage = recorder_stage_for(log, len, boot_id);
	free(log);
	return 0;
}

int recorder_open(struct recorder *r, const char *path, uint32_t flags,
		  const struct tsc_calibration *cal, char *err, size_t errlen)
{
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->cal = *cal;
	r->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (r->fd < 0 || fstat(r->fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (st.st_size == 0) {
		r->stage = 1;
		if (lt_log_write_header(r->fd, flags)) {
			snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
			return -1;
		}
	} else if (lt_log_resume(r->fd, err, errlen) || choose_stage(r, err, errlen)) {
		return -1;
	}
	if (recorder_anchor(r) || recorder_drops(r, 0, true)) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int recorder_anchor(struct recorder *r)
{
	struct lt_record rec = { .type = LT_REC_CLOCK_ANCHOR };
	char err[160];

	if (clock_anchor_read(&rec.anchor, r->stage, &r->cal, err, sizeof(err)))
		return -EIO;
	return lt_log_append(r->fd, &rec);
}

int recorder_drops(struct recorder *r, uint64_t dropped, bool force)
{
	struct lt_record rec = { .type = LT_REC_DROPS };
	struct timespec ts;

	if (!force && dropped == r->dropped)
		return 0;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	rec.drops.stage = r->stage;
	rec.drops.boottime_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	rec.drops.reserve_failures = dropped;
	r->dropped = dropped;
	return lt_log_append(r->fd, &rec);
}

int recorder_event(struct recorder *r, const struct lutrace_event *e)
{
	struct lt_record rec = { .type = LT_REC_EVENT };
	int ret;

	event_from_bpf(e, r->stage, &rec.event);
	ret = lt_log_append(r->fd, &rec);
	if (ret)
		return ret;
	r->events++;
	/* The jump is near: the anchor nearest it makes the best clock link. */
	if (e->id == LT_EV_KEXEC)
		ret = recorder_anchor(r);
	return ret;
}

int recorder_close(struct recorder *r, uint64_t dropped)
{
	int ret = recorder_drops(r, dropped, true);

	if (!ret)
		ret = recorder_anchor(r);
	if (close(r->fd) && !ret)
		ret = -errno;
	r->fd = -1;
	return ret;
}
