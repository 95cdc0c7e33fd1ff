// SPDX-License-Identifier: GPL-2.0
#include "record/bpf_loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lutrace.skel.h"
#include "record/clock_anchor.h"
#include "record/kernel_probe.h"
#include "record/prog_choice.h"

struct bpf_tracer {
	struct lutrace_bpf *skel;
	struct lutrace_bpf *fallback;	/* other flavours of programs that did not attach */
	struct ring_buffer *rb;
	struct bpf_link **links;
	size_t nlinks;
	size_t untraced;
	struct ring_sample_sink samples;
	uint64_t recursion_misses;	/* the last count read, and when */
	uint64_t misses_read_ns;
};

/* A count is a syscall a program: at most this often while recording. */
#define MISSES_READ_EVERY_NS	100000000ull

/*
 * In -v, libbpf's log and the notes below go to memory while starting and
 * to stderr in one write at the end: a line at a time, to a serial console
 * or a 9p share, cost more than the loading itself.
 */
static bool verbose_log;
static FILE *vlog;
static char *vlog_text;
static size_t vlog_len;

static FILE *out(void)
{
	return vlog ? vlog : stderr;
}

static void vlog_begin(void)
{
	if (verbose_log)
		vlog = open_memstream(&vlog_text, &vlog_len);
}

static void vlog_end(void)
{
	if (!vlog)
		return;
	fclose(vlog);
	vlog = NULL;
	fwrite(vlog_text, 1, vlog_len, stderr);
	free(vlog_text);
	vlog_text = NULL;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose_log)
		return 0;
	return vfprintf(out(), fmt, ap);
}

static void say(bool always, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(bool always, const char *fmt, ...)
{
	va_list ap;

	if (!always && !verbose_log)
		return;
	fputs("lutrace: ", out());
	va_start(ap, fmt);
	vfprintf(out(), fmt, ap);
	va_end(ap);
	fputc('\n', out());
}

static enum prog_kind kind_of(const struct bpf_program *p, const char **target)
{
	return prog_kind_of(bpf_program__section_name(p), target);
}

/* The program of this kind for this target, or NULL. */
static struct bpf_program *find_program(struct lutrace_bpf *skel,
					enum prog_kind kind, const char *target)
{
	struct bpf_program *p;
	const char *t;

	bpf_object__for_each_program(p, skel->obj)
		if (kind_of(p, &t) == kind && !strcmp(t, target))
			return p;
	return NULL;
}

/* The perf program of tracepoint @event (a tp_btf/raw_tp target), or NULL. */
static struct bpf_program *find_perf_program(struct lutrace_bpf *skel, const char *event)
{
	struct bpf_program *p;
	const char *name;

	bpf_object__for_each_program(p, skel->obj) {
		name = prog_perf_event(bpf_program__section_name(p));
		if (name && !strcmp(name, event))
			return p;
	}
	return NULL;
}

/* In -v, one line per traced or untraced target, and why; returns untraced. */
static size_t explain_choices(struct lutrace_bpf *skel)
{
	struct bpf_program *p;
	const char *target;
	size_t missing = 0;

	bpf_object__for_each_program(p, skel->obj) {
		enum prog_kind k = kind_of(p, &target);
		enum prog_kind pk = prog_preferred_kind(k);
		struct bpf_program *preferred, *perf;

		/* Each pair is explained once, from its fallback member. */
		if (pk == PK_OTHER)
			continue;
		preferred = find_program(skel, pk, target);
		if (k == PK_RAW_TP && (perf = find_perf_program(skel, target)) &&
		    bpf_program__autoload(perf)) {
			say(false, "%s: tp (perf)", target);
		} else if (preferred && bpf_program__autoload(preferred)) {
			say(false, "%s: %s", target, prog_kind_name(pk));
		} else if (bpf_program__autoload(p) && k != PK_RAW_TP) {
			/* kprobes come first (prog_choice.h) */
			say(false, "%s: %s", target, prog_kind_name(k));
		} else if (bpf_program__autoload(p)) {
			say(false, "%s: %s (the preferred %s is not possible here)", target,
			    prog_kind_name(k), prog_kind_name(pk));
		} else {
			missing++;
			say(false, "%s: NOT TRACED (%s): %s", target, prog_kind_name(pk),
			    k == PK_RAW_TP ?
			    "no such tracepoint in this kernel (the lutrace kernel series adds the live update ones)" :
			    "function not traceable here (no fentry or kprobe)");
		}
	}
	return missing;
}

/* prog_choose() for each program, then one program per tracepoint */
static void choose_programs(struct lutrace_bpf *skel, struct kernel_probe *kp,
			    const struct prog_policy *pol)
{
	size_t n = skel->skeleton->prog_cnt, i = 0;
	const char **sections = calloc(n, sizeof(*sections));
	bool *chosen = calloc(n, sizeof(*chosen));
	struct bpf_program *p;
	const char *unused;

	bpf_object__for_each_program(p, skel->obj) {
		bool c = prog_choose(kp, pol, bpf_program__section_name(p));

		if (sections && chosen && i < n) {
			sections[i] = bpf_program__section_name(p);
			chosen[i++] = c;
		}
		bpf_program__set_autoload(p, c);
	}
	/* Without memory for the arrays: tp_btf, as if perf were not there */
	if (!sections || !chosen || i != n) {
		bpf_object__for_each_program(p, skel->obj)
			if (prog_kind_of(bpf_program__section_name(p), &unused) == PK_TP)
				bpf_program__set_autoload(p, false);
	} else {
		prog_prefer_perf(sections, chosen, n);
		i = 0;
		bpf_object__for_each_program(p, skel->obj)
			bpf_program__set_autoload(p, chosen[i++]);
	}
	free(sections);
	free(chosen);
}

static struct lutrace_bpf *open_object(const struct bpf_loader_options *opt)
{
	struct lutrace_bpf *skel = lutrace_bpf__open();
	int ret;

	if (!skel)
		return NULL;
	skel->rodata->trace_iommu_mappings = opt->trace_iommu_mappings;
	/* The fallback object reuses the main one's map, size and all. */
	if (opt->ringbuf_bytes &&
	    (ret = bpf_map__set_max_entries(skel->maps.events, opt->ringbuf_bytes))) {
		lutrace_bpf__destroy(skel);
		errno = -ret;
		return NULL;
	}
	return skel;
}

static void load_error(int ret, char *err, size_t errlen)
{
	if (ret == -EPERM || ret == -EACCES)
		snprintf(err, errlen, "loading BPF programs needs root (CAP_BPF and CAP_PERFMON): %s",
			 strerror(-ret));
	else
		snprintf(err, errlen, "loading the BPF programs failed: %s (run with -v for libbpf's log)",
			 strerror(-ret));
}

/*
 * One load of the object with one program of each pair. Where loading
 * fails with fentry programs, kprobes take their place; where it fails with
 * those too, there are no function probes at all.
 */
static int load_main(struct bpf_tracer *t, struct kernel_probe *kp,
		     const struct bpf_loader_options *opt, char *err, size_t errlen)
{
	struct prog_policy pol = { .fentry_ok = true, .function_probes = true,
				   .perf_tracepoints = true, .kprobes_first = true };
	int ret;

	for (;;) {
		t->skel = open_object(opt);
		if (!t->skel) {
			snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
			return -1;
		}
		choose_programs(t->skel, kp, &pol);
		t->untraced = explain_choices(t->skel);
		ret = lutrace_bpf__load(t->skel);
		if (!ret)
			return 0;
		lutrace_bpf__destroy(t->skel);
		t->skel = NULL;
		if (pol.perf_tracepoints) {
			say(true, "loading with perf tracepoint programs failed (%s); retrying with tp_btf/raw_tp",
			    strerror(-ret));
			pol.perf_tracepoints = false;
			continue;
		}
		if (!pol.function_probes)
			break;
		if (pol.fentry_ok) {
			say(true, "loading with fentry programs failed (%s); retrying with kprobes only",
			    strerror(-ret));
			pol.fentry_ok = false;
		} else {
			say(true, "loading with kprobes failed (%s); retrying without: PCI resets, bus mastering, kexec and the IOMMU domain of mappings will not be traced",
			    strerror(-ret));
			pol.function_probes = false;
		}
	}
	load_error(ret, err, errlen);
	return -1;
}

static void keep_link(struct bpf_tracer *t, struct bpf_link *link)
{
	t->links[t->nlinks++] = link;
}

/* A program by kind and target: one whose stand-in is wanted. */
struct prog_ref {
	enum prog_kind kind;
	const char *target;
};

/*
 * Attaches every loaded program; a program that does not attach is returned
 * in failed for another flavour to take its place: a perf tracepoint's
 * tp_btf or raw_tp (perf refused, e.g. without CAP_PERFMON), a kprobe's
 * fentry (a function kprobes refuse), an fentry's kprobe (a function
 * without an fentry site, a kernel without trampolines), and exits alike.
 */
static size_t attach_main(struct bpf_tracer *t, struct prog_ref *failed)
{
	struct bpf_program *p;
	const char *target;
	size_t nfailed = 0;

	bpf_object__for_each_program(p, t->skel->obj) {
		struct bpf_link *link;
		enum prog_kind k;

		if (!bpf_program__autoload(p))
			continue;
		link = bpf_program__attach(p);
		if (link) {
			keep_link(t, link);
		} else if ((k = kind_of(p, &target)) != PK_TP_BTF && k != PK_RAW_TP &&
			   k != PK_OTHER) {
			say(false, "%s: %s did not attach (%s); trying another way", target,
			    prog_kind_name(k), strerror(errno));
			failed[nfailed++] = (struct prog_ref){ k, target };
		} else {
			say(true, "%s: attach failed (%s); not traced", target, strerror(errno));
			t->untraced++;
		}
	}
	return nfailed;
}

/* The kind that takes the place of a program of @kind that did not attach. */
static enum prog_kind stand_in_kind(enum prog_kind kind)
{
	switch (kind) {
	case PK_KPROBE: return PK_FENTRY;
	case PK_KRETPROBE: return PK_FEXIT;
	case PK_FENTRY: return PK_KPROBE;
	case PK_FEXIT: return PK_KRETPROBE;
	default: return PK_OTHER;
	}
}

/* Whether p stands in for one of the programs that did not attach. */
static bool stands_in(struct kernel_probe *kp, const struct bpf_program *p,
		      const struct prog_ref *failed, size_t n)
{
	const char *target, *event;
	enum prog_kind k = kind_of(p, &target);

	for (size_t i = 0; i < n; i++) {
		if (failed[i].kind == PK_TP) {
			event = strchr(failed[i].target, '/');
			if (!event || strcmp(event + 1, target))
				continue;
			if (k == PK_TP_BTF)
				return kernel_has_tp_btf(kp, target);
			if (k == PK_RAW_TP)
				return !kernel_has_tp_btf(kp, target) &&
				       kernel_has_tracepoint(kp, target);
		} else if (stand_in_kind(failed[i].kind) == k &&
			   !strcmp(failed[i].target, target)) {
			return k == PK_FENTRY || k == PK_FEXIT ? kernel_has_btf_func(kp, target) :
								 kernel_has_symbol(kp, target);
		}
	}
	return false;
}

/* The fallback object's maps are the main object's, so the two are one. */
static int share_maps(struct lutrace_bpf *fb, const struct lutrace_bpf *main)
{
	return bpf_map__reuse_fd(fb->maps.events, bpf_map__fd(main->maps.events)) ||
	       bpf_map__reuse_fd(fb->maps.bss, bpf_map__fd(main->maps.bss)) ||
	       bpf_map__reuse_fd(fb->maps.domain_of_task,
				 bpf_map__fd(main->maps.domain_of_task)) ||
	       bpf_map__reuse_fd(fb->maps.domain_numbers,
				 bpf_map__fd(main->maps.domain_numbers));
}

/*
 * The stand-ins of the programs that did not attach (stands_in()), in a
 * second load of the object that shares the first one's maps: ring buffer,
 * drop counter and the iommu_domain numbers.
 */
static void attach_fallback(struct bpf_tracer *t, struct kernel_probe *kp,
			    const struct bpf_loader_options *opt,
			    const struct prog_ref *failed, size_t nfailed)
{
	struct lutrace_bpf *fb = open_object(opt);
	size_t traced = 0;
	struct bpf_program *p;
	const char *target;

	if (!fb || share_maps(fb, t->skel))
		goto done;
	bpf_object__for_each_program(p, fb->obj)
		bpf_program__set_autoload(p, stands_in(kp, p, failed, nfailed));
	if (lutrace_bpf__load(fb))
		goto done;
	bpf_object__for_each_program(p, fb->obj) {
		struct bpf_link *link;
		enum prog_kind k;

		if (!bpf_program__autoload(p))
			continue;
		k = kind_of(p, &target);
		link = bpf_program__attach(p);
		if (link) {
			keep_link(t, link);
			traced++;
			say(false, "%s: %s (the first choice did not attach)", target,
			    prog_kind_name(k));
		} else {
			say(true, "%s: attach failed (%s); not traced", target, strerror(errno));
		}
	}
done:
	if (!traced) {
		lutrace_bpf__destroy(fb);
		fb = NULL;
	}
	t->fallback = fb;
	t->untraced += nfailed - traced;
	if (traced < nfailed)
		say(true, "%zu program(s) that did not attach have no other flavour that did either; not traced",
		    nfailed - traced);
}

static int on_ring_event(void *ctx, void *data, size_t size)
{
	struct bpf_tracer *t = ctx;

	return ring_sample_take(&t->samples, data, size);
}

static void lap(const struct bpf_loader_options *opt, const char *name)
{
	if (opt->sw)
		stopwatch_lap(opt->sw, name);
}

static int start(struct bpf_tracer *t, struct kernel_probe *kp,
		 const struct bpf_loader_options *opt, char *err, size_t errlen)
{
	struct prog_ref *failed;
	size_t nprogs, nfailed;

	kernel_probe_open(kp);
	lap(opt, "probe");
	if (!kp->vmlinux_btf) {
		snprintf(err, errlen, "this kernel has no BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF=y); lutrace needs it");
		return -1;
	}
	if (load_main(t, kp, opt, err, errlen))
		return -1;
	lap(opt, "load");
	nprogs = t->skel->skeleton->prog_cnt;
	t->links = calloc(2 * nprogs, sizeof(*t->links));
	failed = calloc(nprogs + 1, sizeof(*failed));
	if (!t->links || !failed) {
		free(failed);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	nfailed = attach_main(t, failed);
	if (nfailed)
		attach_fallback(t, kp, opt, failed, nfailed);
	free(failed);
	if (!t->nlinks) {
		snprintf(err, errlen, "no BPF program could be attached");
		return -1;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_ring_event,
				 t, NULL);
	if (!t->rb) {
		snprintf(err, errlen, "cannot set up the ring buffer: %s", strerror(errno));
		return -1;
	}
	lap(opt, "attach");
	return 0;
}

struct bpf_tracer *bpf_tracer_start(const struct bpf_loader_options *opt,
				    char *err, size_t errlen)
{
	struct bpf_tracer *t = calloc(1, sizeof(*t));
	struct kernel_probe kp = { 0 };
	int ret;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->samples.on_event = opt->on_event;
	t->samples.ctx = opt->ctx;
	verbose_log = opt->verbose;
	libbpf_set_print(libbpf_print);
	vlog_begin();
	ret = start(t, &kp, opt, err, errlen);
	vlog_end();
	kernel_probe_close(&kp);
	if (ret) {
		bpf_tracer_stop(t);
		return NULL;
	}
	return t;
}

int bpf_tracer_poll(struct bpf_tracer *t, int timeout_ms)
{
	return ring_buffer__poll(t->rb, timeout_ms);
}

uint64_t bpf_tracer_dropped(const struct bpf_tracer *t)
{
	return __atomic_load_n(&t->skel->bss->dropped_events, __ATOMIC_RELAXED);
}

uint32_t bpf_tracer_ringbuf_bytes(const struct bpf_tracer *t)
{
	return bpf_map__max_entries(t->skel->maps.events);
}

size_t bpf_tracer_attached(const struct bpf_tracer *t)
{
	return t->nlinks;
}

size_t bpf_tracer_untraced(const struct bpf_tracer *t)
{
	return t->untraced;
}

void bpf_tracer_stop(struct bpf_tracer *t)
{
	if (!t)
		return;
	ring_buffer__free(t->rb);
	for (size_t i = 0; i < t->nlinks; i++)
		bpf_link__destroy(t->links[i]);
	free(t->links);
	lutrace_bpf__destroy(t->fallback);
	lutrace_bpf__destroy(t->skel);
	free(t);
}

static int read_ring_buffer(void *self, int wait_ms, uint32_t stage,
			    lt_event_fn fn, void *ctx)
{
	int n = bpf_tracer_poll(self, wait_ms);

	(void)stage;	/* the events went to on_event as they came */
	(void)fn;
	(void)ctx;
	return n < 0 && n != -EINTR ? n : 0;
}

/*
 * Runs of an object's programs the kernel skipped, only counted in their
 * recursion_misses: perf and kprobe programs that would nest in another BPF
 * program on their CPU, and tp_btf, raw_tp and fentry ones also when another
 * task's run of the same program is preempted there. Each may be an event
 * never reserved. Those of the programs that only note IOMMU domains count
 * too: a domain lost is evidence lost.
 */
static uint64_t recursion_misses(const struct lutrace_bpf *skel)
{
	struct bpf_program *p;
	uint64_t n = 0;

	if (!skel)
		return 0;
	bpf_object__for_each_program(p, skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		memset(&info, 0, sizeof(info));
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			n += info.recursion_misses;
	}
	return n;
}

void bpf_tracer_read_misses(struct bpf_tracer *t)
{
	if (!t)
		return;
	t->recursion_misses = recursion_misses(t->skel) + recursion_misses(t->fallback);
	t->misses_read_ns = clock_boottime_ns();
}

static void ring_buffer_lost(void *self, struct lt_losses *sum)
{
	struct bpf_tracer *t = self;

	if (clock_boottime_ns() - t->misses_read_ns >= MISSES_READ_EVERY_NS)
		bpf_tracer_read_misses(t);
	sum->by_cause[LT_LOSS_RING_BUFFER] += bpf_tracer_dropped(t);
	sum->by_cause[LT_LOSS_SHORT_SAMPLE] += t->samples.short_samples;
	sum->by_cause[LT_LOSS_PROG_RECURSION] += t->recursion_misses;
}

struct record_source bpf_tracer_record_source(struct bpf_tracer *t)
{
	return (struct record_source){ read_ring_buffer, ring_buffer_lost, t,
				       "the ring buffer" };
}
