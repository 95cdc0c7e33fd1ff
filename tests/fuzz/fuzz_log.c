// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: untrusted bytes through everything that reads a flight
 * log: the reader, the join of 1..FUZZ_MAX_LOGS logs, verify, and every
 * output (report text and JSON, verify text and JSON, metrics, Perfetto,
 * HTML) written into memory. JSON outputs must be valid JSON.
 *
 * Input: one flags byte, then the logs. Each log starts at the "LUTRACE"
 * magic, so two real logs concatenated are two logs; the first one starts
 * right after the flags byte whatever it holds. With FUZZ_SEAL the
 * checksums of the header and of every record whose header is plausible are
 * recomputed first: mutated values then reach the decoders and the analysis
 * instead of stopping at a checksum mismatch. Without it, damage handling
 * is what gets exercised.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/trace_join.h"
#include "analyze/verify.h"
#include "log/crc32c.h"
#include "log/log_format.h"
#include "output/html.h"
#include "output/json_writer.h"
#include "output/metrics.h"
#include "output/perfetto.h"
#include "output/report_json.h"
#include "output/report_text.h"
#include "output/verify_print.h"
#include "json_check.h"

#define FUZZ_MAX_LOGS 8

enum fuzz_flags {
	FUZZ_SEAL = 1 << 0,
	FUZZ_VERBOSE = 1 << 1,
	FUZZ_BUDGET = 1 << 2,
	FUZZ_ALLOW_NOT_EXERCISED = 1 << 3,
};

/* A broken promise of the code under test: a crash libFuzzer reports. */
#define fuzz_assert(cond)                                                    \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz_log: %s:%d: %s\n", __FILE__,  \
				__LINE__, #cond);                            \
			abort();                                             \
		}                                                            \
	} while (0)

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recomputes the checksums a writer would have written. */
static void seal(uint8_t *log, size_t len)
{
	size_t off = LT_LOG_HEADER_LEN;

	if (len < LT_LOG_HEADER_LEN)
		return;
	put_le32(log + 20, crc32c(0, log, 20));
	while (off + LT_REC_HEADER_LEN <= len) {
		uint8_t *p = log + off;
		uint32_t plen = le32(p + 8), crc;

		if (le32(p) != LT_REC_MAGIC || plen > LT_REC_MAX_PAYLOAD ||
		    plen > len - off - LT_REC_HEADER_LEN) {
			off++;
			continue;
		}
		crc = crc32c(0, p, 12);
		put_le32(p + 12, crc32c(crc, p + LT_REC_HEADER_LEN, plen));
		off += LT_REC_HEADER_LEN + plen;
	}
}

static size_t next_log(const uint8_t *data, size_t len, size_t from)
{
	for (size_t off = from + 1; off + 8 <= len; off++)
		if (!memcmp(data + off, LT_LOG_MAGIC, 8))
			return off;
	return len;
}

static void check_json_lines(const char *text, size_t len)
{
	long bad = 0;

	fuzz_assert(strlen(text) == len);
	fuzz_assert(json_lines_check(text, &bad) >= 0);
}

static void render_all(const struct lt_trace *t, const struct verify_result *v,
		       bool verbose)
{
	struct report_options ropt = { .verbose = verbose };
	struct json_writer w;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	mem = open_memstream(&text, &len);
	report_print_text(mem, t, &ropt);
	verify_print_text(mem, t, v, verbose);
	metrics_write(mem, t, v);
	export_html(mem, t, v);
	fclose(mem);
	free(text);

	mem = open_memstream(&text, &len);
	jw_stream_start(&w, mem);
	report_print_json(&w, t);
	fclose(mem);
	check_json_lines(text, len);
	free(text);

	mem = open_memstream(&text, &len);
	jw_stream_start(&w, mem);
	verify_print_json(&w, t, v);
	fclose(mem);
	check_json_lines(text, len);
	free(text);

	mem = open_memstream(&text, &len);
	export_perfetto(mem, t);
	fclose(mem);
	fuzz_assert(json_valid(text, len));
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct verify_options opt = { 0 };
	struct verify_result v;
	struct lt_trace t;
	uint8_t flags, *logs;
	size_t start = 0, n = 0;
	char err[512], name[16];

	if (size < 1)
		return 0;
	flags = data[0];
	size--;
	/* A copy: sealing writes, and ASan then bounds every read exactly. */
	logs = malloc(size + 1);
	memcpy(logs, data + 1, size);
	opt.has_budget = flags & FUZZ_BUDGET;
	opt.budget_ns = (uint64_t)(flags >> 4) * 1000000000ull;
	opt.allow_all_not_exercised = flags & FUZZ_ALLOW_NOT_EXERCISED;

	lt_trace_init(&t);
	while (start < size && n < FUZZ_MAX_LOGS) {
		size_t end = n + 1 < FUZZ_MAX_LOGS ? next_log(logs, size, start) : size;
		uint8_t *log = logs + start;
		size_t len = end - start;

		if (flags & FUZZ_SEAL)
			seal(log, len);
		fuzz_assert(lt_log_used_length(log, len) <= len);
		snprintf(name, sizeof(name), "log%zu", n++);
		if (lt_trace_add_log(&t, name, log, len, err, sizeof(err)))
			goto out;
		start = end;
	}
	if (lt_trace_finish(&t, err, sizeof(err)))
		goto out;
	for (size_t i = 1; i < t.nevents; i++)
		fuzz_assert(t.events[i - 1].axis_ns <= t.events[i].axis_ns);
	verify_trace(&t, &opt, &v);
	fuzz_assert(v.nrules == verify_nr_rules);
	render_all(&t, &v, flags & FUZZ_VERBOSE);
	verify_result_release(&v);
out:
	lt_trace_release(&t);
	free(logs);
	return 0;
}
