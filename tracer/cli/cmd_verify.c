// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/verify.h"
#include "cli/cli.h"
#include "output/verify_print.h"

struct verify_args {
	struct cli_logs logs;	/* first: cli_parse_logs gets this struct */
	struct verify_options opt;
	bool list;
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
	"\n"
	"Exit status: 0 every rule passed (or was NOT_EXERCISED and allowed), 1 a\n"
	"rule failed or was NOT_EXERCISED unallowed, 2 the logs could not be read.";

#define OPT_ALLOW_NOT_EXERCISED 0x100

static const struct argp_option verify_options[] = {
	CLI_BUDGET_OPTION,
	{ "allow-not-exercised", OPT_ALLOW_NOT_EXERCISED, "RULE,...", OPTION_ARG_OPTIONAL,
	  "NOT_EXERCISED does not fail verify: for these rules, or all without a list", 0 },
	{ "list", 'l', NULL, 0, "list the rules and what each checks", 0 },
	{ 0 },
};

/* --allow-not-exercised[=RULE,...] into opt; argp_error on an unknown rule. */
static void parse_allow(const char *arg, struct verify_options *opt,
			struct argp_state *state)
{
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

		if (i < 0 || i >= 64) {
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
		parse_allow(arg, &a->opt, state);
		return 0;
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

int cmd_verify(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { verify_options, parse_verify, "LOG...\n--list",
					  verify_doc, cli_common_children, help_filter,
					  NULL };
	struct verify_args a = { .logs.common = common };
	struct verify_result r;
	struct lt_trace t;
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
	if (cli_load_trace(&a.logs, &t)) {
		lt_trace_release(&t);
		return EXIT_TROUBLE;
	}
	verify_trace(&t, &a.opt, &r);
	if (common->json) {
		struct json_writer w;

		jw_stream_start(&w, stdout);
		verify_print_json(&w, &t, &r);
	} else {
		verify_print_text(stdout, &t, &r, common->verbose);
	}
	ret = verify_passed(&r) ? 0 : EXIT_RULE_FAILED;
	verify_result_release(&r);
	lt_trace_release(&t);
	return ret;
}
