// SPDX-License-Identifier: GPL-2.0
#include "analyze/verify.h"

#include <stdarg.h>
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

void verify_print_text(FILE *out, const struct lt_trace *t,
		       const struct verify_result *r, bool verbose)
{
	for (size_t i = 0; i < r->nrules; i++) {
		const struct rule_result *rr = &r->rules[i];

		fprintf(out, "%-14s %-26s %s\n", verdict_name(rr->verdict),
			rr->rule, rr->checks);
		/* Passing evidence is noise unless asked for. */
		if (rr->verdict == VERDICT_PASS && !verbose)
			continue;
		for (size_t j = 0; j < rr->nevidence; j++)
			fprintf(out, "%15s- %s\n", "", rr->evidence[j]);
	}
	fprintf(out, "dropped events: %llu ring-buffer reserve failures, %llu not written (log full)\n",
		(unsigned long long)t->reserve_failures,
		(unsigned long long)t->unwritten);
	fprintf(out, "verdict: %s (%zu of %zu rules failed)\n",
		r->failed ? "FAIL" : "PASS", r->failed, r->nrules);
}

void verify_print_json(struct json_writer *w, const struct lt_trace *t,
		       const struct verify_result *r)
{
	for (size_t i = 0; i < r->nrules; i++) {
		const struct rule_result *rr = &r->rules[i];

		jw_object_start(w);
		jw_string_field(w, "type", "rule");
		jw_string_field(w, "rule", rr->rule);
		jw_string_field(w, "verdict", verdict_name(rr->verdict));
		jw_string_field(w, "checks", rr->checks);
		jw_name(w, "evidence");
		jw_array_start(w);
		for (size_t j = 0; j < rr->nevidence; j++)
			jw_string(w, rr->evidence[j]);
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_object_start(w);
	jw_string_field(w, "type", "verdict");
	jw_string_field(w, "verdict", r->failed ? "FAIL" : "PASS");
	jw_u64_field(w, "rules", r->nrules);
	jw_u64_field(w, "failed", r->failed);
	jw_u64_field(w, "dropped_events", t->reserve_failures);
	jw_u64_field(w, "unwritten_events", t->unwritten);
	jw_object_end(w);
}
