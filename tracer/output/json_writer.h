/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_JSON_WRITER_H
#define LUTRACE_JSON_WRITER_H

/*
 * Streaming JSON for every lutrace command. Each top-level value ends with a
 * newline, so a sequence of top-level objects is JSON Lines. Strings are
 * escaped and made valid UTF-8 (bytes from a damaged log must not make the
 * output unparseable).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

/*
 * The version of what the JSON outputs mean, in the first line of every
 * stream (jw_stream_start) and in error lines. 2: integers that can pass
 * 2^53 (tokens, addresses, sizes, absolute nanoseconds) are decimal strings,
 * which jq and JavaScript keep exact; events carry every field of the log.
 */
#define LUTRACE_JSON_SCHEMA_VERSION 2
#define LUTRACE_VERSION "0.1"

struct json_writer {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];
	bool after_name;
};

void jw_init(struct json_writer *w, FILE *out);
/* jw_init, then the stream's first line: {"type":"schema",...} */
void jw_stream_start(struct json_writer *w, FILE *out);

void jw_object_start(struct json_writer *w);
void jw_object_end(struct json_writer *w);
void jw_array_start(struct json_writer *w);
void jw_array_end(struct json_writer *w);
void jw_name(struct json_writer *w, const char *name);

void jw_string(struct json_writer *w, const char *s);
void jw_u64(struct json_writer *w, uint64_t v);
void jw_i64(struct json_writer *w, int64_t v);
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);
/* Nanoseconds as a decimal number of microseconds, exactly: 1234.567 */
void jw_ns_as_us(struct json_writer *w, int64_t ns);

/* name + value in one call, for object members */
void jw_string_field(struct json_writer *w, const char *name, const char *s);
void jw_u64_field(struct json_writer *w, const char *name, uint64_t v);
void jw_i64_field(struct json_writer *w, const char *name, int64_t v);
/* The integer as a decimal string: for values that can pass 2^53. */
void jw_u64_str_field(struct json_writer *w, const char *name, uint64_t v);
void jw_i64_str_field(struct json_writer *w, const char *name, int64_t v);
void jw_bool_field(struct json_writer *w, const char *name, bool v);

/* {"type":"error","message":...} as one line */
void jw_error_line(FILE *out, const char *message);

#endif
