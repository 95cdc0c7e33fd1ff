/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_EVENT_NAMES_H
#define LUTRACE_EVENT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "log/log_format.h"

/* The kernel event name (tracepoint or probed function), or "unknown". */
const char *event_name(unsigned int id);
const char *reset_site_name(int site);
const char *open_path_name(int path);
const char *skip_reason_name(int reason);
/* The ABI value of a symbolic name ("freeze"), or -1 when it has none. */
int reset_site_value(const char *name);
int open_path_value(const char *name);
int skip_reason_value(const char *name);
const char *pci_reset_kind_name(int kind);
/* A pci_power_t value as "D0" .. "D3cold". */
const char *power_state_name(int state);
/* arg of a vfio_pci_liveupdate_* event as "noiommu,keep_running", "none" or "unknown". */
void lu_flags_text(int32_t arg, char *buf, size_t len);
/* enum lutrace_boot_traced bits as "vfio_reset,pci_reset"; "none" for 0. */
void boot_traced_text(uint32_t bits, char *buf, size_t len);
/* The same bits as their tracepoints: "vfio_pci:vfio_pci_reset,pci:pci_reset". */
void boot_traced_events_text(uint32_t bits, char *buf, size_t len);
/* The tracepoint of bit number bit ("pci:pci_reset"), NULL past the last. */
const char *boot_traced_event(unsigned int bit);

/*
 * Whether id is a tracepoint of the series (kernel/interface.md): what
 * boot-time tracing records and lutrace imports from tracefs.
 */
bool event_is_series_tracepoint(unsigned int id);
/*
 * What lutrace imports from the top-level tracefs buffer besides: the IOMMU
 * mappings and faults, the PCI core's resets and Bus Master Enable changes, and the
 * trace_marker milestones, which happen before the recorder attached as
 * much as after.
 */
bool event_is_imported(unsigned int id);
/* A trace_marker milestone (marker_text.h). */
bool event_is_marker(unsigned int id);

/* The reverse: the id of a kernel event name (LT_EV_NONE if not ours). */
unsigned int event_id_by_name(const char *name);

/* The event's own fields as "key=value ..." (no device, no time). */
void event_format_detail(const struct lt_event *e, char *buf, size_t len);

#endif
