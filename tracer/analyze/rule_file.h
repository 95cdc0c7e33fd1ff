/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_RULE_FILE_H
#define LUTRACE_RULE_FILE_H

/*
 * A user's assertions on a trace (lutrace verify --rules FILE), one per
 * line, in a small declarative language with no variables, loops or
 * expressions: what a rule can say is what lutrace.8's RULE FILES lists,
 * so every rule can be judged PASS, FAIL or NOT_EXERCISED with evidence
 * the way the built-in rules are (rule_eval.h runs them).
 *
 *   id: [for every device:] assertion      # comment
 *
 *   exactly N SEL [per stage | per outgoing stage]   (also: at least, at most)
 *   no SEL [between SEL and SEL]
 *   SEL before|after SEL [in the same stage | across the kexec]
 *   latency from SEL to SEL under NUMBER ns|us|ms|s
 *
 *   SEL = EVENT {KEY=VALUE | KEY!=VALUE | KEY~TEXT}, EVENT an event name,
 *   "marker" or "any"; KEY dev, session, token, ret, stage, text, or the
 *   symbolic site, reason and path (the event's arg, by name); under
 *   "for every device" the value $dev is each handed-over device in turn.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RULE_MAX_CONDS 8

enum sel_key {
	SEL_DEV,
	SEL_SESSION,
	SEL_TOKEN,
	SEL_RET,
	SEL_STAGE,
	SEL_TEXT,
	SEL_SITE,	/* vfio_pci_reset's site=, by name */
	SEL_REASON,	/* vfio_pci_reset_skipped's reason= */
	SEL_PATH,	/* open_attempt's and vfio_pci_open_blocked's path= */
};

enum sel_op {
	SEL_EQ,		/* = */
	SEL_NE,		/* != */
	SEL_CONTAINS,	/* ~ (strings only) */
};

struct sel_cond {
	enum sel_key key;
	enum sel_op op;
	bool each_device;	/* the value is $dev */
	char *str;		/* dev, session, text */
	int64_t num;		/* token, ret, stage; site, reason, path: the arg */
};

struct selector {
	unsigned int event;	/* enum lutrace_event_id; LT_EV_NONE: any */
	struct sel_cond conds[RULE_MAX_CONDS];
	size_t nconds;
};

enum assertion_kind {
	AS_COUNT,	/* exactly / at least / at most N of a */
	AS_NONE,	/* no a [between b and c] */
	AS_ORDER,	/* a before b */
	AS_LATENCY,	/* from a to b under limit */
};

enum count_op { COUNT_EXACTLY, COUNT_AT_LEAST, COUNT_AT_MOST };

enum count_scope {
	COUNT_IN_TRACE,
	COUNT_PER_STAGE,		/* every stage of the trace */
	COUNT_PER_OUTGOING_STAGE,	/* every stage whose stage k+1 is there */
};

enum order_scope {
	ORDER_IN_TRACE,
	ORDER_SAME_STAGE,
	ORDER_ACROSS_KEXEC,	/* a in stage k, b in stage k+1 */
};

struct user_rule {
	char *id;		/* [a-z0-9_], unique, no built-in rule's */
	char *assertion;	/* its text after "id:", as verify shows it */
	unsigned int line;
	bool every_device;
	enum assertion_kind kind;
	/*
	 * AS_COUNT, AS_NONE: a is counted (AS_NONE between b and c when
	 * has_window). AS_ORDER: a comes before b ("after" is stored
	 * swapped). AS_LATENCY: from a to b.
	 */
	struct selector a, b, c;
	bool has_window;
	enum count_op count_op;
	uint64_t count;
	enum count_scope count_scope;
	enum order_scope order_scope;
	uint64_t limit_ns;
};

struct rule_file {
	struct user_rule *rules;
	size_t n;
};

/*
 * Parses text[len]; name is the file name errors give. Returns 0, or -1
 * with err "NAME:LINE:COL: what is wrong" and out empty: a file with one
 * error yields no rule at all.
 */
int rule_file_parse(const char *name, const char *text, size_t len,
		    struct rule_file *out, char *err, size_t errlen);
int rule_file_load(const char *path, struct rule_file *out, char *err,
		   size_t errlen);
void rule_file_release(struct rule_file *f);

#endif
