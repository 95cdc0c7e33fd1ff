// SPDX-License-Identifier: GPL-2.0
#include "log/log_format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log/crc32c.h"
#include "log/wire.h"

static uint32_t load_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t load_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void store_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

const char *lt_diag_kind_name(enum lt_diag_kind kind)
{
	switch (kind) {
	case LT_DIAG_TORN: return "torn";
	case LT_DIAG_CORRUPT: return "corrupt";
	case LT_DIAG_UNKNOWN_TYPE: return "unknown_type";
	case LT_DIAG_BAD_PAYLOAD: return "bad_payload";
	}
	return "?";
}

/* ---- payload codecs ---- */

static void encode_anchor(struct wire_out *w, const struct lt_clock_anchor *a)
{
	wire_put_u32(w, a->stage);
	wire_put_u64(w, a->realtime_ns);
	wire_put_u64(w, a->boottime_ns);
	wire_put_u64(w, a->tsc);
	wire_put_u64(w, a->tsc_hz);
	wire_put_u32(w, a->tsc_hz_err_ppb);
	wire_put_u32(w, a->read_jitter_ns);
	wire_put_bytes(w, a->boot_id, sizeof(a->boot_id));
	wire_put_str(w, a->kernel_release, sizeof(a->kernel_release) - 1);
	wire_put_u32(w, a->tsc_flags);
	wire_put_str(w, a->clocksource, sizeof(a->clocksource) - 1);
}

static void decode_anchor(struct wire_in *r, struct lt_clock_anchor *a)
{
	a->stage = wire_get_u32(r);
	a->realtime_ns = wire_get_u64(r);
	a->boottime_ns = wire_get_u64(r);
	a->tsc = wire_get_u64(r);
	a->tsc_hz = wire_get_u64(r);
	a->tsc_hz_err_ppb = wire_get_u32(r);
	a->read_jitter_ns = wire_get_u32(r);
	wire_get_bytes(r, a->boot_id, sizeof(a->boot_id));
	wire_get_str(r, a->kernel_release, sizeof(a->kernel_release));
	if (wire_left(r) >= 4)
		a->tsc_flags = wire_get_u32(r);
	if (wire_left(r) >= 2)
		wire_get_str(r, a->clocksource, sizeof(a->clocksource));
}

static void encode_event(struct wire_out *w, const struct lt_event *e)
{
	wire_put_u32(w, e->stage);
	wire_put_u16(w, e->id);
	wire_put_u64(w, e->boottime_ns);
	wire_put_u64(w, e->tsc);
	wire_put_u32(w, e->domain);
	wire_put_u8(w, e->bus);
	wire_put_u8(w, e->devfn);
	wire_put_u8(w, e->bus_primary);
	wire_put_u8(w, e->bus_secondary);
	wire_put_u8(w, e->bus_subordinate);
	wire_put_u32(w, (uint32_t)e->ret);
	wire_put_u32(w, (uint32_t)e->arg);
	wire_put_u64(w, e->token);
	wire_put_u64(w, e->iova);
	wire_put_u64(w, e->phys);
	wire_put_u64(w, e->size);
	wire_put_u32(w, e->nr_sessions);
	wire_put_u32(w, e->nr_files);
	wire_put_u32(w, e->pid);
	wire_put_str(w, e->dev, sizeof(e->dev) - 1);
	wire_put_str(w, e->session, sizeof(e->session) - 1);
	wire_put_str(w, e->compatible, sizeof(e->compatible) - 1);
	wire_put_str(w, e->text, sizeof(e->text) - 1);
	wire_put_u32(w, e->iommu_domain);
}

static void decode_event(struct wire_in *r, struct lt_event *e)
{
	e->stage = wire_get_u32(r);
	e->id = wire_get_u16(r);
	e->boottime_ns = wire_get_u64(r);
	e->tsc = wire_get_u64(r);
	e->domain = wire_get_u32(r);
	e->bus = wire_get_u8(r);
	e->devfn = wire_get_u8(r);
	e->bus_primary = wire_get_u8(r);
	e->bus_secondary = wire_get_u8(r);
	e->bus_subordinate = wire_get_u8(r);
	e->ret = (int32_t)wire_get_u32(r);
	e->arg = (int32_t)wire_get_u32(r);
	e->token = wire_get_u64(r);
	e->iova = wire_get_u64(r);
	e->phys = wire_get_u64(r);
	e->size = wire_get_u64(r);
	e->nr_sessions = wire_get_u32(r);
	e->nr_files = wire_get_u32(r);
	e->pid = wire_get_u32(r);
	wire_get_str(r, e->dev, sizeof(e->dev));
	wire_get_str(r, e->session, sizeof(e->session));
	wire_get_str(r, e->compatible, sizeof(e->compatible));
	wire_get_str(r, e->text, sizeof(e->text));
	if (wire_left(r) >= 4)
		e->iommu_domain = wire_get_u32(r);
}

/* The counts revision 1 has, before the revision field. */
#define DROPS_FIRST_CAUSES 2

static void encode_drops(struct wire_out *w, const struct lt_drops *d)
{
	wire_put_u32(w, d->stage);
	wire_put_u64(w, d->boottime_ns);
	for (int c = 0; c < DROPS_FIRST_CAUSES; c++)
		wire_put_u64(w, d->lost.by_cause[c]);
	wire_put_u16(w, LT_DROPS_REVISION);
	wire_put_u16(w, LT_LOSS_NR_CAUSES - DROPS_FIRST_CAUSES);
	wire_put_u64(w, d->run_id);
	for (int c = DROPS_FIRST_CAUSES; c < LT_LOSS_NR_CAUSES; c++)
		wire_put_u64(w, d->lost.by_cause[c]);
}

static void decode_drops(struct wire_in *r, struct lt_drops *d)
{
	uint16_t n;

	d->stage = wire_get_u32(r);
	d->boottime_ns = wire_get_u64(r);
	for (int c = 0; c < DROPS_FIRST_CAUSES; c++)
		d->lost.by_cause[c] = wire_get_u64(r);
	d->revision = 1;
	if (r->bad || r->pos == r->len)
		return;
	d->revision = wire_get_u16(r);
	n = wire_get_u16(r);
	d->run_id = wire_get_u64(r);
	/* Causes of a later lutrace are read past, not taken for ours. */
	for (unsigned int i = 0; i < n; i++) {
		uint64_t v = wire_get_u64(r);

		if (DROPS_FIRST_CAUSES + i < LT_LOSS_NR_CAUSES)
			d->lost.by_cause[DROPS_FIRST_CAUSES + i] = v;
	}
}

const char *lt_loss_cause_name(enum lt_loss_cause cause)
{
	switch (cause) {
	case LT_LOSS_RING_BUFFER: return "ring_buffer";
	case LT_LOSS_LOG_FULL: return "log_full";
	case LT_LOSS_MARKER_LOST: return "marker_lost";
	case LT_LOSS_KMSG_OVERRUN: return "kmsg_overrun";
	case LT_LOSS_TRACEFS_OVERRUN: return "tracefs_overrun";
	case LT_LOSS_SHORT_SAMPLE: return "short_sample";
	case LT_LOSS_PROG_RECURSION: return "prog_recursion";
	case LT_LOSS_NR_CAUSES: break;
	}
	return "?";
}

uint64_t lt_losses_total(const struct lt_losses *l)
{
	uint64_t sum = 0;

	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++)
		sum += l->by_cause[c];
	return sum;
}

void lt_losses_add(struct lt_losses *sum, const struct lt_losses *l)
{
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++)
		sum->by_cause[c] += l->by_cause[c];
}

/* ---- writing ---- */

void lt_log_encode_header(uint8_t out[LT_LOG_HEADER_LEN], uint32_t flags)
{
	struct wire_out w = { .buf = out, .cap = LT_LOG_HEADER_LEN };

	wire_put_bytes(&w, LT_LOG_MAGIC, 8);
	wire_put_u16(&w, LT_LOG_VERSION);
	wire_put_u16(&w, LT_LOG_HEADER_LEN);
	wire_put_u32(&w, flags);
	wire_put_u32(&w, 0);
	wire_put_u32(&w, crc32c(0, out, w.len));
}

size_t lt_log_encode_record(const struct lt_record *rec, uint8_t *buf,
			    size_t cap)
{
	struct wire_out w;
	uint32_t crc;

	if (cap < LT_REC_HEADER_LEN)
		return 0;
	w = (struct wire_out){ .buf = buf + LT_REC_HEADER_LEN,
			       .cap = cap - LT_REC_HEADER_LEN };
	if (w.cap > LT_REC_MAX_PAYLOAD)
		w.cap = LT_REC_MAX_PAYLOAD;
	switch (rec->type) {
	case LT_REC_CLOCK_ANCHOR: encode_anchor(&w, &rec->anchor); break;
	case LT_REC_EVENT: encode_event(&w, &rec->event); break;
	case LT_REC_DROPS: encode_drops(&w, &rec->drops); break;
	default: return 0;
	}
	if (w.overflow)
		return 0;
	store_le32(buf, LT_REC_MAGIC);
	buf[4] = (uint8_t)rec->type;
	buf[5] = (uint8_t)(rec->type >> 8);
	buf[6] = buf[7] = 0;
	store_le32(buf + 8, (uint32_t)w.len);
	crc = crc32c(0, buf, 12);
	crc = crc32c(crc, w.buf, w.len);
	store_le32(buf + 12, crc);
	return LT_REC_HEADER_LEN + w.len;
}

/* ---- reading ---- */

static int check_header(const uint8_t *p, size_t len, char *err, size_t errlen)
{
	uint16_t version, hdr_len;

	if (len < 8 || memcmp(p, LT_LOG_MAGIC, 8) != 0) {
		snprintf(err, errlen, "not a lutrace flight log (bad magic)");
		return -1;
	}
	if (len < 10) {
		snprintf(err, errlen, "flight log header is truncated");
		return -1;
	}
	/* The version decides the rest of the layout, so it is checked first. */
	version = load_le16(p + 8);
	if (version != LT_LOG_VERSION) {
		snprintf(err, errlen,
			 "unsupported flight log version %u (this lutrace reads version %u)",
			 version, LT_LOG_VERSION);
		return -1;
	}
	if (len < LT_LOG_HEADER_LEN) {
		snprintf(err, errlen, "flight log header is truncated");
		return -1;
	}
	hdr_len = load_le16(p + 10);
	if (hdr_len != LT_LOG_HEADER_LEN ||
	    load_le32(p + 20) != crc32c(0, p, 20)) {
		snprintf(err, errlen, "flight log header is corrupt (checksum mismatch)");
		return -1;
	}
	return 0;
}

/* A record that is whole, plausible and whose checksum holds. */
static bool record_intact(const uint8_t *p, size_t avail)
{
	uint32_t plen, crc;

	if (avail < LT_REC_HEADER_LEN || load_le32(p) != LT_REC_MAGIC)
		return false;
	plen = load_le32(p + 8);
	if (plen > LT_REC_MAX_PAYLOAD || plen > avail - LT_REC_HEADER_LEN)
		return false;
	crc = crc32c(0, p, 12);
	crc = crc32c(crc, p + LT_REC_HEADER_LEN, plen);
	return crc == load_le32(p + 12);
}

static size_t find_next_intact(const uint8_t *buf, size_t len, size_t from)
{
	for (size_t off = from; off + LT_REC_HEADER_LEN <= len; off++)
		if (record_intact(buf + off, len - off))
			return off;
	return len;
}

static void report(const struct lt_log_visitor *v, void *ctx,
		   enum lt_diag_kind kind, uint64_t offset, uint64_t skipped,
		   const char *fmt, ...)
{
	struct lt_log_diag d = { .kind = kind, .offset = offset,
				 .skipped = skipped };
	va_list ap;

	if (!v->diag)
		return;
	va_start(ap, fmt);
	vsnprintf(d.message, sizeof(d.message), fmt, ap);
	va_end(ap);
	v->diag(ctx, &d);
}

static const char *damage_reason(const uint8_t *p, size_t avail)
{
	uint32_t plen;

	if (load_le32(p) != LT_REC_MAGIC)
		return "bad record magic";
	plen = load_le32(p + 8);
	if (plen > LT_REC_MAX_PAYLOAD)
		return "implausible record length";
	if (plen > avail - LT_REC_HEADER_LEN)
		return "record length runs past the end of the log";
	return "checksum mismatch";
}

/*
 * Handles a damaged record at off; returns where parsing continues. A record
 * with a sound header whose declared length reaches past the end of the log,
 * or into the next intact record, was cut short while being written: torn.
 */
static size_t step_over_damage(const uint8_t *buf, size_t len, size_t off,
			       const struct lt_log_visitor *v, void *ctx)
{
	const uint8_t *p = buf + off;
	size_t avail = len - off;
	size_t next = find_next_intact(buf, len, off + 1);
	size_t room = next - off;
	bool magic = load_le32(p) == LT_REC_MAGIC;
	uint32_t plen = load_le32(p + 8);
	size_t want = LT_REC_HEADER_LEN + (size_t)plen;
	bool header_cut = magic && room < LT_REC_HEADER_LEN;

	if (header_cut)
		want = LT_REC_HEADER_LEN;
	if (header_cut || (magic && plen <= LT_REC_MAX_PAYLOAD && want > room)) {
		if (next == len)
			report(v, ctx, LT_DIAG_TORN, off, avail,
			       "torn record at offset %zu: needs %zu bytes, %zu present",
			       off, want, avail);
		else
			report(v, ctx, LT_DIAG_TORN, off, room,
			       "torn record at offset %zu: %zu of %zu bytes before the next intact record at offset %zu",
			       off, room, want, next);
		return next;
	}
	if (next == len)
		report(v, ctx, LT_DIAG_CORRUPT, off, avail,
		       "corrupt record at offset %zu (%s); no intact record follows, %zu bytes unread",
		       off, damage_reason(p, avail), avail);
	else
		report(v, ctx, LT_DIAG_CORRUPT, off, next - off,
		       "corrupt record at offset %zu (%s); resumed at offset %zu, %zu bytes skipped",
		       off, damage_reason(p, avail), next, next - off);
	return next;
}

/* The latest time in a decoded record: what LT_TIME_LIMIT_NS bounds. */
static uint64_t latest_time(const struct lt_record *rec)
{
	switch (rec->type) {
	case LT_REC_CLOCK_ANCHOR:
		return rec->anchor.boottime_ns > rec->anchor.realtime_ns ?
		       rec->anchor.boottime_ns : rec->anchor.realtime_ns;
	case LT_REC_EVENT: return rec->event.boottime_ns;
	case LT_REC_DROPS: return rec->drops.boottime_ns;
	}
	return 0;
}

static bool decode_payload(uint16_t type, const uint8_t *p, uint32_t plen,
			   struct lt_record *rec)
{
	struct wire_in r = { .buf = p, .len = plen };

	memset(rec, 0, sizeof(*rec));
	rec->type = type;
	switch (type) {
	case LT_REC_CLOCK_ANCHOR: decode_anchor(&r, &rec->anchor); break;
	case LT_REC_EVENT: decode_event(&r, &rec->event); break;
	case LT_REC_DROPS: decode_drops(&r, &rec->drops); break;
	}
	/* Trailing bytes are allowed: later minor revisions append fields. */
	return !r.bad;
}

int lt_log_parse(const void *data, size_t len, const struct lt_log_visitor *v,
		 void *ctx, char *err, size_t errlen)
{
	const uint8_t *buf = data;
	size_t off = LT_LOG_HEADER_LEN;
	struct lt_record rec;

	if (check_header(buf, len, err, errlen))
		return -1;
	while (off < len) {
		size_t avail = len - off;
		const uint8_t *p = buf + off;
		uint16_t type;
		uint32_t plen;

		if (avail < LT_REC_HEADER_LEN) {
			report(v, ctx, LT_DIAG_TORN, off, avail,
			       "torn record header at offset %zu: %zu of %d bytes present",
			       off, avail, LT_REC_HEADER_LEN);
			break;
		}
		if (!record_intact(p, avail)) {
			off = step_over_damage(buf, len, off, v, ctx);
			continue;
		}
		type = load_le16(p + 4);
		plen = load_le32(p + 8);
		if (type < LT_REC_CLOCK_ANCHOR || type > LT_REC_DROPS) {
			report(v, ctx, LT_DIAG_UNKNOWN_TYPE, off, 0,
			       "record of unknown type %u at offset %zu skipped",
			       type, off);
		} else if (!decode_payload(type, p + LT_REC_HEADER_LEN, plen, &rec)) {
			report(v, ctx, LT_DIAG_BAD_PAYLOAD, off, 0,
			       "record at offset %zu has an intact checksum but a payload that does not decode (type %u, %u bytes)",
			       off, type, plen);
		} else if (latest_time(&rec) >= LT_TIME_LIMIT_NS) {
			report(v, ctx, LT_DIAG_BAD_PAYLOAD, off, 0,
			       "record at offset %zu has an intact checksum but a time no clock reads (%llu ns, 2^62 or later; type %u)",
			       off, (unsigned long long)latest_time(&rec), type);
		} else if (v->record) {
			int ret;

			rec.offset = off;
			rec.length = LT_REC_HEADER_LEN + plen;
			ret = v->record(ctx, &rec);
			if (ret)
				return ret;
		}
		off += LT_REC_HEADER_LEN + plen;
	}
	return 0;
}

int lt_log_check_header(const void *buf, size_t len, char *err, size_t errlen)
{
	return check_header(buf, len, err, errlen);
}

static int note_record_end(void *ctx, const struct lt_record *rec)
{
	size_t *end = ctx;

	*end = rec->offset + rec->length;
	return 0;
}

/* Where the zeros at the end start: a word at a time, the tail is long. */
static size_t nonzero_end(const uint8_t *p, size_t len)
{
	size_t end = len;
	uint64_t w;

	while (end % 8 && p[end - 1] == 0)
		end--;
	while (end % 8 == 0 && end >= 8) {
		memcpy(&w, p + end - 8, 8);
		if (w)
			break;
		end -= 8;
	}
	while (end > 0 && p[end - 1] == 0)
		end--;
	return end;
}

size_t lt_log_used_length(const void *buf, size_t len)
{
	static const struct lt_log_visitor v = { .record = note_record_end };
	size_t end = LT_LOG_HEADER_LEN, last = nonzero_end(buf, len), upto;
	char err[128];

	if (last == 0)
		return 0;	/* freshly sized, nothing written yet */
	/*
	 * No record starts in the zeros, and one that starts before them ends
	 * within a record's length: parse no further than that.
	 */
	upto = last + LT_REC_HEADER_LEN + LT_REC_MAX_PAYLOAD;
	if (lt_log_parse(buf, upto < len ? upto : len, &v, &end, err, sizeof(err)))
		return len;
	return last > end ? last : end;
}
