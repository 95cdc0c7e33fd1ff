/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_EVENT_COMPARE_H
#define LUTRACE_EVENT_COMPARE_H

/*
 * Events compared field by field: never their bytes, as padding and what
 * follows a string's NUL are not part of an event, and two copies of one
 * event may differ there.
 */

#include <stdbool.h>

#include "log/log_format.h"

/* A total order on every field, time and TSC included: 0 when equal. */
int event_compare(const struct lt_event *a, const struct lt_event *b);

/*
 * Whether a and b say the same thing: every field but the time, the TSC,
 * the pid and the stage. One kernel event seen by BPF and read from tracefs
 * is stamped twice, µs apart, and only BPF reads the process (tracefs has
 * the thread).
 */
bool event_same_fields(const struct lt_event *a, const struct lt_event *b);

#endif
