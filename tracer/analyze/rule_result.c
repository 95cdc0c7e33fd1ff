// SPDX-License-Identifier: GPL-2.0
#include "analyze/rule_result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "PASS";
	case VERDICT_FAIL: return "FAIL";
	case VERDICT_NOT_EXERCISED: return "NOT_EXERCISED";
	}
	return "?";
}

void rule_evidence(struct rule_result *r, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	r->evidence = realloc(r->evidence, (r->nevidence + 1) * sizeof(char *));
	if (!r->evidence)
		abort();
	r->evidence[r->nevidence++] = line;
}
