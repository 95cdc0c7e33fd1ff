// SPDX-License-Identifier: GPL-2.0
#include "man_page.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

char *man_page_read(const char **path)
{
	const char *p = getenv("LUTRACE_MAN") ? getenv("LUTRACE_MAN") : "tracer/lutrace.8";
	FILE *f = fopen(p, "r");
	char *text;
	long n;

	cr_assert_not_null(f, "%s: cannot open (set LUTRACE_MAN)", p);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	cr_assert_not_null(text);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (path)
		*path = p;
	return text;
}
