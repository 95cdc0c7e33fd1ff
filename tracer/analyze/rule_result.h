/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_RULE_RESULT_H
#define LUTRACE_RULE_RESULT_H

/*
 * What a verify rule concludes: PASS, FAIL or NOT_EXERCISED (the trace
 * lacks what the rule needs, for some or all of what it applies to: said
 * so rather than passed silently), with the evidence lines that decided
 * it. lutrace verify fails on NOT_EXERCISED too unless the user allowed
 * it (verify_options).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	/*
	 * Set by a check that could not judge everything it applies to (a
	 * device whose evidence is not in the trace); the verdict is then
	 * NOT_EXERCISED unless the check found a FAIL. Never PASS.
	 */
	bool incomplete;
	/*
	 * Set by a check of an opt-in feature that nothing in the trace uses
	 * (no device kept running): NOT_EXERCISED and allowed without being
	 * asked, since the run could not have exercised it. A check that
	 * applies but cannot judge is incomplete instead, and not allowed.
	 */
	bool not_used;
	/* NOT_EXERCISED and the user allowed it (verify_options), or not_used. */
	bool allowed;
};

struct verify_options {
	bool has_budget;
	uint64_t budget_ns;	/* blackout budget, with has_budget */
	/*
	 * --allow-not-exercised: these NOT_EXERCISED verdicts do not fail
	 * verify. Every rule's with allow_all_not_exercised, else those whose
	 * bit (the index in verify_rules[]) is set.
	 */
	bool allow_all_not_exercised;
	uint64_t allow_not_exercised;
};

const char *verdict_name(enum verdict v);

/* Adds an evidence line to r. */
void rule_evidence(struct rule_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
