// SPDX-License-Identifier: GPL-2.0
#include "analyze/devices.h"

#include <stdlib.h>
#include <string.h>

void devices_collect(const struct lt_trace *t, struct device_names *d)
{
	memset(d, 0, sizeof(*d));
	d->names = calloc(t->nevents + 1, sizeof(*d->names));
	if (!d->names)
		abort();
	for (size_t i = 0; i < t->nevents; i++) {
		const char *dev = t->events[i].ev.dev;
		size_t k = 0;

		if (!dev[0])
			continue;
		while (k < d->n && strcmp(d->names[k], dev))
			k++;
		if (k == d->n)
			d->names[d->n++] = dev;
	}
}

size_t devices_index(const struct device_names *d, const char *dev)
{
	for (size_t k = 0; k < d->n; k++)
		if (!strcmp(d->names[k], dev))
			return k;
	return d->n;
}
