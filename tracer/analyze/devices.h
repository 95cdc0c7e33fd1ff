/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_DEVICES_H
#define LUTRACE_DEVICES_H

/* The devices a joined trace names, in order of first appearance. */

#include <stddef.h>

#include "analyze/trace_join.h"

struct device_names {
	const char **names;	/* pointing into the trace's events */
	size_t n;
	size_t *of_trace_device;	/* by lt_trace.devices index; n for "" */
};

/* Fills d; devices_release(d) when done. */
void devices_collect(const struct lt_trace *t, struct device_names *d);
void devices_release(struct device_names *d);
/* The index of dev in d, or d->n when it is not there. */
size_t devices_index(const struct device_names *d, const char *dev);
/* The index in d of the device event e names, or d->n when it names none. */
size_t devices_index_of_event(const struct device_names *d,
			      const struct lt_trace_event *e);

#endif
