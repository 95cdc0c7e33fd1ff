// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "output/metrics.h"

/* node_exporter's textfile collector reads DIR/\*.prom */
#define TEXTFILE_NAME "lutrace.prom"

struct metrics_args {
	struct cli_logs logs;	/* first: cli_parse_logs gets this struct */
	struct verify_options opt;
	const char *textfile_dir;
	const char *output;
};

static const char metrics_doc[] =
	"Export a live update as Prometheus metrics: the kernel release of each\n"
	"stage and when the update began, blackout (and whether it was measured)\n"
	"and phase latency per device, the verdict of every verify rule, dropped\n"
	"events per stage, log damage, in the text format node_exporter's\n"
	"textfile collector reads.\n"
	"\n"
	"They go to standard output, or to a file written whole or not at all\n"
	"(as FILE.tmp, then renamed), so a scrape never sees half of it."
	"\v"
	"EXAMPLES:\n"
	"  lutrace metrics flight.log\n"
	"  lutrace metrics --textfile-dir /var/lib/node_exporter/textfile_collector flight.log\n"
	"  lutrace metrics --budget-ms 2000 -o /tmp/lutrace.prom stage1.log stage2.log\n"
	"\n"
	"Exit status: 0 written, whatever the verdict (it is in the metrics);\n"
	"2 the logs could not be read or the file not written.";

static const struct argp_option metrics_options[] = {
	CLI_BUDGET_OPTION,
	{ "textfile-dir", 'd', "DIR", 0,
	  "write DIR/" TEXTFILE_NAME " for node_exporter's textfile collector", 0 },
	{ "output", 'o', "FILE", 0, "write FILE instead of standard output", 0 },
	{ 0 },
};

static error_t parse_metrics(int key, char *arg, struct argp_state *state)
{
	struct metrics_args *a = state->input;

	switch (key) {
	case 'b':
		cli_parse_budget(arg, &a->opt, state);
		return 0;
	case 'd': a->textfile_dir = arg; return 0;
	case 'o': a->output = arg; return 0;
	case ARGP_KEY_END:
		if (a->textfile_dir && a->output)
			argp_error(state, "--textfile-dir and --output name the same file; give one");
		return 0;
	default:
		return cli_parse_logs(key, &a->logs, state);
	}
}

int cmd_metrics(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { metrics_options, parse_metrics, "LOG...",
					  metrics_doc, cli_common_children, NULL, NULL };
	struct metrics_args a = { .logs.common = common };
	char path[PATH_MAX], *text;
	size_t len;
	int ret;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	ret = cli_render_verified(&a.logs, &a.opt, metrics_write, &text, &len);
	if (ret)
		return ret;
	if (a.textfile_dir) {
		snprintf(path, sizeof(path), "%s/" TEXTFILE_NAME, a.textfile_dir);
		ret = cli_save(common, "metrics", path, text, len);
	} else if (a.output) {
		ret = cli_save(common, "metrics", a.output, text, len);
	} else {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout))
			ret = cli_stdout_failed(errno);
	}
	free(text);
	return ret;
}
