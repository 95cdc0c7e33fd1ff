/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_FUZZ_TEXT_PARSERS_H
#define LUTRACE_FUZZ_TEXT_PARSERS_H

/*
 * The seam between fuzz_text.c and the parsers of text lutrace records:
 * trace_marker lines (marker_text.h) and /dev/kmsg records. The target only
 * knows this table: when a parser is added or replaced, re-point its entry
 * in text_parsers.c and the target, its corpus and its oracle stay. The
 * kernel's own events are read as binary fields (tracefs_raw.h), which
 * this target does not feed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"

struct text_parser {
	const char *name;
	/* One line, NUL-terminated, without its newline; true: *out is set. */
	bool (*parse)(const char *line, uint32_t stage, struct lt_event *out);
};

extern const struct text_parser text_parsers[];
extern const size_t nr_text_parsers;

#endif
