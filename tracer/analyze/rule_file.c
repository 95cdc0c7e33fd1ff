// SPDX-License-Identifier: GPL-2.0
#include "analyze/rule_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/verify.h"
#include "log/event_names.h"

#define RULE_ID_MAX 63
#define RULE_FILE_MAX (1u << 20)
#define LINE_MAX_TOKENS 64

struct token {
	char *text;		/* unescaped */
	size_t col;		/* 1-based byte column of its first byte */
	size_t end;		/* offset in the line just past it */
	bool quoted;		/* held a "..." part: never a keyword */
};

struct parser {
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
	struct token toks[LINE_MAX_TOKENS];
	size_t ntoks;
	size_t next;
	size_t eol_col;		/* where "the end of the line" is */
};

static int fail_at(struct parser *p, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *p, size_t col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u:%zu: %s", p->name, p->line, col, msg);
	return -1;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		abort();
	return d;
}

static void tokens_release(struct parser *p)
{
	for (size_t i = 0; i < p->ntoks; i++)
		free(p->toks[i].text);
	p->ntoks = 0;
	p->next = 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int push_token(struct parser *p, char *text, size_t col, size_t end,
		      bool quoted)
{
	if (p->ntoks == LINE_MAX_TOKENS) {
		free(text);
		return fail_at(p, col, "more than %d words on one line", LINE_MAX_TOKENS);
	}
	p->toks[p->ntoks++] = (struct token){ text, col, end, quoted };
	return 0;
}

/*
 * One token from line[*pos]: a run of non-blank bytes in which "..." (with
 * \" and \\) may hold blanks. "id:" and "device:" give the word and a ":"
 * token, so that the colon needs no blank before it.
 */
static int lex_token(struct parser *p, const char *line, size_t len, size_t *pos)
{
	size_t start = *pos, cap = len - start + 1, n = 0;
	char *buf = malloc(cap);
	bool quoted = false;

	if (!buf)
		abort();
	while (*pos < len && !is_blank(line[*pos])) {
		char c = line[*pos];

		if (c != '"') {
			buf[n++] = c;
			(*pos)++;
			continue;
		}
		quoted = true;
		size_t open = *pos;

		for ((*pos)++;; (*pos)++) {
			if (*pos >= len) {
				free(buf);
				return fail_at(p, open + 1, "the quoted text has no closing \"");
			}
			c = line[*pos];
			if (c == '"')
				break;
			if (c == '\\') {
				if (*pos + 1 >= len || (line[*pos + 1] != '"' && line[*pos + 1] != '\\')) {
					free(buf);
					return fail_at(p, *pos + 1, "only \\\" and \\\\ are escapes in quoted text");
				}
				c = line[++*pos];
			}
			buf[n++] = c;
		}
		(*pos)++;
	}
	buf[n] = '\0';
	if (!quoted && n > 1 && buf[n - 1] == ':') {
		bool word = true;

		for (size_t i = 0; i + 1 < n; i++)
			word &= is_word_char(buf[i]);
		if (word) {
			buf[n - 1] = '\0';
			if (push_token(p, buf, start + 1, *pos - 1, false))
				return -1;
			return push_token(p, xstrndup(":", 1), start + n, *pos, false);
		}
	}
	return push_token(p, buf, start + 1, *pos, quoted);
}

static int lex_line(struct parser *p, const char *line, size_t len)
{
	size_t pos = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			return fail_at(p, i + 1, "unexpected control byte 0x%02x", c);
	}
	while (pos < len) {
		if (is_blank(line[pos])) {
			pos++;
			continue;
		}
		if (line[pos] == '#')
			break;
		if (lex_token(p, line, len, &pos))
			return -1;
	}
	p->eol_col = pos + 1;
	return 0;
}

/* ---- the grammar, over one line's tokens ---- */

static const struct token *peek(const struct parser *p)
{
	return p->next < p->ntoks ? &p->toks[p->next] : NULL;
}

static size_t peek_col(const struct parser *p)
{
	const struct token *t = peek(p);

	return t ? t->col : p->eol_col;
}

static bool at_word(const struct parser *p, const char *word)
{
	const struct token *t = peek(p);

	return t && !t->quoted && !strcmp(t->text, word);
}

static bool accept(struct parser *p, const char *word)
{
	if (!at_word(p, word))
		return false;
	p->next++;
	return true;
}

static int expect(struct parser *p, const char *word, const char *why)
{
	const struct token *t = peek(p);

	if (accept(p, word))
		return 0;
	if (!t)
		return fail_at(p, p->eol_col, "expected '%s' %s, found the end of the line",
			       word, why);
	return fail_at(p, t->col, "expected '%s' %s, found '%s'", word, why, t->text);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int base = 10;

	if (s[0] == '0' && s[1] == 'x' && s[2]) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return -1;
		if (v > (max - (uint64_t)d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

static int parse_i32(const char *s, int64_t *out)
{
	bool neg = s[0] == '-';
	uint64_t v;

	if (parse_u64(s + neg, neg ? 2147483648ull : 2147483647ull, &v))
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int parse_number(enum sel_key key, const char *s, int64_t *out)
{
	uint64_t u;

	if (key == SEL_RET)
		return parse_i32(s, out);
	if (parse_u64(s, key == SEL_STAGE ? UINT32_MAX : UINT64_MAX, &u))
		return -1;
	*out = (int64_t)u;	/* compared as uint64_t again */
	return 0;
}

static const struct {
	const char *name;
	enum sel_key key;
	size_t max_len;		/* strings: what the event can hold; 0: a number */
} sel_keys[] = {
	{ "dev", SEL_DEV, LUTRACE_DEV_LEN - 1 },
	{ "session", SEL_SESSION, LUTRACE_SESSION_LEN - 1 },
	{ "token", SEL_TOKEN, 0 },
	{ "ret", SEL_RET, 0 },
	{ "stage", SEL_STAGE, 0 },
	{ "text", SEL_TEXT, LT_TEXT_LEN - 1 },
	{ "site", SEL_SITE, 0 },
	{ "reason", SEL_REASON, 0 },
	{ "path", SEL_PATH, 0 },
};

/* The arg value of a symbolic name (site=freeze), or -1. */
static int symbolic_value(enum sel_key key, const char *name)
{
	return key == SEL_SITE ? reset_site_value(name) :
	       key == SEL_REASON ? skip_reason_value(name) : open_path_value(name);
}

/* The operator of a condition token "key=value", or -1 when it is none. */
static long find_operator(const char *s, enum sel_op *op, size_t *oplen)
{
	for (size_t i = 0; s[i] && is_word_char(s[i]); i++) {
		if (s[i + 1] == '=') {
			*op = SEL_EQ, *oplen = 1;
			return (long)i + 1;
		}
		if (s[i + 1] == '!' && s[i + 2] == '=') {
			*op = SEL_NE, *oplen = 2;
			return (long)i + 1;
		}
		if (s[i + 1] == '~') {
			*op = SEL_CONTAINS, *oplen = 1;
			return (long)i + 1;
		}
	}
	return -1;
}

static bool is_condition(const struct token *t)
{
	enum sel_op op;
	size_t oplen;

	return t && find_operator(t->text, &op, &oplen) > 0;
}

static int parse_condition(struct parser *p, const struct token *t,
			   bool every_device, struct sel_cond *c, bool *uses_dev)
{
	size_t oplen, k;
	long at = find_operator(t->text, &c->op, &oplen);
	const char *value = t->text + at + oplen;
	size_t value_col = t->col + (size_t)at + oplen;

	for (k = 0; k < sizeof(sel_keys) / sizeof(sel_keys[0]); k++)
		if (strlen(sel_keys[k].name) == (size_t)at &&
		    !strncmp(sel_keys[k].name, t->text, (size_t)at))
			break;
	if (k == sizeof(sel_keys) / sizeof(sel_keys[0]))
		return fail_at(p, t->col, "unknown key '%.*s' (dev, session, token, ret, stage, text, site, reason, path)",
			       (int)at, t->text);
	c->key = sel_keys[k].key;
	if (!*value && !t->quoted)
		return fail_at(p, value_col, "%s needs a value", sel_keys[k].name);
	if (!strcmp(value, "$dev") && !t->quoted) {
		if (c->key != SEL_DEV)
			return fail_at(p, value_col, "$dev is a device: only dev= takes it");
		if (!every_device)
			return fail_at(p, value_col, "$dev outside 'for every device:'");
		if (c->op == SEL_CONTAINS)
			return fail_at(p, value_col, "dev~$dev: use dev=$dev");
		c->each_device = true;
		*uses_dev = true;
		return 0;
	}
	if (value[0] == '$' && !t->quoted)
		return fail_at(p, value_col, "unknown variable '%s' (only $dev)", value);
	if (sel_keys[k].max_len) {
		if (strlen(value) > sel_keys[k].max_len)
			return fail_at(p, value_col, "%s is longer than an event's %s (%zu bytes)",
				       sel_keys[k].name, sel_keys[k].name, sel_keys[k].max_len);
		c->str = xstrndup(value, strlen(value));
		return 0;
	}
	if (c->key >= SEL_SITE) {
		if (c->op == SEL_CONTAINS)
			return fail_at(p, t->col + (size_t)at, "%s is a name: = or !=",
				       sel_keys[k].name);
		c->num = symbolic_value(c->key, value);
		if (c->num < 0)
			return fail_at(p, value_col, "no %s '%s' (lutrace report prints the values)",
				       sel_keys[k].name, value);
		return 0;
	}
	if (c->op == SEL_CONTAINS)
		return fail_at(p, t->col + (size_t)at, "%s is a number: ~ is for dev, session and text",
			       sel_keys[k].name);
	if (parse_number(c->key, value, &c->num))
		return fail_at(p, value_col, "%s takes %s, not '%s'", sel_keys[k].name,
			       c->key == SEL_RET ? "a decimal int, e.g. 0 or -16" :
			       "a decimal or 0x number", value);
	return 0;
}

static int parse_selector(struct parser *p, bool every_device,
			  struct selector *sel, bool *uses_dev)
{
	const struct token *t = peek(p);

	if (!t)
		return fail_at(p, p->eol_col, "expected an event name, found the end of the line");
	if (t->quoted || is_condition(t))
		return fail_at(p, t->col, "expected an event name (or \"any\") before '%s'",
			       t->text);
	if (!strcmp(t->text, "any")) {
		sel->event = LT_EV_NONE;
	} else {
		sel->event = event_id_by_name(t->text);
		if (sel->event == LT_EV_NONE)
			return fail_at(p, t->col, "unknown event '%s' (lutrace report prints the names)", t->text);
	}
	p->next++;
	while (is_condition(peek(p))) {
		t = peek(p);
		if (sel->nconds == RULE_MAX_CONDS)
			return fail_at(p, t->col, "more than %d conditions on one event",
				       RULE_MAX_CONDS);
		if (parse_condition(p, t, every_device, &sel->conds[sel->nconds++], uses_dev))
			return -1;
		p->next++;
	}
	return 0;
}

static int parse_count(struct parser *p, struct user_rule *r)
{
	const struct token *t = peek(p);

	if (!t)
		return fail_at(p, p->eol_col, "expected a count, found the end of the line");
	if (parse_u64(t->text, 1000000000, &r->count))
		return fail_at(p, t->col, "expected a count (a decimal number), found '%s'",
			       t->text);
	p->next++;
	return 0;
}

/* "50 ms", "50ms", "2.5 s": exact in ns; false when it is none. */
static bool parse_duration(const char *num, const char *unit, uint64_t *ns)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	};
	uint64_t whole = 0, frac = 0, scale = 1, mult = 0;
	const char *s = num;
	size_t digits = 0;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(unit, units[i].name))
			mult = units[i].ns;
	if (!mult)
		return false;
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if (digits >= 12)
			return false;
		else
			whole = whole * 10 + (uint64_t)(*s - '0');
	if (!digits)
		return false;
	if (*s == '.') {
		for (s++, digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits >= 9)
				return false;
			frac = frac * 10 + (uint64_t)(*s - '0');
			scale *= 10;
		}
		if (!digits)
			return false;
	}
	if (*s || (frac * mult) % scale)
		return false;
	/* 12 digits of seconds or more would wrap: refused, not wrapped */
	return !__builtin_mul_overflow(whole, mult, ns) &&
	       !__builtin_add_overflow(*ns, frac * mult / scale, ns);
}

static int parse_limit(struct parser *p, struct user_rule *r)
{
	const struct token *t = peek(p);
	size_t n;

	if (!t)
		return fail_at(p, p->eol_col, "expected a time limit, e.g. '50 ms', found the end of the line");
	n = strspn(t->text, "0123456789.");
	if (t->text[n]) {
		char num[32];

		snprintf(num, sizeof(num), "%.*s", (int)(n < 31 ? n : 31), t->text);
		if (n < 31 && parse_duration(num, t->text + n, &r->limit_ns)) {
			p->next++;
			return 0;
		}
		return fail_at(p, t->col, "expected a time limit, e.g. '50 ms', found '%s'", t->text);
	}
	p->next++;
	if (peek(p) && parse_duration(t->text, peek(p)->text, &r->limit_ns)) {
		p->next++;
		return 0;
	}
	if (peek(p) && parse_duration("0", peek(p)->text, &r->limit_ns))
		return fail_at(p, t->col,
			       "'%s %s' is not a whole number of ns that fits in 64 bits (under about 584 years)",
			       t->text, peek(p)->text);
	return fail_at(p, peek_col(p), "expected a unit (ns, us, ms, s) after %s", t->text);
}

static int parse_assertion(struct parser *p, struct user_rule *r, bool *uses_dev)
{
	bool ed = r->every_device;

	if (accept(p, "exactly") || at_word(p, "at")) {
		r->kind = AS_COUNT;
		r->count_op = COUNT_EXACTLY;
		if (accept(p, "at")) {
			if (accept(p, "least"))
				r->count_op = COUNT_AT_LEAST;
			else if (accept(p, "most"))
				r->count_op = COUNT_AT_MOST;
			else
				return fail_at(p, peek_col(p), "expected 'least' or 'most' after 'at'");
		}
		if (parse_count(p, r) || parse_selector(p, ed, &r->a, uses_dev))
			return -1;
		if (accept(p, "per")) {
			r->count_scope = accept(p, "outgoing") ? COUNT_PER_OUTGOING_STAGE :
							       COUNT_PER_STAGE;
			return expect(p, "stage", "after 'per'");
		}
		return 0;
	}
	if (accept(p, "no")) {
		r->kind = AS_NONE;
		if (parse_selector(p, ed, &r->a, uses_dev))
			return -1;
		if (!accept(p, "between"))
			return 0;
		r->has_window = true;
		if (parse_selector(p, ed, &r->b, uses_dev) ||
		    expect(p, "and", "between the two events of 'between'"))
			return -1;
		return parse_selector(p, ed, &r->c, uses_dev);
	}
	if (accept(p, "latency")) {
		r->kind = AS_LATENCY;
		if (expect(p, "from", "after 'latency'") ||
		    parse_selector(p, ed, &r->a, uses_dev) ||
		    expect(p, "to", "after the first event of 'latency'") ||
		    parse_selector(p, ed, &r->b, uses_dev) ||
		    expect(p, "under", "before the time limit"))
			return -1;
		return parse_limit(p, r);
	}
	r->kind = AS_ORDER;
	if (parse_selector(p, ed, &r->a, uses_dev))
		return -1;
	if (accept(p, "after")) {
		if (parse_selector(p, ed, &r->b, uses_dev))
			return -1;
		struct selector swap = r->a;

		r->a = r->b;
		r->b = swap;
	} else if (accept(p, "before")) {
		if (parse_selector(p, ed, &r->b, uses_dev))
			return -1;
	} else {
		const struct token *t = peek(p);

		return fail_at(p, peek_col(p), "expected 'before' or 'after'%s%s%s (or start with exactly, at least, at most, no, latency)",
			       t ? ", found '" : "", t ? t->text : "", t ? "'" : "");
	}
	if (accept(p, "in")) {
		r->order_scope = ORDER_SAME_STAGE;
		if (expect(p, "the", "in 'in the same stage'") ||
		    expect(p, "same", "in 'in the same stage'"))
			return -1;
		return expect(p, "stage", "in 'in the same stage'");
	}
	if (accept(p, "across")) {
		r->order_scope = ORDER_ACROSS_KEXEC;
		if (expect(p, "the", "in 'across the kexec'"))
			return -1;
		return expect(p, "kexec", "in 'across the kexec'");
	}
	return 0;
}

static bool rule_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (!n || n > RULE_ID_MAX || !(id[0] >= 'a' && id[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_word_char(id[i]))
			return false;
	return true;
}

static void selector_release(struct selector *s)
{
	for (size_t i = 0; i < s->nconds; i++)
		free(s->conds[i].str);
}

static void rule_release(struct user_rule *r)
{
	free(r->id);
	free(r->assertion);
	selector_release(&r->a);
	selector_release(&r->b);
	selector_release(&r->c);
}

static int parse_rule(struct parser *p, const struct rule_file *f,
		      const char *line, struct user_rule *r)
{
	const struct token *id = peek(p), *t;
	bool uses_dev = false;
	size_t from;

	if (id->quoted || !rule_id_valid(id->text))
		return fail_at(p, id->col, "expected a rule id ([a-z][a-z0-9_]*, at most %d bytes), found '%s'",
			       RULE_ID_MAX, id->text);
	if (verify_rule_index(id->text) >= 0)
		return fail_at(p, id->col, "'%s' is a built-in rule's id", id->text);
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->rules[i].id, id->text))
			return fail_at(p, id->col, "rule '%s' is already defined on line %u",
				       id->text, f->rules[i].line);
	p->next++;
	if (expect(p, ":", "after the rule id"))
		return -1;
	r->id = xstrndup(id->text, strlen(id->text));
	r->line = p->line;
	if (!peek(p))
		return fail_at(p, p->eol_col, "rule '%s' has no assertion", r->id);
	from = peek(p)->col - 1;
	if (accept(p, "for")) {
		if (expect(p, "every", "in 'for every device:'") ||
		    expect(p, "device", "in 'for every device:'") ||
		    expect(p, ":", "after 'for every device'"))
			return -1;
		r->every_device = true;
	}
	if (parse_assertion(p, r, &uses_dev))
		return -1;
	if ((t = peek(p)))
		return fail_at(p, t->col, "unexpected '%s' after the assertion", t->text);
	if (r->every_device && !uses_dev)
		return fail_at(p, id->col, "rule '%s' is for every device but no event says dev=$dev",
			       r->id);
	r->assertion = xstrndup(line + from, p->toks[p->ntoks - 1].end - from);
	return 0;
}

void rule_file_release(struct rule_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		rule_release(&f->rules[i]);
	free(f->rules);
	f->rules = NULL;
	f->n = 0;
}

int rule_file_parse(const char *name, const char *text, size_t len,
		    struct rule_file *out, char *err, size_t errlen)
{
	struct parser p = { .name = name, .err = err, .errlen = errlen };
	size_t pos = 0;

	out->rules = NULL;
	out->n = 0;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct user_rule r = { 0 };

		p.line++;
		pos += n + (nl ? 1 : 0);
		if (lex_line(&p, line, n))
			goto fail;
		if (!p.ntoks)
			continue;
		if (parse_rule(&p, out, line, &r)) {
			rule_release(&r);
			goto fail;
		}
		out->rules = realloc(out->rules, (out->n + 1) * sizeof(*out->rules));
		if (!out->rules)
			abort();
		out->rules[out->n++] = r;
		tokens_release(&p);
	}
	if (!out->n) {
		p.line = p.line ? p.line : 1;
		fail_at(&p, 1, "no rule in the file");
		goto fail;
	}
	return 0;
fail:
	tokens_release(&p);
	rule_file_release(out);
	return -1;
}

int rule_file_load(const char *path, struct rule_file *out, char *err,
		   size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t len;
	int ret;

	out->rules = NULL;
	out->n = 0;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(RULE_FILE_MAX + 1);
	if (!buf)
		abort();
	len = fread(buf, 1, RULE_FILE_MAX + 1, f);
	if (ferror(f) || len > RULE_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ? strerror(errno) :
			 "larger than 1 MiB: not a rule file");
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	ret = rule_file_parse(path, buf, len, out, err, errlen);
	free(buf);
	return ret;
}
