// SPDX-License-Identifier: GPL-2.0
#include "analyze/devices.h"

#include <stdlib.h>
#include <string.h>

void devices_collect(const struct lt_trace *t, struct device_names *d)
{
	memset(d, 0, sizeof(*d));
	d->names = calloc(t->ndevices + 1, sizeof(*d->names));
	d->of_trace_device = calloc(t->ndevices + 1, sizeof(*d->of_trace_device));
	if (!d->names || !d->of_trace_device)
		abort();
	for (size_t k = 0; k < t->ndevices; k++)
		if (t->devices[k].name[0])
			d->names[d->n++] = t->devices[k].name;
	for (size_t k = 0, named = 0; k < t->ndevices; k++)
		d->of_trace_device[k] = t->devices[k].name[0] ? named++ : d->n;
}

void devices_release(struct device_names *d)
{
	free(d->names);
	free(d->of_trace_device);
	memset(d, 0, sizeof(*d));
}

size_t devices_index_of_event(const struct device_names *d,
			      const struct lt_trace_event *e)
{
	return d->of_trace_device[e->device];
}

size_t devices_index(const struct device_names *d, const char *dev)
{
	for (size_t k = 0; k < d->n; k++)
		if (!strcmp(d->names[k], dev))
			return k;
	return d->n;
}
