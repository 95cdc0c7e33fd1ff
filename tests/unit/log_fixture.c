// SPDX-License-Identifier: GPL-2.0
#include "log_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

void fx_header(struct log_buf *b)
{
	b->len = 0;
	lt_log_encode_header(b->data, 0);
	b->len = LT_LOG_HEADER_LEN;
}

size_t fx_append(struct log_buf *b, const struct lt_record *rec)
{
	size_t off = b->len;
	size_t n = lt_log_encode_record(rec, b->data + b->len,
					sizeof(b->data) - b->len);

	cr_assert_neq(n, 0, "record did not encode");
	b->len += n;
	return off;
}

static int collect_record(void *ctx, const struct lt_record *rec)
{
	struct parsed_log *p = ctx;

	cr_assert_lt(p->nrecs, FX_MAX_RECORDS);
	p->recs[p->nrecs++] = *rec;
	return 0;
}

static void collect_diag(void *ctx, const struct lt_log_diag *d)
{
	struct parsed_log *p = ctx;

	cr_assert_lt(p->ndiags, FX_MAX_DIAGS);
	p->diags[p->ndiags++] = *d;
}

void fx_parse(const void *data, size_t len, struct parsed_log *out)
{
	static const struct lt_log_visitor v = {
		.record = collect_record,
		.diag = collect_diag,
	};

	memset(out, 0, sizeof(*out));
	out->ret = lt_log_parse(data, len, &v, out, out->err, sizeof(out->err));
}

struct lt_record fx_anchor(uint32_t stage, uint8_t boot_id_tag,
			   uint64_t boottime_ns, uint64_t tsc, uint64_t tsc_hz)
{
	struct lt_record r = { .type = LT_REC_CLOCK_ANCHOR };

	r.anchor.stage = stage;
	r.anchor.realtime_ns = 1700000000000000000ull + boottime_ns;
	r.anchor.boottime_ns = boottime_ns;
	r.anchor.tsc = tsc;
	r.anchor.tsc_hz = tsc_hz;
	memset(r.anchor.boot_id, boot_id_tag, sizeof(r.anchor.boot_id));
	snprintf(r.anchor.kernel_release, sizeof(r.anchor.kernel_release),
		 "7.2.0-lutrace-stage%u", stage);
	/* A host whose CPU promises an invariant TSC and whose kernel uses it. */
	r.anchor.tsc_flags = LT_TSC_FLAGS_READ | LT_TSC_INVARIANT;
	snprintf(r.anchor.clocksource, sizeof(r.anchor.clocksource), "tsc");
	return r;
}

struct lt_record fx_event(uint32_t stage, uint16_t id, uint64_t boottime_ns,
			  const char *dev)
{
	struct lt_record r = { .type = LT_REC_EVENT };

	r.event.stage = stage;
	r.event.id = id;
	r.event.boottime_ns = boottime_ns;
	snprintf(r.event.dev, sizeof(r.event.dev), "%s", dev ? dev : "");
	return r;
}

struct lt_record fx_drops(uint32_t stage, uint64_t reserve_failures)
{
	struct lt_record r = { .type = LT_REC_DROPS };

	r.drops.stage = stage;
	r.drops.lost.by_cause[LT_LOSS_RING_BUFFER] = reserve_failures;
	return r;
}
