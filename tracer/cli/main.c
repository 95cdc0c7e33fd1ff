// SPDX-License-Identifier: GPL-2.0
/*
 * lutrace: watch a Live Update of vfio-pci devices from both sides of the
 * kexec, join the two stages on one time axis, verify and report it.
 *
 * This file only dispatches to the commands (cmd_*.c); what they share is
 * in common.c.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "output/json_writer.h"

/* lutrace --version, or with -j/--json anywhere before or after it, JSON. */
static void print_version(FILE *out, struct argp_state *state)
{
	struct json_writer w;
	bool json = false;

	for (int i = 1; state && i < state->argc; i++)
		json |= !strcmp(state->argv[i], "-j") || !strcmp(state->argv[i], "--json");
	if (!json) {
		fprintf(out, "lutrace %s\n", LUTRACE_VERSION);
		return;
	}
	jw_stream_start(&w, out);
	jw_object_start(&w);
	jw_string_field(&w, "type", "version");
	jw_string_field(&w, "lutrace_version", LUTRACE_VERSION);
	jw_u64_field(&w, "json_schema_version", LUTRACE_JSON_SCHEMA_VERSION);
	jw_object_end(&w);
}

void (*argp_program_version_hook)(FILE *, struct argp_state *) = print_version;
const char *argp_program_bug_address = "the lutrace issue tracker";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv, struct cli_common *common);
} commands[] = {
	{ "record", cmd_record },
	{ "report", cmd_report },
	{ "verify", cmd_verify },
	{ "metrics", cmd_metrics },
	{ "export", cmd_export },
};

static const char main_doc[] =
	"Trace a Live Update of vfio-pci devices across kexec and check it.\n"
	"\n"
	"Commands:\n"
	"  record          record this boot's events into a flight log (root)\n"
	"  report LOG...   timelines, phase latency and blackout per device\n"
	"  verify LOG...   check the live update rules; exit 1 unless every one passed\n"
	"  metrics LOG...  blackout, phases and verdicts as Prometheus metrics\n"
	"  export LOG...   Perfetto trace JSON (--perfetto) or an HTML report (--html)\n"
	"\n"
	"Run 'lutrace COMMAND --help' for the options of a command."
	"\v"
	"EXAMPLES:\n"
	"  lutrace record --state-dir /run/lutrace &   (in stage 1, and again in stage 2)\n"
	"  lutrace report /run/lutrace/flight.log\n"
	"  lutrace verify --budget-ms 2000 stage1.log stage2.log\n"
	"  lutrace -j verify flight.log | jq 'select(.verdict==\"FAIL\")'\n"
	"  lutrace export --perfetto -o trace.json flight.log\n"
	"\n"
	"Exit status: 0 fine, 1 a verify rule failed or was not exercised, 2 lutrace\n"
	"could not do the job.";

struct main_args {
	struct cli_common common;
	int command_index;
};

static error_t parse_main(int key, char *arg, struct argp_state *state)
{
	struct main_args *a = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->common;
		return 0;
	case ARGP_KEY_ARG:
		/* Everything from the command on belongs to the command. */
		a->command_index = state->next - 1;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		if (!a->command_index)
			argp_error(state, "no command given");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int main(int argc, char **argv)
{
	static const struct argp argp = { NULL, parse_main, "COMMAND [ARGS...]",
					  main_doc, cli_common_children, NULL, NULL };
	struct main_args a = { 0 };
	const char *name;

	argp_err_exit_status = EXIT_TROUBLE;
	atexit(cli_close_stdout);
	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &a);
	name = argv[a.command_index];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name))
			continue;
		/* -j/-v count before or after the command name. */
		return commands[i].run(argc - a.command_index,
				       argv + a.command_index, &a.common);
	}
	cli_error(&a.common, "unknown command '%s' (try 'lutrace --help')", name);
	return EXIT_TROUBLE;
}
