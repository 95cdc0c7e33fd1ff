// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "output/html.h"
#include "output/perfetto.h"

enum export_format { EXPORT_NONE, EXPORT_PERFETTO, EXPORT_HTML };

struct export_args {
	struct cli_logs logs;	/* first: cli_parse_logs gets this struct */
	struct verify_options opt;
	enum export_format format;
	const char *output;
};

static const char export_doc[] =
	"Export a live update for other tools: --perfetto writes Chrome Trace\n"
	"Event Format JSON for ui.perfetto.dev or chrome://tracing (a process per\n"
	"stage, a track per device, phases and blackout as slices, every event as\n"
	"an instant with its fields); --html writes one self-contained page with\n"
	"the verify verdicts and evidence, the phase/blackout table and the\n"
	"per-device timelines.\n"
	"\n"
	"The file is written whole or not at all (as FILE.tmp, then renamed)."
	"\v"
	"EXAMPLES:\n"
	"  lutrace export --perfetto -o trace.json flight.log\n"
	"  lutrace export --html -o report.html stage1.log stage2.log\n"
	"  lutrace export --html --budget-ms 2000 -o report.html flight.log\n"
	"\n"
	"Exit status: 0 written, whatever the verdict (it is in the page);\n"
	"2 the logs could not be read or the file not written.";

static const struct argp_option export_options[] = {
	{ "perfetto", 'P', NULL, 0, "Chrome Trace Event Format JSON (Perfetto UI)", 0 },
	{ "html", 'H', NULL, 0, "a self-contained HTML report", 0 },
	{ "output", 'o', "FILE", 0, "the file to write (required)", 0 },
	CLI_BUDGET_OPTION,
	{ 0 },
};

static error_t parse_export(int key, char *arg, struct argp_state *state)
{
	struct export_args *a = state->input;

	switch (key) {
	case 'P':
	case 'H':
		if (a->format != EXPORT_NONE)
			argp_error(state, "give one of --perfetto and --html");
		a->format = key == 'P' ? EXPORT_PERFETTO : EXPORT_HTML;
		return 0;
	case 'o': a->output = arg; return 0;
	case 'b':
		cli_parse_budget(arg, &a->opt, state);
		return 0;
	case ARGP_KEY_END:
		if (a->format == EXPORT_NONE)
			argp_error(state, "give --perfetto or --html");
		if (!a->output)
			argp_error(state, "give -o FILE");
		return 0;
	default:
		return cli_parse_logs(key, &a->logs, state);
	}
}

static void render_perfetto(FILE *out, const struct lt_trace *t,
			    const struct verify_result *v)
{
	(void)v;	/* the verdicts are for the HTML page */
	export_perfetto(out, t);
}

int cmd_export(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { export_options, parse_export, "LOG...",
					  export_doc, cli_common_children, NULL, NULL };
	struct export_args a = { .logs.common = common };
	char *text;
	size_t len;
	int ret;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	ret = cli_render_verified(&a.logs, &a.opt,
				  a.format == EXPORT_PERFETTO ? render_perfetto : export_html,
				  &text, &len);
	if (ret)
		return ret;
	ret = cli_save(common, "export", a.output, text, len);
	free(text);
	return ret;
}
