// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdlib.h>

#include "capture.h"
#include "json_check.h"
#include "output/json_writer.h"

static struct capture cap;
static struct json_writer w;

static void open_writer(void)
{
	jw_init(&w, capture_open(&cap));
}

static void fini(void)
{
	free(cap.text);
}

Test(json_writer, nested_values_and_separators, .init = open_writer, .fini = fini)
{
	jw_object_start(&w);
	jw_u64_field(&w, "a", 18446744073709551615ull);
	jw_name(&w, "b");
	jw_array_start(&w);
	jw_i64(&w, -9223372036854775807ll - 1);
	jw_bool(&w, true);
	jw_null(&w);
	jw_string(&w, "x");
	jw_array_end(&w);
	jw_name(&w, "c");
	jw_object_start(&w);
	jw_object_end(&w);
	jw_name(&w, "d");
	jw_array_start(&w);
	jw_array_end(&w);
	jw_object_end(&w);
	cr_assert_str_eq(capture_close(&cap),
			 "{\"a\":18446744073709551615,\"b\":[-9223372036854775808,true,null,\"x\"],\"c\":{},\"d\":[]}\n");
}

Test(json_writer, top_level_objects_are_json_lines, .init = open_writer, .fini = fini)
{
	long bad = 0;

	for (int i = 0; i < 3; i++) {
		jw_object_start(&w);
		jw_string_field(&w, "type", "event");
		jw_i64_field(&w, "n", i);
		jw_object_end(&w);
	}
	cr_assert_eq(json_lines_check(capture_close(&cap), &bad), 3, "line %ld", bad);
	cr_assert_str_eq(cap.text,
			 "{\"type\":\"event\",\"n\":0}\n{\"type\":\"event\",\"n\":1}\n{\"type\":\"event\",\"n\":2}\n");
}

Test(json_writer, strings_are_escaped, .init = open_writer, .fini = fini)
{
	jw_string(&w, "q\"b\\n\nt\tc\x01 d\x7f");
	cr_assert_str_eq(capture_close(&cap),
			 "\"q\\\"b\\\\n\\nt\\tc\\u0001 d\\u007f\"\n");
}

Test(json_writer, valid_utf8_passes_invalid_bytes_are_replaced,
     .init = open_writer, .fini = fini)
{
	jw_string(&w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");	/* é € 😀 */
	jw_string(&w, "a\xff" "b");				/* stray byte */
	jw_string(&w, "\xc0\xaf");				/* overlong '/' */
	jw_string(&w, "\xed\xa0\x80");				/* surrogate */
	jw_string(&w, "cut\xe2\x82");				/* truncated € */
	cr_assert_str_eq(capture_close(&cap),
			 "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"\n"
			 "\"a\\ufffdb\"\n"
			 "\"\\ufffd\\ufffd\"\n"
			 "\"\\ufffd\\ufffd\\ufffd\"\n"
			 "\"cut\\ufffd\\ufffd\"\n");
}

Test(json_writer, every_byte_value_yields_valid_json, .init = open_writer, .fini = fini)
{
	char s[256];
	long bad = 0;

	for (int i = 1; i < 256; i++)
		s[i - 1] = (char)i;
	s[255] = '\0';
	jw_object_start(&w);
	jw_string_field(&w, "all", s);
	jw_object_end(&w);
	cr_assert_eq(json_lines_check(capture_close(&cap), &bad), 1);
}

Test(json_writer, errors_are_json_too, .fini = fini)
{
	FILE *f = capture_open(&cap);

	jw_error_line(f, "flight.log: unsupported flight log version 2");
	cr_assert_str_eq(capture_close(&cap),
			 "{\"type\":\"error\",\"schema_version\":2,\"message\":\"flight.log: unsupported flight log version 2\"}\n");
}

Test(json_check, rejects_what_is_not_json)
{
	cr_assert(json_valid("{\"a\":[1,2.5e3,-0]}", 18));
	cr_assert_not(json_valid("{\"a\":1,}", 8));
	cr_assert_not(json_valid("{\"a\" 1}", 7));
	cr_assert_not(json_valid("\"\x01\"", 3));
	cr_assert_not(json_valid("01", 2));
	cr_assert_not(json_valid("{} {}", 5));
}
