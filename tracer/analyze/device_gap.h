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
 *
 * The window is stage k from the preserve and stage k+1 up to the finish
 * (to the end of its log without one); what the VMM itself does to the
 * device once it has it back (a user's Command write, a reset it asked
 * for) after the first enable is the VMM's business, not the kernel's.
 */

#include <stdbool.h>
#include <stdint.h>

#include "analyze/handover.h"

/* What must have been traced from boot on for the window to be seen whole. */
#define DEVICE_GAP_KINDS (LT_BOOT_VFIO_RESETS | LT_BOOT_PCI_RESETS | \
			  LT_BOOT_BUS_MASTER | LT_BOOT_POWER_STATE)

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

/* Whether event i stops h's device's DMA inside h's window (above). */
bool device_gap_counts(const struct lt_trace *t, const struct handover *h, size_t i);

/* The first event that counts, or -1. */
long device_gap_first_stop(const struct lt_trace *t, const struct handover *h);

/*
 * Whether both stages saw the whole window: traced from its start (boot-time
 * import or recorder attached by then), every drop counter reported and
 * nothing lost. If not, *why says what is missing.
 */
bool device_gap_window_seen(const struct lt_trace *t, const struct handover *h,
			    const char **why);

/* The device's vfio_pci_liveupdate_retrieve in stage k+1 that failed, or -1. */
long device_gap_failed_retrieve(const struct lt_trace *t, const struct handover *h);

void device_gap_of(const struct lt_trace *t, const struct handover *h,
		   struct device_gap *out);

/* Whether the gap has a length: kept running, or stopped and resumed. */
bool device_gap_measured(const struct device_gap *g);

const char *device_gap_kind_name(enum device_gap_kind k);

#endif
