/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_REPORT_TEXT_H
#define LUTRACE_REPORT_TEXT_H

/*
 * lutrace report: what happened, on the shared axis: the stages and how
 * their clocks were placed, a timeline per device, the per-phase latency of
 * every handover with its blackout, log damage and dropped events.
 */

#include <stdbool.h>
#include <stdio.h>

#include "analyze/trace_join.h"

struct report_options {
	bool verbose;	/* text: also IOMMU map/unmap and passing detail */
};

void report_print_text(FILE *out, const struct lt_trace *t,
		       const struct report_options *opt);

#endif
