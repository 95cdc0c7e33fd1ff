/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_H
#define LUTRACE_VERIFY_H

/*
 * Assertions over a joined trace. Every rule ends PASS, FAIL or
 * NOT_EXERCISED (the trace holds nothing the rule could check: said so
 * rather than passed silently), with the evidence lines that decided it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/trace_join.h"

enum verdict {
	VERDICT_PASS,
	VERDICT_FAIL,
	VERDICT_NOT_EXERCISED,
};

struct rule_result {
	const char *rule;	/* stable id, e.g. "no_reset_before_enable" */
	const char *checks;	/* one line: what the rule asserts */
	enum verdict verdict;
	char **evidence;
	size_t nevidence;
};

struct verify_options {
	bool has_budget;
	uint64_t budget_ns;	/* blackout budget, with has_budget */
};

#define VERIFY_NR_RULES 8

struct verify_result {
	struct rule_result rules[VERIFY_NR_RULES];
	size_t nrules;
	size_t failed;
};

const char *verdict_name(enum verdict v);

void verify_trace(const struct lt_trace *t, const struct verify_options *opt,
		  struct verify_result *out);
void verify_result_release(struct verify_result *r);
const struct rule_result *verify_find_rule(const struct verify_result *r,
					   const char *rule);

/* For the rules (verify_rules.c). */
void rule_evidence(struct rule_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
