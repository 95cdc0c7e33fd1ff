/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_REPORT_JSON_H
#define LUTRACE_REPORT_JSON_H

/*
 * lutrace report -j: what report_text.h prints, as JSON Lines: stage,
 * event, phases and log_diag records, then a summary.
 */

#include "analyze/trace_join.h"
#include "output/json_writer.h"

void report_print_json(struct json_writer *w, const struct lt_trace *t);

#endif
