// SPDX-License-Identifier: GPL-2.0
#include "analyze/verify_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/budget.h"
#include "analyze/device_gap.h"
#include "analyze/evidence_text.h"
#include "analyze/iova_map.h"
#include "log/event_names.h"

#define CITE_LEN 512

static void fail(struct rule_result *r)
{
	r->verdict = VERDICT_FAIL;
}

static void cite(const struct lt_trace *t, long i, char buf[CITE_LEN])
{
	cite_event(t, (size_t)i, buf, CITE_LEN);
}

static bool no_handover(const struct handover_list *ho, struct rule_result *r)
{
	if (ho->n)
		return false;
	r->verdict = VERDICT_NOT_EXERCISED;
	rule_evidence(r, "no device was preserved in the trace");
	return true;
}

static uint32_t stage_no(const struct lt_trace *t, size_t stage)
{
	return t->stages[stage].number;
}

/* A check could not judge something it applies to: it cannot PASS. */
static void incomplete(struct rule_result *r)
{
	r->incomplete = true;
}

static bool stage_has(const struct lt_trace *t, size_t s, uint16_t id,
		      bool ok_only)
{
	for (size_t i = 0; i < t->nevents; i++)
		if (t->events[i].stage == s && t->events[i].ev.id == id &&
		    (!ok_only || !t->events[i].ev.ret))
			return true;
	return false;
}

/*
 * Why stage s, which hands devices over, has no stage s+1 in the trace:
 * a gap in the stage numbers, a log that ends before the jump, or a jump
 * with no log after it. Ends "the trace has no stage N...".
 */
static void why_no_next_stage(const struct lt_trace *t, size_t s, char *buf,
			      size_t len)
{
	uint32_t k = stage_no(t, s);
	bool kexec = stage_has(t, s, LT_EV_KEXEC, false);
	bool reboot = stage_has(t, s, LT_EV_LU_REBOOT, true);

	if (s + 1 < t->nstages)
		snprintf(buf, len, "the trace has no stage %u (the logs go on with stage %u: stage %u's log is missing)",
			 k + 1, stage_no(t, s + 1), k + 1);
	else if (!kexec || !reboot)
		snprintf(buf, len, "the trace has no stage %u: stage %u ends before the jump (no %s in it)",
			 k + 1, k, !kexec && !reboot ? "kernel_kexec and no liveupdate_reboot ret=0" :
			 !kexec ? "kernel_kexec" : "liveupdate_reboot ret=0");
	else
		snprintf(buf, len, "the trace has no stage %u (stage %u reached the jump: stage %u's log is missing)",
			 k + 1, k, k + 1);
}

/*
 * Whether stage s's trace holds every event of the kinds given (enum
 * lutrace_boot_traced) from axis time from_ns on (what: the milestone
 * there, for the text; NULL: the stage's boot); if not, why, in buf. Absent evidence is no
 * evidence when the recorder was not there to see it.
 */
static bool saw_everything(const struct lt_trace *t, size_t s, int64_t from_ns,
			   const char *what, uint32_t kinds, char *buf, size_t len)
{
	const struct lt_trace_stage *st = &t->stages[s];
	char events[96], at[32];

	if (lt_trace_saw_from(t, s, from_ns, kinds))
		return true;
	boot_traced_events_text(kinds & ~st->boot_traced, events, sizeof(events));
	if (!st->attach_known) {
		snprintf(buf, len, "stage %u's log does not say when its recorder attached nor what it traced from boot (no recorder_attached event): %s before it may be missing",
			 st->number, events);
		return false;
	}
	format_ms((st->attached_ns - st->clock.offset_ns), at, sizeof(at));
	snprintf(buf, len, "stage %u's recorder attached %s ms after its boot%s%s, and %s %s not traced from boot: any before the attach is missing (boot stage %u with trace_event=%s)",
		 st->number, at, what ? ", after " : "", what ? what : "", events,
		 strchr(events, ',') ? "were" : "was", st->number, events);
	return false;
}

/* ---- the outgoing stage holds each device's whole handover ---- */

/* The first liveupdate_reboot of the device's stage after its freeze. */
static long reboot_after_freeze(const struct lt_trace *t, const struct handover *h)
{
	for (size_t i = (size_t)h->at[HO_FREEZE] + 1; i < t->nevents; i++)
		if (t->events[i].stage == h->stage_out &&
		    t->events[i].ev.id == LT_EV_LU_REBOOT)
			return (long)i;
	return -1;
}

/*
 * The kernel_kexec of the call the freeze ran in. kernel_kexec() runs the
 * reboot freeze (liveupdate_reboot) and lutrace records its entry, so that
 * event comes before the freeze, with no liveupdate_reboot between (one
 * there ended an earlier, aborted call). One after the reboot freeze is
 * taken too: it is still the kexec path, entered after a good freeze.
 */
static long kexec_of_freeze(const struct lt_trace *t, const struct handover *h,
			    long reboot)
{
	for (long i = h->at[HO_FREEZE] - 1; i >= 0; i--) {
		const struct lt_trace_event *e = &t->events[i];

		if (e->stage != h->stage_out)
			continue;
		if (e->ev.id == LT_EV_KEXEC)
			return i;
		if (e->ev.id == LT_EV_LU_REBOOT)
			break;
	}
	for (size_t i = (size_t)reboot + 1; i < t->nevents; i++)
		if (t->events[i].stage == h->stage_out &&
		    t->events[i].ev.id == LT_EV_KEXEC)
			return (long)i;
	return -1;
}

static void check_handover_complete(const struct lt_trace *t,
				    const struct handover_list *ho,
				    const struct verify_options *opt,
				    struct rule_result *r)
{
	char c[CITE_LEN], c2[CITE_LEN], c3[CITE_LEN];

	(void)opt;
	if (no_handover(ho, r))
		return;
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		uint32_t s = stage_no(t, h->stage_out);
		long reboot, kexec;

		if (h->at[HO_FREEZE] < 0) {
			fail(r);
			rule_evidence(r, "%s: no vfio_pci_liveupdate_freeze in stage %u that an unfreeze did not undo: nothing shows its state was handed over",
				      h->dev, s);
		} else if ((reboot = reboot_after_freeze(t, h)) < 0) {
			fail(r);
			cite(t, h->at[HO_FREEZE], c);
			rule_evidence(r, "%s: no liveupdate_reboot ret=0 in stage %u after its freeze %s",
				      h->dev, s, c);
		} else if (t->events[reboot].ev.ret) {
			fail(r);
			cite(t, reboot, c);
			rule_evidence(r, "%s: the reboot freeze after its freeze failed, so the kexec was aborted: %s",
				      h->dev, c);
		} else if ((kexec = kexec_of_freeze(t, h, reboot)) < 0) {
			fail(r);
			cite(t, reboot, c);
			rule_evidence(r, "%s: no kernel_kexec in stage %u for its liveupdate_reboot %s",
				      h->dev, s, c);
		} else {
			cite(t, h->at[HO_FREEZE], c);
			cite(t, reboot, c2);
			cite(t, kexec, c3);
			rule_evidence(r, "%s: frozen %s; reboot freeze done %s; kexec entered %s",
				      h->dev, c, c2, c3);
		}
		if (!h->has_next_stage) {
			fail(r);
			why_no_next_stage(t, h->stage_out, c, sizeof(c));
			rule_evidence(r, "%s: handed over from stage %u, but %s", h->dev, s, c);
		}
	}
}

/* ---- every preserved device retrieved and finished ---- */

static void check_retrieved_and_finished(const struct lt_trace *t,
					 const struct handover_list *ho,
					 const struct verify_options *opt,
					 struct rule_result *r)
{
	char c[CITE_LEN];

	(void)opt;
	if (!ho->n) {
		fail(r);
		rule_evidence(r, "no device was preserved: no successful vfio_pci_liveupdate_preserve that was not undone");
		return;
	}
	for (size_t i = 0; i < ho->n; i++) {
		const struct handover *h = &ho->items[i];
		uint32_t next = stage_no(t, h->stage_out) + 1;

		if (!h->has_next_stage) {
			fail(r);
			why_no_next_stage(t, h->stage_out, c, sizeof(c));
			rule_evidence(r, "%s: preserved in stage %u, but %s", h->dev,
				      next - 1, c);
		} else if (h->at[HO_RETRIEVE] < 0) {
			fail(r);
			rule_evidence(r, "%s: never retrieved in stage %u", h->dev, next);
		} else if (h->at[HO_FINISH] < 0) {
			fail(r);
			cite(t, h->at[HO_RETRIEVE], c);
			rule_evidence(r, "%s: retrieved but never finished; retrieved %s",
				      h->dev, c);
		} else {
			cite(t, h->at[HO_FINISH], c);
			rule_evidence(r, "%s: retrieved and finished %s", h->dev, c);
		}
	}
}

/* ---- no reset between freeze and first enable ---- */

/*
 * PCI-level resets are seen at function entry, inside whichever vfio-pci
 * reset asked for them; the vfio_pci_reset event comes when that returns.
 * So a PCI reset belongs to the next vfio_pci_reset of the device.
 */
static bool inside_freeze_reset(const struct lt_trace *t, size_t i)
{
	const struct lt_trace_event *pci = &t->events[i];
	const struct lt_trace_device *d = &t->devices[pci->device];

	for (size_t p = lt_trace_device_after(d, i); p < d->nevents; p++) {
		const struct lt_trace_event *e = &t->events[d->events[p]];

		if (e->stage == pci->stage && e->ev.id == LT_EV_VFIO_RESET)
			return e->ev.arg == LT_RESET_SITE_FREEZE;
	}
	return false;
}

static bool is_forbidden_reset(const struct lt_trace *t, size_t i,
			       const struct handover *h)
{
	const struct lt_trace_event *e = &t->events[i];

	if (e->ev.id != LT_EV_VFIO_RESET && e->ev.id != LT_EV_PCI_RESET)
		return false;
	if (h->has_next_stage && e->stage == h->stage_in)
		return h->at[HO_ENABLE] < 0 || (long)i <= h->at[HO_ENABLE];
	if (e->stage != h->stage_out)
		return false;
	/* The freeze-time quiesce is the one reset the handover expects. */
	if (e->ev.id == LT_EV_VFIO_RESET)
		return e->ev.arg != LT_RESET_SITE_FREEZE;
	return !inside_freeze_reset(t, i);
}

static void check_no_reset_before_enable(const struct lt_trace *t,
					 const struct handover_list *ho,
					 const struct verify_options *opt,
					 struct rule_result *r)
{
	char c[CITE_LEN];

	(void)opt;
	if (no_handover(ho, r))
		return;
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		long start = h->at[HO_FREEZE] >= 0 ? h->at[HO_FREEZE] :
						     h->at[HO_PRESERVE];
		const struct lt_trace_device *d = &t->devices[h->device];
		size_t found = 0;

		/* Its own events only: a pass over the trace per device is events x devices. */
		for (size_t p = lt_trace_device_after(d, (size_t)start); p < d->nevents; p++) {
			size_t i = d->events[p];

			if (!is_forbidden_reset(t, i, h))
				continue;
			fail(r);
			found++;
			cite(t, (long)i, c);
			rule_evidence(r, "%s: reset between freeze and first enable: %s",
				      h->dev, c);
		}
		if (found)
			continue;
		if (!saw_everything(t, h->stage_out, t->events[start].axis_ns,
				    h->at[HO_FREEZE] >= 0 ? "its freeze" : "its preserve",
				    LT_BOOT_VFIO_RESETS | LT_BOOT_PCI_RESETS, c, sizeof(c))) {
			incomplete(r);
			rule_evidence(r, "%s: no reset seen, but %s", h->dev, c);
		}
		if (h->has_next_stage &&
		    !saw_everything(t, h->stage_in, t->stages[h->stage_in].clock.offset_ns,
				    NULL, LT_BOOT_VFIO_RESETS | LT_BOOT_PCI_RESETS,
				    c, sizeof(c))) {
			incomplete(r);
			rule_evidence(r, "%s: no reset seen, but %s", h->dev, c);
			continue;
		}
		if (!h->has_next_stage) {
			incomplete(r);
			why_no_next_stage(t, h->stage_out, c, sizeof(c));
			rule_evidence(r, "%s: no reset after %s in stage %u; its first enable not checked: %s",
				      h->dev, h->at[HO_FREEZE] >= 0 ? "freeze" : "preserve",
				      stage_no(t, h->stage_out), c);
		} else if (h->at[HO_ENABLE] >= 0) {
			cite(t, h->at[HO_ENABLE], c);
			rule_evidence(r, "%s: no reset from %s to first enable %s", h->dev,
				      h->at[HO_FREEZE] >= 0 ? "freeze" : "preserve (no freeze seen)",
				      c);
		} else {
			rule_evidence(r, "%s: no reset after %s; no enable in the trace",
				      h->dev, h->at[HO_FREEZE] >= 0 ? "freeze" : "preserve");
		}
	}
}

/* ---- no IOMMU fault on a preserved device ---- */

static bool fault_hits_handover(const struct lt_trace_event *e, long i,
				const struct handover *h)
{
	if (e->device != h->device)
		return false;
	return (e->stage == h->stage_out && i > h->at[HO_PRESERVE]) ||
	       (h->has_next_stage && e->stage == h->stage_in);
}

static void check_no_iommu_fault(const struct lt_trace *t,
				 const struct handover_list *ho,
				 const struct verify_options *opt,
				 struct rule_result *r)
{
	size_t others = 0;
	char c[CITE_LEN];

	(void)opt;
	if (no_handover(ho, r))
		return;
	for (size_t i = 0; i < t->nevents; i++) {
		const struct lt_trace_event *e = &t->events[i];
		bool hit = false;

		if (e->ev.id != LT_EV_IOMMU_FAULT && e->ev.id != LT_EV_DMAR_FAULT)
			continue;
		for (size_t k = 0; k < ho->n && !hit; k++)
			hit = fault_hits_handover(e, (long)i, &ho->items[k]);
		if (!hit) {
			others++;
			continue;
		}
		fail(r);
		cite(t, (long)i, c);
		rule_evidence(r, "IOMMU fault on preserved device: %s", c);
	}
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];

		if (!saw_everything(t, h->stage_out, t->events[h->at[HO_PRESERVE]].axis_ns,
				    "its preserve", LT_BOOT_IOMMU_FAULTS, c, sizeof(c))) {
			incomplete(r);
			rule_evidence(r, "%s: %s", h->dev, c);
		}
		if (h->has_next_stage) {
			if (!saw_everything(t, h->stage_in, t->stages[h->stage_in].clock.offset_ns,
					    NULL, LT_BOOT_IOMMU_FAULTS, c, sizeof(c))) {
				incomplete(r);
				rule_evidence(r, "%s: %s", h->dev, c);
			}
			continue;
		}
		incomplete(r);
		why_no_next_stage(t, h->stage_out, c, sizeof(c));
		rule_evidence(r, "%s: not checked after stage %u: %s", h->dev,
			      stage_no(t, h->stage_out), c);
	}
	if (r->verdict == VERDICT_PASS && !r->incomplete)
		rule_evidence(r, "no IOMMU fault on %zu preserved device(s)", ho->n);
	if (others)
		rule_evidence(r, "%zu IOMMU fault(s) on devices that were not preserved",
			      others);
}

/* ---- other opens blocked until finish ---- */

static void check_other_opens_blocked(const struct lt_trace *t,
				      const struct handover_list *ho,
				      const struct verify_options *opt,
				      struct rule_result *r)
{
	size_t exercised = 0;
	char c[CITE_LEN];

	(void)opt;
	if (no_handover(ho, r))
		return;
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		size_t end = h->at[HO_FINISH] >= 0 ? (size_t)h->at[HO_FINISH] :
						     t->nevents;
		const struct lt_trace_device *d = &t->devices[h->device];
		size_t attempts = 0, blocked = 0;

		if (!h->has_next_stage) {
			incomplete(r);
			why_no_next_stage(t, h->stage_out, c, sizeof(c));
			rule_evidence(r, "%s: not checked: %s", h->dev, c);
			continue;
		}
		for (size_t p = 0; p < d->nevents && d->events[p] < end; p++) {
			const struct lt_trace_event *e = &t->events[d->events[p]];

			if (e->stage != h->stage_in)
				continue;
			attempts += e->ev.id == LT_EV_OPEN_ATTEMPT;
			blocked += e->ev.id == LT_EV_VFIO_OPEN_BLOCKED;
		}
		if (!attempts && !blocked)
			continue;
		exercised++;
		if (attempts > blocked) {
			fail(r);
			rule_evidence(r, "%s: %zu open attempt(s) before its session finished, only %zu blocked",
				      h->dev, attempts, blocked);
		} else {
			rule_evidence(r, "%s: %zu open(s) before finish, all blocked with EBUSY",
				      h->dev, blocked);
		}
	}
	if (!exercised) {
		r->verdict = VERDICT_NOT_EXERCISED;
		rule_evidence(r, "no other open of a%s preserved device was attempted before its session finished",
			      r->incomplete ? " checked" : "");
	}
}

/* ---- IOVA -> phys of preserved buffers unchanged ---- */

/* Whether stage hands a device over: to the next stage, or to none. */
static bool stage_hands_over(const struct handover_list *ho, size_t stage,
			     bool to_next)
{
	for (size_t k = 0; k < ho->n; k++)
		if (ho->items[k].stage_out == stage &&
		    ho->items[k].has_next_stage == to_next)
			return true;
	return false;
}

#define MAX_CONFLICTS_SHOWN 20

struct conflict_report {
	const struct lt_trace *t;
	size_t s, next;
	struct rule_result *r;
	size_t shown;
};

static void report_conflict(void *ctx, const struct iova_piece *before,
			    const struct iova_piece *after, uint64_t from, uint64_t to)
{
	struct conflict_report *c = ctx;

	fail(c->r);
	if (c->shown++ >= MAX_CONFLICTS_SHOWN)
		return;
	rule_evidence(c->r, "iova 0x%llx size %llu: phys 0x%llx in stage %u (iommu_domain %u), phys 0x%llx in stage %u (iommu_domain %u)",
		      (unsigned long long)from, (unsigned long long)(to - from),
		      (unsigned long long)(before->phys + (from - before->start)),
		      stage_no(c->t, c->s), before->domain,
		      (unsigned long long)(after->phys + (from - after->start)),
		      stage_no(c->t, c->next), after->domain);
}

static size_t compare_stage_mappings(const struct lt_trace *t, size_t s,
				     size_t next, struct rule_result *r)
{
	struct conflict_report c = { .t = t, .s = s, .next = next, .r = r };
	struct iova_pieces live, after;
	struct iova_comparison cmp;

	iova_live_at_end(t, s, &live);
	iova_first_mapped(t, next, &after);
	iova_compare(&live, &after, report_conflict, &c, &cmp);
	if (c.shown > MAX_CONFLICTS_SHOWN)
		rule_evidence(r, "... and %zu more IOVA range(s) mapped differently",
			      c.shown - MAX_CONFLICTS_SHOWN);
	if (cmp.same)
		rule_evidence(r, "%zu mapping(s) identical from stage %u to stage %u",
			      cmp.same, stage_no(t, s), stage_no(t, next));
	else if (live.n && !cmp.conflicts)
		rule_evidence(r, "stage %u had %zu live mapping(s) at the kexec; stage %u mapped none of those IOVAs",
			      stage_no(t, s), live.n, stage_no(t, next));
	iova_pieces_release(&live);
	iova_pieces_release(&after);
	return cmp.same + cmp.conflicts;
}

static void check_mappings_identical(const struct lt_trace *t,
				     const struct handover_list *ho,
				     const struct verify_options *opt,
				     struct rule_result *r)
{
	size_t compared = 0;
	char c[CITE_LEN];

	(void)opt;
	if (no_handover(ho, r))
		return;
	for (size_t s = 0; s < t->nstages; s++) {
		long next = lt_trace_next_stage(t, s);

		if (next >= 0 && stage_hands_over(ho, s, true))
			compared += compare_stage_mappings(t, s, (size_t)next, r);
		if (!stage_hands_over(ho, s, false))
			continue;
		incomplete(r);
		why_no_next_stage(t, s, c, sizeof(c));
		rule_evidence(r, "stage %u's mappings not compared: %s", stage_no(t, s), c);
	}
	if (!compared && r->verdict != VERDICT_FAIL) {
		r->verdict = VERDICT_NOT_EXERCISED;
		if (!r->incomplete)
			rule_evidence(r, "no IOVA was mapped on both sides of a live update");
	}
}

/* ---- blackout under budget ---- */

/* Once per stage: how its clock was placed, when there is more to say. */
static void clock_evidence(const struct lt_trace *t, size_t stage, bool *said,
			   struct rule_result *r)
{
	const struct clock_mapping *m = &t->stages[stage].clock;
	char e[32];

	if (said[stage] || !m->note[0])
		return;
	said[stage] = true;
	format_ms((int64_t)m->error_ns, e, sizeof(e));
	rule_evidence(r, "stage %u placed by %s +- %s ms: %s", stage_no(t, stage),
		      clock_method_name(m->method), e, m->note);
}

/* Why a handover's blackout cannot be measured, into buf. */
static void why_not_measurable(const struct lt_trace *t, const struct handover *h,
			       char *buf, size_t len)
{
	if (h->at[HO_FREEZE] < 0)
		snprintf(buf, len, "no vfio_pci_liveupdate_freeze in stage %u",
			 stage_no(t, h->stage_out));
	else if (!h->has_next_stage)
		why_no_next_stage(t, h->stage_out, buf, len);
	else
		snprintf(buf, len, "neither a retrieve nor a first enable in stage %u",
			 stage_no(t, h->stage_in));
}

static void judge_blackout(const struct lt_trace *t, const struct handover *h,
			   int64_t ns, uint64_t err, const struct verify_options *opt,
			   struct rule_result *r)
{
	char b[32], e[32], budget[32];

	format_ms(ns, b, sizeof(b));
	format_ms((int64_t)err, e, sizeof(e));
	format_ms((int64_t)opt->budget_ns, budget, sizeof(budget));
	if (!t->stages[h->stage_in].clock.trusted) {
		incomplete(r);
		rule_evidence(r, "%s: blackout %s ms +- %s ms not judged: the clock join of stage %u to stage %u is not trusted",
			      h->dev, b, e, stage_no(t, h->stage_in), stage_no(t, h->stage_out));
		return;
	}
	if (!opt->has_budget) {
		rule_evidence(r, "%s: blackout %s ms +- %s ms", h->dev, b, e);
		return;
	}
	switch (budget_judge(ns, err, opt->budget_ns)) {
	case BUDGET_OVER:
		fail(r);
		rule_evidence(r, "%s: blackout %s ms +- %s ms exceeds the budget of %s ms by more than its error bound",
			      h->dev, b, e, budget);
		break;
	case BUDGET_UNDECIDED:
		incomplete(r);
		rule_evidence(r, "%s: blackout %s ms +- %s ms: the budget of %s ms is within its error bound, inconclusive",
			      h->dev, b, e, budget);
		break;
	case BUDGET_WITHIN:
		rule_evidence(r, "%s: blackout %s ms +- %s ms", h->dev, b, e);
		break;
	}
}

static void check_blackout_budget(const struct lt_trace *t,
				  const struct handover_list *ho,
				  const struct verify_options *opt,
				  struct rule_result *r)
{
	bool *said = calloc(t->nstages + 1, sizeof(*said));
	size_t measured = 0;
	char c[CITE_LEN];

	if (!said)
		abort();
	if (no_handover(ho, r)) {
		if (!opt->has_budget)
			rule_evidence(r, "no --budget-ms given");
		free(said);
		return;
	}
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		int64_t ns;
		uint64_t err;

		if (!handover_blackout(t, h, &ns, &err)) {
			incomplete(r);
			why_not_measurable(t, h, c, sizeof(c));
			rule_evidence(r, "%s: blackout not measurable: %s", h->dev, c);
			continue;
		}
		measured++;
		judge_blackout(t, h, ns, err, opt, r);
		clock_evidence(t, h->stage_in, said, r);
	}
	free(said);
	if (!opt->has_budget) {
		r->verdict = VERDICT_NOT_EXERCISED;
		rule_evidence(r, "no --budget-ms given");
	} else if (!measured && r->verdict != VERDICT_FAIL) {
		r->verdict = VERDICT_NOT_EXERCISED;
	}
}

/* ---- a device left running kept its DMA going across the kexec ---- */

static bool keeps_running(int32_t flags)
{
	return (flags & LT_LU_FLAGS_KNOWN) && (flags & LT_LU_KEEP_RUNNING);
}

/* The device's first event of kind id in stage s after event i, or -1. */
static long device_event_after(const struct lt_trace *t, const struct handover *h,
			       size_t s, long i, uint16_t id)
{
	const struct lt_trace_device *d = &t->devices[h->device];

	for (size_t p = lt_trace_device_after(d, (size_t)(i < 0 ? 0 : i)); p < d->nevents; p++) {
		const struct lt_trace_event *e = &t->events[d->events[p]];

		if (e->stage == s && e->ev.id == id)
			return (long)d->events[p];
	}
	return -1;
}

/* The VMM's dma_in_flight in stage k between the preserve and the kexec, or -1. */
static long dma_in_flight_of(const struct lt_trace *t, const struct handover *h)
{
	long i = device_event_after(t, h, h->stage_out, h->at[HO_PRESERVE], LT_EV_DMA_IN_FLIGHT);

	return i >= 0 && h->at[HO_KEXEC] >= 0 && i > h->at[HO_KEXEC] ? -1 : i;
}

/* What stage k+1 said of the landing: a dma_not_landed if any, else the first dma_landed. */
static long dma_check_of(const struct lt_trace *t, const struct handover *h)
{
	const struct lt_trace_device *d = &t->devices[h->device];
	long landed = -1;

	if (!h->has_next_stage)
		return -1;
	for (size_t p = 0; p < d->nevents; p++) {
		const struct lt_trace_event *e = &t->events[d->events[p]];

		if (e->stage != h->stage_in || e->ev.id != LT_EV_DMA_CHECK)
			continue;
		if (!e->ev.arg)
			return (long)d->events[p];
		if (landed < 0)
			landed = (long)d->events[p];
	}
	return landed;
}

/* Every event that stopped the device in its window (device_gap.h); their number. */
static size_t cite_disturbances(const struct lt_trace *t, const struct handover *h,
				struct rule_result *r)
{
	const struct lt_trace_device *d = &t->devices[h->device];
	size_t found = 0;
	char c[CITE_LEN];

	for (size_t p = lt_trace_device_after(d, (size_t)h->at[HO_PRESERVE]); p < d->nevents; p++) {
		size_t i = d->events[p];

		if (!device_gap_counts(t, h, i))
			continue;
		found++;
		cite(t, (long)i, c);
		rule_evidence(r, "%s: %s", h->dev, c);
	}
	return found;
}

/* Whether the recorders saw the whole window; if not, says what is missing. */
static bool saw_keep_window(const struct lt_trace *t, const struct handover *h,
			    struct rule_result *r)
{
	char c[CITE_LEN];
	bool all = true;

	if (!saw_everything(t, h->stage_out, t->events[h->at[HO_PRESERVE]].axis_ns,
			    "its preserve", DEVICE_GAP_KINDS, c, sizeof(c))) {
		rule_evidence(r, "%s: nothing stopped it that was seen, but %s", h->dev, c);
		all = false;
	}
	if (!saw_everything(t, h->stage_in, t->stages[h->stage_in].clock.offset_ns, NULL,
			    DEVICE_GAP_KINDS, c, sizeof(c))) {
		rule_evidence(r, "%s: nothing stopped it that was seen, but %s", h->dev, c);
		all = false;
	}
	return all;
}

/* The DMA the VMM said was in flight, and what the next stage found; false if unproven. */
static bool dma_evidence(const struct lt_trace *t, const struct handover *h,
			 long in_flight, struct rule_result *r)
{
	long check = dma_check_of(t, h);
	char c[CITE_LEN];

	if (in_flight < 0) {
		rule_evidence(r, "%s: no dma_in_flight marker in stage %u: nothing says its DMA was in flight at the jump",
			      h->dev, stage_no(t, h->stage_out));
		return false;
	}
	if (check < 0) {
		rule_evidence(r, "%s: no dma_landed or dma_not_landed marker in stage %u: nothing says whether the DMA in flight landed",
			      h->dev, stage_no(t, h->stage_in));
		return false;
	}
	cite(t, check, c);
	if (!t->events[check].ev.arg) {
		fail(r);
		rule_evidence(r, "%s: the DMA in flight at the jump did not land: %s", h->dev, c);
		return true;
	}
	if (h->at[HO_RETRIEVE] >= 0 && check > h->at[HO_RETRIEVE]) {
		rule_evidence(r, "%s: the DMA landed, but the check came after the device's retrieve, when the VMM may have started DMA itself: %s",
			      h->dev, c);
		return false;
	}
	rule_evidence(r, "%s: the DMA in flight at the jump landed before the device was retrieved: %s",
		      h->dev, c);
	cite(t, in_flight, c);
	rule_evidence(r, "%s: in flight at the jump: %s", h->dev, c);
	return true;
}

/* How the next kernel took it back; false when that does not prove it kept running. */
static bool retrieved_kept_running(const struct lt_trace *t, const struct handover *h,
				   struct rule_result *r)
{
	long refused = device_gap_failed_retrieve(t, h);
	int32_t back = h->at[HO_RETRIEVE] >= 0 ? t->events[h->at[HO_RETRIEVE]].ev.arg : 0;
	char c[CITE_LEN];

	if (refused >= 0 && h->at[HO_RETRIEVE] < 0) {
		fail(r);
		cite(t, refused, c);
		rule_evidence(r, "%s: preserved to keep running, but the next kernel refused its retrieve: %s",
			      h->dev, c);
		return false;
	}
	if (h->at[HO_RETRIEVE] < 0) {
		rule_evidence(r, "%s: not retrieved in stage %u: whether the kernel kept it running is not known",
			      h->dev, stage_no(t, h->stage_in));
		return false;
	}
	if (!(back & LT_LU_FLAGS_KNOWN)) {
		rule_evidence(r, "%s: its retrieve event carries no flags", h->dev);
		return false;
	}
	if (!(back & LT_LU_KEEP_RUNNING)) {
		fail(r);
		cite(t, h->at[HO_RETRIEVE], c);
		rule_evidence(r, "%s: preserved to keep running, but not retrieved as a device kept running: %s",
			      h->dev, c);
		return false;
	}
	return true;
}

static void judge_kept_running(const struct lt_trace *t, const struct handover *h,
			       struct rule_result *r)
{
	long in_flight = dma_in_flight_of(t, h);
	bool proven = true;
	char c[CITE_LEN];

	if (!h->has_next_stage) {
		why_no_next_stage(t, h->stage_out, c, sizeof(c));
		rule_evidence(r, "%s: left running, not checked: %s", h->dev, c);
		incomplete(r);
		if (cite_disturbances(t, h, r))
			fail(r);
		return;
	}
	if (cite_disturbances(t, h, r)) {
		fail(r);
		rule_evidence(r, "%s: preserved to keep running, but reset, stopped bus mastering or changed power state before its session finished",
			      h->dev);
	} else if (!saw_keep_window(t, h, r)) {
		proven = false;
	}
	if (!retrieved_kept_running(t, h, r))
		proven = false;
	if (!dma_evidence(t, h, in_flight, r))
		proven = false;
	if (!proven) {
		incomplete(r);
	} else if (r->verdict != VERDICT_FAIL) {
		cite(t, h->at[HO_RETRIEVE], c);
		rule_evidence(r, "%s: kept running from preserve to %s: no reset, no bus master clear, no power state change; retrieved as kept running: %s",
			      h->dev, h->at[HO_FINISH] >= 0 ? "finish" : "the end of the next stage's log",
			      c);
	}
}

/*
 * A device in the default mode whose next stage checked whether DMA in
 * flight at the jump landed (the control of the keep-running mode): the
 * freeze quiesced it, so a loss is this rule's FAIL.
 */
static void judge_default_checked(const struct lt_trace *t, const struct handover *h,
				  long check, struct rule_result *r)
{
	long in_flight = dma_in_flight_of(t, h);
	char c[CITE_LEN];

	cite(t, check, c);
	if (t->events[check].ev.arg) {
		incomplete(r);
		rule_evidence(r, "%s: preserved in the default mode, yet its DMA landed (it may have completed before the freeze): %s",
			      h->dev, c);
		return;
	}
	fail(r);
	rule_evidence(r, "%s: the DMA in flight at the jump did not land: %s", h->dev, c);
	if (in_flight >= 0) {
		cite(t, in_flight, c);
		rule_evidence(r, "%s: DMA in flight at the jump (%s), but preserved in the default mode, which quiesces it at freeze",
			      h->dev, c);
	} else {
		rule_evidence(r, "%s: preserved in the default mode, which quiesces it at freeze", h->dev);
	}
	cite_disturbances(t, h, r);
}

static void check_dma_kept_running(const struct lt_trace *t,
				   const struct handover_list *ho,
				   const struct verify_options *opt,
				   struct rule_result *r)
{
	size_t exercised = 0, unknown = 0;
	char c[CITE_LEN];

	(void)opt;
	if (no_handover(ho, r))
		return;
	for (size_t k = 0; k < ho->n; k++) {
		const struct handover *h = &ho->items[k];
		int32_t mode = t->events[h->at[HO_PRESERVE]].ev.arg;
		long check = dma_check_of(t, h);

		if (!(mode & LT_LU_FLAGS_KNOWN)) {
			unknown++;
			if (check < 0)
				continue;
			incomplete(r);
			cite(t, check, c);
			rule_evidence(r, "%s: its preserve event carries no flags, so its mode is not known: %s",
				      h->dev, c);
			if (!t->events[check].ev.arg) {
				fail(r);
				rule_evidence(r, "%s: the DMA in flight at the jump did not land", h->dev);
				cite_disturbances(t, h, r);
			}
			continue;
		}
		if (keeps_running(mode)) {
			exercised++;
			judge_kept_running(t, h, r);
		} else if (check >= 0) {
			exercised++;
			judge_default_checked(t, h, check, r);
		}
	}
	if (unknown) {
		incomplete(r);
		rule_evidence(r, "%zu device(s) preserved with events that carry no flags: whether any was kept running is not known (a kernel or a log from before them)",
			      unknown);
	}
	if (!exercised && r->verdict != VERDICT_FAIL) {
		r->verdict = VERDICT_NOT_EXERCISED;
		r->not_used = !unknown;
		if (!unknown)
			rule_evidence(r, "no device was preserved to keep running, and no next stage checked DMA in flight at the jump (an opt-in mode: allowed)");
	}
}

/* ---- no stage missing ---- */

static void stages_missing(struct rule_result *r, uint32_t from, uint32_t to,
			   const char *why)
{
	fail(r);
	if (from == to)
		rule_evidence(r, "stage %u is missing: %s", from, why);
	else
		rule_evidence(r, "stages %u to %u are missing: %s", from, to, why);
}

static void check_stages_contiguous(const struct lt_trace *t,
				    const struct handover_list *ho,
				    const struct verify_options *opt,
				    struct rule_result *r)
{
	char why[128];

	(void)ho;
	(void)opt;
	if (!t->nstages) {
		fail(r);
		rule_evidence(r, "the trace has no stage: no clock anchor in the logs");
		return;
	}
	if (stage_no(t, 0) != 1) {
		snprintf(why, sizeof(why), "the first stage in the logs is stage %u",
			 stage_no(t, 0));
		stages_missing(r, 1, stage_no(t, 0) - 1, why);
	}
	for (size_t s = 1; s < t->nstages; s++) {
		if (lt_trace_next_stage(t, s - 1) >= 0)
			continue;
		snprintf(why, sizeof(why), "the logs hold stage %u, then stage %u",
			 stage_no(t, s - 1), stage_no(t, s));
		stages_missing(r, stage_no(t, s - 1) + 1, stage_no(t, s) - 1, why);
	}
	if (r->verdict != VERDICT_PASS)
		return;
	if (t->nstages == 1)
		rule_evidence(r, "stage %u only", stage_no(t, 0));
	else
		rule_evidence(r, "stages %u to %u, none missing", stage_no(t, 0),
			      stage_no(t, t->nstages - 1));
}

/* ---- no dropped events ---- */

static void check_no_dropped_events(const struct lt_trace *t,
				    const struct handover_list *ho,
				    const struct verify_options *opt,
				    struct rule_result *r)
{
	char causes[256];

	(void)ho;
	(void)opt;
	if (!t->nstages) {
		fail(r);
		rule_evidence(r, "the trace has no stage, so no drop counter");
	}
	for (size_t s = 0; s < t->nstages; s++) {
		const struct lt_trace_stage *st = &t->stages[s];
		uint64_t lost = lt_losses_total(&st->lost);

		if (!st->has_drop_record) {
			fail(r);
			rule_evidence(r, "stage %u never reported its drop counter; drops unknown",
				      st->number);
			continue;
		}
		if (!lost) {
			rule_evidence(r, "stage %u: no event dropped", st->number);
			continue;
		}
		fail(r);
		format_losses(&st->lost, false, causes, sizeof(causes));
		rule_evidence(r, "stage %u: %llu event(s) lost: %s (%zu recorder run(s), summed)",
			      st->number, (unsigned long long)lost, causes, st->runs);
	}
}

/* ---- the logs themselves are intact ---- */

static void check_log_intact(const struct lt_trace *t,
			     const struct handover_list *ho,
			     const struct verify_options *opt,
			     struct rule_result *r)
{
	(void)ho;
	(void)opt;
	for (size_t i = 0; i < t->ndiags; i++) {
		fail(r);
		rule_evidence(r, "%s: %s", t->sources[t->diags[i].source],
			      t->diags[i].diag.message);
	}
	if (!t->ndiags && !t->nstages && !t->nevents) {
		r->verdict = VERDICT_NOT_EXERCISED;
		rule_evidence(r, "the logs hold no record");
	} else if (!t->ndiags) {
		rule_evidence(r, "%zu event(s) from %zu log(s), no damaged record",
			      t->nevents, t->nsources);
	}
}

const struct verify_rule verify_rules[] = {
	{
		.id = "handover_complete",
		.checks = "the outgoing stage holds each device's freeze, reboot freeze and kexec; the next stage is there",
		.check = check_handover_complete,
		.man =
			"Stage k holds, for every handed-over device, its vfio_pci_liveupdate_freeze\n"
			"(not undone by an unfreeze), then a liveupdate_reboot with ret 0, and the\n"
			"kernel_kexec of the call that freeze ran in; and the trace holds stage k+1.\n"
			"lutrace records kernel_kexec at the function's entry, and kernel_kexec()\n"
			"runs the reboot freeze, so that event comes before the freezes with no\n"
			"liveupdate_reboot between (one after the liveupdate_reboot is taken too).\n"
			"FAIL when any of them is missing or out of order, when the reboot freeze\n"
			"failed, when stage k's log ends before the jump, and when stage k+1 is\n"
			"missing though a later stage is there: a handover across a gap is none.\n"
			"NOT_EXERCISED when nothing was preserved.\n",
	},
	{
		.id = "retrieved_and_finished",
		.checks = "every preserved device was retrieved and finished in the next stage",
		.check = check_retrieved_and_finished,
		.man =
			"Every handed-over device was retrieved and its session finished in stage k+1.\n"
			"FAIL when nothing was preserved at all.\n",
	},
	{
		.id = "no_reset_before_enable",
		.checks = "no reset between freeze and first enable, other than the freeze quiesce",
		.check = check_no_reset_before_enable,
		.man =
			"No vfio_pci_reset and no PCI-level reset (FLR, PM, bus, function, the\n"
			"secondary bus reset of a bridge above it, a link DPC took down) of the\n"
			"device between its freeze and its first enable in stage k+1 (the\n"
			"vfio_pci_reset_skipped event, or an enable that did reset, which then is the\n"
			"violation).\n"
			"The freeze-time quiesce reset is allowed: a PCI-level reset belongs to the\n"
			"vfio_pci_reset that follows it, because function probes fire at entry and\n"
			"the tracepoint when vfio-pci's reset returns.\n"
			"NOT_EXERCISED, unless a reset was found, when nothing was preserved,\n"
			"when stage k+1 is not in the trace, or when some of the window went\n"
			"unseen: stage k from the freeze, or stage k+1 from its boot, before its\n"
			"recorder attached (its recorder_attached event) and not covered by the\n"
			"boot-time import because the stage was booted without vfio_pci:vfio_pci_reset\n"
			"or pci:pci_reset in trace_event=, or a log without recorder_attached.\n",
	},
	{
		.id = "no_iommu_fault",
		.checks = "no IOMMU fault on a preserved device",
		.check = check_no_iommu_fault,
		.man =
			"No io_page_fault and no Intel DMA-remapping fault on a handed-over device\n"
			"after its preserve.\n"
			"Faults on other devices are counted in the evidence.\n"
			"VT-d faults do not reach io_page_fault and the faulting device is only in\n"
			"the IOMMU's fault registers, which BPF cannot see; the kernel prints each\n"
			"fault with its device, so\n"
			".B record\n"
			"reads them from /dev/kmsg, from boot on (a fault in stage 2 before lutrace\n"
			"started is the one that matters most).\n"
			"Their times are the printk clock, close to BOOTTIME on a machine that has\n"
			"not suspended, and the kernel rate-limits them.\n"
			"NOT_EXERCISED, unless a fault was found, when nothing was preserved,\n"
			"when stage k+1 is not in the trace, or when stage k+1 before its recorder\n"
			"attached was not covered: booted without iommu:io_page_fault in\n"
			"trace_event=, or a log without recorder_attached.\n",
	},
	{
		.id = "other_opens_blocked",
		.checks = "other opens of an incoming device failed until its session finished",
		.check = check_other_opens_blocked,
		.man =
			"Each open attempt on a handed-over device before its session finished was\n"
			"answered by vfio_pci_open_blocked.\n"
			"NOT_EXERCISED when no such open was attempted, or, unless one was not\n"
			"blocked, when a handed-over device's stage k+1 is not in the trace.\n",
	},
	{
		.id = "mappings_identical",
		.checks = "IOVA->phys mappings are identical before and after the kexec",
		.check = check_mappings_identical,
		.man =
			"Every IOVA range mapped when stage k ended and mapped again in stage k+1\n"
			"translates to the same physical addresses.\n"
			"Map and unmap events carry the iommu_domain they changed (numbered by each\n"
			"stage); a stage's ranges are cut by overlap per domain, so a partial unmap,\n"
			"or a buffer mapped again in other pieces, is compared byte range by byte\n"
			"range.\n"
			"A stage-k domain is paired with the stage-k+1 domains that map some of its\n"
			"IOVAs to the same physical addresses; an overlap that translates\n"
			"differently FAILs when its domains are paired, or when neither is paired\n"
			"with any (one buffer that moved). Two devices' domains mapping the same\n"
			"IOVA to different buffers are no failure.\n"
			"NOT_EXERCISED when no range was mapped on both sides, when nothing was\n"
			"preserved, or, unless a mapping moved, when a stage that hands devices\n"
			"over has no stage k+1 in the trace.\n",
	},
	{
		.id = "blackout_budget",
		.checks = "blackout of every device is within --budget-ms",
		.check = check_blackout_budget,
		.man =
			"The blackout of every device is within\n"
			".BR \\-\\-budget\\-ms ,\n"
			"judged with its error bound: FAIL when blackout \\- error > budget, PASS\n"
			"when blackout + error <= budget, and otherwise inconclusive, which is\n"
			"NOT_EXERCISED (the budget lies inside the error bound). The alerts\n"
			"LutraceBlackoutOverBudget and LutraceBlackoutBudgetInconclusive\n"
			"(dashboards/) apply the same rule to the fleet budget.\n"
			"A blackout across a clock join that is not trusted (see TIME AXIS) is shown\n"
			"but not judged: NOT_EXERCISED.\n"
			"NOT_EXERCISED too without that option (the figures are still shown), when\n"
			"nothing was preserved, and, unless a blackout was over the budget, when the\n"
			"blackout of a device cannot be measured (its freeze, stage k+1, or both its\n"
			"retrieve and its first enable are not in the trace).\n",
	},
	{
		.id = "dma_kept_running",
		.checks = "a device left running kept its DMA going across the kexec",
		.check = check_dma_kept_running,
		.man =
			"For each handed-over device preserved to keep running (the keep_running flag\n"
			"of its vfio_pci_liveupdate_preserve; experimental, kernel/interface.md), and\n"
			"each one the VMM said had DMA in flight at the jump (a dma_in_flight marker\n"
			"after its preserve; see MARKERS): no vfio_pci_reset (but one contended,\n"
			"-EAGAIN), pci_reset, pci_clear_master, pci_power_state, or\n"
			"pci_config_write of its Command register with Bus Master Enable off (by the\n"
			"kernel or its user; a function probe, seen from the recorder's attach on\n"
			"only), from its preserve to its finish in stage k+1; its retrieve, ret 0, carries\n"
			"keep_running (the PCI core kept it running from enumeration on); the VMM\n"
			"said DMA was in flight at the jump, and stage k+1 said it landed\n"
			"(dma_landed) before the device was retrieved.\n"
			"FAIL on any of those events, on a retrieve without keep_running, on\n"
			"dma_not_landed, and for a device with DMA in flight at the jump that was\n"
			"preserved in the default mode (which quiesces it at freeze).\n"
			"NOT_EXERCISED when no device was preserved to keep running and none had DMA\n"
			"in flight, and, unless it failed, when the markers are missing, when the\n"
			"landing was checked after the retrieve, when stage k+1 is not in the trace,\n"
			"when the events carry no flags (a kernel or log from before them), or when\n"
			"some of the window went unseen: stage k from the preserve, or stage k+1 from\n"
			"its boot, before its recorder attached and not covered by the boot-time\n"
			"import of vfio_pci:vfio_pci_reset, pci:pci_reset, pci:pci_bus_master and\n"
			"pci:pci_power_state.\n"
			"Not in any trace: the kexec shutdown, which runs after the last event a\n"
			"recorder can read (it is where the PCI core leaves Bus Master Enable on),\n"
			"and the bridges above the device; the VMM's landing check is the evidence\n"
			"that the device's DMA got through them.\n",
	},
	{
		.id = "stages_contiguous",
		.checks = "the logs hold every stage from 1 to the last, none missing",
		.check = check_stages_contiguous,
		.survives_lost_events = true,
		.man =
			"The stage numbers in the logs run from 1 to the last without a gap: a\n"
			"missing number is a stage whose log was not given (or was lost), and its\n"
			"events are not in the trace.\n"
			"FAIL naming the missing stages, and when the logs hold no stage at all.\n",
	},
	{
		.id = "no_dropped_events",
		.checks = "no event was lost, to any cause",
		.check = check_no_dropped_events,
		.survives_lost_events = true,
		.man =
			"No stage lost an event to any cause (see\n"
			".BR \"LOST EVENTS\" ),\n"
			"summed over the recorder runs of the stage, and every stage reported its\n"
			"drop counters (a stage that never did has unknown drops: FAIL).\n",
	},
	{
		.id = "log_intact",
		.checks = "no torn or corrupt record in the logs",
		.check = check_log_intact,
		.survives_lost_events = true,
		.man =
			"No torn or corrupt record in any log.\n"
			"NOT_EXERCISED when the logs hold no record at all.\n",
	},
};

const size_t verify_nr_rules = sizeof(verify_rules) / sizeof(verify_rules[0]);
