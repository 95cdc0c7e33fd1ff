// SPDX-License-Identifier: GPL-2.0
#include "analyze/iova_map.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void *xalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

/* ---- painting: each event paints its range, the higher rank wins ---- */

struct paint {
	uint32_t domain;
	bool map;
	uint64_t start, end, phys;
	uint64_t rank;
	size_t event;
};

struct endpoint {
	uint32_t domain;
	uint64_t pos;
	size_t paint;		/* SIZE_MAX for an end, which only cuts */
};

static int cmp_endpoint(const void *a, const void *b)
{
	const struct endpoint *x = a, *y = b;

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* A max-heap of paint indexes by rank. */
struct heap {
	size_t *i;
	size_t n;
	const struct paint *paints;
};

static bool above(const struct heap *h, size_t a, size_t b)
{
	return h->paints[h->i[a]].rank > h->paints[h->i[b]].rank;
}

static void swap_at(struct heap *h, size_t a, size_t b)
{
	size_t t = h->i[a];

	h->i[a] = h->i[b];
	h->i[b] = t;
}

static void heap_push(struct heap *h, size_t paint)
{
	size_t k = h->n++;

	h->i[k] = paint;
	while (k && above(h, k, (k - 1) / 2)) {
		swap_at(h, k, (k - 1) / 2);
		k = (k - 1) / 2;
	}
}

static void heap_pop(struct heap *h)
{
	size_t k = 0;

	h->i[0] = h->i[--h->n];
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, top = k;

		if (l < h->n && above(h, l, top))
			top = l;
		if (r < h->n && above(h, r, top))
			top = r;
		if (top == k)
			return;
		swap_at(h, k, top);
		k = top;
	}
}

static void emit(struct iova_pieces *out, const struct paint *p, uint64_t from,
		 uint64_t to)
{
	struct iova_piece *last = out->n ? &out->p[out->n - 1] : NULL;

	if (last && last->domain == p->domain && last->end == from &&
	    last->event == p->event) {
		last->end = to;
		return;
	}
	out->p[out->n++] = (struct iova_piece){
		.domain = p->domain, .start = from, .end = to,
		.phys = p->phys + (from - p->start), .event = p->event,
	};
}

/*
 * The winning map of every stretch of each domain's IOVA space. Pieces are
 * cut where any range starts or ends; n ranges make at most 2n pieces.
 */
static void paint_out(const struct paint *paints, size_t n, struct iova_pieces *out)
{
	struct endpoint *pts = xalloc(2 * n, sizeof(*pts));
	struct heap h = { .i = xalloc(n, sizeof(size_t)), .paints = paints };
	size_t npts = 0;

	out->p = xalloc(2 * n, sizeof(*out->p));
	out->n = 0;
	for (size_t i = 0; i < n; i++) {
		pts[npts++] = (struct endpoint){ paints[i].domain, paints[i].start, i };
		pts[npts++] = (struct endpoint){ paints[i].domain, paints[i].end, SIZE_MAX };
	}
	qsort(pts, npts, sizeof(*pts), cmp_endpoint);
	for (size_t k = 0; k < npts;) {
		uint32_t domain = pts[k].domain;
		uint64_t pos = pts[k].pos;

		for (; k < npts && pts[k].domain == domain && pts[k].pos == pos; k++)
			if (pts[k].paint != SIZE_MAX)
				heap_push(&h, pts[k].paint);
		while (h.n && paints[h.i[0]].end <= pos)
			heap_pop(&h);
		if (!h.n || k == npts || pts[k].domain != domain)
			continue;
		if (paints[h.i[0]].map)
			emit(out, &paints[h.i[0]], pos, pts[k].pos);
	}
	/* A domain's last endpoint ends every range in it: the heap drains. */
	free(h.i);
	free(pts);
}

static uint64_t range_end(uint64_t start, uint64_t size)
{
	return start + size < start ? UINT64_MAX : start + size;
}

static void collect(const struct lt_trace *t, size_t s, bool first_wins,
		    struct iova_pieces *out)
{
	struct paint *paints = xalloc(t->nevents, sizeof(*paints));
	size_t n = 0;

	for (size_t i = 0; i < t->nevents; i++) {
		const struct lt_trace_event *e = &t->events[i];
		bool map = e->ev.id == LT_EV_IOMMU_MAP;

		if (e->stage != s || !e->ev.size ||
		    (!map && (first_wins || e->ev.id != LT_EV_IOMMU_UNMAP)))
			continue;
		/* Events are in time order: the index is the time. */
		paints[n++] = (struct paint){
			.domain = e->ev.iommu_domain, .map = map,
			.start = e->ev.iova, .end = range_end(e->ev.iova, e->ev.size),
			.phys = e->ev.phys, .event = i,
			.rank = first_wins ? UINT64_MAX - i : i,
		};
	}
	paint_out(paints, n, out);
	free(paints);
}

void iova_live_at_end(const struct lt_trace *t, size_t s, struct iova_pieces *out)
{
	collect(t, s, false, out);
}

void iova_first_mapped(const struct lt_trace *t, size_t s, struct iova_pieces *out)
{
	collect(t, s, true, out);
}

void iova_pieces_release(struct iova_pieces *ps)
{
	free(ps->p);
	memset(ps, 0, sizeof(*ps));
}

/* ---- comparing two stages ---- */

struct overlap {
	size_t before, after;
	uint64_t from, to;
	bool agree;
};

struct overlaps {
	struct overlap *o;
	size_t n, cap;
};

static void add_overlap(struct overlaps *ov, const struct iova_pieces *before,
			size_t b, const struct iova_pieces *after, size_t a)
{
	const struct iova_piece *x = &before->p[b], *y = &after->p[a];

	if (ov->n == ov->cap) {
		ov->cap = ov->cap ? 2 * ov->cap : 64;
		ov->o = realloc(ov->o, ov->cap * sizeof(*ov->o));
		if (!ov->o)
			abort();
	}
	ov->o[ov->n++] = (struct overlap){
		.before = b, .after = a,
		.from = x->start > y->start ? x->start : y->start,
		.to = x->end < y->end ? x->end : y->end,
		/* The same translation: phys - iova agree (mod 2^64). */
		.agree = x->phys - x->start == y->phys - y->start,
	};
}

static int cmp_by_start(const void *a, const void *b, void *pieces)
{
	const struct iova_piece *p = pieces;
	uint64_t x = p[*(const size_t *)a].start, y = p[*(const size_t *)b].start;

	return (x > y) - (x < y);
}

static size_t *by_start(const struct iova_pieces *ps)
{
	size_t *idx = xalloc(ps->n, sizeof(*idx));

	for (size_t i = 0; i < ps->n; i++)
		idx[i] = i;
	qsort_r(idx, ps->n, sizeof(*idx), cmp_by_start, ps->p);
	return idx;
}

/* Pieces that have started and not ended, on one side of the sweep. */
struct active {
	size_t *i;
	size_t n;
};

static void prune(struct active *act, const struct iova_pieces *ps, uint64_t pos)
{
	for (size_t k = 0; k < act->n;)
		if (ps->p[act->i[k]].end <= pos)
			act->i[k] = act->i[--act->n];
		else
			k++;
}

/* Every overlapping (before, after) pair, by one sweep over the starts. */
static void find_overlaps(const struct iova_pieces *before,
			  const struct iova_pieces *after, struct overlaps *ov)
{
	size_t *bs = by_start(before), *as = by_start(after);
	struct active ab = { xalloc(before->n, sizeof(size_t)), 0 };
	struct active aa = { xalloc(after->n, sizeof(size_t)), 0 };
	size_t i = 0, j = 0;

	while (i < before->n || j < after->n) {
		bool take_before = j == after->n ||
			(i < before->n && before->p[bs[i]].start <= after->p[as[j]].start);

		if (take_before) {
			size_t b = bs[i++];

			prune(&aa, after, before->p[b].start);
			for (size_t k = 0; k < aa.n; k++)
				add_overlap(ov, before, b, after, aa.i[k]);
			ab.i[ab.n++] = b;
		} else {
			size_t a = as[j++];

			prune(&ab, before, after->p[a].start);
			for (size_t k = 0; k < ab.n; k++)
				add_overlap(ov, before, ab.i[k], after, a);
			aa.i[aa.n++] = a;
		}
	}
	free(ab.i);
	free(aa.i);
	free(bs);
	free(as);
}

/* Domain pairs (before, after) as one sortable key. */
static uint64_t pair_key(uint32_t before, uint32_t after)
{
	return (uint64_t)before << 32 | after;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

struct key_set {
	uint64_t *k;
	size_t n;
};

static void key_set_seal(struct key_set *s)
{
	size_t keep = 0;

	qsort(s->k, s->n, sizeof(*s->k), cmp_u64);
	for (size_t i = 0; i < s->n; i++)
		if (!keep || s->k[keep - 1] != s->k[i])
			s->k[keep++] = s->k[i];
	s->n = keep;
}

static bool key_set_has(const struct key_set *s, uint64_t key)
{
	return s->n && bsearch(&key, s->k, s->n, sizeof(*s->k), cmp_u64);
}

void iova_compare(const struct iova_pieces *before,
		  const struct iova_pieces *after, iova_conflict_fn conflict,
		  void *ctx, struct iova_comparison *out)
{
	struct overlaps ov = { 0 };
	struct key_set pairs, paired_before, paired_after;
	bool *matched, *conflicted;

	memset(out, 0, sizeof(*out));
	find_overlaps(before, after, &ov);
	pairs.k = xalloc(ov.n, sizeof(uint64_t));
	paired_before.k = xalloc(ov.n, sizeof(uint64_t));
	paired_after.k = xalloc(ov.n, sizeof(uint64_t));
	pairs.n = paired_before.n = paired_after.n = 0;
	for (size_t k = 0; k < ov.n; k++) {
		uint32_t db = before->p[ov.o[k].before].domain;
		uint32_t da = after->p[ov.o[k].after].domain;

		if (!ov.o[k].agree)
			continue;
		pairs.k[pairs.n++] = pair_key(db, da);
		paired_before.k[paired_before.n++] = db;
		paired_after.k[paired_after.n++] = da;
	}
	key_set_seal(&pairs);
	key_set_seal(&paired_before);
	key_set_seal(&paired_after);

	matched = xalloc(before->n, sizeof(bool));
	conflicted = xalloc(before->n, sizeof(bool));
	for (size_t k = 0; k < ov.n; k++) {
		const struct overlap *o = &ov.o[k];
		uint32_t db = before->p[o->before].domain;
		uint32_t da = after->p[o->after].domain;

		if (o->agree) {
			matched[o->before] = true;
			continue;
		}
		if (!key_set_has(&pairs, pair_key(db, da)) &&
		    (key_set_has(&paired_before, db) || key_set_has(&paired_after, da)))
			continue;	/* another device's domain */
		conflicted[o->before] = true;
		out->conflicts++;
		if (conflict)
			conflict(ctx, &before->p[o->before], &after->p[o->after],
				 o->from, o->to);
	}
	for (size_t b = 0; b < before->n; b++)
		out->same += matched[b] && !conflicted[b];
	out->overlaps = ov.n;
	free(matched);
	free(conflicted);
	free(pairs.k);
	free(paired_before.k);
	free(paired_after.k);
	free(ov.o);
}
