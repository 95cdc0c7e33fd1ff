/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TEST_SCENARIO_H
#define LUTRACE_TEST_SCENARIO_H

/*
 * A live update of two devices, stage 2 continuing stage 1's log, on a
 * timeline with round numbers (TSC at 1 GHz):
 *
 * stage 1 (anchor boottime 10 s = TSC 1000 s; last anchor 12.15 s)
 *   11.0 + d/100  vfio preserve (token d+1)    11.5  iommu map
 *   11.999  pci_reset flr, 12.000  vfio_pci_reset site=freeze
 *   12.001  vfio freeze      12.1 liveupdate_reboot   12.2 kernel_kexec
 *   (with kexec_at_entry, kernel_kexec comes at 11.998 instead: the order a
 *   real kernel gives, its fentry firing before the freeze it runs)
 * stage 2 (anchor boottime 1 s = TSC 1005 s: its boottime 0 is axis 14 s;
 *   last anchor 4.5 s; the wall clock agrees with the TSC)
 *   (recorder_attached: stage 1's at 11.0, stage 2's at its anchor; stage
 *   2's import has every kind of event from boot on)
 *   0.5 pci incoming   2.0 retrieve   2.5 iommu map   3.0 reset skipped
 *   4.0 vfio finish
 *
 * Blackout per device: (14 + 2.0) - 12.001 s = 3999 ms.
 */

#include <stdbool.h>

#include "analyze/trace_join.h"
#include "log_fixture.h"

#define SC_SEC 1000000000ull
#define SC_MS 1000000ull
#define SC_NDEV 2

struct scenario {
	bool no_stage2;
	bool no_retrieve[SC_NDEV];
	bool no_finish[SC_NDEV];
	bool enable_with_reset[SC_NDEV];	/* instead of reset_skipped */
	bool no_drops_record;
	uint64_t stage1_drops;
	uint64_t stage2_phys_shift;		/* moves stage-2 mappings */
	bool no_freeze[SC_NDEV];		/* the freeze never reached the log */
	bool no_reboot;				/* no liveupdate_reboot in stage 1 */
	int32_t reboot_ret;			/* its ret */
	bool no_kexec;				/* no kernel_kexec in stage 1 */
	bool kexec_at_entry;			/* kernel_kexec before the freezes */
	uint32_t stage2_number;			/* 0: 2 (3 makes a gap) */
	bool opens_blocked;			/* an open of each, blocked, in stage 2 */
	bool stage2_tsc_not_invariant;		/* as in a QEMU TCG guest: +-1.425 ms */
	int64_t stage2_wall_clock_step_ns;	/* a stepped wall clock: untrusted */
	/*
	 * Each stage's recorder_attached event (above); stage 2's import
	 * has every kind from boot on but these (enum lutrace_boot_traced).
	 */
	bool no_attach_events;			/* a log of an older lutrace */
	uint32_t stage2_not_boot_traced;
	uint64_t stage1_attached_ms;		/* 0: 11000, with the first preserve */
	/*
	 * Keep-running (the dma_kept_running rule). The vfio_pci_liveupdate
	 * events carry flags (LT_LU_FLAGS_KNOWN) unless lu_flags_unknown (a
	 * kernel from before them); a
	 * device kept running has keep_running|noiommu in them, no reset at
	 * freeze (reset_skipped keep_running at 12.000) and a first enable
	 * that skips its reset for the same reason. dma_in_flight: the VMM's
	 * marker at 11.9; dma_check 1 landed, 2 not landed, at stage 2's 1.5
	 * (dma_check_late: 2.6, after the retrieve); stage2_disturb: an event
	 * of that id on the device at stage 2's 1.2; retrieve_not_kept: its
	 * retrieve lacks keep_running.
	 */
	bool lu_flags_unknown;
	bool keep_running[SC_NDEV];
	bool dma_in_flight[SC_NDEV];
	int dma_check[SC_NDEV];
	bool dma_check_late;
	uint16_t stage2_disturb[SC_NDEV];
	bool retrieve_not_kept[SC_NDEV];
};

const char *sc_dev(int d);
void scenario_build(struct log_buf *b, const struct scenario *sc);
/* Appends an event on device d (-1: none) at a stage's boottime. */
void sc_add(struct log_buf *b, uint32_t stage, uint16_t id, uint64_t bt_ns,
	    int d, int32_t arg);
/* Joins b into t; asserts success. */
void sc_join(struct lt_trace *t, const struct log_buf *b);

#endif
