// SPDX-License-Identifier: GPL-2.0
#include "record/self_memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "VmRSS:\t   20480 kB" */
static int status_kb(const char *status, const char *key, uint64_t *kb)
{
	size_t klen = strlen(key);

	const char *p = status;

	while (p) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			*kb = strtoull(p + klen + 1, NULL, 10);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int self_memory_parse(const char *status, struct self_memory *m)
{
	if (status_kb(status, "VmRSS", &m->rss_kb) ||
	    status_kb(status, "VmHWM", &m->hwm_kb))
		return -1;
	return 0;
}

int self_memory_read(struct self_memory *m)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return self_memory_parse(buf, m);
}
