/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_EVENT_CONVERT_H
#define LUTRACE_EVENT_CONVERT_H

#include "log/log_format.h"

/*
 * A ring-buffer event as a log event of the given stage. The PCI domain is
 * taken from the device name ("0000:01:00.0"), which is pci_name(): BPF
 * leaves it out because reading it is architecture specific.
 */
void event_from_bpf(const struct lutrace_event *in, uint32_t stage,
		    struct lt_event *out);

/* Lines of trace_marker that are lutrace's: the rest are someone else's. */
#define LUTRACE_MARKER_PREFIX "lutrace:"

/*
 * A "lutrace:" trace_marker line as a log event.
 * "lutrace: open_attempt dev=D path=cdev|group" is an attempt to open device
 * D some other way than through its session, made by a test to check that
 * it is refused; any other line is a marker, shown on device D's timeline
 * when it names dev=D, with session=S and token=T in the event's fields when
 * it names them. The text is kept up to LT_TEXT_LEN - 1 bytes.
 */
void event_from_marker(const char *line, uint64_t boottime_ns, uint32_t stage,
		       struct lt_event *out);

#endif
