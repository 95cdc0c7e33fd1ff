/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_EVIDENCE_TEXT_H
#define LUTRACE_EVIDENCE_TEXT_H

/*
 * How evidence and reports write a joined trace's times and events: in
 * milliseconds from the first event, and an event cited so that it can be
 * found again in its log.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/trace_join.h"

/* Axis time of the first event: the "t=0" of every printed time. */
int64_t trace_origin_ns(const struct lt_trace *t);

/* ns as milliseconds with ns precision: "1234.567890" */
void format_ms(int64_t ns, char *buf, size_t len);

/* "t=+12.000000 ms stage 2 vfio_pci_reset 0000:01:00.0 site=ioctl ret=0
 *  [flight.log@1234]": enough to find the record again. */
void cite_event(const struct lt_trace *t, size_t i, char *buf, size_t len);

/*
 * Losses by cause: every cause ("ring_buffer 0, log_full 2, ...") with
 * all, else only those that are not 0 ("log_full 2"; "" when none is).
 */
void format_losses(const struct lt_losses *l, bool all, char *buf, size_t len);
/* The events a stage dropped: every cause but log_full (not written). */
uint64_t losses_dropped(const struct lt_losses *l);

/* 32 lowercase hex digits and a NUL */
void format_boot_id(const uint8_t id[16], char out[33]);

#endif
