/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_BPF_EVENT_H
#define LUTRACE_BPF_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"

typedef int (*bpf_event_fn)(void *ctx, const struct lutrace_event *e);

/*
 * A ring-buffer event as a log event of the given stage. The PCI domain is
 * taken from the device name (pci_name.h).
 */
void event_from_bpf(const struct lutrace_event *in, uint32_t stage,
		    struct lt_event *out);

/*
 * Where ring-buffer samples go: whole events to on_event, and a sample too
 * short to be one (an object built from another lutrace.h) is counted, as
 * the short_sample cause, instead of read past its end or dropped unsaid.
 */
struct ring_sample_sink {
	bpf_event_fn on_event;
	void *ctx;
	uint64_t short_samples;
};

/* One sample: what on_event returned, or 0 when it was short. */
int ring_sample_take(struct ring_sample_sink *s, const void *data, size_t size);

#endif
