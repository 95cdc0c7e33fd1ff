// SPDX-License-Identifier: GPL-2.0
#include "analyze/handover.h"

#include <stdlib.h>
#include <string.h>

const char *handover_milestone_name(enum handover_milestone m)
{
	static const char *const names[HO_NR_MILESTONES] = {
		"preserve", "freeze", "kexec", "retrieve", "enable", "finish",
	};

	return m < HO_NR_MILESTONES ? names[m] : "?";
}

static long find_handover(const struct handover_list *l, size_t device,
			  size_t stage)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].stage_out == stage && l->items[i].device == device)
			return (long)i;
	return -1;
}

static struct handover *add_handover(struct handover_list *l, const char *dev,
				     size_t device, size_t stage)
{
	struct handover *h;

	l->items = realloc(l->items, (l->n + 1) * sizeof(*l->items));
	if (!l->items)
		abort();
	h = &l->items[l->n++];
	memset(h, 0, sizeof(*h));
	strncpy(h->dev, dev, sizeof(h->dev) - 1);
	h->device = device;
	h->stage_out = stage;
	for (int m = 0; m < HO_NR_MILESTONES; m++)
		h->at[m] = -1;
	return h;
}

static bool is_outgoing_milestone(uint16_t id)
{
	return id == LT_EV_VFIO_LU_PRESERVE || id == LT_EV_VFIO_LU_UNPRESERVE ||
	       id == LT_EV_VFIO_LU_FREEZE || id == LT_EV_VFIO_LU_UNFREEZE;
}

/*
 * Stage-k milestones; unpreserve undoes a preserve, unfreeze a freeze.
 * Only those events look their handover up: the rest of a big trace (IOMMU
 * maps, markers) costs one test each, whatever the number of devices.
 */
static void track_outgoing(struct handover_list *l, const struct lt_trace *t,
			   size_t i, bool *alive)
{
	const struct lt_trace_event *e = &t->events[i];
	long k;
	struct handover *h;

	if (e->ev.ret != 0 || !is_outgoing_milestone(e->ev.id))
		return;
	k = find_handover(l, e->device, e->stage);
	h = k >= 0 ? &l->items[k] : NULL;
	switch (e->ev.id) {
	case LT_EV_VFIO_LU_PRESERVE:
		if (!h) {
			h = add_handover(l, e->ev.dev, e->device, e->stage);
			k = (long)l->n - 1;
		}
		h->at[HO_PRESERVE] = (long)i;
		h->at[HO_FREEZE] = h->at[HO_KEXEC] = -1;
		alive[k] = true;
		break;
	case LT_EV_VFIO_LU_UNPRESERVE:
		if (h)
			alive[k] = false;
		break;
	case LT_EV_VFIO_LU_FREEZE:
		if (h)
			h->at[HO_FREEZE] = (long)i;
		break;
	case LT_EV_VFIO_LU_UNFREEZE:
		if (h)
			h->at[HO_FREEZE] = -1;
		break;
	}
}

static bool is_first_enable(const struct lt_event *e)
{
	return e->id == LT_EV_VFIO_RESET_SKIPPED ||
	       (e->id == LT_EV_VFIO_RESET && e->arg == LT_RESET_SITE_ENABLE);
}

static bool is_incoming_milestone(const struct lt_event *e)
{
	return e->id == LT_EV_VFIO_LU_RETRIEVE || e->id == LT_EV_VFIO_LU_FINISH ||
	       is_first_enable(e);
}

/* The kernel_kexec and liveupdate_reboot events of the trace, in order. */
struct jump_events {
	size_t *at;
	size_t n;
};

static void jump_events_collect(const struct lt_trace *t, struct jump_events *j)
{
	j->n = 0;
	j->at = malloc((t->nevents + 1) * sizeof(*j->at));
	if (!j->at)
		abort();
	for (size_t i = 0; i < t->nevents; i++)
		if (t->events[i].ev.id == LT_EV_KEXEC ||
		    t->events[i].ev.id == LT_EV_LU_REBOOT)
			j->at[j->n++] = i;
}

/* kernel_kexec is the jump itself; liveupdate_reboot only stands in. */
static long find_kexec(const struct handover *h, const struct lt_trace *t,
		       const struct jump_events *j)
{
	long reboot = -1;

	if (h->at[HO_FREEZE] < 0)
		return -1;
	for (size_t k = 0; k < j->n; k++) {
		const struct lt_trace_event *e = &t->events[j->at[k]];

		if ((long)j->at[k] <= h->at[HO_FREEZE] || e->stage != h->stage_out)
			continue;
		if (e->ev.id == LT_EV_KEXEC)
			return (long)j->at[k];
		if (reboot < 0)
			reboot = (long)j->at[k];
	}
	return reboot;
}

static void link_next_stage(struct handover *h, const struct lt_trace *t,
			    const struct jump_events *j)
{
	long next_stage = lt_trace_next_stage(t, h->stage_out);

	h->at[HO_KEXEC] = find_kexec(h, t, j);
	h->has_next_stage = next_stage >= 0;
	if (h->has_next_stage)
		h->stage_in = (size_t)next_stage;
}

/*
 * Stage k+1's milestones of every handover, in one pass over the trace:
 * a device and its stage k+1 name one handover at most.
 */
static void track_incoming(struct handover_list *l, const struct lt_trace *t)
{
	for (size_t i = 0; i < t->nevents; i++) {
		const struct lt_trace_event *e = &t->events[i];
		struct handover *h = NULL;

		if (!is_incoming_milestone(&e->ev))
			continue;
		for (size_t k = 0; k < l->n && !h; k++)
			if (l->items[k].has_next_stage &&
			    e->stage == l->items[k].stage_in &&
			    e->device == l->items[k].device)
				h = &l->items[k];
		if (!h)
			continue;
		if (e->ev.id == LT_EV_VFIO_LU_RETRIEVE && !e->ev.ret &&
		    h->at[HO_RETRIEVE] < 0)
			h->at[HO_RETRIEVE] = (long)i;
		if (is_first_enable(&e->ev) && h->at[HO_ENABLE] < 0)
			h->at[HO_ENABLE] = (long)i;
		if (e->ev.id == LT_EV_VFIO_LU_FINISH && !e->ev.ret &&
		    h->at[HO_FINISH] < 0)
			h->at[HO_FINISH] = (long)i;
	}
}

void handovers_find(const struct lt_trace *t, struct handover_list *out)
{
	struct handover_list all = { 0 };
	bool *alive = calloc(t->nevents + 1, sizeof(*alive));
	struct jump_events jumps;

	if (!alive)
		abort();
	/* At most one handover per preserve event, so nevents bounds alive[]. */
	for (size_t i = 0; i < t->nevents; i++)
		track_outgoing(&all, t, i, alive);
	jump_events_collect(t, &jumps);
	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < all.n; k++) {
		struct handover *h;

		if (!alive[k])
			continue;
		h = add_handover(out, all.items[k].dev, all.items[k].device,
				 all.items[k].stage_out);
		memcpy(h->at, all.items[k].at, sizeof(h->at));
		link_next_stage(h, t, &jumps);
	}
	track_incoming(out, t);
	free(jumps.at);
	free(alive);
	handovers_release(&all);
}

void handovers_release(struct handover_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

int64_t handover_next_boot_ns(const struct lt_trace *t, const struct handover *h)
{
	return t->stages[h->stage_in].clock.offset_ns;
}

bool handover_blackout(const struct lt_trace *t, const struct handover *h,
		       int64_t *blackout_ns, uint64_t *error_ns)
{
	long end = h->at[HO_RETRIEVE] >= 0 ? h->at[HO_RETRIEVE] : h->at[HO_ENABLE];

	if (!h->has_next_stage || h->at[HO_FREEZE] < 0 || end < 0)
		return false;
	*blackout_ns = t->events[end].axis_ns - t->events[h->at[HO_FREEZE]].axis_ns;
	*error_ns = lt_trace_span_error_ns(t, h->stage_out, h->stage_in);
	return true;
}

const char *handover_phase_name(enum handover_phase p)
{
	static const char *const names[PH_NR_PHASES] = {
		"preserve->freeze", "freeze->kexec", "kexec->boot",
		"boot->retrieve", "retrieve->enable", "enable->finish",
	};

	return p < PH_NR_PHASES ? names[p] : "?";
}

const char *handover_phase_key(enum handover_phase p)
{
	static const char *const keys[PH_NR_PHASES] = {
		"preserve_to_freeze", "freeze_to_kexec", "kexec_to_boot",
		"boot_to_retrieve", "retrieve_to_enable", "enable_to_finish",
	};

	return p < PH_NR_PHASES ? keys[p] : "unknown";
}

/* The phase boundaries in order; the stage-k+1 boot is not an event. */
static bool phase_point_ns(const struct lt_trace *t, const struct handover *h,
			   int point, int64_t *ns)
{
	static const enum handover_milestone event_of_point[] = {
		HO_PRESERVE, HO_FREEZE, HO_KEXEC, HO_NR_MILESTONES,
		HO_RETRIEVE, HO_ENABLE, HO_FINISH,
	};
	enum handover_milestone m = event_of_point[point];

	if (m == HO_NR_MILESTONES) {
		if (!h->has_next_stage)
			return false;
		*ns = handover_next_boot_ns(t, h);
		return true;
	}
	if (h->at[m] < 0)
		return false;
	*ns = t->events[h->at[m]].axis_ns;
	return true;
}

bool handover_phase_span(const struct lt_trace *t, const struct handover *h,
			 enum handover_phase p, int64_t *from_ns, int64_t *to_ns)
{
	return phase_point_ns(t, h, (int)p, from_ns) &&
	       phase_point_ns(t, h, (int)p + 1, to_ns);
}

bool handover_phase_ns(const struct lt_trace *t, const struct handover *h,
		       enum handover_phase p, int64_t *ns)
{
	int64_t from, to;

	if (!handover_phase_span(t, h, p, &from, &to))
		return false;
	*ns = to - from;
	return true;
}
