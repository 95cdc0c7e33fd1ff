// SPDX-License-Identifier: GPL-2.0
#include "output/json_writer.h"

#include <inttypes.h>
#include <string.h>

#include "output/utf8.h"

void jw_init(struct json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->first[0] = true;
}

void jw_stream_start(struct json_writer *w, FILE *out)
{
	jw_init(w, out);
	jw_object_start(w);
	jw_string_field(w, "type", "schema");
	jw_u64_field(w, "schema_version", LUTRACE_JSON_SCHEMA_VERSION);
	jw_string_field(w, "lutrace_version", LUTRACE_VERSION);
	jw_object_end(w);
}

/* Separator before a value: a comma unless first in its container. */
static void before_value(struct json_writer *w)
{
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->depth > 0 && !w->first[w->depth])
		fputc(',', w->out);
	w->first[w->depth] = false;
}

static void after_value(struct json_writer *w)
{
	if (w->depth == 0)
		fputc('\n', w->out);
}

static void open_container(struct json_writer *w, char c)
{
	before_value(w);
	fputc(c, w->out);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_container(struct json_writer *w, char c)
{
	fputc(c, w->out);
	if (w->depth > 0)
		w->depth--;
	after_value(w);
}

void jw_object_start(struct json_writer *w) { open_container(w, '{'); }
void jw_object_end(struct json_writer *w) { close_container(w, '}'); }
void jw_array_start(struct json_writer *w) { open_container(w, '['); }
void jw_array_end(struct json_writer *w) { close_container(w, ']'); }

static void put_escaped(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		size_t n = utf8_sequence_len(s);

		if (n == 0) {
			fputs("\\ufffd", out);
			s++;
		} else if (*s == '"' || *s == '\\') {
			fprintf(out, "\\%c", *s++);
		} else if (*s == '\n') {
			fputs("\\n", out);
			s++;
		} else if (*s == '\t') {
			fputs("\\t", out);
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(out, "\\u%04x", *s++);
		} else {
			fwrite(s, 1, n, out);
			s += n;
		}
	}
	fputc('"', out);
}

void jw_name(struct json_writer *w, const char *name)
{
	before_value(w);
	put_escaped(w->out, name);
	fputc(':', w->out);
	w->after_name = true;
}

void jw_string(struct json_writer *w, const char *s)
{
	before_value(w);
	put_escaped(w->out, s ? s : "");
	after_value(w);
}

void jw_u64(struct json_writer *w, uint64_t v)
{
	before_value(w);
	fprintf(w->out, "%" PRIu64, v);
	after_value(w);
}

void jw_i64(struct json_writer *w, int64_t v)
{
	before_value(w);
	fprintf(w->out, "%" PRId64, v);
	after_value(w);
}

void jw_bool(struct json_writer *w, bool v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->out);
	after_value(w);
}

void jw_null(struct json_writer *w)
{
	before_value(w);
	fputs("null", w->out);
	after_value(w);
}

void jw_ns_as_us(struct json_writer *w, int64_t ns)
{
	uint64_t mag = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	before_value(w);
	fprintf(w->out, "%s%" PRIu64 ".%03u", ns < 0 ? "-" : "", mag / 1000,
		(unsigned int)(mag % 1000));
	after_value(w);
}

void jw_string_field(struct json_writer *w, const char *name, const char *s)
{
	jw_name(w, name);
	jw_string(w, s);
}

void jw_u64_field(struct json_writer *w, const char *name, uint64_t v)
{
	jw_name(w, name);
	jw_u64(w, v);
}

void jw_i64_field(struct json_writer *w, const char *name, int64_t v)
{
	jw_name(w, name);
	jw_i64(w, v);
}

void jw_bool_field(struct json_writer *w, const char *name, bool v)
{
	jw_name(w, name);
	jw_bool(w, v);
}

void jw_error_line(FILE *out, const char *message)
{
	struct json_writer w;

	jw_init(&w, out);
	jw_object_start(&w);
	jw_string_field(&w, "type", "error");
	jw_u64_field(&w, "schema_version", LUTRACE_JSON_SCHEMA_VERSION);
	jw_string_field(&w, "message", message);
	jw_object_end(&w);
}

void jw_u64_str_field(struct json_writer *w, const char *name, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	jw_string_field(w, name, buf);
}

void jw_i64_str_field(struct json_writer *w, const char *name, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	jw_string_field(w, name, buf);
}
