/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_H
#define LUTRACE_VERIFY_H

/*
 * Runs the rules of verify_rules.c over a joined trace, in the table's
 * order, each to a verdict with its evidence (rule_result.h).
 */

#include <stdbool.h>
#include <stddef.h>

#include "analyze/rule_result.h"
#include "analyze/trace_join.h"
#include "analyze/verify_rules.h"

struct verify_result {
	struct rule_result *rules;	/* one per rule of the table */
	size_t nrules;
	size_t failed;
	size_t not_exercised;		/* NOT_EXERCISED verdicts, allowed or not */
	size_t not_exercised_allowed;	/* those the options allow */
};

void verify_trace(const struct lt_trace *t, const struct verify_options *opt,
		  struct verify_result *out);
struct rule_file;
/* verify_trace(), then the user's rules of @rules (NULL: none) */
void verify_trace_rules(const struct lt_trace *t, const struct rule_file *rules,
			const struct verify_options *opt, struct verify_result *out);
/*
 * Settles a checked rule's verdict and counts it in out: a PASS that lost
 * events may hide (unless the rule survives that) or that was incomplete
 * is NOT_EXERCISED, allowed by opt (index: the rule's bit there). Every
 * rule, built-in or a user's (rule_eval.h), goes through it.
 */
void verify_settle(const struct lt_trace *t, const struct verify_options *opt,
		   bool survives_lost_events, size_t index, struct rule_result *r,
		   struct verify_result *out);
void verify_result_release(struct verify_result *r);
const struct rule_result *verify_find_rule(const struct verify_result *r,
					   const char *rule);
/* Index of the rule in verify_rules[], or -1. */
long verify_rule_index(const char *rule);
/*
 * The overall verdict: true when no rule failed and every NOT_EXERCISED
 * verdict was allowed. lutrace verify exits 0 exactly then.
 */
bool verify_passed(const struct verify_result *r);

#endif
