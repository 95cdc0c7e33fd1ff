/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_H
#define LUTRACE_VERIFY_H

/*
 * Runs the rules of verify_rules.c over a joined trace, in the table's
 * order, each to a verdict with its evidence (rule_result.h).
 */

#include <stddef.h>

#include "analyze/rule_result.h"
#include "analyze/trace_join.h"
#include "analyze/verify_rules.h"

struct verify_result {
	struct rule_result *rules;	/* one per rule of the table */
	size_t nrules;
	size_t failed;
};

void verify_trace(const struct lt_trace *t, const struct verify_options *opt,
		  struct verify_result *out);
void verify_result_release(struct verify_result *r);
const struct rule_result *verify_find_rule(const struct verify_result *r,
					   const char *rule);

#endif
