// SPDX-License-Identifier: GPL-2.0
/*
 * lutrace: watch a Live Update of vfio-pci devices from both sides of the
 * kexec, join the two stages on one time axis, verify and report it.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "output/atomic_file.h"
#include "output/json_writer.h"

const char *argp_program_version = "lutrace 0.1";
const char *argp_program_bug_address = "the lutrace issue tracker";

static const struct argp_option common_options[] = {
	{ "json", 'j', NULL, 0, "JSON Lines output (errors too)", -1 },
	{ "verbose", 'v', NULL, 0, "more detail; libbpf and probe messages on stderr", -1 },
	{ 0 },
};

static error_t parse_common(int key, char *arg, struct argp_state *state)
{
	struct cli_common *c = state->input;

	(void)arg;
	switch (key) {
	case 'j': c->json = true; break;
	case 'v': c->verbose = true; break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cli_common_argp = { common_options, parse_common, NULL, NULL,
				      NULL, NULL, NULL };

const struct argp_child cli_common_children[] = {
	{ &cli_common_argp, 0, NULL, 0 }, { 0 },
};

error_t cli_parse_logs(int key, struct cli_logs *logs, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = logs->common;
		return 0;
	case ARGP_KEY_ARGS:
		logs->paths = state->argv + state->next;
		logs->n = state->argc - state->next;
		return 0;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no flight log given");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

void cli_parse_budget(const char *arg, struct verify_options *opt,
		      struct argp_state *state)
{
	char *end;
	double ms;

	errno = 0;
	ms = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(ms) || ms < 0 || ms > 1e9)
		argp_error(state, "--budget-ms wants a number of milliseconds, not '%s'",
			   arg);
	opt->has_budget = true;
	opt->budget_ns = (uint64_t)llround(ms * 1e6);
}

void cli_error(const struct cli_common *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->json)
		jw_error_line(stdout, msg);
	else
		fprintf(stderr, "lutrace: %s\n", msg);
}

int cli_load_trace(const struct cli_logs *logs, struct lt_trace *t)
{
	const struct cli_common *c = logs->common;
	char err[512];

	lt_trace_init(t);
	for (int i = 0; i < logs->n; i++) {
		if (lt_trace_add_file(t, logs->paths[i], err, sizeof(err))) {
			cli_error(c, "%s", err);
			return -1;
		}
	}
	if (lt_trace_finish(t, err, sizeof(err))) {
		cli_error(c, "%s", err);
		return -1;
	}
	if (c->verbose && !c->json)
		fprintf(stderr, "lutrace: %zu event(s), %zu stage(s) from %d log(s)\n",
			t->nevents, t->nstages, logs->n);
	return 0;
}

int cli_render_verified(const struct cli_logs *logs,
			const struct verify_options *opt, cli_render_fn render,
			char **text, size_t *len)
{
	struct verify_result r;
	struct lt_trace t;
	FILE *mem;

	*text = NULL;
	*len = 0;
	if (cli_load_trace(logs, &t)) {
		lt_trace_release(&t);
		return EXIT_TROUBLE;
	}
	verify_trace(&t, opt, &r);
	mem = open_memstream(text, len);
	if (!mem)
		abort();
	render(mem, &t, &r);
	fclose(mem);
	verify_result_release(&r);
	lt_trace_release(&t);
	return 0;
}

int cli_save(const struct cli_common *c, const char *what, const char *path,
	     const char *text, size_t len)
{
	char err[PATH_MAX + 128];

	if (atomic_file_write(path, text, len, err, sizeof(err))) {
		cli_error(c, "%s", err);
		return EXIT_TROUBLE;
	}
	if (c->verbose)
		fprintf(stderr, "lutrace: %s written to %s\n", what, path);
	return 0;
}

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
	"  verify LOG...   check the live update rules; exit 1 on any FAIL\n"
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
	"Exit status: 0 fine, 1 a verify rule failed, 2 lutrace could not do the job.";

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
