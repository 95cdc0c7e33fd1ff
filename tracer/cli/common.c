// SPDX-License-Identifier: GPL-2.0
/* What the commands share (cli.h): options, error output, loading, saving. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/atomic_file.h"
#include "output/json_writer.h"

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

void cli_render(cli_render_fn render, const struct lt_trace *t,
		const struct verify_result *r, char **text, size_t *len)
{
	FILE *mem = open_memstream(text, len);

	if (!mem)
		abort();
	render(mem, t, r);
	fclose(mem);
}

int cli_render_verified(const struct cli_logs *logs,
			const struct verify_options *opt, cli_render_fn render,
			char **text, size_t *len)
{
	struct verify_result r;
	struct lt_trace t;

	*text = NULL;
	*len = 0;
	if (cli_load_trace(logs, &t)) {
		lt_trace_release(&t);
		return EXIT_TROUBLE;
	}
	verify_trace(&t, opt, &r);
	cli_render(render, &t, &r, text, len);
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

/* Said once: a write that failed, then the close at exit, say no more. */
static bool stdout_failure_said;

int cli_stdout_failed(int err)
{
	if (!stdout_failure_said)
		fprintf(stderr, "lutrace: writing to standard output: %s\n",
			err ? strerror(err) : "a write failed");
	stdout_failure_said = true;
	return EXIT_TROUBLE;
}

void cli_close_stdout(void)
{
	bool failed_before = ferror(stdout);
	int err = fclose(stdout) ? errno : 0;

	if (!failed_before && !err && !stdout_failure_said)
		return;
	cli_stdout_failed(err);
	_exit(EXIT_TROUBLE);
}
