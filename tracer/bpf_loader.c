// SPDX-License-Identifier: GPL-2.0
#include "bpf_loader.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_probe.h"
#include "prog_choice.h"
#include "lutrace.skel.h"

struct bpf_tracer {
	struct lutrace_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link **links;
	size_t nlinks;
	size_t untraced;
	bpf_event_fn on_event;
	void *ctx;
};

static bool verbose_log;
static bool probing;	/* failures are answers while calibrating */

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if ((level == LIBBPF_DEBUG || probing) && !verbose_log)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_log)
		return;
	fputs("lutrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The calibration programs are no pair member, whatever their section. */
static enum prog_kind kind_of(const struct bpf_program *p, const char **target)
{
	const char *sec = bpf_program__section_name(p);

	if (!strncmp(bpf_program__name(p), "calibrate_", 10)) {
		*target = sec;
		return PK_OTHER;
	}
	return prog_kind_of(sec, target);
}

/* Loads and attaches only the named program: can this kernel do it? */
static bool calibrate(const char *prog_name)
{
	struct lutrace_bpf *skel = lutrace_bpf__open();
	struct bpf_program *p, *only = NULL;
	struct bpf_link *link = NULL;

	if (!skel)
		return false;
	probing = true;
	bpf_object__for_each_program(p, skel->obj) {
		bool mine = !strcmp(bpf_program__name(p), prog_name);

		bpf_program__set_autoload(p, mine);
		if (mine)
			only = p;
	}
	if (only && !lutrace_bpf__load(skel))
		link = bpf_program__attach(only);
	bpf_link__destroy(link);
	lutrace_bpf__destroy(skel);
	probing = false;
	note("%s: %s", prog_name, link ? "works" : "not available");
	return link != NULL;
}

struct choice {
	struct prog_policy policy;
	size_t unavailable;
};

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

static bool choose(const struct kernel_probe *kp, const struct choice *c,
		   struct bpf_program *p)
{
	const char *target;

	if (kind_of(p, &target) == PK_OTHER)
		return false;
	return prog_choose(kp, &c->policy, bpf_program__section_name(p));
}

/* In -v, one line per traced or untraced target, and why; returns untraced. */
static size_t explain_choices(struct lutrace_bpf *skel)
{
	struct bpf_program *p;
	const char *target;
	size_t missing = 0;

	bpf_object__for_each_program(p, skel->obj) {
		enum prog_kind k = kind_of(p, &target);
		bool raw = k == PK_RAW_TP;
		struct bpf_program *preferred;

		/* Each pair is explained once, from its fallback member. */
		if (k != PK_RAW_TP && k != PK_KPROBE)
			continue;
		preferred = find_program(skel, prog_preferred_kind(k), target);
		if (preferred && bpf_program__autoload(preferred)) {
			note("%s: %s", target, raw ? "tp_btf" : "fentry");
		} else if (bpf_program__autoload(p)) {
			note("%s: %s (the preferred %s is not possible here)", target,
			     raw ? "raw_tp" : "kprobe", raw ? "tp_btf" : "fentry");
		} else {
			missing++;
			note("%s: NOT TRACED: %s", target, raw ?
			     "no such tracepoint in this kernel (the lutrace kernel series adds the live update ones)" :
			     "function not traceable here (no fentry or kprobe)");
		}
	}
	return missing;
}

static struct lutrace_bpf *open_and_choose(const struct kernel_probe *kp,
					   const struct choice *c,
					   const struct bpf_loader_options *opt)
{
	struct lutrace_bpf *skel = lutrace_bpf__open();
	struct bpf_program *p;

	if (!skel)
		return NULL;
	skel->rodata->trace_iommu_mappings = opt->trace_iommu_mappings;
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, choose(kp, c, p));
	return skel;
}

static int on_ring_event(void *ctx, void *data, size_t size)
{
	struct bpf_tracer *t = ctx;

	if (size < sizeof(struct lutrace_event))
		return 0;
	return t->on_event(t->ctx, data);
}

static int attach_each(struct bpf_tracer *t)
{
	struct bpf_program *p;
	const char *target;

	bpf_object__for_each_program(p, t->skel->obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(p))
			continue;
		link = bpf_program__attach(p);
		if (!link) {
			kind_of(p, &target);
			fprintf(stderr, "lutrace: %s: attach failed (%s); not traced\n",
				target, strerror(errno));
			continue;
		}
		t->links[t->nlinks++] = link;
	}
	return t->nlinks ? 0 : -1;
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

static int load(struct bpf_tracer *t, const struct kernel_probe *kp,
		struct choice *c, const struct bpf_loader_options *opt,
		char *err, size_t errlen)
{
	int ret;

	t->skel = open_and_choose(kp, c, opt);
	if (!t->skel) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	c->unavailable = explain_choices(t->skel);
	ret = lutrace_bpf__load(t->skel);
	if (ret && c->policy.function_probes && ret != -EPERM) {
		fprintf(stderr, "lutrace: loading failed with function probes (%s); retrying without: PCI resets, bus mastering and kexec will not be traced\n",
			strerror(-ret));
		lutrace_bpf__destroy(t->skel);
		c->policy.function_probes = false;
		return load(t, kp, c, opt, err, errlen);
	}
	if (ret) {
		load_error(ret, err, errlen);
		return -1;
	}
	return 0;
}

static void lap(const struct bpf_loader_options *opt, const char *name)
{
	if (opt->sw)
		stopwatch_lap(opt->sw, name);
}

struct bpf_tracer *bpf_tracer_start(const struct bpf_loader_options *opt,
				    char *err, size_t errlen)
{
	struct bpf_tracer *t = calloc(1, sizeof(*t));
	struct kernel_probe kp;
	struct choice c = { .policy.function_probes = true };
	char why[256];

	verbose_log = opt->verbose;
	libbpf_set_print(libbpf_print);
	if (!t || kernel_probe_open(&kp, why, sizeof(why))) {
		snprintf(err, errlen, "%s", t ? why : "out of memory");
		free(t);
		return NULL;
	}
	lap(opt, "probe");
	if (!kp.vmlinux_btf) {
		snprintf(err, errlen, "this kernel has no BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF=y); lutrace needs it");
		goto fail;
	}
	c.policy.fentry_ok = calibrate("calibrate_fentry");
	lap(opt, "calibrate");
	if (load(t, &kp, &c, opt, err, errlen))
		goto fail;
	lap(opt, "load");
	t->on_event = opt->on_event;
	t->ctx = opt->ctx;
	t->links = calloc(t->skel->skeleton->prog_cnt + 1, sizeof(*t->links));
	if (!t->links || attach_each(t)) {
		snprintf(err, errlen, "no BPF program could be attached");
		goto fail;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_ring_event,
				 t, NULL);
	if (!t->rb) {
		snprintf(err, errlen, "cannot set up the ring buffer: %s", strerror(errno));
		goto fail;
	}
	lap(opt, "attach");
	t->untraced = c.unavailable;
	kernel_probe_close(&kp);
	return t;
fail:
	kernel_probe_close(&kp);
	bpf_tracer_stop(t);
	return NULL;
}

int bpf_tracer_poll(struct bpf_tracer *t, int timeout_ms)
{
	return ring_buffer__poll(t->rb, timeout_ms);
}

uint64_t bpf_tracer_dropped(const struct bpf_tracer *t)
{
	return __atomic_load_n(&t->skel->bss->dropped_events, __ATOMIC_RELAXED);
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
	lutrace_bpf__destroy(t->skel);
	free(t);
}
