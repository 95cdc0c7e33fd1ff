// SPDX-License-Identifier: GPL-2.0
#include "record/tracefs_text.h"

#include <stdio.h>
#include <string.h>

bool text_field(const char *line, const char *key, char *out, size_t len)
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

/* "    0.512345:" -> ns; false if the token is not a timestamp. */
static bool parse_timestamp(const char *tok, size_t len, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0, scale = 1000000000ull;
	size_t i = 0;

	if (len < 3 || tok[len - 1] != ':')
		return false;
	for (; i < len && tok[i] >= '0' && tok[i] <= '9'; i++)
		sec = sec * 10 + (uint64_t)(tok[i] - '0');
	if (i == 0 || i >= len || tok[i++] != '.')
		return false;
	for (; i < len - 1; i++) {
		if (tok[i] < '0' || tok[i] > '9' || scale == 1)
			return false;
		scale /= 10;
		frac += (uint64_t)(tok[i] - '0') * scale;
	}
	*ns = sec * 1000000000ull + frac;
	return true;
}

const char *tracefs_split_line(const char *line, uint64_t *ns, char *event,
			      size_t event_len)
{
	const char *p = line;

	while (*p) {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (len && parse_timestamp(p, len, ns)) {
			const char *name = p + len + strspn(p + len, " ");
			size_t n = strcspn(name, ": \n");

			if (name[n] != ':' || n >= event_len)
				return NULL;
			memcpy(event, name, n);
			event[n] = '\0';
			return name + n + 1 + strspn(name + n + 1, " ");
		}
		p += len;
	}
	return NULL;
}

bool tracefs_lost_events(const char *line, uint64_t *lost)
{
	unsigned long long n;
	int cpu;

	if (sscanf(line, "CPU:%d [LOST %llu EVENTS]", &cpu, &n) != 2)
		return false;
	*lost = n;
	return true;
}
