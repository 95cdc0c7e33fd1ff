/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_HANDOVER_H
#define LUTRACE_HANDOVER_H

/*
 * A handover is one device preserved in stage k (and still preserved when
 * that stage ended) and what became of it in stage k+1. Its milestones are
 * event indexes into the joined trace, -1 when the event never came. Stage
 * k+1 is the stage numbered k+1: with a gap in the numbers (its log is
 * missing) the handover has no next stage, whatever stage comes after.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/trace_join.h"

enum handover_milestone {
	HO_PRESERVE,	/* vfio_pci_liveupdate_preserve, stage k */
	HO_FREEZE,	/* last successful vfio_pci_liveupdate_freeze, stage k */
	HO_KEXEC,	/* kernel_kexec (else liveupdate_reboot) after the freeze */
	HO_RETRIEVE,	/* vfio_pci_liveupdate_retrieve, stage k+1 */
	HO_ENABLE,	/* first enable: vfio_pci_reset_skipped or an enable reset */
	HO_FINISH,	/* vfio_pci_liveupdate_finish, stage k+1 */
	HO_NR_MILESTONES
};

struct handover {
	char dev[LUTRACE_DEV_LEN];
	size_t device;			/* its index into lt_trace.devices */
	size_t stage_out;		/* index of stage k */
	bool has_next_stage;		/* stage k+1 is in the trace */
	size_t stage_in;		/* its index, with has_next_stage */
	long at[HO_NR_MILESTONES];
};

struct handover_list {
	struct handover *items;
	size_t n;
};

const char *handover_milestone_name(enum handover_milestone m);

void handovers_find(const struct lt_trace *t, struct handover_list *out);
void handovers_release(struct handover_list *list);

/* Axis time at which stage k+1's kernel started (its BOOTTIME zero);
 * only with has_next_stage. */
int64_t handover_next_boot_ns(const struct lt_trace *t, const struct handover *h);

/*
 * Blackout: stage k+1 retrieve (or the first enable when there is no
 * retrieve) minus the stage-k freeze. Returns false when not measurable
 * (no freeze, no stage k+1, or neither retrieve nor enable in it);
 * *error_ns is the clock-mapping bound between the two stages.
 */
bool handover_blackout(const struct lt_trace *t, const struct handover *h,
		       int64_t *blackout_ns, uint64_t *error_ns);

/* Consecutive intervals of a handover, as the report's latency table. */
enum handover_phase {
	PH_PRESERVE_FREEZE,
	PH_FREEZE_KEXEC,
	PH_KEXEC_BOOT,		/* to stage k+1's BOOTTIME zero */
	PH_BOOT_RETRIEVE,
	PH_RETRIEVE_ENABLE,
	PH_ENABLE_FINISH,
	PH_NR_PHASES
};

const char *handover_phase_name(enum handover_phase p);	/* "freeze->kexec" */
const char *handover_phase_key(enum handover_phase p);	/* "freeze_to_kexec" */
bool handover_phase_ns(const struct lt_trace *t, const struct handover *h,
		       enum handover_phase p, int64_t *ns);
/* Where the phase starts and ends on the axis; false when not measurable. */
bool handover_phase_span(const struct lt_trace *t, const struct handover *h,
			 enum handover_phase p, int64_t *from_ns, int64_t *to_ns);


#endif
