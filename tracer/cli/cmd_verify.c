// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <stdio.h>

#include "analyze/verify.h"
#include "cli/cli.h"
#include "output/verify_print.h"

struct verify_args {
	struct cli_logs logs;	/* first: cli_parse_logs gets this struct */
	struct verify_options opt;
};

static const char verify_doc[] =
	"Check a live update against its rules. Each rule ends PASS, FAIL or\n"
	"NOT_EXERCISED (the trace had nothing the rule could check), with the\n"
	"evidence; FAIL evidence cites the log and byte offset of each record.\n"
	"\n"
	"Rules: retrieved_and_finished, no_reset_before_enable, no_iommu_fault,\n"
	"other_opens_blocked, mappings_identical, blackout_budget,\n"
	"no_dropped_events, log_intact. See lutrace(8)."
	"\v"
	"EXAMPLES:\n"
	"  lutrace verify flight.log\n"
	"  lutrace verify --budget-ms 2000 stage1.log stage2.log\n"
	"  lutrace verify -v flight.log     show passing evidence too\n"
	"\n"
	"Exit status: 0 no rule failed, 1 a rule failed, 2 the logs could not be read.";

static const struct argp_option verify_options[] = {
	CLI_BUDGET_OPTION,
	{ 0 },
};

static error_t parse_verify(int key, char *arg, struct argp_state *state)
{
	struct verify_args *a = state->input;

	if (key != 'b')
		return cli_parse_logs(key, &a->logs, state);
	cli_parse_budget(arg, &a->opt, state);
	return 0;
}

int cmd_verify(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { verify_options, parse_verify, "LOG...",
					  verify_doc, cli_common_children, NULL, NULL };
	struct verify_args a = { .logs.common = common };
	struct verify_result r;
	struct lt_trace t;
	int ret;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (cli_load_trace(&a.logs, &t)) {
		lt_trace_release(&t);
		return EXIT_TROUBLE;
	}
	verify_trace(&t, &a.opt, &r);
	if (common->json) {
		struct json_writer w;

		jw_init(&w, stdout);
		verify_print_json(&w, &t, &r);
	} else {
		verify_print_text(stdout, &t, &r, common->verbose);
	}
	ret = r.failed ? EXIT_RULE_FAILED : 0;
	verify_result_release(&r);
	lt_trace_release(&t);
	return ret;
}
