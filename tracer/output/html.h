/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_HTML_H
#define LUTRACE_HTML_H

/*
 * A joined trace as one self-contained HTML page (lutrace export --html):
 * inline CSS, no script, with the verify verdicts and their evidence, the
 * phase/blackout table with error bounds and the per-device timelines.
 * Every string from the log is escaped.
 */

#include <stdio.h>

#include "analyze/trace_join.h"
#include "analyze/verify.h"

void export_html(FILE *out, const struct lt_trace *t,
		 const struct verify_result *v);

#endif
