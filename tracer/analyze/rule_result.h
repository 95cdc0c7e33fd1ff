/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_RULE_RESULT_H
#define LUTRACE_RULE_RESULT_H

/*
 * What a verify rule concludes: PASS, FAIL or NOT_EXERCISED (the trace
 * holds nothing the rule could check: said so rather than passed
 * silently), with the evidence lines that decided it.
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
};

struct verify_options {
	bool has_budget;
	uint64_t budget_ns;	/* blackout budget, with has_budget */
};

const char *verdict_name(enum verdict v);

/* Adds an evidence line to r. */
void rule_evidence(struct rule_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
