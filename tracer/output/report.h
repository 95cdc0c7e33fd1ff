/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_REPORT_H
#define LUTRACE_REPORT_H

/*
 * What happened, on the shared axis: the stages and how their clocks were
 * placed, a timeline per device, the per-phase latency of every handover
 * with its blackout, log damage and dropped events.
 */

#include <stdbool.h>
#include <stdio.h>

#include "analyze/trace_join.h"
#include "output/json_writer.h"

struct report_options {
	bool verbose;	/* text: also IOMMU map/unmap and passing detail */
};

void report_print_text(FILE *out, const struct lt_trace *t,
		       const struct report_options *opt);
/* JSON Lines: stage, event, phases, log_diag records, then a summary. */
void report_print_json(struct json_writer *w, const struct lt_trace *t);

/* Device names in order of first appearance; free(names) when done. */
struct device_names {
	const char **names;	/* pointing into the trace's events */
	size_t n;
};

void report_collect_devices(const struct lt_trace *t, struct device_names *d);
/* An event's members as report -j writes them (t_ns, event, dev, ... offset). */
void report_json_event_fields(struct json_writer *w, const struct lt_trace *t,
			      size_t i);

#endif
