// SPDX-License-Identifier: GPL-2.0
#include "record/bpf_event.h"

#include <string.h>

#include "record/pci_name.h"

/* NUL-terminates even when BPF filled the whole field. */
static void copy_field(char *dst, size_t dst_len, const char *src, size_t src_len)
{
	size_t n = strnlen(src, src_len);

	if (n >= dst_len)
		n = dst_len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void event_from_bpf(const struct lutrace_event *in, uint32_t stage,
		    struct lt_event *out)
{
	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->id = (uint16_t)in->id;
	out->boottime_ns = in->boottime_ns;
	out->bus = in->bus;
	out->devfn = in->devfn;
	out->bus_primary = in->bus_primary;
	out->bus_secondary = in->bus_secondary;
	out->bus_subordinate = in->bus_subordinate;
	out->ret = in->ret;
	out->arg = in->arg;
	out->token = in->token;
	out->iova = in->iova;
	out->phys = in->phys;
	out->size = in->size;
	out->nr_sessions = in->nr_sessions;
	out->nr_files = in->nr_files;
	out->pid = in->pid;
	out->iommu_domain = in->iommu_domain;
	copy_field(out->dev, sizeof(out->dev), in->dev, sizeof(in->dev));
	copy_field(out->session, sizeof(out->session), in->session, sizeof(in->session));
	copy_field(out->compatible, sizeof(out->compatible), in->compatible,
		   sizeof(in->compatible));
	out->domain = pci_name_domain(out->dev);
}

int ring_sample_take(struct ring_sample_sink *s, const void *data, size_t size)
{
	if (size < sizeof(struct lutrace_event)) {
		s->short_samples++;
		return 0;
	}
	return s->on_event(s->ctx, data);
}
