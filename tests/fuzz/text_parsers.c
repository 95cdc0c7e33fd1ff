// SPDX-License-Identifier: GPL-2.0
#include "text_parsers.h"

#include "record/kmsg_faults.h"
#include "record/marker_text.h"

/* A marker's text as the writer gave it: its time comes from elsewhere. */
static bool marker_text(const char *line, uint32_t stage, struct lt_event *out)
{
	if (!marker_text_is_ours(line))
		return false;
	marker_text_to_event(line, 1000000000ull, stage, out);
	return true;
}

/* Any text, ours or not: the parser must cope with someone else's too. */
static bool any_marker_text(const char *line, uint32_t stage, struct lt_event *out)
{
	marker_text_to_event(line, 1000000000ull, stage, out);
	return true;
}

const struct text_parser text_parsers[] = {
	{ "marker_text_to_event", marker_text },
	{ "marker_text_to_event (not ours)", any_marker_text },
	{ "kmsg_record_to_fault", kmsg_record_to_fault },
};

const size_t nr_text_parsers = sizeof(text_parsers) / sizeof(text_parsers[0]);
