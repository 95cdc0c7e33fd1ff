// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/rule_eval.h"
#include "capture.h"
#include "output/verify_junit.h"
#include "output/verify_tap.h"
#include "scenario.h"

/*
 * verify --junit and --tap over a trace where a built-in rule passes, a
 * user rule fails, one is NOT_EXERCISED and allowed and one is not, and a
 * marker's text holds what XML must escape and a byte that is not UTF-8.
 */

#define SCHEMA "tests/schema/junit.xsd"

static struct log_buf buf;
static struct lt_trace trace;
static struct verify_result result;
static struct rule_file rules;
static struct capture cap;

static const char rules_text[] =
	"kexec_first: for every device: kernel_kexec before vfio_pci_liveupdate_freeze dev=$dev\n"
	"no_odd_marker: no marker text~odd\n"
	"no_such_event: kernel_kexec before marker text=never\n"
	"unallowed: marker text=never after kernel_kexec\n";

static void setup(void)
{
	struct verify_options opt = { .has_budget = true, .budget_ns = 5000 * SC_MS };
	struct lt_record m;
	char err[256];

	scenario_build(&buf, &(struct scenario){ 0 });
	m = fx_event(2, LT_EV_MARKER, 3500 * SC_MS, NULL);
	snprintf(m.event.text, sizeof(m.event.text), "odd <&\"'> \xff bytes");
	fx_append(&buf, &m);
	sc_join(&trace, &buf);
	cr_assert_eq(rule_file_parse("ci.rules", rules_text, strlen(rules_text), &rules,
				     err, sizeof(err)), 0, "%s", err);
	opt.allow_not_exercised = 1ull << (verify_nr_rules + 2) |
				  1ull << verify_rule_index("other_opens_blocked");
	verify_trace_rules(&trace, &rules, &opt, &result);
	cr_assert_eq(result.failed, 2);
	/* dma_kept_running: no device kept running, it allows itself */
	cr_assert_eq(result.not_exercised, 4);
	cr_assert_eq(result.not_exercised_allowed, 3);
}

static void fini(void)
{
	free(cap.text);
	verify_result_release(&result);
	rule_file_release(&rules);
	lt_trace_release(&trace);
}

#define CTest(name) Test(verify_ci, name, .init = setup, .fini = fini)

/* xmllint's exit status validating xml against the schema. */
static int validate(const char *xml)
{
	char path[] = "/tmp/lutrace-junit-XXXXXX", cmd[256];
	int fd = mkstemp(path), status;
	FILE *f;

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs(xml, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema %s %s 2>/dev/null", SCHEMA, path);
	status = system(cmd);
	unlink(path);
	cr_assert_neq(status, -1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

CTest(junit_validates_against_the_schema)
{
	verify_print_junit(capture_open(&cap), &trace, &result);
	capture_close(&cap);
	cr_assert_eq(validate(cap.text), 0, "xmllint rejects:\n%s", cap.text);
}

CTest(the_schema_check_rejects_what_ci_would)
{
	/* A testcase without its name, and one with two outcomes. */
	cr_assert_neq(validate("<testsuites><testsuite name=\"s\" tests=\"1\"><testcase/></testsuite></testsuites>"), 0);
	cr_assert_neq(validate("<testsuites><testsuite name=\"s\" tests=\"1\"><testcase name=\"a\">"
			       "<skipped/><failure/></testcase></testsuite></testsuites>"), 0);
	cr_assert_neq(validate("<testsuites><testsuite name=\"s\" tests=\"1\"><testcase name=\"\xff\"/>"
			       "</testsuite></testsuites>"), 0);
}

CTest(junit_has_a_testcase_per_rule_and_the_evidence_in_the_failure)
{
	size_t testcases = 0;
	const char *s;

	verify_print_junit(capture_open(&cap), &trace, &result);
	capture_close(&cap);
	for (s = cap.text; (s = strstr(s, "<testcase ")); s++)
		testcases++;
	cr_assert_eq(testcases, result.nrules);
	cr_assert(strstr(cap.text, "tests=\"15\" failures=\"3\" errors=\"0\" skipped=\"3\""), "%s", cap.text);
	cr_assert(strstr(cap.text, "name=\"kexec_first\" time=\"0\">\n      <failure type=\"FAIL\" message=\"0000:01:00.0: the first vfio_pci_liveupdate_freeze dev=0000:01:00.0 comes before the first kernel_kexec: t=+"),
		  "%s", cap.text);
	cr_assert(strstr(cap.text, "[flight.log@"));
	cr_assert(strstr(cap.text, "odd &lt;&amp;&quot;&apos;&gt; \xef\xbf\xbd bytes"), "%s", cap.text);
	cr_assert(strstr(cap.text, "name=\"no_such_event\" time=\"0\">\n      <skipped message=\"NOT_EXERCISED (allowed): "));
	cr_assert(strstr(cap.text, "name=\"unallowed\" time=\"0\">\n      <failure type=\"NOT_EXERCISED\""));
}

CTest(tap_13_as_kselftest_prints_it)
{
	char line[64];

	verify_print_tap(capture_open(&cap), &trace, &result);
	capture_close(&cap);
	cr_assert(!strncmp(cap.text, "TAP version 13\n1..15\n", 21), "%s", cap.text);
	cr_assert(strstr(cap.text, "\nok 1 handover_complete\n"));
	snprintf(line, sizeof(line), "\nnot ok %zu kexec_first # FAIL\n", verify_nr_rules + 1);
	cr_assert(strstr(cap.text, line), "%s", cap.text);
	snprintf(line, sizeof(line), "\nok %zu no_such_event # SKIP not exercised\n", verify_nr_rules + 3);
	cr_assert(strstr(cap.text, line), "%s", cap.text);
	snprintf(line, sizeof(line), "\nnot ok %zu unallowed # NOT_EXERCISED\n", verify_nr_rules + 4);
	cr_assert(strstr(cap.text, line), "%s", cap.text);
	cr_assert(strstr(cap.text, "\n# Totals: pass:9 fail:3 xfail:0 xpass:0 skip:3 error:0\n"), "%s", cap.text);
}
