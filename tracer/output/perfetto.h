/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_PERFETTO_H
#define LUTRACE_PERFETTO_H

/*
 * A joined trace for Perfetto and chrome://tracing (lutrace export
 * --perfetto): Chrome Trace Event Format JSON. One process
 * per stage (named by kernel release and boot id), one thread per device,
 * one for sessions/LUO and one for markers. Each handover's phases and its
 * blackout are complete events ("X"), every trace event an instant event
 * ("i") with its fields in args. ts is microseconds on the shared axis
 * (stage 1 BOOTTIME), as report -j's axis_ns.
 */

#include <stdio.h>

#include "analyze/trace_join.h"

/* Thread ids inside each stage's process; devices follow, in report order. */
#define PERFETTO_TID_SESSIONS 1
#define PERFETTO_TID_MARKERS 2
#define PERFETTO_TID_FIRST_DEVICE 3

void export_perfetto(FILE *out, const struct lt_trace *t);

#endif
