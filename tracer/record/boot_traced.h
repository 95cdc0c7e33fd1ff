/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_BOOT_TRACED_H
#define LUTRACE_BOOT_TRACED_H

/*
 * Which evidence a stage has from its boot on (enum lutrace_boot_traced):
 * a tracepoint the kernel command line enabled (trace_event=) records from
 * early boot into the top-level buffer, which the import reads. One enabled
 * later by hand misses what came before; one disabled since may have missed
 * some too. So a kind counts only when its tracepoints are named on the
 * command line and still enabled.
 */

#include <stdbool.h>
#include <stdint.h>

/*
 * Whether trace_event= on cmdline enables SYSTEM:EVENT, as the kernel
 * reads it: every trace_event= counts, items are comma separated and
 * "SYSTEM:EVENT", "SYSTEM:*" or "SYSTEM:", "*:EVENT" or ":EVENT", or a bare
 * name that is the system or the event; ":mod:M" is ignored, "!" disables.
 */
bool cmdline_enables_event(const char *cmdline, const char *system, const char *event);

/* Whether dir/events/SYSTEM/EVENT/enable says 1 ("system:event"). */
bool tracefs_event_enabled(const char *dir, const char *system_event);

/* The enum lutrace_boot_traced bits of what cmdline and tracefs dir give. */
uint32_t boot_traced_kinds(const char *cmdline, const char *dir);

#endif
