// SPDX-License-Identifier: GPL-2.0
#include "record/boot_traced.h"

#include <stdio.h>
#include <string.h>

#include "log/log_format.h"

/* "name" == the n bytes at s, or "*" / nothing there, which match any. */
static bool part_matches(const char *s, size_t n, const char *name)
{
	if (!n || (n == 1 && *s == '*'))
		return true;
	return strlen(name) == n && !memcmp(s, name, n);
}

static bool item_enables(const char *item, size_t n, const char *system,
			 const char *event)
{
	char buf[256], *colon, *mod;

	if (!n || n >= sizeof(buf) || item[0] == '!')
		return false;
	memcpy(buf, item, n);
	buf[n] = '\0';
	/* ":mod:M" limits an item to a module's events: the names are the same */
	mod = strstr(buf, ":mod:");
	if (mod)
		*mod = '\0';
	colon = strchr(buf, ':');
	if (colon)
		return part_matches(buf, (size_t)(colon - buf), system) &&
		       part_matches(colon + 1, strlen(colon + 1), event);
	return buf[0] && (!strcmp(buf, system) || !strcmp(buf, event));
}

bool cmdline_enables_event(const char *cmdline, const char *system, const char *event)
{
	static const char key[] = "trace_event=";
	const char *p = cmdline;

	while ((p = strstr(p, key))) {
		const char *v;

		/* a whole word: "xtrace_event=" is another parameter */
		if (p != cmdline && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n') {
			p += sizeof(key) - 1;
			continue;
		}
		p += sizeof(key) - 1;
		for (v = p; *v && *v != ' ' && *v != '\t' && *v != '\n';) {
			size_t n = strcspn(v, ", \t\n");

			if (item_enables(v, n, system, event))
				return true;
			v += n;
			if (*v == ',')
				v++;
		}
		p = v;
	}
	return false;
}

bool tracefs_event_enabled(const char *dir, const char *system_event)
{
	char path[384], sys[64], value[4] = "";
	const char *colon = strchr(system_event, ':');
	FILE *f;

	if (!colon)
		return false;
	snprintf(sys, sizeof(sys), "%.*s", (int)(colon - system_event), system_event);
	snprintf(path, sizeof(path), "%s/events/%s/%s/enable", dir, sys, colon + 1);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(value, sizeof(value), f))
		value[0] = '\0';
	fclose(f);
	return value[0] == '1';
}

static const struct {
	uint32_t kind;
	const char *system, *event;
} kinds[] = {
	{ LT_BOOT_VFIO_RESETS, "vfio_pci", "vfio_pci_reset" },
	{ LT_BOOT_PCI_RESETS, "pci", "pci_reset" },
	{ LT_BOOT_BUS_MASTER, "pci", "pci_bus_master" },
	{ LT_BOOT_IOMMU_FAULTS, "iommu", "io_page_fault" },
};

uint32_t boot_traced_kinds(const char *cmdline, const char *dir)
{
	uint32_t bits = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char name[128];

		snprintf(name, sizeof(name), "%s:%s", kinds[i].system, kinds[i].event);
		if (cmdline_enables_event(cmdline, kinds[i].system, kinds[i].event) &&
		    tracefs_event_enabled(dir, name))
			bits |= kinds[i].kind;
	}
	return bits;
}
