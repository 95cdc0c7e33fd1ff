/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_EVENT_JSON_H
#define LUTRACE_EVENT_JSON_H

#include <stddef.h>

#include "analyze/trace_join.h"
#include "output/json_writer.h"

/*
 * Event i's members as report -j writes them (t_ns, axis_ns, stage, ...,
 * source, offset), and the Perfetto export as an instant's args.
 */
void event_json_fields(struct json_writer *w, const struct lt_trace *t,
		       size_t i);
/* "lost":{"ring_buffer":N,...}: every cause, as report and verify -j say it. */
void json_losses(struct json_writer *w, const struct lt_losses *l);

#endif
