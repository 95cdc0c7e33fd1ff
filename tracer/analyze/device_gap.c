// SPDX-License-Identifier: GPL-2.0
#include "analyze/device_gap.h"

#include <errno.h>

#define PCI_COMMAND_MASTER 0x4

bool device_gap_stops_dma(const struct lt_event *e)
{
	switch (e->id) {
	case LT_EV_VFIO_RESET:
		return e->ret != -EAGAIN;	/* contended: nothing was reset */
	case LT_EV_PCI_RESET:
	case LT_EV_PCI_CLEAR_MASTER:
		return true;
	case LT_EV_PCI_POWER_STATE:
		/*
		 * Into a low-power state, or out of one (it was stopped, and
		 * D3hot to D0 may reset it); "unknown" to D0 is bookkeeping.
		 */
		return LT_POWER_TO(e->arg) != 0 ||
		       (LT_POWER_FROM(e->arg) >= 1 && LT_POWER_FROM(e->arg) <= 4);
	case LT_EV_PCI_CONFIG_WRITE:
		return !(e->arg & PCI_COMMAND_MASTER);
	default:
		return false;
	}
}

/* Done by, or asked for by, the device's user rather than the kernel. */
static bool users_own(const struct lt_event *e)
{
	if (e->id == LT_EV_PCI_CONFIG_WRITE)
		return e->ret == 1;
	return e->id == LT_EV_VFIO_RESET &&
	       (e->arg == LT_RESET_SITE_IOCTL || e->arg == LT_RESET_SITE_HOT_RESET ||
		e->arg == LT_RESET_SITE_CONFIG_FLR);
}

bool device_gap_counts(const struct lt_trace *t, const struct handover *h, size_t i)
{
	const struct lt_trace_event *e = &t->events[i];

	if (!device_gap_stops_dma(&e->ev))
		return false;
	if (e->stage == h->stage_out)
		return (long)i > h->at[HO_PRESERVE];
	if (!h->has_next_stage || e->stage != h->stage_in)
		return false;
	if (h->at[HO_FINISH] >= 0 && (long)i > h->at[HO_FINISH])
		return false;
	return !(users_own(&e->ev) && h->at[HO_ENABLE] >= 0 && (long)i > h->at[HO_ENABLE]);
}

long device_gap_first_stop(const struct lt_trace *t, const struct handover *h)
{
	const struct lt_trace_device *d = &t->devices[h->device];

	for (size_t p = lt_trace_device_after(d, (size_t)h->at[HO_PRESERVE]); p < d->nevents; p++)
		if (device_gap_counts(t, h, d->events[p]))
			return (long)d->events[p];
	return -1;
}

static bool stage_lost_nothing(const struct lt_trace *t, size_t s)
{
	return t->stages[s].has_drop_record && !lt_losses_total(&t->stages[s].lost);
}

bool device_gap_window_seen(const struct lt_trace *t, const struct handover *h,
			    const char **why)
{
	if (!h->has_next_stage) {
		*why = "no next stage";
		return false;
	}
	if (!lt_trace_saw_from(t, h->stage_out, t->events[h->at[HO_PRESERVE]].axis_ns,
			       DEVICE_GAP_KINDS) ||
	    !lt_trace_saw_from(t, h->stage_in, t->stages[h->stage_in].clock.offset_ns,
			       DEVICE_GAP_KINDS)) {
		*why = "part of the window went unseen (before a recorder attached, not traced from boot)";
		return false;
	}
	if (!stage_lost_nothing(t, h->stage_out) || !stage_lost_nothing(t, h->stage_in)) {
		*why = "events were lost, or a drop counter was never reported";
		return false;
	}
	return true;
}

long device_gap_failed_retrieve(const struct lt_trace *t, const struct handover *h)
{
	const struct lt_trace_device *d = &t->devices[h->device];

	if (!h->has_next_stage)
		return -1;
	for (size_t p = 0; p < d->nevents; p++) {
		const struct lt_trace_event *e = &t->events[d->events[p]];

		if (e->stage == h->stage_in && e->ev.id == LT_EV_VFIO_LU_RETRIEVE && e->ev.ret)
			return (long)d->events[p];
	}
	return -1;
}

static bool flag(const struct lt_trace *t, long i, int32_t bit)
{
	int32_t f = i >= 0 ? t->events[i].ev.arg : 0;

	return (f & LT_LU_FLAGS_KNOWN) && (f & bit);
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
	if (out->stopped_at >= 0) {
		out->kind = GAP_STOPPED;
		out->resumed_at = h->at[HO_ENABLE];
		if (out->resumed_at > out->stopped_at)
			out->ns = t->events[out->resumed_at].axis_ns -
				  t->events[out->stopped_at].axis_ns;
		else
			out->resumed_at = -1;
		return;
	}
	if (!flag(t, h->at[HO_PRESERVE], LT_LU_KEEP_RUNNING)) {
		out->why = !(t->events[h->at[HO_PRESERVE]].ev.arg & LT_LU_FLAGS_KNOWN) ?
			   "its events carry no mode, and nothing stopped it that was seen" :
			   "nothing stopped it that was seen, but it was not preserved to keep running";
		return;
	}
	if (!flag(t, h->at[HO_RETRIEVE], LT_LU_KEEP_RUNNING)) {
		out->why = "not retrieved as a device kept running";
		return;
	}
	if (device_gap_window_seen(t, h, &out->why))
		out->kind = GAP_KEPT_RUNNING;
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
