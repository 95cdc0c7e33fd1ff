// SPDX-License-Identifier: GPL-2.0
#include "analyze/trace_join.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/event_compare.h"

#define MAX_STAGE_NUMBERS 64

/*
 * Makes room for element n of an array that holds n; capacity is implied:
 * 8, then doubling at each power of two. Aborts when memory runs out.
 */
static void *grow(void *arr, size_t n, size_t elem)
{
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		arr = realloc(arr, (n ? 2 * n : 8) * elem);
		if (!arr) {
			perror("lutrace");
			abort();
		}
	}
	return arr;
}

void lt_trace_init(struct lt_trace *t)
{
	memset(t, 0, sizeof(*t));
}

static void release_devices(struct lt_trace *t)
{
	for (size_t i = 0; i < t->ndevices; i++)
		free(t->devices[i].events);
	free(t->devices);
	t->devices = NULL;
	t->ndevices = 0;
}

void lt_trace_release(struct lt_trace *t)
{
	for (size_t i = 0; i < t->nsources; i++)
		free(t->sources[i]);
	free(t->sources);
	free(t->stages);
	free(t->events);
	free(t->diags);
	free(t->runs);
	release_devices(t);
	lt_trace_init(t);
}

/* Per-log state: which boot each stage number means at this point. */
struct log_loader {
	struct lt_trace *t;
	size_t source;
	long stage_of_number[MAX_STAGE_NUMBERS];
};

static long find_stage_by_boot(const struct lt_trace *t, const uint8_t id[16])
{
	for (size_t i = 0; i < t->nstages; i++)
		if (!memcmp(t->stages[i].boot_id, id, 16))
			return (long)i;
	return -1;
}

static void add_diag(struct lt_trace *t, size_t source,
		     const struct lt_log_diag *d)
{
	t->diags = grow(t->diags, t->ndiags, sizeof(*t->diags));
	t->diags[t->ndiags++] = (struct lt_trace_diag){ .source = source,
							.diag = *d };
}

static void on_diag(void *ctx, const struct lt_log_diag *d)
{
	struct log_loader *l = ctx;

	add_diag(l->t, l->source, d);
}

static void load_anchor(struct log_loader *l, const struct lt_clock_anchor *a)
{
	struct lt_trace *t = l->t;
	long i = find_stage_by_boot(t, a->boot_id);

	if (i < 0) {
		t->stages = grow(t->stages, t->nstages, sizeof(*t->stages));
		i = (long)t->nstages++;
		t->stages[i] = (struct lt_trace_stage){
			.number = a->stage,
			.first_anchor = *a,
			.last_anchor = *a,
		};
		memcpy(t->stages[i].boot_id, a->boot_id, 16);
	} else if (a->boottime_ns < t->stages[i].first_anchor.boottime_ns) {
		t->stages[i].first_anchor = *a;
	} else if (a->boottime_ns > t->stages[i].last_anchor.boottime_ns) {
		t->stages[i].last_anchor = *a;
	}
	if (a->stage < MAX_STAGE_NUMBERS)
		l->stage_of_number[a->stage] = i;
}

static long stage_for(const struct log_loader *l, uint32_t number)
{
	return number < MAX_STAGE_NUMBERS ? l->stage_of_number[number] : -1;
}

static void load_event(struct log_loader *l, const struct lt_record *rec)
{
	struct lt_trace *t = l->t;
	long stage = stage_for(l, rec->event.stage);
	struct lt_log_diag d = { .kind = LT_DIAG_BAD_PAYLOAD,
				 .offset = rec->offset };

	if (stage < 0) {
		snprintf(d.message, sizeof(d.message),
			 "event at offset %llu names stage %u, which has no clock anchor before it; left out",
			 (unsigned long long)rec->offset, rec->event.stage);
		add_diag(t, l->source, &d);
		t->unanchored_events++;
		return;
	}
	t->events = grow(t->events, t->nevents, sizeof(*t->events));
	t->events[t->nevents++] = (struct lt_trace_event){
		.ev = rec->event,
		.stage = (size_t)stage,
		.source = l->source,
		.offset = rec->offset,
	};
}

static struct lt_trace_run *find_run(struct lt_trace *t, const uint8_t boot_id[16],
				     uint64_t run_id)
{
	for (size_t i = 0; i < t->nruns; i++)
		if (t->runs[i].run_id == run_id && !memcmp(t->runs[i].boot_id, boot_id, 16))
			return &t->runs[i];
	t->runs = grow(t->runs, t->nruns, sizeof(*t->runs));
	t->runs[t->nruns] = (struct lt_trace_run){ .run_id = run_id };
	memcpy(t->runs[t->nruns].boot_id, boot_id, 16);
	return &t->runs[t->nruns++];
}

static void load_drops(struct log_loader *l, const struct lt_drops *d)
{
	long stage = stage_for(l, d->stage);
	struct lt_trace_stage *s;
	struct lt_trace_run *run;

	if (stage < 0)
		return;
	s = &l->t->stages[stage];
	s->has_drop_record = true;
	run = find_run(l->t, s->boot_id, d->run_id);
	/* A run's counters are cumulative: its highest value is its total. */
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++)
		if (d->lost.by_cause[c] > run->lost.by_cause[c])
			run->lost.by_cause[c] = d->lost.by_cause[c];
}

/* A stage's losses: the sum over its runs. */
static void sum_runs(struct lt_trace *t)
{
	memset(&t->lost, 0, sizeof(t->lost));
	for (size_t i = 0; i < t->nstages; i++) {
		struct lt_trace_stage *s = &t->stages[i];

		memset(&s->lost, 0, sizeof(s->lost));
		s->runs = 0;
		for (size_t r = 0; r < t->nruns; r++) {
			if (memcmp(t->runs[r].boot_id, s->boot_id, 16))
				continue;
			lt_losses_add(&s->lost, &t->runs[r].lost);
			s->runs++;
		}
		lt_losses_add(&t->lost, &s->lost);
	}
}

static int on_record(void *ctx, const struct lt_record *rec)
{
	struct log_loader *l = ctx;

	switch (rec->type) {
	case LT_REC_CLOCK_ANCHOR: load_anchor(l, &rec->anchor); break;
	case LT_REC_EVENT: load_event(l, rec); break;
	case LT_REC_DROPS: load_drops(l, &rec->drops); break;
	}
	return 0;
}

int lt_trace_add_log(struct lt_trace *t, const char *name, const void *buf,
		     size_t len, char *err, size_t errlen)
{
	static const struct lt_log_visitor visitor = {
		.record = on_record,
		.diag = on_diag,
	};
	struct log_loader l = { .t = t, .source = t->nsources };
	char why[200];

	for (size_t i = 0; i < MAX_STAGE_NUMBERS; i++)
		l.stage_of_number[i] = -1;
	t->sources = grow(t->sources, t->nsources, sizeof(*t->sources));
	t->sources[t->nsources++] = strdup(name);
	if (lt_log_parse(buf, len, &visitor, &l, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", name, why);
		return -1;
	}
	return 0;
}

int lt_trace_add_file(struct lt_trace *t, const char *path, char *err,
		      size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *map;
	int ret;

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		close(fd);
		return lt_trace_add_log(t, path, "", 0, err, errlen);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = lt_trace_add_log(t, path, map, (size_t)st.st_size, err, errlen);
	munmap(map, (size_t)st.st_size);
	return ret;
}

long lt_trace_stage_index(const struct lt_trace *t, uint32_t number)
{
	for (size_t i = 0; i < t->nstages; i++)
		if (t->stages[i].number == number)
			return (long)i;
	return -1;
}

long lt_trace_next_stage(const struct lt_trace *t, size_t s)
{
	/* Stages are ordered by number and no number is there twice. */
	if (s + 1 >= t->nstages ||
	    t->stages[s + 1].number != t->stages[s].number + 1)
		return -1;
	return (long)s + 1;
}

uint64_t lt_trace_span_error_ns(const struct lt_trace *t, size_t a, size_t b)
{
	uint64_t ea = t->stages[a].clock.error_ns, eb = t->stages[b].clock.error_ns;

	return ea > eb ? ea - eb : eb - ea;
}

static int cmp_stage_number(const void *a, const void *b)
{
	const struct lt_trace_stage *x = a, *y = b;

	return (x->number > y->number) - (x->number < y->number);
}

/* Equal content sorts together so duplicates from two logs are adjacent. */
static int cmp_event(const void *a, const void *b)
{
	const struct lt_trace_event *x = a, *y = b;
	int c;

	if (x->axis_ns != y->axis_ns)
		return x->axis_ns < y->axis_ns ? -1 : 1;
	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	if (x->source != y->source || x->offset != y->offset) {
		c = event_compare(&x->ev, &y->ev);
		if (c)
			return c;
	}
	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

static void renumber_event_stages(struct lt_trace *t, const uint8_t (*old_ids)[16])
{
	for (size_t i = 0; i < t->nevents; i++)
		t->events[i].stage =
			(size_t)find_stage_by_boot(t, old_ids[t->events[i].stage]);
}

static void drop_duplicates(struct lt_trace *t)
{
	size_t keep = 0;

	for (size_t i = 0; i < t->nevents; i++) {
		const struct lt_trace_event *e = &t->events[i];

		if (keep && t->events[keep - 1].stage == e->stage &&
		    !event_compare(&t->events[keep - 1].ev, &e->ev))
			continue;
		t->events[keep++] = *e;
	}
	t->nevents = keep;
}

static int order_stages(struct lt_trace *t, char *err, size_t errlen)
{
	uint8_t (*ids)[16] = malloc((t->nstages + 1) * 16);

	if (!ids)
		abort();
	for (size_t i = 0; i < t->nstages; i++)
		memcpy(ids[i], t->stages[i].boot_id, 16);
	if (t->nstages)
		qsort(t->stages, t->nstages, sizeof(*t->stages),
		      cmp_stage_number);
	renumber_event_stages(t, (const uint8_t (*)[16])ids);
	free(ids);
	for (size_t i = 1; i < t->nstages; i++) {
		if (t->stages[i].number == t->stages[i - 1].number) {
			snprintf(err, errlen,
				 "two different boots both claim to be stage %u; were logs of different runs mixed?",
				 t->stages[i].number);
			return -1;
		}
	}
	return 0;
}

static uint64_t dev_hash(const char *dev)
{
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */

	for (; *dev; dev++)
		h = (h ^ (uint8_t)*dev) * 1099511628211ull;
	return h;
}

/* Where dev is in the table (slots hold a device index + 1), or the empty slot for it. */
static size_t device_slot(const struct lt_trace *t, const size_t *slot, size_t cap,
			  const char *dev)
{
	size_t h = (size_t)dev_hash(dev) & (cap - 1);

	while (slot[h] && strcmp(t->devices[slot[h] - 1].name, dev))
		h = (h + 1) & (cap - 1);
	return h;
}

static size_t *device_table(const struct lt_trace *t, size_t cap)
{
	size_t *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		abort();
	for (size_t k = 0; k < t->ndevices; k++)
		slot[device_slot(t, slot, cap, t->devices[k].name)] = k + 1;
	return slot;
}

/*
 * Each event's device, by one hash lookup each, then each device's events
 * in trace order: O(events), whatever the number of devices.
 */
static void index_devices(struct lt_trace *t)
{
	size_t cap = 64, *slot, *fill;

	release_devices(t);
	slot = device_table(t, cap);
	for (size_t i = 0; i < t->nevents; i++) {
		const char *dev = t->events[i].ev.dev;
		size_t h = device_slot(t, slot, cap, dev);

		if (!slot[h]) {
			t->devices = grow(t->devices, t->ndevices, sizeof(*t->devices));
			t->devices[t->ndevices] = (struct lt_trace_device){ .name = dev };
			slot[h] = ++t->ndevices;
		}
		t->events[i].device = slot[h] - 1;
		t->devices[slot[h] - 1].nevents++;
		if (2 * t->ndevices > cap) {
			free(slot);
			cap *= 2;
			slot = device_table(t, cap);
		}
	}
	free(slot);
	fill = calloc(t->ndevices + 1, sizeof(*fill));
	if (!fill)
		abort();
	for (size_t k = 0; k < t->ndevices; k++) {
		t->devices[k].events = malloc(t->devices[k].nevents * sizeof(size_t));
		if (!t->devices[k].events)
			abort();
	}
	for (size_t i = 0; i < t->nevents; i++) {
		size_t k = t->events[i].device;

		t->devices[k].events[fill[k]++] = i;
	}
	free(fill);
}

const struct lt_trace_device *lt_trace_device_named(const struct lt_trace *t,
						    const char *dev)
{
	for (size_t k = 0; k < t->ndevices; k++)
		if (!strcmp(t->devices[k].name, dev))
			return &t->devices[k];
	return NULL;
}

size_t lt_trace_device_after(const struct lt_trace_device *d, size_t i)
{
	size_t lo = 0, hi = d->nevents;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->events[mid] <= i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Each stage's earliest attach and what its runs had from boot. */
static void find_attaches(struct lt_trace *t)
{
	for (size_t i = 0; i < t->nevents; i++) {
		const struct lt_trace_event *e = &t->events[i];
		struct lt_trace_stage *s = &t->stages[e->stage];

		if (e->ev.id != LT_EV_RECORDER_ATTACHED)
			continue;
		if (!s->attach_known || e->axis_ns < s->attached_ns)
			s->attached_ns = e->axis_ns;
		s->attach_known = true;
		s->boot_traced |= (uint32_t)e->ev.arg;
	}
}

int lt_trace_finish(struct lt_trace *t, char *err, size_t errlen)
{
	const struct lt_clock_anchor **first, **last;
	struct clock_mapping *map;
	uint32_t *number;

	if (order_stages(t, err, errlen))
		return -1;
	first = calloc(t->nstages + 1, sizeof(*first));
	last = calloc(t->nstages + 1, sizeof(*last));
	map = calloc(t->nstages + 1, sizeof(*map));
	number = calloc(t->nstages + 1, sizeof(*number));
	if (!first || !last || !map || !number)
		abort();
	for (size_t i = 0; i < t->nstages; i++) {
		first[i] = &t->stages[i].first_anchor;
		last[i] = &t->stages[i].last_anchor;
		number[i] = t->stages[i].number;
	}
	clock_map_stages(t->nstages, first, last, number, map);
	for (size_t i = 0; i < t->nstages; i++)
		t->stages[i].clock = map[i];
	sum_runs(t);
	free(first);
	free(last);
	free(map);
	free(number);

	for (size_t i = 0; i < t->nevents; i++) {
		struct lt_trace_event *e = &t->events[i];

		e->axis_ns = (int64_t)e->ev.boottime_ns +
			     t->stages[e->stage].clock.offset_ns;
	}
	if (t->nevents)
		qsort(t->events, t->nevents, sizeof(*t->events), cmp_event);
	drop_duplicates(t);
	index_devices(t);
	find_attaches(t);
	return 0;
}

bool lt_trace_saw_from(const struct lt_trace *t, size_t s, int64_t from_ns,
		       uint32_t kinds)
{
	const struct lt_trace_stage *st = &t->stages[s];

	if (!st->attach_known)
		return false;
	return st->attached_ns <= from_ns || (st->boot_traced & kinds) == kinds;
}
