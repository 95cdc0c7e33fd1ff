/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_RECORD_SOURCE_H
#define LUTRACE_RECORD_SOURCE_H

/*
 * What the record loop (record_loop.h) reads events from: the ring buffer
 * (bpf_loader.h), the DMAR faults in /dev/kmsg (kmsg_faults.h), the
 * markers (marker_source.h), or a test's fake.
 */

#include <stdint.h>

#include "log/log_format.h"

struct record_source {
	/*
	 * Hands fn(ctx, event) what the source has, waiting up to wait_ms for
	 * it; 0, or non-zero to end the loop (-errno, or what fn returned).
	 * The ring buffer delivers through the callback bpf_tracer_start() was
	 * given instead, which writes to the same log.
	 */
	int (*read)(void *self, int wait_ms, uint32_t stage, lt_event_fn fn,
		    void *ctx);
	/*
	 * Adds the events the source lost so far (cumulative) to sum, each
	 * under its cause; NULL: it loses none.
	 */
	void (*lost)(void *self, struct lt_losses *sum);
	void *self;
	/* "reading WHAT: why" goes to err when read fails; NULL: nothing. */
	const char *what;
};

#endif
