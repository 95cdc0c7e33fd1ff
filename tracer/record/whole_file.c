// SPDX-License-Identifier: GPL-2.0
#include "record/whole_file.h"

#include <stdio.h>
#include <stdlib.h>

char *whole_file(const char *path, size_t hint, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t cap = hint ? hint : 4096, n = 0, got;
	char *buf = malloc(cap + 1);

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = realloc(buf, 2 * cap + 1);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
