/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_CLI_H
#define LUTRACE_CLI_H

/* What the subcommands share: options, log loading, error output. */

#include <argp.h>
#include <stdbool.h>
#include <stdio.h>

#include "analyze/trace_join.h"
#include "analyze/verify.h"

/* Exit codes: 0 fine, 1 a verify rule failed, 2 could not do the job. */
#define EXIT_RULE_FAILED 1
#define EXIT_TROUBLE 2

struct cli_common {
	bool json;
	bool verbose;
};

/* The -j/-v options, as an argp child; input is a struct cli_common. */
extern const struct argp cli_common_argp;
/* cli_common_argp as the only child, for a command's struct argp. */
extern const struct argp_child cli_common_children[];

/* What every command reading logs parses: -j/-v and the LOG... operands. */
struct cli_logs {
	struct cli_common *common;
	char **paths;
	int n;
};

/* The argp keys a LOG... command shares; ARGP_ERR_UNKNOWN for the rest. */
error_t cli_parse_logs(int key, struct cli_logs *logs, struct argp_state *state);

/* --budget-ms MS (verify, metrics), key 'b': fractions allowed. */
#define CLI_BUDGET_OPTION                                                    \
	{ "budget-ms", 'b', "MS", 0,                                         \
	  "blackout budget per device in milliseconds (fractions allowed)", 0 }
/* Its value into opt; argp_error when it is not a number of milliseconds. */
void cli_parse_budget(const char *arg, struct verify_options *opt,
		      struct argp_state *state);

/* Prints an error as text on stderr, or as a JSON line on stdout. */
void cli_error(const struct cli_common *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * stdout could not be written: says so on stderr (stdout is what failed,
 * -j or not) with err, the errno of the write that failed (0: unknown),
 * once; returns EXIT_TROUBLE.
 */
int cli_stdout_failed(int err);
/*
 * At exit on every path (argp's --help and --version exit by themselves):
 * output that never reached stdout (`lutrace report > /dev/full`, a full
 * disk) is said as above and the exit status is EXIT_TROUBLE. errno is
 * taken only from the close that failed: an earlier failed write left
 * nothing trustworthy in it.
 */
void cli_close_stdout(void);

/* Loads and joins the logs; on failure reports and returns -1. */
int cli_load_trace(const struct cli_logs *logs, struct lt_trace *t);

/* Writes a verified trace: metrics_write, export_html and the like. */
typedef void (*cli_render_fn)(FILE *out, const struct lt_trace *t,
			      const struct verify_result *v);
/* Renders a verified trace into memory: *text (free it) of *len bytes. */
void cli_render(cli_render_fn render, const struct lt_trace *t,
		const struct verify_result *r, char **text, size_t *len);
/*
 * Loads the logs, verifies them with opt and renders them into memory:
 * *text (free it) of *len bytes. Returns 0, or EXIT_TROUBLE reported.
 */
int cli_render_verified(const struct cli_logs *logs,
			const struct verify_options *opt, cli_render_fn render,
			char **text, size_t *len);
/*
 * Writes text to path whole or not at all; with -v says "WHAT written to
 * PATH". Returns 0, or EXIT_TROUBLE reported.
 */
int cli_save(const struct cli_common *c, const char *what, const char *path,
	     const char *text, size_t len);

/* Subcommands: argv[0] is the command name; common holds -j/-v so far. */
int cmd_report(int argc, char **argv, struct cli_common *common);
int cmd_verify(int argc, char **argv, struct cli_common *common);
int cmd_record(int argc, char **argv, struct cli_common *common);
int cmd_metrics(int argc, char **argv, struct cli_common *common);
int cmd_export(int argc, char **argv, struct cli_common *common);

#endif
