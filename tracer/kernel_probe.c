// SPDX-License-Identifier: GPL-2.0
#include "kernel_probe.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return 0;
}

static char *read_whole_file(const char *path)
{
	FILE *f = fopen(path, "re");
	size_t cap = 1 << 20, len = 0, n;
	char *buf = malloc(cap + 1);

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			char *bigger = realloc(buf, 2 * cap + 1);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int kernel_probe_open(struct kernel_probe *kp, char *why, int whylen)
{
	char *syms;

	memset(kp, 0, sizeof(*kp));
	kp->vmlinux_btf = btf__load_vmlinux_btf();
	if (!kp->vmlinux_btf)
		kp->vmlinux_btf = NULL;
	syms = read_whole_file("/proc/kallsyms");
	if (!syms) {
		snprintf(why, (size_t)whylen, "cannot read /proc/kallsyms: %s",
			 strerror(errno));
		return -1;
	}
	kernel_probe_set_kallsyms(kp, syms);
	free(syms);
	return 0;
}

void kernel_probe_close(struct kernel_probe *kp)
{
	btf__free(kp->vmlinux_btf);
	free(kp->kallsyms);
	memset(kp, 0, sizeof(*kp));
}

static bool has_btf(const struct kernel_probe *kp, const char *name, int kind)
{
	return kp->vmlinux_btf &&
	       btf__find_by_name_kind(kp->vmlinux_btf, name, kind) >= 0;
}

bool kernel_has_tp_btf(const struct kernel_probe *kp, const char *tracepoint)
{
	char name[256];

	snprintf(name, sizeof(name), "btf_trace_%s", tracepoint);
	return has_btf(kp, name, BTF_KIND_TYPEDEF);
}

bool kernel_has_symbol(const struct kernel_probe *kp, const char *symbol)
{
	size_t n = strlen(symbol);
	const char *p = n ? kp->kallsyms : NULL;

	/* Names are stored one per line, so a hit must span a whole line. */
	while (p && (p = strstr(p, symbol)) != NULL) {
		if (p[-1] == '\n' && p[n] == '\n')
			return true;
		p += n;
	}
	return false;
}

/*
 * Every tracepoint, built in or in a module, has a __traceiter_ function;
 * __tracepoint_ is data, listed only with CONFIG_KALLSYMS_ALL.
 */
bool kernel_has_tracepoint(const struct kernel_probe *kp, const char *tracepoint)
{
	char name[256];

	snprintf(name, sizeof(name), "__traceiter_%s", tracepoint);
	return kernel_has_symbol(kp, name);
}

bool kernel_has_btf_func(const struct kernel_probe *kp, const char *func)
{
	return has_btf(kp, func, BTF_KIND_FUNC);
}
