/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_EVENT_CONVERT_H
#define LUTRACE_EVENT_CONVERT_H

#include "log_format.h"

/*
 * A ring-buffer event as a log event of the given stage. The PCI domain is
 * taken from the device name ("0000:01:00.0"), which is pci_name(): BPF
 * leaves it out because reading it is architecture specific.
 */
void event_from_bpf(const struct lutrace_event *in, uint32_t stage,
		    struct lt_event *out);

/*
 * A "lutrace:" trace_marker line (at most LUTRACE_MARKER_LEN bytes) as a log
 * event. "lutrace: open_attempt dev=D path=cdev|group" is an attempt to open
 * device D some other way than through its session, made by a test to check
 * that it is refused; any other line is a marker, shown on device D's
 * timeline when it names dev=D.
 */
void event_from_marker(const struct lutrace_event *in, const char *text,
		       uint32_t stage, struct lt_event *out);

#endif
