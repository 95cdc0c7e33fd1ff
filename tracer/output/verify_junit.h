/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_JUNIT_H
#define LUTRACE_VERIFY_JUNIT_H

/*
 * lutrace verify --junit FILE: the verdicts as JUnit XML, the Ant
 * JUnitReport structure that Jenkins, GitLab and GitHub test reporters
 * read (tests/schema/junit.xsd). One testcase per rule, built-in and the
 * user's; a FAIL, and a NOT_EXERCISED that fails verify, is a <failure>
 * whose message is its first evidence line and whose text is all of them;
 * an allowed NOT_EXERCISED is <skipped>; a PASS keeps its evidence in
 * <system-out>.
 */

#include <stdio.h>

#include "analyze/verify.h"

void verify_print_junit(FILE *out, const struct lt_trace *t,
			const struct verify_result *r);

#endif
