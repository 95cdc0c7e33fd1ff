/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_PRINT_H
#define LUTRACE_VERIFY_PRINT_H

/*
 * The verdicts of lutrace verify, and verify --list's rule table: as text,
 * or as JSON Lines.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analyze/trace_join.h"
#include "analyze/verify.h"
#include "output/json_writer.h"

/* A line per rule, its evidence under it (passing evidence with verbose). */
void verify_print_text(FILE *out, const struct lt_trace *t,
		       const struct verify_result *r, bool verbose);
/* A "rule" object per rule, then the "verdict" object. */
void verify_print_json(struct json_writer *w, const struct lt_trace *t,
		       const struct verify_result *r);

/*
 * The overall verdict as the last line says it, without "verdict: ":
 * "PASS (0 of 10 rules failed)", "FAIL (0 of 10 rules failed, 1 not
 * exercised: see --allow-not-exercised)", "PASS (... 1 not exercised,
 * allowed)".
 */
void verify_summary(char *buf, size_t len, const struct verify_result *r);

/* verify --list: a line per rule of the table, its id and what it checks. */
void verify_list_text(FILE *out);
/* The same as "rule_info" objects. */
void verify_list_json(struct json_writer *w);

#endif
