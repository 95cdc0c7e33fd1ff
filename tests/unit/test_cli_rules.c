// SPDX-License-Identifier: GPL-2.0
/* lutrace verify --rules, --tap and --junit as a user runs them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario.h"

static struct log_buf buf;
static char log_path[] = "/tmp/lutrace-cli-rules-log-XXXXXX";
static char rules_path[] = "/tmp/lutrace-cli-rules-XXXXXX";
static char junit_path[] = "/tmp/lutrace-cli-junit-XXXXXX";
static char out[64 * 1024];

static void write_file(char *path, const void *data, size_t len)
{
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void setup(const struct scenario *sc, const char *rules)
{
	scenario_build(&buf, sc);
	write_file(log_path, buf.data, buf.len);
	write_file(rules_path, rules, strlen(rules));
}

static void fini(void)
{
	unlink(log_path);
	unlink(rules_path);
	unlink(junit_path);
}

/* "lutrace ARGS" with %L the log and %R the rule file; stderr into out. */
static int run(const char *fmt)
{
	const char *bin = getenv("LUTRACE_BIN");
	char args[512], cmd[1024];
	size_t n = 0;
	FILE *p;
	int status;

	if (!bin)
		cr_skip_test("LUTRACE_BIN not set (run through make test-unit)");
	for (const char *s = fmt; *s && n < sizeof(args) - 80; s++) {
		if (s[0] == '%' && (s[1] == 'L' || s[1] == 'R' || s[1] == 'J')) {
			n += (size_t)snprintf(args + n, sizeof(args) - n, "%s",
					      s[1] == 'L' ? log_path : s[1] == 'R' ? rules_path : junit_path);
			s++;
		} else {
			args[n++] = *s;
		}
	}
	args[n] = '\0';
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bin, args);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	status = pclose(p);
	cr_assert(WIFEXITED(status), "lutrace %s did not exit", args);
	return WEXITSTATUS(status);
}

#define RTest(name) Test(cli_rules, name, .fini = fini)

RTest(a_malformed_file_is_an_error_with_line_and_column_and_nothing_verified)
{
	char want[128];

	setup(&(struct scenario){ 0 }, "# ok so far\nfine: no marker\nbad: no markr\n");
	cr_assert_eq(run("verify --budget-ms 4500 --rules %R %L"), 2, "%s", out);
	snprintf(want, sizeof(want), "lutrace: %s:3:9: unknown event 'markr'", rules_path);
	cr_assert(strstr(out, want), "%s", out);
	cr_assert(strstr(out, "nothing verified"), "%s", out);
	cr_assert_null(strstr(out, "PASS"), "%s", out);
	cr_assert_null(strstr(out, "verdict:"), "%s", out);
}

RTest(a_missing_file_is_an_error)
{
	setup(&(struct scenario){ 0 }, "a: no marker\n");
	unlink(rules_path);
	cr_assert_eq(run("verify --rules %R %L"), 2, "%s", out);
	cr_assert(strstr(out, "No such file or directory"), "%s", out);
}

RTest(user_rules_are_judged_beside_the_built_in_ones)
{
	setup(&(struct scenario){ .opens_blocked = true },
	      "freeze_first: for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec\n"
	      "one_reboot: exactly 1 liveupdate_reboot ret=0 per outgoing stage\n");
	cr_assert_eq(run("verify --budget-ms 4500 --rules %R %L"), 0, "%s", out);
	cr_assert(strstr(out, "PASS           freeze_first               for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec\n"), "%s", out);
	cr_assert(strstr(out, "verdict: PASS (0 of 13 rules failed, 1 not exercised, allowed)"), "%s", out);
}

RTest(a_failing_user_rule_fails_verify_and_cites_the_log)
{
	setup(&(struct scenario){ .opens_blocked = true, .kexec_at_entry = true },
	      "freeze_first: for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec\n");
	cr_assert_eq(run("verify --budget-ms 4500 --rules %R %L"), 1, "%s", out);
	cr_assert(strstr(out, "FAIL           freeze_first"), "%s", out);
	cr_assert(strstr(out, "stage 1 kernel_kexec ["), "%s", out);
	cr_assert(strstr(out, "verdict: FAIL (1 of 12 rules failed, 1 not exercised, allowed)"), "%s", out);
}

RTest(allow_not_exercised_names_a_user_rule)
{
	setup(&(struct scenario){ .opens_blocked = true, .no_kexec = true },
	      "freeze_first: for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec\n");
	/* No kexec: handover_complete fails on its own; the user rule is NOT_EXERCISED. */
	cr_assert_eq(run("verify --budget-ms 4500 --rules %R %L"), 1, "%s", out);
	cr_assert(strstr(out, "2 not exercised, 1 of them allowed"), "%s", out);
	run("verify --budget-ms 4500 --allow-not-exercised=freeze_first --rules %R %L");
	cr_assert(strstr(out, "2 not exercised, allowed"), "%s", out);
	cr_assert_eq(run("verify --allow-not-exercised=frieze_first --rules %R %L"), 2, "%s", out);
	cr_assert(strstr(out, "--allow-not-exercised: no rule 'frieze_first'"), "%s", out);
}

RTest(tap_and_junit)
{
	char cmd[256];
	int fd = mkstemp(junit_path);

	close(fd);
	setup(&(struct scenario){ .opens_blocked = true, .kexec_at_entry = true },
	      "freeze_first: for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec\n");
	cr_assert_eq(run("verify --tap --budget-ms 4500 --rules %R --junit %J %L"), 1, "%s", out);
	cr_assert(!strncmp(out, "TAP version 13\n1..12\n", 21), "%s", out);
	cr_assert(strstr(out, "\nnot ok 12 freeze_first # FAIL\n"), "%s", out);
	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema tests/schema/junit.xsd %s 2>/dev/null",
		 junit_path);
	cr_assert_eq(system(cmd), 0);
	cr_assert_neq(run("-j verify --tap %L"), 0, "%s", out);
	cr_assert(strstr(out, "--tap and -j are two formats for stdout"), "%s", out);
}

RTest(json_has_the_user_rules_as_rule_objects)
{
	setup(&(struct scenario){ .opens_blocked = true, .kexec_at_entry = true },
	      "freeze_first: for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec\n");
	cr_assert_eq(run("-j verify --budget-ms 4500 --rules %R %L"), 1, "%s", out);
	cr_assert(strstr(out, "{\"type\":\"rule\",\"rule\":\"freeze_first\",\"verdict\":\"FAIL\","
			      "\"checks\":\"for every device: vfio_pci_liveupdate_freeze dev=$dev before kernel_kexec\""),
		  "%s", out);
	cr_assert(strstr(out, "\"rules\":12,\"failed\":1"), "%s", out);
}
