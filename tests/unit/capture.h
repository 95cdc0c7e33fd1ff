/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TEST_CAPTURE_H
#define LUTRACE_TEST_CAPTURE_H

#include <stdio.h>

/* A FILE* whose output lands in memory: open, write, then close to read. */
struct capture {
	FILE *f;
	char *text;
	size_t len;
};

static inline FILE *capture_open(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->f = open_memstream(&c->text, &c->len);
	return c->f;
}

/* Flushes and closes; text stays valid until free(c->text). */
static inline const char *capture_close(struct capture *c)
{
	fclose(c->f);
	c->f = NULL;
	return c->text;
}

#endif
