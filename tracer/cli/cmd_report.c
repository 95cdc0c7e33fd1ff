// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <stdio.h>

#include "cli/cli.h"
#include "output/report_json.h"
#include "output/report_text.h"

static const char report_doc[] =
	"Show what happened on the shared time axis: the stages and how their\n"
	"clocks were placed, a timeline per device, the latency of each phase\n"
	"from preserve to finish, the blackout of each device, log damage and\n"
	"dropped events. Times are milliseconds from the first event."
	"\v"
	"EXAMPLES:\n"
	"  lutrace report flight.log            one log holding both stages\n"
	"  lutrace report stage1.log stage2.log two logs, joined\n"
	"  lutrace report -v flight.log         include IOMMU map/unmap events\n"
	"  lutrace report -j flight.log > trace.jsonl";

static error_t parse_report(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	return cli_parse_logs(key, state->input, state);
}

int cmd_report(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { NULL, parse_report, "LOG...",
					  report_doc, cli_common_children, NULL, NULL };
	struct cli_logs logs = { .common = common };
	struct report_options opt;
	struct lt_trace t;

	argp_parse(&argp, argc, argv, 0, NULL, &logs);
	if (cli_load_trace(&logs, &t)) {
		lt_trace_release(&t);
		return EXIT_TROUBLE;
	}
	if (common->json) {
		struct json_writer w;

		jw_stream_start(&w, stdout);
		report_print_json(&w, &t);
	} else {
		opt.verbose = common->verbose;
		report_print_text(stdout, &t, &opt);
	}
	lt_trace_release(&t);
	return 0;
}
