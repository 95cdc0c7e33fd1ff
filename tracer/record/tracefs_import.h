/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TRACEFS_IMPORT_H
#define LUTRACE_TRACEFS_IMPORT_H

/*
 * Events of the series that fired before lutrace could attach: in stage 2
 * that is everything from early boot (devices found in the incoming table at
 * PCI enumeration, bridges keeping their bus numbers, LUO finding the
 * previous kernel's data). Booting with LUTRACE_BOOT_CMDLINE keeps them in
 * the tracefs ring buffer; they are read back from its text form, the
 * TP_printk lines of kernel/interface.md. trace_event= takes SYSTEM:EVENT,
 * SYSTEM:* or a bare name, compared whole: "pci:pci_liveupdate_*" enables
 * nothing ("Failed to enable trace event" in the kernel log).
 */

#include <stdbool.h>
#include <stdint.h>

#include "log/log_format.h"

#define LUTRACE_BOOT_CMDLINE                                                 \
	"trace_event=liveupdate:*,pci:pci_liveupdate_incoming,"              \
	"pci:pci_liveupdate_inherit_buses,vfio_pci:* trace_clock=boot"

/* A line of the tracefs "trace" file as an event, if it is one of ours. */
bool tracefs_line_to_event(const char *line, uint32_t stage, struct lt_event *out);

struct tracefs_import_result {
	unsigned int imported;
	/*
	 * Entries the buffer overwrote before the import (entries-written
	 * minus entries-in-buffer in the trace header): the tracefs_overrun
	 * cause; boot-time events of ours may be among them.
	 */
	uint64_t overwritten;
	bool boot_clock;	/* trace_clock was "boot": times are exact */
	/* The events that fire before user space and are not enabled, e.g.
	 * "pci:pci_liveupdate_incoming pci:pci_liveupdate_inherit_buses" */
	char not_enabled[160];
};

/*
 * Feeds fn every event of ours in dir/trace older than before_ns (later ones
 * the BPF programs saw themselves). Returns 0, or -errno.
 */
int tracefs_import(const char *dir, uint64_t before_ns, uint32_t stage,
		   lt_event_fn fn, void *ctx,
		   struct tracefs_import_result *res);

#endif
