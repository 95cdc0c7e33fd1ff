// SPDX-License-Identifier: GPL-2.0
#include "record/boot_traced.h"

#include <stdio.h>
#include <string.h>

#include "log/event_names.h"

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

uint32_t boot_traced_kinds(const char *cmdline, const char *dir)
{
	uint32_t bits = 0;
	const char *name;

	for (unsigned int i = 0; (name = boot_traced_event(i)); i++) {
		const char *colon = strchr(name, ':');
		char sys[64];

		snprintf(sys, sizeof(sys), "%.*s", (int)(colon - name), name);
		if (cmdline_enables_event(cmdline, sys, colon + 1) &&
		    tracefs_event_enabled(dir, name))
			bits |= 1u << i;
	}
	return bits;
}
