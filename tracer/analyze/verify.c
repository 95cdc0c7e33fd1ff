// SPDX-License-Identifier: GPL-2.0
#include "analyze/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/handover.h"
#include "analyze/verify_rules.h"

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

void verify_trace(const struct lt_trace *t, const struct verify_options *opt,
		  struct verify_result *out)
{
	struct handover_list ho;

	memset(out, 0, sizeof(*out));
	handovers_find(t, &ho);
	for (size_t i = 0; i < VERIFY_NR_RULES; i++) {
		struct rule_result *r = &out->rules[out->nrules++];

		r->rule = verify_rules[i].rule;
		r->checks = verify_rules[i].checks;
		verify_rules[i].check(t, &ho, opt, r);
		if (r->verdict == VERDICT_FAIL)
			out->failed++;
	}
	handovers_release(&ho);
}

void verify_result_release(struct verify_result *r)
{
	for (size_t i = 0; i < r->nrules; i++) {
		for (size_t j = 0; j < r->rules[i].nevidence; j++)
			free(r->rules[i].evidence[j]);
		free(r->rules[i].evidence);
	}
	memset(r, 0, sizeof(*r));
}

const struct rule_result *verify_find_rule(const struct verify_result *r,
					   const char *rule)
{
	for (size_t i = 0; i < r->nrules; i++)
		if (!strcmp(r->rules[i].rule, rule))
			return &r->rules[i];
	return NULL;
}
