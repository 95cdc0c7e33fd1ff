// SPDX-License-Identifier: GPL-2.0
#include "analyze/verify.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/evidence_text.h"
#include "analyze/handover.h"
#include "analyze/rule_eval.h"
#include "analyze/verify_rules.h"

/*
 * A rule that needs events cannot PASS on a trace that may lack some: one
 * lost event may be the reset, the fault or the missing retrieve it looks
 * for. Says which stages lost what, and makes the PASS NOT_EXERCISED. A
 * rule that found its opt-in mode unused may have lost the event that used
 * it: that NOT_EXERCISED is no longer allowed by itself.
 */
static void distrust_pass(const struct lt_trace *t, struct rule_result *r)
{
	char causes[256];

	for (size_t s = 0; s < t->nstages; s++) {
		const struct lt_trace_stage *st = &t->stages[s];

		if (st->has_drop_record && !lt_losses_total(&st->lost))
			continue;
		r->incomplete = true;
		r->not_used = false;
		if (!st->has_drop_record) {
			rule_evidence(r, "stage %u never reported its drop counter: its evidence may be incomplete",
				      st->number);
			continue;
		}
		format_losses(&st->lost, false, causes, sizeof(causes));
		rule_evidence(r, "stage %u lost %llu event(s) (%s): the evidence may be among them",
			      st->number, (unsigned long long)lt_losses_total(&st->lost),
			      causes);
	}
}

void verify_settle(const struct lt_trace *t, const struct verify_options *opt,
		   bool survives_lost_events, size_t index, struct rule_result *r,
		   struct verify_result *out)
{
	if ((r->verdict == VERDICT_PASS || r->not_used) && !survives_lost_events)
		distrust_pass(t, r);
	/* What was not judged cannot have passed. */
	if (r->incomplete && r->verdict == VERDICT_PASS)
		r->verdict = VERDICT_NOT_EXERCISED;
	if (r->verdict == VERDICT_FAIL)
		out->failed++;
	if (r->verdict != VERDICT_NOT_EXERCISED)
		return;
	out->not_exercised++;
	r->allowed = r->not_used || opt->allow_all_not_exercised ||
		     (index < 64 && (opt->allow_not_exercised >> index & 1));
	out->not_exercised_allowed += r->allowed;
}

void verify_trace(const struct lt_trace *t, const struct verify_options *opt,
		  struct verify_result *out)
{
	verify_trace_rules(t, NULL, opt, out);
}

/* One list of handovers for the built-in rules and the user's */
void verify_trace_rules(const struct lt_trace *t, const struct rule_file *rules,
			const struct verify_options *opt, struct verify_result *out)
{
	struct handover_list ho;

	memset(out, 0, sizeof(*out));
	out->rules = calloc(verify_nr_rules, sizeof(*out->rules));
	if (!out->rules)
		abort();
	handovers_find(t, &ho);
	for (size_t i = 0; i < verify_nr_rules; i++) {
		struct rule_result *r = &out->rules[out->nrules++];

		r->rule = verify_rules[i].id;
		r->checks = verify_rules[i].checks;
		verify_rules[i].check(t, &ho, opt, r);
		verify_settle(t, opt, verify_rules[i].survives_lost_events, i, r, out);
	}
	if (rules)
		verify_user_rules(t, rules, &ho, opt, out);
	handovers_release(&ho);
}

void verify_result_release(struct verify_result *r)
{
	for (size_t i = 0; i < r->nrules; i++) {
		for (size_t j = 0; j < r->rules[i].nevidence; j++)
			free(r->rules[i].evidence[j]);
		free(r->rules[i].evidence);
	}
	free(r->rules);
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

long verify_rule_index(const char *rule)
{
	for (size_t i = 0; i < verify_nr_rules; i++)
		if (!strcmp(verify_rules[i].id, rule))
			return (long)i;
	return -1;
}

bool verify_passed(const struct verify_result *r)
{
	return !r->failed && r->not_exercised == r->not_exercised_allowed;
}
