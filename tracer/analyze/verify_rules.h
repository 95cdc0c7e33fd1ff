/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_RULES_H
#define LUTRACE_VERIFY_RULES_H

#include "analyze/handover.h"
#include "analyze/verify.h"

struct verify_rule {
	const char *rule;
	const char *checks;
	void (*check)(const struct lt_trace *t, const struct handover_list *ho,
		      const struct verify_options *opt, struct rule_result *r);
};

/* In the order they are reported. */
extern const struct verify_rule verify_rules[VERIFY_NR_RULES];

#endif
