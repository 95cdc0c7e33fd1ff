// SPDX-License-Identifier: GPL-2.0
/*
 * The verify rule table is the one list of rules: every entry complete,
 * and the RULES section of lutrace.8 made of its entries. Run with
 * LUTRACE_MAN_UPDATE=1 (make man) to rewrite that section from the table.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/verify_rules.h"
#include "man_page.h"

#define BEGIN_MARK ".\\\" The entries below are the rule table's"
#define END_MARK ".\\\" End of the rule table's entries.\n"

Test(rule_table, every_entry_has_an_id_a_check_a_function_and_a_man_entry)
{
	cr_assert_gt(verify_nr_rules, 0);
	for (size_t i = 0; i < verify_nr_rules; i++) {
		const struct verify_rule *r = &verify_rules[i];
		size_t mlen = r->man ? strlen(r->man) : 0;

		cr_assert_not_null(r->id, "entry %zu", i);
		cr_assert_gt(strlen(r->id), 0, "entry %zu", i);
		cr_assert_eq(strspn(r->id, "abcdefghijklmnopqrstuvwxyz_"), strlen(r->id),
			     "%s: ids are [a-z_] (a metrics label value, a man page tag)", r->id);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(verify_rules[j].id, r->id, "%s twice", r->id);
		cr_assert(r->checks && r->checks[0] && !strchr(r->checks, '\n'),
			  "%s: checks is one line", r->id);
		cr_assert_not_null(r->check, "%s: no function", r->id);
		cr_assert_gt(mlen, 0, "%s: no man page text", r->id);
		cr_assert_eq(r->man[mlen - 1], '\n', "%s: man text ends its line", r->id);
		cr_assert(strncmp(r->man, ".TP", 3) && !strstr(r->man, "\n.TP") &&
			  !strstr(r->man, "\n.SH") && strncmp(r->man, ".SH", 3),
			  "%s: man text is one entry, not a new one or a section", r->id);
	}
}

/* The entries as lutrace.8 has them between its markers. */
static char *table_as_man(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	for (size_t i = 0; i < verify_nr_rules; i++)
		fprintf(f, ".TP\n.B %s\n%s", verify_rules[i].id, verify_rules[i].man);
	fclose(f);
	return text;
}

Test(rule_table, man_page_rules_section_is_the_table)
{
	const char *path;
	char *man = man_page_read(&path), *want = table_as_man(), *begin, *end;
	size_t have_len;

	begin = strstr(man, BEGIN_MARK);
	cr_assert_not_null(begin, "%s: no line starting %s", path, BEGIN_MARK);
	begin = strchr(begin, '\n') + 1;
	begin = strchr(begin, '\n') + 1;	/* the marker is two comment lines */
	end = strstr(begin, END_MARK);
	cr_assert_not_null(end, "%s: no %s", path, END_MARK);
	cr_assert_lt(strstr(man, ".SH RULES\n") - man, begin - man, "markers outside RULES");
	have_len = (size_t)(end - begin);
	if (getenv("LUTRACE_MAN_UPDATE") && (have_len != strlen(want) ||
					     memcmp(begin, want, have_len))) {
		FILE *f = fopen(path, "w");

		cr_assert_not_null(f, "%s", path);
		fwrite(man, 1, (size_t)(begin - man), f);
		fputs(want, f);
		fputs(end, f);
		cr_assert_eq(fclose(f), 0);
		fprintf(stderr, "%s: RULES entries rewritten from the rule table\n", path);
	} else {
		/* cr_expect: the buffers are freed below, failing or not. */
		cr_expect(have_len == strlen(want) && !memcmp(begin, want, have_len),
			  "the RULES entries of %s are not the rule table's "
			  "(tracer/analyze/verify_rules.c); `make man` rewrites them. "
			  "The table's:\n%s", path, want);
	}
	free(want);
	free(man);
}
