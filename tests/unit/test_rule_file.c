// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>

#include "analyze/rule_file.h"
#include "log/event_names.h"

static struct rule_file rules;
static char err[512];

static void fini(void)
{
	rule_file_release(&rules);
}

#define PTest(name) Test(rule_file, name, .fini = fini)

static int parse(const char *text)
{
	err[0] = '\0';
	return rule_file_parse("t.rules", text, strlen(text), &rules, err, sizeof(err));
}

static const struct user_rule *parse_one(const char *text)
{
	cr_assert_eq(parse(text), 0, "%s", err);
	cr_assert_eq(rules.n, 1);
	return &rules.rules[0];
}

PTest(count_per_outgoing_stage)
{
	const struct user_rule *r = parse_one("one_reboot: exactly 1 liveupdate_reboot ret=0 per outgoing stage\n");

	cr_assert_str_eq(r->id, "one_reboot");
	cr_assert_str_eq(r->assertion, "exactly 1 liveupdate_reboot ret=0 per outgoing stage");
	cr_assert_eq(r->kind, AS_COUNT);
	cr_assert_eq(r->count_op, COUNT_EXACTLY);
	cr_assert_eq(r->count, 1);
	cr_assert_eq(r->count_scope, COUNT_PER_OUTGOING_STAGE);
	cr_assert_eq(r->a.event, LT_EV_LU_REBOOT);
	cr_assert_eq(r->a.nconds, 1);
	cr_assert_eq(r->a.conds[0].key, SEL_RET);
	cr_assert_eq(r->a.conds[0].num, 0);
}

PTest(at_least_and_at_most)
{
	cr_assert_eq(parse("a: at least 2 marker\nb: at most 0 vfio_pci_reset ret=-16 per stage\n"), 0, "%s", err);
	cr_assert_eq(rules.rules[0].count_op, COUNT_AT_LEAST);
	cr_assert_eq(rules.rules[0].count, 2);
	cr_assert_eq(rules.rules[1].count_op, COUNT_AT_MOST);
	cr_assert_eq(rules.rules[1].count_scope, COUNT_PER_STAGE);
	cr_assert_eq(rules.rules[1].a.conds[0].num, -16);
}

PTest(after_is_before_swapped)
{
	const struct user_rule *r = parse_one("m: marker text~second after marker text~first in the same stage");

	cr_assert_eq(r->kind, AS_ORDER);
	cr_assert_eq(r->order_scope, ORDER_SAME_STAGE);
	cr_assert_str_eq(r->a.conds[0].str, "first");
	cr_assert_str_eq(r->b.conds[0].str, "second");
	cr_assert_eq(r->b.conds[0].op, SEL_CONTAINS);
}

PTest(every_device_window)
{
	const struct user_rule *r = parse_one(
		"w: for every device: no vfio_pci_reset dev=$dev site!=freeze between "
		"vfio_pci_liveupdate_preserve dev=$dev and vfio_pci_liveupdate_finish dev=$dev");

	cr_assert(r->every_device);
	cr_assert_eq(r->kind, AS_NONE);
	cr_assert(r->has_window);
	cr_assert(r->a.conds[0].each_device);
	cr_assert_eq(r->a.conds[1].key, SEL_SITE);
	cr_assert_eq(r->a.conds[1].op, SEL_NE);
	cr_assert_eq(r->a.conds[1].num, LT_RESET_SITE_FREEZE);
	cr_assert_eq(r->b.event, LT_EV_VFIO_LU_PRESERVE);
	cr_assert_eq(r->c.event, LT_EV_VFIO_LU_FINISH);
}

PTest(latency_units)
{
	cr_assert_eq(parse("a: latency from any to any under 50 ms\n"
			   "b: latency from any to any under 2.5s\n"
			   "c: latency from any to any under 750us\n"), 0, "%s", err);
	cr_assert_eq(rules.rules[0].limit_ns, 50000000);
	cr_assert_eq(rules.rules[1].limit_ns, 2500000000ull);
	cr_assert_eq(rules.rules[2].limit_ns, 750000);
}

PTest(comments_blank_lines_and_quotes)
{
	const struct user_rule *r = parse_one(
		"# a comment\n\n   \t\r\n"
		"q: no marker text=\"say \\\"hi\\\" # not a comment\" session=vm  # comment\r\n");

	cr_assert_eq(r->line, 4);
	cr_assert_str_eq(r->a.conds[0].str, "say \"hi\" # not a comment");
	cr_assert_str_eq(r->a.conds[1].str, "vm");
	cr_assert_str_eq(r->assertion, "no marker text=\"say \\\"hi\\\" # not a comment\" session=vm");
}

PTest(token_hex_and_stage)
{
	const struct user_rule *r = parse_one("t: exactly 1 vfio_pci_liveupdate_retrieve token=0x1f stage=2");

	cr_assert_eq(r->a.conds[0].num, 0x1f);
	cr_assert_eq(r->a.conds[1].key, SEL_STAGE);
	cr_assert_eq(r->a.conds[1].num, 2);
}

/* Every malformed file: its error, where, and no rule at all. */
static const struct {
	const char *text;
	const char *want;
} bad[] = {
	{ "a: exactly x marker", "t.rules:1:12: expected a count" },
	{ "a: exactly 1 markr", "t.rules:1:14: unknown event 'markr'" },
	{ "a: no marker colour=red", "t.rules:1:14: unknown key 'colour'" },
	{ "a: no marker dev=$dev", "t.rules:1:18: $dev outside 'for every device:'" },
	{ "a: for every device: no marker", "t.rules:1:1: rule 'a' is for every device but no event says dev=$dev" },
	{ "a: no marker text=\"open", "t.rules:1:19: the quoted text has no closing \"" },
	{ "log_intact: no marker", "t.rules:1:1: 'log_intact' is a built-in rule's id" },
	{ "a: no marker\n\na: no marker", "t.rules:3:1: rule 'a' is already defined on line 1" },
	{ "a no marker", "t.rules:1:3: expected ':' after the rule id, found 'no'" },
	{ "a: no marker extra", "t.rules:1:14: unexpected 'extra' after the assertion" },
	{ "a: latency from marker to marker under 50", "t.rules:1:42: expected a unit" },
	{ "a: latency from marker to marker under 50 parsecs", "t.rules:1:43: expected a unit" },
	{ "a: latency from marker to marker under 0.0000000001 s", "t.rules:1:40: '0.0000000001 s' is not a whole number of ns" },
	{ "a: latency from marker to marker under 999999999999 s", "t.rules:1:40: '999999999999 s' is not a whole number of ns that fits" },
	{ "a: marker before", "t.rules:1:17: expected an event name, found the end of the line" },
	{ "a: marker", "t.rules:1:10: expected 'before' or 'after'" },
	{ "a: marker before marker in the stage", "t.rules:1:32: expected 'same'" },
	{ "a: no marker ret=zero", "t.rules:1:18: ret takes a decimal int" },
	{ "a: no marker ret=2147483648", "t.rules:1:18: ret takes a decimal int" },
	{ "a: no marker token~1", "t.rules:1:19: token is a number" },
	{ "a: no vfio_pci_reset site=nowhere", "t.rules:1:27: no site 'nowhere'" },
	{ "a: no marker\x01", "t.rules:1:13: unexpected control byte 0x01" },
	{ "Bad: no marker", "t.rules:1:1: expected a rule id" },
	{ "a:", "t.rules:1:3: rule 'a' has no assertion" },
	{ "# only a comment\n", "t.rules:1:1: no rule in the file" },
	{ "", "t.rules:1:1: no rule in the file" },
	{ "a: no marker dev=0000:01:00.0000000000000000000000000", "t.rules:1:18: dev is longer" },
};

PTest(malformed_files_say_line_and_column_and_yield_nothing)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(parse(bad[i].text), -1, "parsed: %s", bad[i].text);
		cr_assert(strstr(err, bad[i].want), "%s: got \"%s\", want \"%s\"",
			  bad[i].text, err, bad[i].want);
		cr_assert_eq(rules.n, 0);
		cr_assert_null(rules.rules);
	}
}

PTest(a_later_error_drops_the_good_rules_before_it)
{
	cr_assert_eq(parse("good: no marker\nbad: no markr\n"), -1);
	cr_assert(strstr(err, "t.rules:2:9: unknown event"), "%s", err);
	cr_assert_eq(rules.n, 0);
}

PTest(the_checked_in_example_files_parse)
{
	static const char *const files[] = { "tests/rules/demo.rules",
					     "tracer/rules/builtin.rules" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		cr_assert_eq(rule_file_load(files[i], &rules, err, sizeof(err)), 0, "%s", err);
		cr_assert_geq(rules.n, 5, "%s", files[i]);
		rule_file_release(&rules);
	}
}
