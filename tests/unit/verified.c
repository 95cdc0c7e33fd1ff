// SPDX-License-Identifier: GPL-2.0
#include "verified.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

struct log_buf buf;
struct lt_trace trace;
struct verify_result result;
struct capture cap;

void verified_fini(void)
{
	verify_result_release(&result);
	lt_trace_release(&trace);
	free(cap.text);
	memset(&result, 0, sizeof(result));
	cap.text = NULL;
}

void assert_has(const char *text, const char *needle)
{
	cr_assert(strstr(text, needle), "missing \"%s\" in:\n%s", needle, text);
}
