/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_RULE_EVAL_H
#define LUTRACE_RULE_EVAL_H

/*
 * Judges a user's rules (rule_file.h) over a joined trace the way the
 * built-in rules are judged: each ends PASS, FAIL or NOT_EXERCISED with
 * evidence that cites the events it rests on, a PASS is NOT_EXERCISED
 * when a stage lost events, and a rule for every device is NOT_EXERCISED
 * when no device was handed over.
 */

#include "analyze/rule_file.h"
#include "analyze/verify.h"

struct handover_list;

/*
 * Appends one result per rule of f to out, after the built-in rules', on
 * the handovers verify_trace_rules() found for them. The results point
 * into f: keep it until out is released. Rule j of f is bit
 * verify_nr_rules + j of opt->allow_not_exercised.
 */
void verify_user_rules(const struct lt_trace *t, const struct rule_file *f,
		       const struct handover_list *ho,
		       const struct verify_options *opt, struct verify_result *out);

/* "vfio_pci_reset dev=0000:01:00.0 ret!=0", $dev as dev (NULL: "$dev"). */
void format_selector(const struct selector *s, const char *dev, char *buf,
		     size_t len);

#endif
