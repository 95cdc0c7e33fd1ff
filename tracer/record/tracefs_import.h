/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TRACEFS_IMPORT_H
#define LUTRACE_TRACEFS_IMPORT_H

/*
 * Events of the series that fired before lutrace could attach: in stage 2
 * that is everything from early boot (devices found in the incoming table at
 * PCI enumeration, bridges keeping their bus numbers, LUO finding the
 * previous kernel's data), and whatever a VMM did before lutrace attached:
 * nothing waits for the recorder. Booting with LUTRACE_BOOT_CMDLINE keeps
 * them in the top-level tracefs ring buffer, with the IOMMU map and unmap
 * events (iommu_domain 0, unknown: only BPF's probes on the functions around
 * them learn it; event_same_fields matches them to BPF's copy whatever its
 * domain), the IOMMU faults, and the PCI core's resets and Bus Master
 * Enable changes (boot_traced.h says which of those are there from boot
 * on); the trace_marker milestones are there in any case (ftrace/print,
 * the "lutrace:" lines, marker_text.h). They are read from it in binary
 * (tracefs_raw.h): fields by the names of kernel/interface.md, times in ns
 * of trace_clock, the clock BPF stamps with. Reading takes them out of the
 * buffer, so a second import does not see them again. trace_event= takes
 * SYSTEM:EVENT, SYSTEM:* or a bare name, compared whole:
 * "pci:pci_liveupdate_*" enables nothing ("Failed to enable trace event" in
 * the kernel log).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"

#define LUTRACE_BOOT_CMDLINE                                                 \
	"trace_event=liveupdate:*,pci:pci_liveupdate_preserve,"              \
	"pci:pci_liveupdate_unpreserve,pci:pci_liveupdate_incoming,"         \
	"pci:pci_liveupdate_finish,pci:pci_liveupdate_inherit_buses,"        \
	"pci:pci_reset,pci:pci_bus_master,pci:pci_power_state,"              \
	"vfio_pci:*,iommu:map,iommu:unmap,iommu:io_page_fault trace_clock=boot"

struct tep_event;
struct tep_record;

/* A record of the ring buffer as an event, if it is one of the series'. */
bool tracefs_record_to_event(struct tep_event *event, struct tep_record *rec,
			     uint32_t stage, struct lt_event *out);

struct tracefs_import_result {
	unsigned int imported;
	/*
	 * Entries the buffer overwrote before the import (the per-CPU overrun
	 * of per_cpu/cpuN/stats, and what the pages say they missed): the
	 * tracefs_overrun cause; boot-time events of ours may be among them.
	 */
	uint64_t overwritten;
	bool boot_clock;	/* trace_clock was "boot": times are exact */
	/* The events that fire before user space and are not enabled, e.g.
	 * "pci:pci_liveupdate_incoming pci:pci_liveupdate_inherit_buses" */
	char not_enabled[160];
};

/*
 * Feeds fn every event of ours in the ring buffer of the tracefs directory
 * dir; which of them BPF saw too is startup_overlap.h's to say. Returns 0,
 * -1 with err when the buffer cannot be opened, or what fn returned.
 */
int tracefs_import(const char *dir, uint32_t stage, lt_event_fn fn, void *ctx,
		   struct tracefs_import_result *res, char *err, size_t errlen);

#endif
