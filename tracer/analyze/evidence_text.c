// SPDX-License-Identifier: GPL-2.0
#include "analyze/evidence_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "log/event_names.h"

int64_t trace_origin_ns(const struct lt_trace *t)
{
	return t->nevents ? t->events[0].axis_ns : 0;
}

void format_ms(int64_t ns, char *buf, size_t len)
{
	uint64_t mag = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	snprintf(buf, len, "%s%" PRIu64 ".%06" PRIu64, ns < 0 ? "-" : "",
		 mag / 1000000, mag % 1000000);
}

void cite_event(const struct lt_trace *t, size_t i, char *buf, size_t len)
{
	const struct lt_trace_event *e = &t->events[i];
	char when[32], detail[320];

	format_ms(e->axis_ns - trace_origin_ns(t), when, sizeof(when));
	event_format_detail(&e->ev, detail, sizeof(detail));
	snprintf(buf, len, "t=+%s ms stage %u %s%s%s%s%s [%s@%" PRIu64 "]",
		 when, t->stages[e->stage].number, event_name(e->ev.id),
		 e->ev.dev[0] ? " " : "", e->ev.dev, detail[0] ? " " : "",
		 detail, t->sources[e->source], e->offset);
}

void format_boot_id(const uint8_t id[16], char out[33])
{
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

void format_losses(const struct lt_losses *l, bool all, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++) {
		int n;

		if (!all && !l->by_cause[c])
			continue;
		n = snprintf(buf + used, len - used, "%s%s %llu", used ? ", " : "",
			     lt_loss_cause_name(c), (unsigned long long)l->by_cause[c]);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

uint64_t losses_dropped(const struct lt_losses *l)
{
	return lt_losses_total(l) - l->by_cause[LT_LOSS_LOG_FULL];
}
