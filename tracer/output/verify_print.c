// SPDX-License-Identifier: GPL-2.0
#include "output/verify_print.h"

#include <stdio.h>

#include "analyze/evidence_text.h"
#include "output/event_json.h"

void verify_summary(char *buf, size_t len, const struct verify_result *r)
{
	int n = snprintf(buf, len, "%s (%zu of %zu rules failed",
			 verify_passed(r) ? "PASS" : "FAIL", r->failed, r->nrules);

	if (n < 0 || (size_t)n >= len)
		return;
	if (!r->not_exercised)
		snprintf(buf + n, len - (size_t)n, ")");
	else if (r->not_exercised_allowed == r->not_exercised)
		snprintf(buf + n, len - (size_t)n, ", %zu not exercised, allowed)",
			 r->not_exercised);
	else if (!r->not_exercised_allowed)
		snprintf(buf + n, len - (size_t)n, ", %zu not exercised: see --allow-not-exercised)",
			 r->not_exercised);
	else
		snprintf(buf + n, len - (size_t)n, ", %zu not exercised, %zu of them allowed)",
			 r->not_exercised, r->not_exercised_allowed);
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
	char summary[160], causes[256];

	format_losses(&t->lost, true, causes, sizeof(causes));
	fprintf(out, "lost events: %llu (%s)\n",
		(unsigned long long)lt_losses_total(&t->lost), causes);
	verify_summary(summary, sizeof(summary), r);
	fprintf(out, "verdict: %s\n", summary);
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
	jw_string_field(w, "verdict", verify_passed(r) ? "PASS" : "FAIL");
	jw_u64_field(w, "rules", r->nrules);
	jw_u64_field(w, "failed", r->failed);
	jw_u64_field(w, "not_exercised", r->not_exercised);
	jw_u64_field(w, "not_exercised_allowed", r->not_exercised_allowed);
	jw_u64_field(w, "dropped_events", losses_dropped(&t->lost));
	jw_u64_field(w, "unwritten_events", t->lost.by_cause[LT_LOSS_LOG_FULL]);
	json_losses(w, &t->lost);
	jw_object_end(w);
}

void verify_list_text(FILE *out)
{
	for (size_t i = 0; i < verify_nr_rules; i++)
		fprintf(out, "%-26s %s\n", verify_rules[i].id, verify_rules[i].checks);
}

void verify_list_json(struct json_writer *w)
{
	for (size_t i = 0; i < verify_nr_rules; i++) {
		jw_object_start(w);
		jw_string_field(w, "type", "rule_info");
		jw_string_field(w, "rule", verify_rules[i].id);
		jw_string_field(w, "checks", verify_rules[i].checks);
		jw_object_end(w);
	}
}
