// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/rule_eval.h"
#include "analyze/verify.h"
#include "cli/cli.h"
#include "output/verify_junit.h"
#include "output/verify_print.h"
#include "output/verify_tap.h"

struct verify_args {
	struct cli_logs logs;	/* first: cli_parse_logs gets this struct */
	struct verify_options opt;
	bool list;
	const char *rules_path;		/* --rules */
	const char *junit_path;		/* --junit */
	bool tap;
	/* --allow-not-exercised names that are no built-in rule: the user's? */
	char *allow_user;
};

/* The doc's rule list, from the rule table, is added by help_filter(). */
#define RULES_WRAP 72

static const char verify_doc[] =
	"Check a live update against its rules. Each rule ends PASS, FAIL or\n"
	"NOT_EXERCISED (the trace lacked what the rule needs, for some or all of\n"
	"what it applies to), with the evidence; FAIL evidence cites the log and\n"
	"byte offset of each record. NOT_EXERCISED fails verify too, unless\n"
	"--allow-not-exercised accepts it."
	"\v"
	"EXAMPLES:\n"
	"  lutrace verify --budget-ms 2000 flight.log\n"
	"  lutrace verify --budget-ms 2000 stage1.log stage2.log\n"
	"  lutrace verify --allow-not-exercised=blackout_budget flight.log\n"
	"  lutrace verify -v flight.log     show passing evidence too\n"
	"  lutrace verify --rules ci.rules --junit verify.xml stage1.log stage2.log\n"
	"  lutrace verify --tap --rules ci.rules flight.log\n"
	"\n"
	"Exit status: 0 every rule passed (or was NOT_EXERCISED and allowed), 1 a\n"
	"rule failed or was NOT_EXERCISED unallowed, 2 the logs could not be read.";

#define OPT_ALLOW_NOT_EXERCISED 0x100
#define OPT_RULES 0x101
#define OPT_JUNIT 0x102
#define OPT_TAP 0x103

static const struct argp_option verify_options[] = {
	CLI_BUDGET_OPTION,
	{ "allow-not-exercised", OPT_ALLOW_NOT_EXERCISED, "RULE,...", OPTION_ARG_OPTIONAL,
	  "NOT_EXERCISED does not fail verify: for these rules, or all without a list", 0 },
	{ "list", 'l', NULL, 0, "list the rules and what each checks", 0 },
	{ "rules", OPT_RULES, "FILE", 0,
	  "also judge the assertions of FILE (lutrace(8), RULE FILES)", 0 },
	{ "junit", OPT_JUNIT, "FILE", 0,
	  "also write the verdicts to FILE as JUnit XML, a testcase per rule", 0 },
	{ "tap", OPT_TAP, NULL, 0, "print the verdicts as TAP 13 (as kselftest does)", 0 },
	{ 0 },
};

/* --allow-not-exercised[=RULE,...] into opt; argp_error on an unknown rule. */
static void parse_allow(const char *arg, struct verify_args *a,
			struct argp_state *state)
{
	struct verify_options *opt = &a->opt;
	char *list, *save = NULL;

	if (!arg) {
		opt->allow_all_not_exercised = true;
		return;
	}
	list = strdup(arg);
	if (!list)
		abort();
	for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		long i = verify_rule_index(id);

		if (i < 0) {
			/* Perhaps a --rules rule: judged once the file is read. */
			char *more;

			if (asprintf(&more, "%s%s%s", a->allow_user ? a->allow_user : "",
				     a->allow_user ? "," : "", id) < 0)
				abort();
			free(a->allow_user);
			a->allow_user = more;
			continue;
		}
		if (i >= 64) {
			argp_error(state, "--allow-not-exercised: no rule '%s' (lutrace verify --list)",
				   id);
			free(list);
			return;
		}
		opt->allow_not_exercised |= 1ull << i;
	}
	free(list);
}

/* "Rules: a, b, ... z. See lutrace(8).", wrapped at RULES_WRAP columns. */
static void write_rule_list(FILE *out)
{
	size_t col = 0;

	for (size_t i = 0; i <= verify_nr_rules + 2; i++) {
		char word[64];
		size_t n;

		if (i == 0)
			snprintf(word, sizeof(word), "Rules:");
		else if (i <= verify_nr_rules)
			snprintf(word, sizeof(word), "%s%s", verify_rules[i - 1].id,
				 i < verify_nr_rules ? "," : ".");
		else
			snprintf(word, sizeof(word), "%s", i == verify_nr_rules + 1 ?
				 "See" : "lutrace(8).");
		n = strlen(word);
		if (col && col + 1 + n > RULES_WRAP) {
			fputc('\n', out);
			col = 0;
		}
		fprintf(out, "%s%s", col ? " " : "", word);
		col += (col ? 1 : 0) + n;
	}
}

static char *help_filter(int key, const char *text, void *input)
{
	char *doc = NULL;
	size_t len = 0;
	FILE *mem;

	(void)input;
	if (key != ARGP_KEY_HELP_PRE_DOC || !text)
		return (char *)text;
	mem = open_memstream(&doc, &len);
	if (!mem)
		abort();
	fprintf(mem, "%s\n\n", text);
	write_rule_list(mem);
	fclose(mem);
	return doc;
}

static error_t parse_verify(int key, char *arg, struct argp_state *state)
{
	struct verify_args *a = state->input;

	switch (key) {
	case 'b':
		cli_parse_budget(arg, &a->opt, state);
		return 0;
	case 'l':
		a->list = true;
		return 0;
	case OPT_ALLOW_NOT_EXERCISED:
		parse_allow(arg, a, state);
		return 0;
	case OPT_RULES:
		a->rules_path = arg;
		return 0;
	case OPT_JUNIT:
		a->junit_path = arg;
		return 0;
	case OPT_TAP:
		a->tap = true;
		return 0;
	case ARGP_KEY_END:
		if (a->tap && a->logs.common->json)
			argp_error(state, "--tap and -j are two formats for stdout: choose one");
		break;
	case ARGP_KEY_ARGS:
		if (a->list)
			argp_error(state, "--list takes no flight log");
		break;
	case ARGP_KEY_NO_ARGS:
		if (a->list)
			return 0;
		break;
	}
	return cli_parse_logs(key, &a->logs, state);
}

/*
 * --allow-not-exercised names no built-in rule has: each must be a rule of
 * the --rules file, whose bit follows the built-in ones. Says which is not.
 */
static int allow_user_rules(struct verify_args *a, const struct rule_file *f)
{
	char *save = NULL;
	int ret = 0;

	if (!a->allow_user)
		return 0;
	for (char *id = strtok_r(a->allow_user, ",", &save); id && !ret;
	     id = strtok_r(NULL, ",", &save)) {
		size_t j = 0;

		while (j < f->n && strcmp(f->rules[j].id, id))
			j++;
		if (j < f->n && verify_nr_rules + j < 64) {
			a->opt.allow_not_exercised |= 1ull << (verify_nr_rules + j);
			continue;
		}
		cli_error(a->logs.common, "--allow-not-exercised: no rule '%s' (lutrace verify --list%s)",
			  id, j < f->n ? "; only the first 64 rules can be named" :
			  a->rules_path ? ", and the --rules file" : "");
		ret = -1;
	}
	free(a->allow_user);
	a->allow_user = NULL;
	return ret;
}

static int save_junit(const struct cli_common *common, const char *path,
		      const struct lt_trace *t, const struct verify_result *r)
{
	char *xml = NULL;
	size_t len = 0;
	int ret;

	cli_render(verify_print_junit, t, r, &xml, &len);
	ret = cli_save(common, "JUnit report", path, xml, len);
	free(xml);
	return ret;
}

int cmd_verify(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { verify_options, parse_verify, "LOG...\n--list",
					  verify_doc, cli_common_children, help_filter,
					  NULL };
	struct verify_args a = { .logs.common = common };
	struct rule_file rules = { 0 };
	struct verify_result r;
	struct lt_trace t;
	char err[512];
	int ret;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (a.list) {
		struct json_writer w;

		if (common->json) {
			jw_stream_start(&w, stdout);
			verify_list_json(&w);
		} else {
			verify_list_text(stdout);
		}
		return 0;
	}
	if (a.rules_path && rule_file_load(a.rules_path, &rules, err, sizeof(err))) {
		cli_error(common, "%s: nothing verified", err);
		free(a.allow_user);
		return EXIT_TROUBLE;
	}
	if (allow_user_rules(&a, &rules)) {
		rule_file_release(&rules);
		free(a.allow_user);
		return EXIT_TROUBLE;
	}
	if (cli_load_trace(&a.logs, &t)) {
		lt_trace_release(&t);
		rule_file_release(&rules);
		return EXIT_TROUBLE;
	}
	verify_trace_rules(&t, &rules, &a.opt, &r);
	if (common->json) {
		struct json_writer w;

		jw_stream_start(&w, stdout);
		verify_print_json(&w, &t, &r);
	} else if (a.tap) {
		verify_print_tap(stdout, &t, &r);
	} else {
		verify_print_text(stdout, &t, &r, common->verbose);
	}
	ret = verify_passed(&r) ? 0 : EXIT_RULE_FAILED;
	if (a.junit_path && save_junit(common, a.junit_path, &t, &r))
		ret = EXIT_TROUBLE;
	verify_result_release(&r);
	rule_file_release(&rules);
	lt_trace_release(&t);
	return ret;
}
