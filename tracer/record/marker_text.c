// SPDX-License-Identifier: GPL-2.0
#include "record/marker_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/pci_name.h"

/* " key=value" in a marker line, cut to fit out[len]; "xkey=" is not "key=". */
static bool marker_field(const char *line, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = line; (p = strstr(p, key)) != NULL; p += klen) {
		size_t n;

		if ((p != line && p[-1] != ' ') || p[klen] != '=')
			continue;
		p += klen + 1;
		n = strcspn(p, " \t\n");
		if (n >= len)
			n = len - 1;
		memcpy(out, p, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

/* body begins with the word w: "w", "w ..." */
static bool starts_word(const char *body, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(body, w, n) && (body[n] == ' ' || !body[n]);
}

bool marker_text_is_ours(const char *text)
{
	return !strncmp(text, LUTRACE_MARKER_PREFIX, strlen(LUTRACE_MARKER_PREFIX));
}

void marker_text_to_event(const char *line, uint64_t boottime_ns,
			  uint32_t stage, struct lt_event *out)
{
	char text[LT_TEXT_LEN], path[16], token[24];
	const char *body = text;

	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->boottime_ns = boottime_ns;
	snprintf(text, sizeof(text), "%s", line);
	text[strcspn(text, "\n")] = '\0';
	if (marker_text_is_ours(body))
		body += strlen(LUTRACE_MARKER_PREFIX);
	body += strspn(body, " ");
	marker_field(body, "dev", out->dev, sizeof(out->dev));
	out->domain = pci_name_domain(out->dev);
	/* "preserved dev=D session=S token=T": joinable like the kernel's events */
	marker_field(body, "session", out->session, sizeof(out->session));
	if (marker_field(body, "token", token, sizeof(token)))
		out->token = strtoull(token, NULL, 0);
	if (starts_word(body, "open_attempt")) {
		out->id = LT_EV_OPEN_ATTEMPT;
		out->arg = marker_field(body, "path", path, sizeof(path)) &&
			   !strcmp(path, "group") ? LT_OPEN_GROUP : LT_OPEN_CDEV;
		return;
	}
	out->id = LT_EV_MARKER;
	if (starts_word(body, "dma_in_flight")) {
		out->id = LT_EV_DMA_IN_FLIGHT;
	} else if (starts_word(body, "dma_landed")) {
		out->id = LT_EV_DMA_CHECK;
		out->arg = 1;
	} else if (starts_word(body, "dma_not_landed")) {
		out->id = LT_EV_DMA_CHECK;
		out->arg = 0;
	}
	snprintf(out->text, sizeof(out->text), "%s", body);
}
