/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TEST_VERIFIED_H
#define LUTRACE_TEST_VERIFIED_H

/*
 * What a test of a verified trace's output holds (metrics, export): the
 * log it builds, the joined trace, the verdicts, the captured output.
 */

#include "analyze/trace_join.h"
#include "analyze/verify.h"
#include "capture.h"
#include "log_fixture.h"

extern struct log_buf buf;
extern struct lt_trace trace;
extern struct verify_result result;
extern struct capture cap;

/* Releases all of the above: a Criterion .fini. */
void verified_fini(void);

void assert_has(const char *text, const char *needle);

#endif
