// SPDX-License-Identifier: GPL-2.0
#include "analyze/rule_eval.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/budget.h"
#include "analyze/evidence_text.h"
#include "analyze/handover.h"
#include "log/event_names.h"

#define CITE_LEN 512
#define SEL_LEN 512
/* Evidence lines a FAIL cites before it says how many more there are. */
#define MAX_CITED 10

/* One rule applied once: to the whole trace, or to one device. */
struct judge {
	const struct lt_trace *t;
	const struct user_rule *u;
	const char *dev;	/* $dev, or NULL */
	char prefix[LUTRACE_DEV_LEN + 2];	/* "dev: " or "" */
	struct rule_result *r;
};

static uint32_t stage_no(const struct lt_trace *t, size_t stage)
{
	return t->stages[stage].number;
}

static bool string_matches(const struct sel_cond *c, const char *have,
			   const char *dev)
{
	const char *want = c->each_device ? dev : c->str;
	bool hit = c->op == SEL_CONTAINS ? strstr(have, want) != NULL :
					   !strcmp(have, want);

	return c->op == SEL_NE ? !hit : hit;
}

static bool number_matches(const struct sel_cond *c, int64_t have)
{
	return c->op == SEL_NE ? have != c->num : have == c->num;
}

static bool cond_matches(const struct lt_trace *t, const struct lt_trace_event *e,
			 const struct sel_cond *c, const char *dev)
{
	switch (c->key) {
	case SEL_DEV: return string_matches(c, e->ev.dev, dev);
	case SEL_SESSION: return string_matches(c, e->ev.session, dev);
	case SEL_TEXT: return string_matches(c, e->ev.text, dev);
	case SEL_TOKEN: return number_matches(c, (int64_t)e->ev.token);
	case SEL_RET: return number_matches(c, e->ev.ret);
	case SEL_STAGE: return number_matches(c, stage_no(t, e->stage));
	case SEL_SITE:
	case SEL_REASON:
	case SEL_PATH: return number_matches(c, e->ev.arg);
	}
	return false;
}

static bool matches(const struct judge *j, size_t i, const struct selector *s)
{
	const struct lt_trace_event *e = &j->t->events[i];

	if (s->event != LT_EV_NONE && e->ev.id != s->event)
		return false;
	for (size_t c = 0; c < s->nconds; c++)
		if (!cond_matches(j->t, e, &s->conds[c], j->dev))
			return false;
	return true;
}

/*
 * Whether event i happened before event k. Stages follow one another, so
 * their order is certain whatever the clock mapping's error; within a
 * stage the trace's order is BOOTTIME's.
 */
static bool happened_before(const struct lt_trace *t, size_t i, size_t k)
{
	uint32_t si = stage_no(t, t->events[i].stage), sk = stage_no(t, t->events[k].stage);

	return si != sk ? si < sk : i < k;
}

/* The earliest event matching s in stage index `stage` (-1: any), or -1. */
static long first_match(const struct judge *j, const struct selector *s,
			long stage)
{
	long best = -1;

	for (size_t i = 0; i < j->t->nevents; i++) {
		if (stage >= 0 && j->t->events[i].stage != (size_t)stage)
			continue;
		if (matches(j, i, s) && (best < 0 || happened_before(j->t, i, (size_t)best)))
			best = (long)i;
	}
	return best;
}

/* The first event matching s that happened after event `after`, or -1. */
static long next_match(const struct judge *j, const struct selector *s,
		       size_t after)
{
	long best = -1;

	for (size_t i = 0; i < j->t->nevents; i++)
		if (happened_before(j->t, after, i) && matches(j, i, s) &&
		    (best < 0 || happened_before(j->t, i, (size_t)best)))
			best = (long)i;
	return best;
}

static void cite(const struct judge *j, long i, char buf[CITE_LEN])
{
	cite_event(j->t, (size_t)i, buf, CITE_LEN);
}

static void fail(struct judge *j)
{
	j->r->verdict = VERDICT_FAIL;
}

void format_selector(const struct selector *s, const char *dev, char *buf,
		     size_t len)
{
	static const char *const keys[] = {
		[SEL_DEV] = "dev", [SEL_SESSION] = "session", [SEL_TOKEN] = "token",
		[SEL_RET] = "ret", [SEL_STAGE] = "stage", [SEL_TEXT] = "text",
		[SEL_SITE] = "site", [SEL_REASON] = "reason", [SEL_PATH] = "path",
	};
	static const char *const ops[] = {
		[SEL_EQ] = "=", [SEL_NE] = "!=", [SEL_CONTAINS] = "~",
	};
	size_t used;

	snprintf(buf, len, "%s", s->event == LT_EV_NONE ? "any" : event_name(s->event));
	for (size_t i = 0; i < s->nconds; i++) {
		const struct sel_cond *c = &s->conds[i];

		used = strlen(buf);
		if (c->each_device)
			snprintf(buf + used, len - used, " %s%s%s", keys[c->key], ops[c->op],
				 dev ? dev : "$dev");
		else if (c->key == SEL_SITE)
			snprintf(buf + used, len - used, " site%s%s", ops[c->op],
				 reset_site_name((int)c->num));
		else if (c->key == SEL_REASON)
			snprintf(buf + used, len - used, " reason%s%s", ops[c->op],
				 skip_reason_name((int)c->num));
		else if (c->key == SEL_PATH)
			snprintf(buf + used, len - used, " path%s%s", ops[c->op],
				 open_path_name((int)c->num));
		else if (c->str)
			snprintf(buf + used, len - used, " %s%s\"%s\"", keys[c->key],
				 ops[c->op], c->str);
		else
			snprintf(buf + used, len - used, " %s%s%" PRId64, keys[c->key],
				 ops[c->op], c->key == SEL_TOKEN ? (int64_t)(uint64_t)c->num : c->num);
	}
}

static void describe(const struct judge *j, const struct selector *s,
		     char buf[SEL_LEN])
{
	format_selector(s, j->dev, buf, SEL_LEN);
}

/* ---- exactly / at least / at most; no ---- */

static bool count_ok(const struct user_rule *u, size_t n)
{
	switch (u->count_op) {
	case COUNT_EXACTLY: return n == u->count;
	case COUNT_AT_LEAST: return n >= u->count;
	case COUNT_AT_MOST: return n <= u->count;
	}
	return false;
}

static const char *count_op_name(enum count_op op)
{
	return op == COUNT_EXACTLY ? "exactly" : op == COUNT_AT_LEAST ? "at least" :
	       "at most";
}

/* Cites matches of s in stage (-1: all), from the `skip`th on. */
static void cite_matches(struct judge *j, const struct selector *s, long stage,
			 size_t skip, const char *what)
{
	size_t seen = 0, cited = 0;
	char c[CITE_LEN];

	for (size_t i = 0; i < j->t->nevents; i++) {
		if ((stage >= 0 && j->t->events[i].stage != (size_t)stage) ||
		    !matches(j, i, s) || seen++ < skip)
			continue;
		if (cited++ == MAX_CITED)
			continue;
		cite(j, (long)i, c);
		rule_evidence(j->r, "%s%s %s", j->prefix, what, c);
	}
	if (cited > MAX_CITED)
		rule_evidence(j->r, "%s... and %zu more", j->prefix, cited - MAX_CITED);
}

static void count_in(struct judge *j, long stage)
{
	const struct user_rule *u = j->u;
	char where[32], sel[SEL_LEN];
	size_t n = 0;

	for (size_t i = 0; i < j->t->nevents; i++)
		n += (stage < 0 || j->t->events[i].stage == (size_t)stage) &&
		     matches(j, i, &u->a);
	if (stage < 0)
		snprintf(where, sizeof(where), "in the trace");
	else
		snprintf(where, sizeof(where), "in stage %u", stage_no(j->t, (size_t)stage));
	describe(j, &u->a, sel);
	if (u->kind == AS_NONE) {
		if (!n) {
			rule_evidence(j->r, "%sno %s %s", j->prefix, sel, where);
			return;
		}
		fail(j);
		cite_matches(j, &u->a, stage, 0, "found");
		return;
	}
	if (count_ok(u, n)) {
		rule_evidence(j->r, "%s%zu %s %s (want %s %llu)", j->prefix, n, sel, where,
			      count_op_name(u->count_op), (unsigned long long)u->count);
		return;
	}
	fail(j);
	rule_evidence(j->r, "%s%zu %s %s, want %s %llu", j->prefix, n, sel, where,
		      count_op_name(u->count_op), (unsigned long long)u->count);
	/* Too many: the ones past the count are the evidence. */
	if (n > u->count)
		cite_matches(j, &u->a, stage, u->count_op == COUNT_AT_MOST ||
			     u->count_op == COUNT_EXACTLY ? (size_t)u->count : 0, "one too many:");
	else
		cite_matches(j, &u->a, stage, 0, "only");
}

static void judge_count(struct judge *j)
{
	size_t judged = 0;

	if (j->u->count_scope == COUNT_IN_TRACE) {
		count_in(j, -1);
		return;
	}
	for (size_t s = 0; s < j->t->nstages; s++) {
		if (j->u->count_scope == COUNT_PER_OUTGOING_STAGE &&
		    lt_trace_next_stage(j->t, s) < 0)
			continue;
		judged++;
		count_in(j, (long)s);
	}
	if (judged)
		return;
	j->r->incomplete = true;
	rule_evidence(j->r, "%sno stage %s in the trace", j->prefix,
		      j->u->count_scope == COUNT_PER_STAGE ? "at all" :
		      "is followed by its next stage");
}

/* ---- no a between b and c ---- */

static void judge_window(struct judge *j)
{
	const struct user_rule *u = j->u;
	char sa[SEL_LEN], sb[SEL_LEN], sc[SEL_LEN], c1[CITE_LEN], c2[CITE_LEN];
	long open = first_match(j, &u->b, -1);
	size_t windows = 0;

	describe(j, &u->a, sa);
	describe(j, &u->b, sb);
	describe(j, &u->c, sc);
	if (open < 0) {
		j->r->incomplete = true;
		rule_evidence(j->r, "%sno %s in the trace: the window never opened", j->prefix, sb);
		return;
	}
	while (open >= 0) {
		long close = next_match(j, &u->c, (size_t)open);
		size_t found = 0;

		windows++;
		for (size_t i = 0; i < j->t->nevents; i++) {
			if (!happened_before(j->t, (size_t)open, i) ||
			    (close >= 0 && !happened_before(j->t, i, (size_t)close)) ||
			    !matches(j, i, &u->a))
				continue;
			fail(j);
			if (found++ < MAX_CITED) {
				cite(j, (long)i, c1);
				rule_evidence(j->r, "%s%s between %s and %s: %s", j->prefix,
					      sa, sb, sc, c1);
			}
		}
		cite(j, open, c1);
		if (found > MAX_CITED)
			rule_evidence(j->r, "%s... and %zu more", j->prefix, found - MAX_CITED);
		if (close < 0) {
			j->r->incomplete = true;
			rule_evidence(j->r, "%sthe window opened by %s never closed: no %s after it",
				      j->prefix, c1, sc);
			return;
		}
		cite(j, close, c2);
		if (!found)
			rule_evidence(j->r, "%sno %s from %s to %s", j->prefix, sa, c1, c2);
		open = next_match(j, &u->b, (size_t)close);
	}
}

/* ---- a before b ---- */

static void order_in(struct judge *j, long stage, size_t *judged)
{
	const struct user_rule *u = j->u;
	char sa[SEL_LEN], sb[SEL_LEN], c1[CITE_LEN], c2[CITE_LEN], where[32] = "";
	long fb = first_match(j, &u->b, stage), fa;

	if (fb < 0)
		return;
	(*judged)++;
	fa = first_match(j, &u->a, stage);
	describe(j, &u->a, sa);
	describe(j, &u->b, sb);
	if (stage >= 0)
		snprintf(where, sizeof(where), " in stage %u", stage_no(j->t, (size_t)stage));
	cite(j, fb, c2);
	if (fa < 0) {
		fail(j);
		rule_evidence(j->r, "%s%s with no %s before it%s: %s", j->prefix, sb, sa,
			      where, c2);
		return;
	}
	cite(j, fa, c1);
	if (happened_before(j->t, (size_t)fa, (size_t)fb)) {
		rule_evidence(j->r, "%s%s, then %s", j->prefix, c1, c2);
		return;
	}
	fail(j);
	rule_evidence(j->r, "%sthe first %s%s comes before the first %s: %s, then %s",
		      j->prefix, sb, where, sa, c2, c1);
}

static void order_across(struct judge *j, long stage, size_t *judged)
{
	const struct user_rule *u = j->u;
	char sa[SEL_LEN], sb[SEL_LEN], c1[CITE_LEN], c2[CITE_LEN];
	long fb = first_match(j, &u->b, stage), prev, fa;
	uint32_t k = stage_no(j->t, (size_t)stage);

	if (fb < 0)
		return;
	describe(j, &u->a, sa);
	describe(j, &u->b, sb);
	cite(j, fb, c2);
	prev = k > 1 ? lt_trace_stage_index(j->t, k - 1) : -1;
	if (prev < 0) {
		if (k > 1) {
			j->r->incomplete = true;
			rule_evidence(j->r, "%s%s, but stage %u is not in the trace", j->prefix,
				      c2, k - 1);
		}
		return;
	}
	(*judged)++;
	fa = first_match(j, &u->a, prev);
	if (fa < 0) {
		fail(j);
		rule_evidence(j->r, "%s%s in stage %u, but no %s in stage %u", j->prefix,
			      c2, k, sa, k - 1);
		return;
	}
	cite(j, fa, c1);
	rule_evidence(j->r, "%s%s, then across the kexec %s", j->prefix, c1, c2);
}

static void judge_order(struct judge *j)
{
	char sb[SEL_LEN];
	size_t judged = 0;

	if (j->u->order_scope == ORDER_IN_TRACE)
		order_in(j, -1, &judged);
	for (size_t s = 0; j->u->order_scope != ORDER_IN_TRACE && s < j->t->nstages; s++) {
		if (j->u->order_scope == ORDER_SAME_STAGE)
			order_in(j, (long)s, &judged);
		else
			order_across(j, (long)s, &judged);
	}
	if (judged)
		return;
	j->r->incomplete = true;
	describe(j, &j->u->b, sb);
	rule_evidence(j->r, "%sno %s in the trace%s: nothing to order", j->prefix, sb,
		      j->u->order_scope == ORDER_ACROSS_KEXEC ? " after a kexec" : "");
}

/* ---- latency from a to b under limit ---- */

static void judge_latency(struct judge *j)
{
	const struct user_rule *u = j->u;
	char sa[SEL_LEN], sb[SEL_LEN], c1[CITE_LEN], c2[CITE_LEN];
	char d[32], e[32], limit[32];
	size_t measured = 0;

	describe(j, &u->a, sa);
	describe(j, &u->b, sb);
	format_ms((int64_t)u->limit_ns, limit, sizeof(limit));
	for (size_t i = 0; i < j->t->nevents; i++) {
		long k;
		enum budget_outcome verdict;
		int64_t ns;
		uint64_t err;

		if (!matches(j, i, &u->a))
			continue;
		measured++;
		cite(j, (long)i, c1);
		k = next_match(j, &u->b, i);
		if (k < 0) {
			j->r->incomplete = true;
			rule_evidence(j->r, "%snot measurable: no %s after %s", j->prefix, sb, c1);
			continue;
		}
		cite(j, k, c2);
		ns = j->t->events[k].axis_ns - j->t->events[i].axis_ns;
		err = lt_trace_span_error_ns(j->t, j->t->events[i].stage, j->t->events[k].stage);
		format_ms(ns, d, sizeof(d));
		format_ms((int64_t)err, e, sizeof(e));
		/* "under" is <: the budget rule's <= against limit - 1 ns */
		verdict = u->limit_ns ? budget_judge(ns, err, u->limit_ns - 1) :
			  ns - (int64_t)err >= 0 ? BUDGET_OVER : BUDGET_UNDECIDED;
		if (verdict == BUDGET_WITHIN) {
			rule_evidence(j->r, "%s%s ms +- %s ms, under %s ms: %s to %s", j->prefix,
				      d, e, limit, c1, c2);
		} else if (verdict == BUDGET_OVER) {
			fail(j);
			rule_evidence(j->r, "%s%s ms +- %s ms, not under %s ms: %s to %s",
				      j->prefix, d, e, limit, c1, c2);
		} else {
			/* The clock cannot tell which side of the limit it is. */
			j->r->incomplete = true;
			rule_evidence(j->r, "%s%s ms +- %s ms straddles the limit of %s ms: %s to %s",
				      j->prefix, d, e, limit, c1, c2);
		}
	}
	if (measured)
		return;
	j->r->incomplete = true;
	rule_evidence(j->r, "%sno %s in the trace: nothing to measure", j->prefix, sa);
}

static void judge_once(struct judge *j)
{
	switch (j->u->kind) {
	case AS_COUNT:
		judge_count(j);
		return;
	case AS_NONE:
		if (j->u->has_window)
			judge_window(j);
		else
			count_in(j, -1);
		return;
	case AS_ORDER:
		judge_order(j);
		return;
	case AS_LATENCY:
		judge_latency(j);
		return;
	}
}

/* Each device handed over, once, in the order of its first handover. */
static void judge_every_device(struct judge *j, const struct handover_list *ho)
{
	size_t devices = 0;

	for (size_t k = 0; k < ho->n; k++) {
		bool seen = false;

		for (size_t p = 0; p < k && !seen; p++)
			seen = !strcmp(ho->items[p].dev, ho->items[k].dev);
		if (seen)
			continue;
		devices++;
		j->dev = ho->items[k].dev;
		snprintf(j->prefix, sizeof(j->prefix), "%s: ", j->dev);
		judge_once(j);
	}
	if (devices)
		return;
	j->r->verdict = VERDICT_NOT_EXERCISED;
	rule_evidence(j->r, "no device was handed over in the trace");
}

void verify_user_rules(const struct lt_trace *t, const struct rule_file *f,
		       const struct handover_list *ho,
		       const struct verify_options *opt, struct verify_result *out)
{
	if (!f->n)
		return;
	out->rules = realloc(out->rules, (out->nrules + f->n) * sizeof(*out->rules));
	if (!out->rules)
		abort();
	for (size_t i = 0; i < f->n; i++) {
		struct rule_result *r = &out->rules[out->nrules++];
		struct judge j = { .t = t, .u = &f->rules[i], .r = r };

		memset(r, 0, sizeof(*r));
		r->rule = f->rules[i].id;
		r->checks = f->rules[i].assertion;
		if (f->rules[i].every_device)
			judge_every_device(&j, ho);
		else
			judge_once(&j);
		verify_settle(t, opt, false, verify_nr_rules + i, r, out);
	}
}
