/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_DEVICE_GAP_H
#define LUTRACE_DEVICE_GAP_H

/*
 * The device-side gap of a handover: how long the device itself could not
 * do DMA across the live update, as opposed to the blackout (how long no
 * VMM could drive it). A device left running (the experimental keep-running
 * mode) that nothing stopped has a gap of zero; any other device stops at
 * the first event that stops its DMA after its preserve (in the default
 * mode, the freeze-time reset) and goes again at its first enable in the
 * next stage, when vfio-pci gives it back to its VMM.
 */

#include <stdbool.h>
#include <stdint.h>

#include "analyze/handover.h"

enum device_gap_kind {
	GAP_UNKNOWN,		/* the trace cannot say (see device_gap.why) */
	GAP_KEPT_RUNNING,	/* nothing stopped it: gap 0 */
	GAP_STOPPED,		/* stopped at .stopped_at, going again at .resumed_at */
};

struct device_gap {
	enum device_gap_kind kind;
	long stopped_at;	/* event index, -1 */
	long resumed_at;	/* event index, -1 when not in the trace */
	int64_t ns;		/* with GAP_KEPT_RUNNING (0), or both events */
	uint64_t error_ns;	/* the clock join's bound, as for the blackout */
	const char *why;	/* with GAP_UNKNOWN */
};

/*
 * Whether e stops a device's DMA, or may: a reset, bus mastering off (by
 * pci_clear_master() or by a Command write without it), a D-state change.
 */
bool device_gap_stops_dma(const struct lt_event *e);

/*
 * Whether event i (after h's preserve) is in h's window: stage k, or stage
 * k+1 up to the device's finish.
 */
bool device_gap_in_window(const struct lt_trace *t, const struct handover *h, size_t i);

/*
 * The first event that stopped h's device after its preserve, in stage k
 * or in stage k+1 up to its finish; -1 when there is none.
 */
long device_gap_first_stop(const struct lt_trace *t, const struct handover *h);

void device_gap_of(const struct lt_trace *t, const struct handover *h,
		   struct device_gap *out);

/* Whether the gap has a length: kept running, or stopped and resumed. */
bool device_gap_measured(const struct device_gap *g);

const char *device_gap_kind_name(enum device_gap_kind k);

#endif
