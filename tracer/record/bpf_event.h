/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_BPF_EVENT_H
#define LUTRACE_BPF_EVENT_H

#include "log/log_format.h"

/*
 * A ring-buffer event as a log event of the given stage. The PCI domain is
 * taken from the device name (pci_name.h).
 */
void event_from_bpf(const struct lutrace_event *in, uint32_t stage,
		    struct lt_event *out);

#endif
