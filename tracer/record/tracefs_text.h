/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TRACEFS_TEXT_H
#define LUTRACE_TRACEFS_TEXT_H

/*
 * Reading tracefs' text: the lines of its trace and trace_pipe files
 * ("TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS"), the key=value fields
 * of TP_printk output and marker lines, and what trace_pipe says when its
 * buffer overflowed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Finds "TIMESTAMP: EVENT: " in line: the timestamp in *ns, the event name
 * in event[event_len]. Returns the fields after it, or NULL.
 */
const char *tracefs_split_line(const char *line, uint64_t *ns, char *event,
			       size_t event_len);

/*
 * The value of a " key=value" field in a line of text (TP_printk output,
 * marker lines), copied into out[len] and cut to fit; false if absent.
 * "xkey=" does not count as "key=".
 */
bool text_field(const char *line, const char *key, char *out, size_t len);

/* "CPU:1 [LOST 12 EVENTS]": what trace_pipe says when its buffer overflowed. */
bool tracefs_lost_events(const char *line, uint64_t *lost);

#endif
