// SPDX-License-Identifier: GPL-2.0
#include "record/text_field.h"

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
