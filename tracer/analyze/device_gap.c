// SPDX-License-Identifier: GPL-2.0
#include "analyze/device_gap.h"

bool device_gap_stops_dma(const struct lt_event *e)
{
	switch (e->id) {
	case LT_EV_VFIO_RESET:
		return e->ret != -11;	/* -EAGAIN: contended, nothing was reset */
	case LT_EV_PCI_RESET:
	case LT_EV_PCI_CLEAR_MASTER:
	case LT_EV_PCI_POWER_STATE:
		return true;
	case LT_EV_PCI_CONFIG_WRITE:	/* a Command write with Bus Master Enable off */
		return !(e->arg & 0x4);
	default:
		return false;
	}
}

bool device_gap_in_window(const struct lt_trace *t, const struct handover *h, size_t i)
{
	const struct lt_trace_event *e = &t->events[i];

	if (e->stage == h->stage_out)
		return true;
	if (!h->has_next_stage || e->stage != h->stage_in)
		return false;
	return h->at[HO_FINISH] < 0 || (long)i <= h->at[HO_FINISH];
}

long device_gap_first_stop(const struct lt_trace *t, const struct handover *h)
{
	const struct lt_trace_device *d = &t->devices[h->device];

	for (size_t p = lt_trace_device_after(d, (size_t)h->at[HO_PRESERVE]); p < d->nevents; p++) {
		size_t i = d->events[p];

		if (device_gap_in_window(t, h, i) && device_gap_stops_dma(&t->events[i].ev))
			return (long)i;
	}
	return -1;
}

static bool flag(const struct lt_trace *t, long i, int32_t bit)
{
	int32_t f = i >= 0 ? t->events[i].ev.arg : 0;

	return (f & LT_LU_FLAGS_KNOWN) && (f & bit);
}

static bool flags_known(const struct lt_trace *t, long i)
{
	return i >= 0 && (t->events[i].ev.arg & LT_LU_FLAGS_KNOWN);
}

void device_gap_of(const struct lt_trace *t, const struct handover *h,
		   struct device_gap *out)
{
	*out = (struct device_gap){ .stopped_at = device_gap_first_stop(t, h),
				    .resumed_at = -1 };
	if (!h->has_next_stage) {
		out->why = "no next stage";
		return;
	}
	out->error_ns = lt_trace_span_error_ns(t, h->stage_out, h->stage_in);
	if (out->stopped_at < 0) {
		if (flag(t, h->at[HO_PRESERVE], LT_LU_KEEP_RUNNING) &&
		    flag(t, h->at[HO_RETRIEVE], LT_LU_KEEP_RUNNING) &&
		    !t->events[h->at[HO_RETRIEVE]].ev.ret) {
			out->kind = GAP_KEPT_RUNNING;
			return;
		}
		out->why = !flags_known(t, h->at[HO_PRESERVE]) ?
			   "its events carry no mode, and nothing stopped it that was seen" :
			   "nothing stopped it that was seen, but it was not kept running";
		return;
	}
	out->kind = GAP_STOPPED;
	out->resumed_at = h->at[HO_ENABLE];
	if (out->resumed_at >= 0 && out->resumed_at > out->stopped_at)
		out->ns = t->events[out->resumed_at].axis_ns - t->events[out->stopped_at].axis_ns;
	else
		out->resumed_at = -1;
}

bool device_gap_measured(const struct device_gap *g)
{
	return g->kind == GAP_KEPT_RUNNING || (g->kind == GAP_STOPPED && g->resumed_at >= 0);
}

const char *device_gap_kind_name(enum device_gap_kind k)
{
	switch (k) {
	case GAP_KEPT_RUNNING:
		return "kept_running";
	case GAP_STOPPED:
		return "stopped";
	default:
		return "unknown";
	}
}
