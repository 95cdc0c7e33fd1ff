// SPDX-License-Identifier: GPL-2.0
#include "analyze/devices.h"

#include <stdlib.h>
#include <string.h>

void devices_collect(const struct lt_trace *t, struct device_names *d)
{
	memset(d, 0, sizeof(*d));
	d->names = calloc(t->ndevices + 1, sizeof(*d->names));
	if (!d->names)
		abort();
	for (size_t k = 0; k < t->ndevices; k++)
		if (t->devices[k].name[0])
			d->names[d->n++] = t->devices[k].name;
}

size_t devices_index(const struct device_names *d, const char *dev)
{
	for (size_t k = 0; k < d->n; k++)
		if (!strcmp(d->names[k], dev))
			return k;
	return d->n;
}
