// SPDX-License-Identifier: GPL-2.0
#include "record/kernel_probe.h"
#include "record/whole_file.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Keeps only the names from /proc/kallsyms lines, one per line. */
int kernel_probe_set_kallsyms(struct kernel_probe *kp, const char *text)
{
	size_t len = strlen(text);
	char *out = malloc(len + 2), *o = out;

	if (!out)
		return -1;
	*o++ = '\n';
	while (*text) {
		const char *eol = strchr(text, '\n');
		const char *name = text;
		size_t n;

		if (!eol)
			eol = text + strlen(text);
		/* "ffffffff81c4d9d0 T pcie_flr\t[module]": the third field */
		for (int field = 0; field < 2 && name < eol; field++) {
			name = memchr(name, ' ', (size_t)(eol - name));
			name = name ? name + 1 : eol;
		}
		n = strcspn(name, " \t\n");
		if (name + n > eol)
			n = (size_t)(eol - name);
		memcpy(o, name, n);
		o += n;
		*o++ = '\n';
		text = *eol ? eol + 1 : eol;
	}
	*o = '\0';
	free(kp->kallsyms);
	kp->kallsyms = out;
	kp->kallsyms_tried = true;
	return 0;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static const char *indexed_name(const struct btf *btf, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(btf, t->name_off);

	if (!name)
		return NULL;
	if (btf_is_func(t) || (btf_is_typedef(t) && !strncmp(name, "btf_trace_", 10)))
		return name;
	return NULL;
}

/* One pass over the types instead of one per question. */
static int build_index(struct kernel_probe *kp)
{
	uint32_t n = btf__type_cnt(kp->vmlinux_btf), count = 0;
	size_t size = 16;

	for (uint32_t id = 1; id < n; id++)
		count += indexed_name(kp->vmlinux_btf, btf__type_by_id(kp->vmlinux_btf, id)) != NULL;
	while (size < 2 * (size_t)count)
		size *= 2;
	kp->btf_index = calloc(size, sizeof(*kp->btf_index));
	if (!kp->btf_index)
		return -1;
	kp->btf_index_mask = size - 1;
	for (uint32_t id = 1; id < n; id++) {
		const char *name = indexed_name(kp->vmlinux_btf,
						btf__type_by_id(kp->vmlinux_btf, id));
		size_t h;

		if (!name)
			continue;
		for (h = name_hash(name) & kp->btf_index_mask; kp->btf_index[h];
		     h = (h + 1) & kp->btf_index_mask)
			;
		kp->btf_index[h] = id;
	}
	return 0;
}

int kernel_probe_set_btf(struct kernel_probe *kp, struct btf *btf)
{
	btf__free(kp->vmlinux_btf);
	free(kp->btf_index);
	kp->btf_index = NULL;
	kp->vmlinux_btf = btf;
	return btf ? build_index(kp) : 0;
}

void kernel_probe_open(struct kernel_probe *kp)
{
	struct btf *btf;

	memset(kp, 0, sizeof(*kp));
	btf = btf__load_vmlinux_btf();
	if (btf && kernel_probe_set_btf(kp, btf)) {
		btf__free(kp->vmlinux_btf);
		kp->vmlinux_btf = NULL;
	}
}

void kernel_probe_close(struct kernel_probe *kp)
{
	btf__free(kp->vmlinux_btf);
	free(kp->btf_index);
	free(kp->kallsyms);
	free(kp->events_dir);
	memset(kp, 0, sizeof(*kp));
}

int kernel_probe_set_events_dir(struct kernel_probe *kp, const char *dir)
{
	char *copy = strdup(dir);

	if (!copy)
		return -1;
	free(kp->events_dir);
	kp->events_dir = copy;
	return 0;
}

/* Where libbpf looks too: tracefs, else its old place under debugfs. */
static const char *events_dir(const struct kernel_probe *kp)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events",
	};

	if (kp->events_dir)
		return kp->events_dir;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char probe[64];

		snprintf(probe, sizeof(probe), "%s/header_page", dirs[i]);
		if (!access(probe, F_OK))
			return dirs[i];
	}
	return NULL;
}

bool kernel_has_perf_tracepoint(struct kernel_probe *kp, const char *event)
{
	const char *dir = events_dir(kp);
	char path[512];

	/* "system/name" exactly: a name alone may be another system's event */
	if (!dir || !strchr(event, '/') || strpbrk(event, "*?[") || strstr(event, ".."))
		return false;
	snprintf(path, sizeof(path), "%s/%s/id", dir, event);
	return !access(path, R_OK);
}

static bool has_btf(const struct kernel_probe *kp, const char *name, int kind)
{
	if (!kp->btf_index)
		return false;
	for (size_t h = name_hash(name) & kp->btf_index_mask; kp->btf_index[h];
	     h = (h + 1) & kp->btf_index_mask) {
		const struct btf_type *t = btf__type_by_id(kp->vmlinux_btf,
							   kp->btf_index[h]);

		if (btf_kind(t) == kind &&
		    !strcmp(btf__name_by_offset(kp->vmlinux_btf, t->name_off), name))
			return true;
	}
	return false;
}

bool kernel_has_tp_btf(struct kernel_probe *kp, const char *tracepoint)
{
	char name[256];

	snprintf(name, sizeof(name), "btf_trace_%s", tracepoint);
	return has_btf(kp, name, BTF_KIND_TYPEDEF);
}

static bool in_kallsyms(struct kernel_probe *kp, const char *symbol)
{
	size_t n = strlen(symbol);
	const char *p;

	if (!kp->kallsyms_tried) {
		char *syms = whole_file("/proc/kallsyms", 1 << 20, NULL);

		kp->kallsyms_tried = true;
		if (syms)
			kernel_probe_set_kallsyms(kp, syms);
		free(syms);
	}
	/* Names are stored one per line, so a hit must span a whole line. */
	for (p = n ? kp->kallsyms : NULL; p && (p = strstr(p, symbol)) != NULL; p += n)
		if (p[-1] == '\n' && p[n] == '\n')
			return true;
	return false;
}

bool kernel_has_symbol(struct kernel_probe *kp, const char *symbol)
{
	return kernel_has_btf_func(kp, symbol) || in_kallsyms(kp, symbol);
}

/*
 * Every tracepoint, built in or in a module, has a __traceiter_ function;
 * __tracepoint_ is data, listed only with CONFIG_KALLSYMS_ALL.
 */
bool kernel_has_tracepoint(struct kernel_probe *kp, const char *tracepoint)
{
	char name[256];

	snprintf(name, sizeof(name), "__traceiter_%s", tracepoint);
	return kernel_has_symbol(kp, name);
}

bool kernel_has_btf_func(struct kernel_probe *kp, const char *func)
{
	return has_btf(kp, func, BTF_KIND_FUNC);
}
