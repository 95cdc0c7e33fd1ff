/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_MARKER_TEXT_H
#define LUTRACE_MARKER_TEXT_H

/*
 * The milestone syntax a test or VMM writes to trace_marker:
 * "lutrace: WORDS key=value ...". Only lutrace's own lines are text it
 * parses; the kernel's events are read as binary fields (tracefs_raw.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"

/* Lines of trace_marker that are lutrace's: the rest are someone else's. */
#define LUTRACE_MARKER_PREFIX "lutrace:"

/* Whether a trace_marker write is one of lutrace's. */
bool marker_text_is_ours(const char *text);

/*
 * A "lutrace:" trace_marker line as a log event.
 * "lutrace: open_attempt dev=D path=cdev|group" is an attempt to open device
 * D some other way than through its session, made by a test to check that
 * it is refused; "lutrace: dma_in_flight dev=D ..." is the VMM's word that
 * D's DMA was in flight when it jumped to the next kernel, and
 * "lutrace: dma_landed dev=D ..." / "dma_not_landed dev=D ..." what the next
 * stage found where that DMA was aimed, before starting any DMA of its own
 * (the dma_kept_running rule); any other line is a marker, shown on device D's timeline
 * when it names dev=D, with session=S and token=T in the event's fields when
 * it names them. The text is kept up to LT_TEXT_LEN - 1 bytes.
 */
void marker_text_to_event(const char *line, uint64_t boottime_ns,
			  uint32_t stage, struct lt_event *out);

#endif
