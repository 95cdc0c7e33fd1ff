// SPDX-License-Identifier: GPL-2.0
#include "record/tracefs_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/event_names.h"
#include "record/tracefs_text.h"

/* Only the series' events: the existing ones BPF sees from the start. */
static bool imported_event(unsigned int id)
{
	return (id >= LT_EV_LU_SESSION_CREATE && id <= LT_EV_LU_INCOMING) ||
	       (id >= LT_EV_PCI_LU_PRESERVE && id <= LT_EV_PCI_LU_INHERIT_BUSES) ||
	       (id >= LT_EV_VFIO_LU_PRESERVE && id <= LT_EV_VFIO_RESET);
}

static unsigned long long number(const char *fields, const char *key, int base)
{
	char v[32];

	return text_field(fields, key, v, sizeof(v)) ? strtoull(v, NULL, base) : 0;
}

static long long signed_number(const char *fields, const char *key)
{
	char v[32];

	return text_field(fields, key, v, sizeof(v)) ? strtoll(v, NULL, 10) : 0;
}

static int symbolic(const char *fields, const char *key,
		    int (*value_of)(const char *))
{
	char v[32];

	return text_field(fields, key, v, sizeof(v)) ? value_of(v) : -1;
}

/* The TP_printk fields of kernel/interface.md, by name. */
static void parse_fields(const char *f, struct lt_event *e)
{
	text_field(f, "dev", e->dev, sizeof(e->dev));
	text_field(f, "session", e->session, sizeof(e->session));
	text_field(f, "compatible", e->compatible, sizeof(e->compatible));
	e->domain = (uint32_t)number(f, "domain", 16);
	e->bus = (uint8_t)number(f, "bus", 16);
	e->devfn = (uint8_t)number(f, "devfn", 16);
	e->bus_primary = (uint8_t)number(f, "primary", 16);
	e->bus_secondary = (uint8_t)number(f, "secondary", 16);
	e->bus_subordinate = (uint8_t)number(f, "subordinate", 16);
	e->ret = (int32_t)signed_number(f, "ret");
	e->token = number(f, e->id == LT_EV_LU_INCOMING ? "liveupdate_num" : "token", 10);
	e->nr_sessions = (uint32_t)number(f, "sessions", 10);
	e->nr_files = (uint32_t)number(f, "files", 10);
	switch (e->id) {
	case LT_EV_LU_SESSION_CREATE ... LT_EV_LU_SESSION_RELEASE:
		e->arg = (int32_t)number(f, "incoming", 10);
		break;
	case LT_EV_VFIO_RESET_SKIPPED:
		e->arg = symbolic(f, "reason", skip_reason_value);
		break;
	case LT_EV_VFIO_OPEN_BLOCKED:
		e->arg = symbolic(f, "path", open_path_value);
		break;
	case LT_EV_VFIO_RESET:
		e->arg = symbolic(f, "site", reset_site_value);
		break;
	}
}

bool tracefs_line_to_event(const char *line, uint32_t stage, struct lt_event *out)
{
	char name[64];
	uint64_t ns;
	const char *fields;
	unsigned int id;

	if (line[0] == '#')
		return false;
	fields = tracefs_split_line(line, &ns, name, sizeof(name));
	if (!fields)
		return false;
	id = event_id_by_name(name);
	if (!imported_event(id))
		return false;
	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->id = (uint16_t)id;
	out->boottime_ns = ns;
	parse_fields(fields, out);
	return true;
}

static bool clock_is_boot(const char *dir)
{
	char path[256], line[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace_clock", dir);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	return strstr(line, "[boot]") != NULL;
}

/* Whether dir/events/SYSTEM/EVENT/enable says 1. */
static bool event_enabled(const char *dir, const char *system_event)
{
	char path[384], sys[64], value[4] = "";
	const char *colon = strchr(system_event, ':');
	FILE *f;

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

/* What only boot-time tracing can see: it fires before any process runs. */
static void check_early_events(const char *dir, struct tracefs_import_result *res)
{
	static const char *const early[] = {
		"liveupdate:liveupdate_incoming",
		"pci:pci_liveupdate_incoming",
		"pci:pci_liveupdate_inherit_buses",
	};
	size_t used = 0;

	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		int n;

		if (event_enabled(dir, early[i]))
			continue;
		n = snprintf(res->not_enabled + used, sizeof(res->not_enabled) - used,
			     "%s%s", used ? " " : "", early[i]);
		if (n > 0 && (size_t)n < sizeof(res->not_enabled) - used)
			used += (size_t)n;
	}
}

int tracefs_import(const char *dir, uint64_t before_ns, uint32_t stage,
		   lt_event_fn fn, void *ctx,
		   struct tracefs_import_result *res)
{
	char path[256], *line = NULL;
	size_t cap = 0;
	struct lt_event e;
	FILE *f;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	res->boot_clock = clock_is_boot(dir);
	check_early_events(dir, res);
	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!ret && getline(&line, &cap, f) > 0) {
		unsigned long long in_buffer, written;

		if (sscanf(line, "# entries-in-buffer/entries-written: %llu/%llu",
			   &in_buffer, &written) == 2 && written > in_buffer)
			res->overwritten += written - in_buffer;
		if (!tracefs_line_to_event(line, stage, &e) || e.boottime_ns >= before_ns)
			continue;
		ret = fn(ctx, &e);
		res->imported += !ret;
	}
	if (!ret && ferror(f))
		ret = -EIO;	/* getline() does not tell a read error from the end */
	free(line);
	fclose(f);
	return ret;
}
