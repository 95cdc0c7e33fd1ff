// SPDX-License-Identifier: GPL-2.0
#include "record/event_convert.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/text_field.h"

/* NUL-terminates even when BPF filled the whole field. */
static void copy_field(char *dst, size_t dst_len, const char *src, size_t src_len)
{
	size_t n = strnlen(src, src_len);

	if (n >= dst_len)
		n = dst_len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static uint32_t domain_of_pci_name(const char *name)
{
	unsigned int domain, bus, slot, fn;
	char tail;

	if (sscanf(name, "%x:%x:%x.%x%c", &domain, &bus, &slot, &fn, &tail) != 4)
		return 0;
	return domain;
}

void event_from_bpf(const struct lutrace_event *in, uint32_t stage,
		    struct lt_event *out)
{
	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->id = (uint16_t)in->id;
	out->boottime_ns = in->boottime_ns;
	out->bus = in->bus;
	out->devfn = in->devfn;
	out->bus_primary = in->bus_primary;
	out->bus_secondary = in->bus_secondary;
	out->bus_subordinate = in->bus_subordinate;
	out->ret = in->ret;
	out->arg = in->arg;
	out->token = in->token;
	out->iova = in->iova;
	out->phys = in->phys;
	out->size = in->size;
	out->nr_sessions = in->nr_sessions;
	out->nr_files = in->nr_files;
	out->pid = in->pid;
	copy_field(out->dev, sizeof(out->dev), in->dev, sizeof(in->dev));
	copy_field(out->session, sizeof(out->session), in->session, sizeof(in->session));
	copy_field(out->compatible, sizeof(out->compatible), in->compatible,
		   sizeof(in->compatible));
	out->domain = domain_of_pci_name(out->dev);
}

void event_from_marker(const char *line, uint64_t boottime_ns, uint32_t stage,
		       struct lt_event *out)
{
	char text[LT_TEXT_LEN], path[16], token[24];
	const char *body = text;

	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->boottime_ns = boottime_ns;
	snprintf(text, sizeof(text), "%s", line);
	text[strcspn(text, "\n")] = '\0';
	if (!strncmp(body, LUTRACE_MARKER_PREFIX, strlen(LUTRACE_MARKER_PREFIX)))
		body += strlen(LUTRACE_MARKER_PREFIX);
	body += strspn(body, " ");
	text_field(body, "dev", out->dev, sizeof(out->dev));
	out->domain = domain_of_pci_name(out->dev);
	/* "preserved dev=D session=S token=T": joinable like the kernel's events */
	text_field(body, "session", out->session, sizeof(out->session));
	if (text_field(body, "token", token, sizeof(token)))
		out->token = strtoull(token, NULL, 0);
	if (!strncmp(body, "open_attempt", 12) && (body[12] == ' ' || !body[12])) {
		out->id = LT_EV_OPEN_ATTEMPT;
		out->arg = text_field(body, "path", path, sizeof(path)) &&
			   !strcmp(path, "group") ? LT_OPEN_GROUP : LT_OPEN_CDEV;
		return;
	}
	out->id = LT_EV_MARKER;
	snprintf(out->text, sizeof(out->text), "%s", body);
}
