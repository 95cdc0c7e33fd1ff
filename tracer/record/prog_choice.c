// SPDX-License-Identifier: GPL-2.0
#include "record/prog_choice.h"

#include <string.h>

static const struct { const char *prefix; enum prog_kind kind; } kinds[] = {
	{ "tp_btf/", PK_TP_BTF }, { "raw_tp/", PK_RAW_TP },
	{ "fentry/", PK_FENTRY }, { "kprobe/", PK_KPROBE },
	{ "fexit/", PK_FEXIT }, { "kretprobe/", PK_KRETPROBE },
	{ "tp/", PK_TP },
};

const char *prog_kind_name(enum prog_kind kind)
{
	switch (kind) {
	case PK_TP_BTF: return "tp_btf";
	case PK_RAW_TP: return "raw_tp";
	case PK_FENTRY: return "fentry";
	case PK_KPROBE: return "kprobe";
	case PK_FEXIT: return "fexit";
	case PK_KRETPROBE: return "kretprobe";
	case PK_TP: return "tp";
	case PK_OTHER: break;
	}
	return "other";
}

enum prog_kind prog_kind_of(const char *section, const char **target)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (!strncmp(section, kinds[i].prefix, n)) {
			*target = section + n;
			return kinds[i].kind;
		}
	}
	*target = section;
	return PK_OTHER;
}

enum prog_kind prog_preferred_kind(enum prog_kind fallback)
{
	switch (fallback) {
	case PK_RAW_TP: return PK_TP_BTF;
	case PK_KPROBE: return PK_FENTRY;
	case PK_KRETPROBE: return PK_FEXIT;
	default: return PK_OTHER;
	}
}

/*
 * Functions probed only for kernels without the series' pci events: where
 * the tracepoint exists it reports the same thing, from boot on too.
 */
static const struct { const char *func, *tracepoint; } superseded[] = {
	{ "pcie_flr", "pci_reset" }, { "pci_pm_reset", "pci_reset" },
	{ "pci_reset_bus", "pci_reset" },
	{ "__pci_reset_function_locked", "pci_reset" },
	{ "pci_set_master", "pci_bus_master" },
	{ "pci_clear_master", "pci_bus_master" },
};

static bool has_tracepoint_instead(struct kernel_probe *kp, const char *func)
{
	for (size_t i = 0; i < sizeof(superseded) / sizeof(superseded[0]); i++)
		if (!strcmp(superseded[i].func, func))
			return kernel_has_tp_btf(kp, superseded[i].tracepoint) ||
			       kernel_has_tracepoint(kp, superseded[i].tracepoint);
	return false;
}

bool prog_choose(struct kernel_probe *kp, const struct prog_policy *pol,
		 const char *section)
{
	const char *target;
	enum prog_kind kind = prog_kind_of(section, &target);

	if ((kind == PK_FENTRY || kind == PK_KPROBE) && has_tracepoint_instead(kp, target))
		return false;

	switch (kind) {
	case PK_TP:
		return pol->perf_tracepoints && kernel_has_perf_tracepoint(kp, target);
	case PK_TP_BTF:
		return kernel_has_tp_btf(kp, target);
	case PK_RAW_TP:
		return !kernel_has_tp_btf(kp, target) &&
		       kernel_has_tracepoint(kp, target);
	case PK_FENTRY:
	case PK_FEXIT:
		return pol->function_probes && pol->fentry_ok &&
		       kernel_has_btf_func(kp, target) &&
		       !(pol->kprobes_first && kernel_has_symbol(kp, target));
	case PK_KPROBE:
	case PK_KRETPROBE:
		return pol->function_probes &&
		       (pol->kprobes_first ||
			!(pol->fentry_ok && kernel_has_btf_func(kp, target))) &&
		       kernel_has_symbol(kp, target);
	case PK_OTHER:
		break;
	}
	return false;
}

const char *prog_perf_event(const char *section)
{
	const char *target, *name;

	if (prog_kind_of(section, &target) != PK_TP)
		return NULL;
	name = strchr(target, '/');
	return name ? name + 1 : NULL;
}

void prog_prefer_perf(const char *const *sections, bool *chosen, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *event, *twin;
		enum prog_kind k = prog_kind_of(sections[i], &event);

		if (!chosen[i] || (k != PK_TP_BTF && k != PK_RAW_TP))
			continue;
		for (size_t j = 0; j < n && chosen[i]; j++) {
			twin = chosen[j] ? prog_perf_event(sections[j]) : NULL;
			if (twin && !strcmp(twin, event))
				chosen[i] = false;
		}
	}
}
