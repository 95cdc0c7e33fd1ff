// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: untrusted text through every parser of it that lutrace
 * records from (text_parsers.h: trace_marker lines, /dev/kmsg records),
 * line by line.
 *
 * The oracle: an event a parser makes goes into the flight log, so it must
 * come back from the reader as the same event. A parser that produces what
 * the log cannot hold (a time the reader rejects, a string the encoder
 * cuts) records evidence that the analysis then calls corrupt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/log_format.h"
#include "text_parsers.h"

#define FUZZ_LINE_MAX 8192

static const char *current_parser;

struct decoded {
	struct lt_record rec;
	int nrecs;
	int ndiags;
};

static int take_record(void *ctx, const struct lt_record *rec)
{
	struct decoded *d = ctx;

	d->rec = *rec;
	d->nrecs++;
	return 0;
}

static void take_diag(void *ctx, const struct lt_log_diag *diag)
{
	struct decoded *d = ctx;

	fprintf(stderr, "fuzz_text: %s: %s\n", current_parser, diag->message);
	d->ndiags++;
}

/* The event through the log and back, byte for byte. */
static int check_round_trip(void *ctx, const struct lt_event *e)
{
	static const struct lt_log_visitor v = { take_record, take_diag };
	uint8_t log[LT_LOG_HEADER_LEN + LT_REC_HEADER_LEN + LT_REC_MAX_PAYLOAD];
	uint8_t again[LT_REC_HEADER_LEN + LT_REC_MAX_PAYLOAD];
	struct lt_record rec = { .type = LT_REC_EVENT, .event = *e };
	struct decoded d = { 0 };
	size_t n, m;
	char err[128];

	(void)ctx;
	lt_log_encode_header(log, 0);
	n = lt_log_encode_record(&rec, log + LT_LOG_HEADER_LEN,
				 sizeof(log) - LT_LOG_HEADER_LEN);
	if (!n || lt_log_parse(log, LT_LOG_HEADER_LEN + n, &v, &d, err, sizeof(err)) ||
	    d.nrecs != 1 || d.ndiags) {
		fprintf(stderr, "fuzz_text: %s made an event the log does not give back\n",
			current_parser);
		abort();
	}
	m = lt_log_encode_record(&d.rec, again, sizeof(again));
	if (m != n || memcmp(again, log + LT_LOG_HEADER_LEN, n)) {
		fprintf(stderr, "fuzz_text: %s made an event the log changes\n",
			current_parser);
		abort();
	}
	return 0;
}

static void each_line(const uint8_t *data, size_t size)
{
	static char line[FUZZ_LINE_MAX];
	size_t start = 0;

	while (start < size) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) : size;
		size_t len = end - start;
		struct lt_event e;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, data + start, len);
		line[len] = '\0';
		for (size_t i = 0; i < nr_text_parsers; i++) {
			current_parser = text_parsers[i].name;
			if (text_parsers[i].parse(line, 2, &e))
				check_round_trip(NULL, &e);
		}
		start = end + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	each_line(data, size);
	return 0;
}
