/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_EXPORT_H
#define LUTRACE_EXPORT_H

/*
 * A joined trace for other tools (lutrace export):
 *
 * Perfetto / chrome://tracing: Chrome Trace Event Format JSON. One process
 * per stage (named by kernel release and boot id), one thread per device,
 * one for sessions/LUO and one for markers. Each handover's phases and its
 * blackout are complete events ("X"), every trace event an instant event
 * ("i") with its fields in args. ts is microseconds on the shared axis
 * (stage 1 BOOTTIME), as report -j's axis_ns.
 *
 * HTML: one self-contained page (inline CSS, no script) with the verify
 * verdicts and their evidence, the phase/blackout table with error bounds
 * and the per-device timelines. Every string from the log is escaped.
 */

#include <stdio.h>

#include "analyze/trace_join.h"
#include "analyze/verify.h"

/* Thread ids inside each stage's process; devices follow, in report order. */
#define EXPORT_TID_SESSIONS 1
#define EXPORT_TID_MARKERS 2
#define EXPORT_TID_FIRST_DEVICE 3

void export_perfetto(FILE *out, const struct lt_trace *t);
void export_html(FILE *out, const struct lt_trace *t,
		 const struct verify_result *v);

#endif
