// SPDX-License-Identifier: GPL-2.0
/* The lutrace binary as a user runs it: exit codes, output modes, errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze/verify.h"
#include "json_check.h"
#include "scenario.h"

static struct log_buf buf;
static char log_path[] = "/tmp/lutrace-cli-XXXXXX";
static char out[64 * 1024];

static void write_log(const struct scenario *sc)
{
	int fd = mkstemp(log_path);

	scenario_build(&buf, sc);
	cr_assert_eq(write(fd, buf.data, buf.len), (ssize_t)buf.len);
	close(fd);
}

static void fini(void)
{
	unlink(log_path);
}

/*
 * Runs "lutrace ARGS REDIRECTIONS" with what the shell's stdout gets in out;
 * returns the exit status.
 */
static int run_redirected(const char *args, const char *redirections)
{
	const char *bin = getenv("LUTRACE_BIN");
	char cmd[1024];
	size_t n;
	FILE *p;
	int status;

	if (!bin)
		cr_skip_test("LUTRACE_BIN not set (run through make test-unit)");
	snprintf(cmd, sizeof(cmd), "%s %s %s", bin, args, redirections);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	status = pclose(p);
	cr_assert(WIFEXITED(status), "lutrace %s did not exit", args);
	return WEXITSTATUS(status);
}

/* Runs "lutrace ARGS" with stderr into stdout; returns the exit status. */
static int run(const char *args)
{
	return run_redirected(args, "2>&1");
}

/* Runs "lutrace ARGS" with stdout on /dev/full and stderr into out. */
static int run_to_full(const char *args)
{
	return run_redirected(args, "2>&1 >/dev/full");
}

static int runf(const char *fmt, const char *arg)
{
	char args[512];

	snprintf(args, sizeof(args), fmt, arg);
	return run(args);
}

#define CTest(name) Test(cli, name, .fini = fini)

CTest(verify_passes_with_exit_zero)
{
	char verdict[64];

	/*
	 * Every rule exercised, other opens tried and blocked, but the one of
	 * an opt-in mode nothing used, which allows itself.
	 */
	write_log(&(struct scenario){ .opens_blocked = true });
	cr_assert_eq(runf("verify --budget-ms 4500 %s", log_path), 0, "%s", out);
	snprintf(verdict, sizeof(verdict),
		 "verdict: PASS (0 of %zu rules failed, 1 not exercised, allowed)",
		 verify_nr_rules);
	cr_assert(strstr(out, verdict), "%s", out);
}

CTest(not_exercised_fails_verify_unless_allowed)
{
	char verdict[96];

	/* No open was attempted: other_opens_blocked is NOT_EXERCISED. */
	write_log(&(struct scenario){ 0 });
	cr_assert_eq(runf("verify --budget-ms 4500 %s", log_path), 1, "%s", out);
	cr_assert(strstr(out, "NOT_EXERCISED  other_opens_blocked"), "%s", out);
	snprintf(verdict, sizeof(verdict),
		 "verdict: FAIL (0 of %zu rules failed, 2 not exercised, 1 of them allowed)",
		 verify_nr_rules);
	cr_assert(strstr(out, verdict), "%s", out);
	cr_assert_eq(runf("verify --budget-ms 4500 --allow-not-exercised %s", log_path), 0,
		     "%s", out);
	snprintf(verdict, sizeof(verdict),
		 "verdict: PASS (0 of %zu rules failed, 2 not exercised, allowed)",
		 verify_nr_rules);
	cr_assert(strstr(out, verdict), "%s", out);
	cr_assert_eq(runf("verify --budget-ms 4500 --allow-not-exercised=other_opens_blocked %s",
			  log_path), 0, "%s", out);
	/* Allowing one rule allows no other: no budget leaves blackout_budget. */
	cr_assert_eq(runf("verify --allow-not-exercised=other_opens_blocked %s", log_path),
		     1, "%s", out);
	cr_assert(strstr(out, "NOT_EXERCISED  blackout_budget"), "%s", out);
	cr_assert_eq(runf("verify --allow-not-exercised=other_opens_blocked,blackout_budget %s",
			  log_path), 0, "%s", out);
	cr_assert_eq(runf("verify --allow-not-exercised=no_such_rule %s", log_path), 2,
		     "%s", out);
	cr_assert(strstr(out, "no_such_rule"), "%s", out);
}

CTest(not_exercised_is_in_the_json_verdict)
{
	write_log(&(struct scenario){ 0 });
	cr_assert_eq(runf("-j verify --budget-ms 4500 %s", log_path), 1, "%s", out);
	cr_assert(strstr(out, "{\"type\":\"verdict\",\"verdict\":\"FAIL\","), "%s", out);
	cr_assert(strstr(out, "\"failed\":0,"), "%s", out);
	cr_assert(strstr(out, "\"not_exercised\":2,\"not_exercised_allowed\":1"), "%s", out);
}

CTest(verify_list_and_help_name_every_rule_of_the_table)
{
	char line[256], *p = out;
	long bad = 0;

	cr_assert_eq(run("verify --list"), 0, "%s", out);
	for (size_t i = 0; i < verify_nr_rules; i++) {
		snprintf(line, sizeof(line), "%-26s %s\n", verify_rules[i].id,
			 verify_rules[i].checks);
		cr_assert_eq(strncmp(p, line, strlen(line)), 0, "line %zu: want %s in:\n%s",
			     i, line, out);
		p += strlen(line);
	}
	cr_assert_str_eq(p, "", "nothing after the rules");
	cr_assert_eq(run("-j verify --list"), 0, "%s", out);
	cr_assert_eq(json_lines_check(out, &bad), (long)verify_nr_rules + 1, "line %ld:\n%s",
		     bad, out);
	cr_assert(strstr(out, "{\"type\":\"rule_info\",\"rule\":\"log_intact\","), "%s", out);
	cr_assert_eq(run("verify --list x.log"), 2, "%s", out);
	cr_assert(strstr(out, "--list takes no flight log"), "%s", out);
	cr_assert_eq(run("verify --help"), 0, "%s", out);
	for (size_t i = 0; i < verify_nr_rules; i++) {
		snprintf(line, sizeof(line), "%s%s", verify_rules[i].id,
			 i + 1 < verify_nr_rules ? "," : ". See lutrace(8).");
		cr_assert(strstr(out, line), "verify --help lacks %s:\n%s", line, out);
	}
}

CTest(verify_failure_exits_one_and_names_the_rule)
{
	write_log(&(struct scenario){ .no_retrieve = { false, true } });
	cr_assert_eq(runf("verify %s", log_path), 1, "%s", out);
	cr_assert(strstr(out, "FAIL           retrieved_and_finished"), "%s", out);
	cr_assert(strstr(out, "0000:02:00.0: never retrieved in stage 2"), "%s", out);
}

CTest(budget_is_checked_and_global_json_flag_works)
{
	long bad = 0;

	write_log(&(struct scenario){ 0 });
	cr_assert_eq(runf("-j verify --budget-ms=3998.5 %s", log_path), 1, "%s", out);
	cr_assert_eq(json_lines_check(out, &bad), (long)verify_nr_rules + 2, "line %ld:\n%s",
		     bad, out);
	cr_assert(strstr(out, "\"rule\":\"blackout_budget\",\"verdict\":\"FAIL\""), "%s", out);
}

CTest(report_text_and_json)
{
	long bad = 0;

	write_log(&(struct scenario){ 0 });
	cr_assert_eq(runf("report %s", log_path), 0, "%s", out);
	cr_assert(strstr(out, "Phase latency (ms)"), "%s", out);
	cr_assert_eq(runf("report -j %s", log_path), 0, "%s", out);
	cr_assert_gt(json_lines_check(out, &bad), 0, "line %ld", bad);
	cr_assert(strstr(out, "{\"type\":\"summary\""), "%s", out);
}

CTest(unreadable_log_exits_two_with_json_error_in_json_mode)
{
	cr_assert_eq(run("-j report /nonexistent.log"), 2, "%s", out);
	cr_assert_str_eq(out,
			 "{\"type\":\"error\",\"schema_version\":2,\"message\":\"/nonexistent.log: No such file or directory\"}\n");
	cr_assert_eq(run("verify /etc/hostname"), 2, "%s", out);
	cr_assert(strstr(out, "lutrace: /etc/hostname: not a lutrace flight log"), "%s", out);
}

CTest(usage_errors_exit_two)
{
	cr_assert_eq(run(""), 2, "%s", out);
	cr_assert(strstr(out, "no command given"), "%s", out);
	cr_assert_eq(run("frobnicate"), 2, "%s", out);
	cr_assert(strstr(out, "unknown command 'frobnicate'"), "%s", out);
	cr_assert_eq(run("verify --budget-ms soon x.log"), 2, "%s", out);
	cr_assert(strstr(out, "--budget-ms wants a number"), "%s", out);
	cr_assert_eq(run("report"), 2, "%s", out);
}

CTest(help_has_examples)
{
	cr_assert_eq(run("--help"), 0);
	cr_assert(strstr(out, "EXAMPLES:"), "%s", out);
	cr_assert(strstr(out, "verify LOG..."), "%s", out);
	cr_assert_eq(run("verify --help"), 0);
	cr_assert(strstr(out, "--budget-ms=MS"), "%s", out);
	cr_assert(strstr(out, "EXAMPLES:"), "%s", out);
}

CTest(metrics_to_stdout_and_into_a_textfile_directory)
{
	char dir[] = "/tmp/lutrace-textfile-XXXXXX", args[256], path[64];
	FILE *f;
	size_t n;

	write_log(&(struct scenario){ .no_retrieve = { false, true } });
	cr_assert_eq(runf("metrics %s", log_path), 0, "a FAIL is in the metrics, not the exit: %s", out);
	cr_assert(strstr(out, "lutrace_verify_failed_rules 1\n"), "%s", out);

	cr_assert_not_null(mkdtemp(dir));
	snprintf(args, sizeof(args), "-v metrics --budget-ms 4500 --textfile-dir %s %s", dir, log_path);
	cr_assert_eq(run(args), 0, "%s", out);
	cr_assert(strstr(out, "metrics written to"), "%s", out);
	snprintf(path, sizeof(path), "%s/lutrace.prom", dir);
	f = fopen(path, "r");
	cr_assert_not_null(f, "no %s", path);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	cr_assert(strstr(out, "lutrace_verify_rule{rule=\"blackout_budget\",verdict=\"FAIL\"} 1\n"),
		  "%s", out);
	unlink(path);
	rmdir(dir);
}

CTest(metrics_usage_errors)
{
	cr_assert_eq(run("metrics -o x.prom --textfile-dir /tmp /nonexistent.log"), 2, "%s", out);
	cr_assert(strstr(out, "give one"), "%s", out);
	cr_assert_eq(run("-j metrics /nonexistent.log"), 2, "%s", out);
	cr_assert(strstr(out, "{\"type\":\"error\""), "%s", out);
	write_log(&(struct scenario){ 0 });
	cr_assert_eq(runf("metrics --textfile-dir /nonexistent %s", log_path), 2, "%s", out);
	cr_assert(strstr(out, "/nonexistent/lutrace.prom.tmp"), "%s", out);
}

/* The contents of path in out; false when it cannot be opened. */
static bool slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return true;
}

CTest(export_writes_perfetto_and_html_whole_or_not_at_all)
{
	char dir[] = "/tmp/lutrace-export-XXXXXX", args[256], json[64], html[64], tmp[80];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(json, sizeof(json), "%s/trace.json", dir);
	snprintf(html, sizeof(html), "%s/report.html", dir);
	write_log(&(struct scenario){ .no_retrieve = { false, true } });

	snprintf(args, sizeof(args), "export --perfetto -o %s %s", json, log_path);
	cr_assert_eq(run(args), 0, "%s", out);
	cr_assert(slurp(json));
	cr_assert(json_valid(out, strlen(out)), "%s", out);
	snprintf(args, sizeof(args), "export --html --budget-ms 4500 -o %s %s", html, log_path);
	cr_assert_eq(run(args), 0, "a FAIL is in the page, not the exit: %s", out);
	cr_assert(slurp(html));
	cr_assert(strstr(out, "<td>FAIL</td><td>retrieved_and_finished</td>"), "%s", out);

	/* Bad input: exit 2, the file already there untouched, no FILE.tmp. */
	snprintf(args, sizeof(args), "export --html -o %s /etc/hostname", html);
	cr_assert_eq(run(args), 2, "%s", out);
	cr_assert(strstr(out, "not a lutrace flight log"), "%s", out);
	cr_assert(slurp(html));
	cr_assert(strstr(out, "retrieved_and_finished"), "the old page is gone");
	snprintf(tmp, sizeof(tmp), "%s.tmp", html);
	cr_assert_neq(access(tmp, F_OK), 0, "%s left behind", tmp);
	snprintf(tmp, sizeof(tmp), "%s.tmp", json);
	cr_assert_neq(access(tmp, F_OK), 0, "%s left behind", tmp);

	unlink(json);
	unlink(html);
	cr_assert_eq(rmdir(dir), 0, "something else left in %s", dir);
}

CTest(export_usage_errors_exit_two)
{
	write_log(&(struct scenario){ 0 });
	cr_assert_eq(runf("export -o /tmp/x.json %s", log_path), 2, "%s", out);
	cr_assert(strstr(out, "give --perfetto or --html"), "%s", out);
	cr_assert_eq(runf("export --perfetto --html -o /tmp/x.json %s", log_path), 2, "%s", out);
	cr_assert(strstr(out, "give one of --perfetto and --html"), "%s", out);
	cr_assert_eq(runf("export --perfetto %s", log_path), 2, "%s", out);
	cr_assert(strstr(out, "give -o FILE"), "%s", out);
	cr_assert_eq(runf("export --perfetto -o /nonexistent/x.json %s", log_path), 2, "%s", out);
	cr_assert(strstr(out, "/nonexistent/x.json.tmp"), "%s", out);
	cr_assert_eq(run("--help"), 0);
	cr_assert(strstr(out, "export LOG..."), "%s", out);
}

CTest(every_json_stream_opens_with_its_schema_version)
{
	static const char schema[] =
		"{\"type\":\"schema\",\"schema_version\":2,\"lutrace_version\":\"0.1\"}\n";

	write_log(&(struct scenario){ 0 });
	cr_assert_eq(runf("report -j %s", log_path), 0, "%s", out);
	cr_assert_eq(strncmp(out, schema, strlen(schema)), 0, "%s", out);
	runf("-j verify %s", log_path);
	cr_assert_eq(strncmp(out, schema, strlen(schema)), 0, "%s", out);
	cr_assert_eq(run("-j verify --list"), 0, "%s", out);
	cr_assert_eq(strncmp(out, schema, strlen(schema)), 0, "%s", out);
	cr_assert_eq(run("--version"), 0, "%s", out);
	cr_assert_str_eq(out, "lutrace 0.1\n");
	cr_assert_eq(run("-j --version"), 0, "%s", out);
	cr_assert_eq(strncmp(out, schema, strlen(schema)), 0, "%s", out);
	cr_assert(strstr(out, "{\"type\":\"version\",\"lutrace_version\":\"0.1\",\"json_schema_version\":2}"),
		  "%s", out);
	cr_assert_eq(run("--version --json"), 0, "%s", out);
	cr_assert(strstr(out, "\"type\":\"version\""), "-j after --version: %s", out);
}

/* The ring buffer's size is checked before anything is loaded. */
CTest(record_ringbuf_size_must_be_a_power_of_two_of_pages)
{
	static const char *const bad[] = { "0", "3", "6", "2097152", "1M" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(runf("record --ringbuf-size %s -o /nonexistent/flight.log", bad[i]),
			     2, "%s", out);
		cr_assert(strstr(out, "--ringbuf-size is in KiB, a power of two from the page size"),
			  "%s", out);
	}
}

/*
 * Output that cannot be written is a failure, said on stderr, whatever the
 * command: with stdout on a full disk, lutrace once exited 0 having said
 * nothing.
 */
CTest(a_stdout_that_cannot_be_written_is_exit_two_with_a_message)
{
	static const char *const commands[] = {
		"report %s", "-j report %s", "verify --budget-ms 4500 %s", "-j verify %s",
		"metrics %s", "verify --list", "--version", "report --help",
	};

	write_log(&(struct scenario){ .opens_blocked = true });
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char args[512];

		snprintf(args, sizeof(args), commands[i], log_path);
		cr_assert_eq(run_to_full(args), 2, "lutrace %s > /dev/full: %s", args, out);
		cr_assert(strstr(out, "lutrace: writing to standard output: No space left on device\n"),
			  "lutrace %s > /dev/full: %s", args, out);
	}
	cr_assert_eq(runf("verify --budget-ms 4500 %s", log_path), 0, "%s", out);
}
