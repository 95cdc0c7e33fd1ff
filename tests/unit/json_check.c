// SPDX-License-Identifier: GPL-2.0
#include "json_check.h"

#include <string.h>

struct cursor {
	const char *p, *end;
	int depth;
};

static bool value(struct cursor *c);

static void skip_ws(struct cursor *c)
{
	while (c->p < c->end && strchr(" \t\r\n", *c->p) && *c->p)
		c->p++;
}

static bool literal(struct cursor *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		return false;
	c->p += n;
	return true;
}

static bool digits(struct cursor *c)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > start;
}

static bool number(struct cursor *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!digits(c))
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!digits(c))
			return false;
	}
	return true;
}

static bool string(struct cursor *c)
{
	if (c->p >= c->end || *c->p != '"')
		return false;
	for (c->p++; c->p < c->end; c->p++) {
		unsigned char ch = (unsigned char)*c->p;

		if (ch == '"') {
			c->p++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch != '\\')
			continue;
		if (++c->p >= c->end)
			return false;
		if (*c->p == 'u') {
			for (int i = 0; i < 4; i++)
				if (++c->p >= c->end || !strchr("0123456789abcdefABCDEF", *c->p) || !*c->p)
					return false;
		} else if (!strchr("\"\\/bfnrt", *c->p) || !*c->p) {
			return false;
		}
	}
	return false;
}

static bool members(struct cursor *c, char close, bool keyed)
{
	if (++c->depth > 64)
		return false;
	c->p++;
	skip_ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return true;
	}
	for (;;) {
		skip_ws(c);
		if (keyed) {
			if (!string(c))
				return false;
			skip_ws(c);
			if (c->p >= c->end || *c->p++ != ':')
				return false;
		}
		if (!value(c))
			return false;
		skip_ws(c);
		if (c->p >= c->end)
			return false;
		if (*c->p == close) {
			c->p++;
			c->depth--;
			return true;
		}
		if (*c->p++ != ',')
			return false;
	}
}

static bool value(struct cursor *c)
{
	skip_ws(c);
	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case '{': return members(c, '}', true);
	case '[': return members(c, ']', false);
	case '"': return string(c);
	case 't': return literal(c, "true");
	case 'f': return literal(c, "false");
	case 'n': return literal(c, "null");
	default: return number(c);
	}
}

bool json_valid(const char *s, size_t len)
{
	struct cursor c = { .p = s, .end = s + len };

	if (!value(&c))
		return false;
	skip_ws(&c);
	return c.p == c.end;
}

long json_lines_check(const char *text, long *bad_line)
{
	long line = 0;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		line++;
		if (text[0] != '{' || !json_valid(text, len)) {
			*bad_line = line;
			return -1;
		}
		text += len + (nl ? 1 : 0);
	}
	return line;
}

size_t count_lines_with(const char *text, const char *needle)
{
	size_t n = 0;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		const char *hit = strstr(text, needle);

		if (hit && hit < text + len)
			n++;
		text += len + (nl ? 1 : 0);
	}
	return n;
}
