/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_DEVICES_H
#define LUTRACE_DEVICES_H

/* The devices a joined trace names, in order of first appearance. */

#include <stddef.h>

#include "analyze/trace_join.h"

struct device_names {
	const char **names;	/* pointing into the trace's events */
	size_t n;
};

/* Fills d; free(d->names) when done. */
void devices_collect(const struct lt_trace *t, struct device_names *d);
/* The index of dev in d, or d->n when it is not there. */
size_t devices_index(const struct device_names *d, const char *dev);

#endif
