/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_RULES_H
#define LUTRACE_VERIFY_RULES_H

/*
 * The verify rules. The table in verify_rules.c is the only list of them:
 * lutrace verify runs its entries in order, verify --list and verify
 * --help print them, lutrace metrics writes a lutrace_verify_rule series
 * per entry and verdict, and the RULES section of tracer/lutrace.8 is the
 * entries' man text (test-unit fails while it differs; make man rewrites
 * it). Adding a rule is adding an entry, with its check function beside
 * it, and its tests.
 */

#include "analyze/handover.h"
#include "analyze/rule_result.h"
#include "analyze/trace_join.h"

struct verify_rule {
	/* Stable: verify's output and its JSON "rule", the rule label of
	 * lutrace_verify_rule, the man page's entry; [a-z_]. */
	const char *id;
	const char *checks;	/* one line: what the rule asserts */
	void (*check)(const struct lt_trace *t, const struct handover_list *ho,
		      const struct verify_options *opt, struct rule_result *r);
	/*
	 * The verdict rests on the logs' own records (anchors, drop counts,
	 * damage), not on events being there: lost events cannot make its
	 * PASS wrong. Every other rule is NOT_EXERCISED, never PASS, while a
	 * stage lost events or never reported its drop counter (verify.c).
	 */
	bool survives_lost_events;
	/* The entry's text in lutrace.8's RULES, roff, after ".TP" ".B id". */
	const char *man;
};

/* In the order they are reported. */
extern const struct verify_rule verify_rules[];
extern const size_t verify_nr_rules;

#endif
