// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: lutrace verify --rules reads a file the user wrote,
 * so the parser must take any bytes. It must either parse, with every
 * rule well formed, or fail with a "NAME:LINE:COL: " message and nothing
 * kept; and what parses must be judged on a trace without fault. Crashes,
 * leaks and UB are the sanitizers' to report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/rule_eval.h"
#include "analyze/rule_file.h"

static void check_selector(const struct selector *s, bool every_device)
{
	if (s->nconds > RULE_MAX_CONDS)
		abort();
	for (size_t i = 0; i < s->nconds; i++)
		if (s->conds[i].each_device && !every_device)
			abort();
}

/* An empty trace: every rule must come out NOT_EXERCISED or FAIL with evidence. */
static void judge(const struct rule_file *f)
{
	struct verify_options opt = { 0 };
	struct verify_result r;
	struct lt_trace t;
	char err[256];

	lt_trace_init(&t);
	if (lt_trace_finish(&t, err, sizeof(err)))
		abort();
	verify_trace_rules(&t, f, &opt, &r);
	for (size_t i = verify_nr_rules; i < r.nrules; i++)
		if (r.rules[i].verdict == VERDICT_PASS && !r.rules[i].nevidence)
			abort();
	verify_result_release(&r);
	lt_trace_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rule_file f;
	char err[512];

	if (rule_file_parse("f.rules", (const char *)data, size, &f, err, sizeof(err))) {
		if (strncmp(err, "f.rules:", 8) || f.n || f.rules)
			abort();
		return 0;
	}
	if (!f.n)
		abort();
	for (size_t i = 0; i < f.n; i++) {
		const struct user_rule *u = &f.rules[i];

		if (!u->id[0] || !u->assertion[0] || !u->line)
			abort();
		check_selector(&u->a, u->every_device);
		check_selector(&u->b, u->every_device);
		check_selector(&u->c, u->every_device);
	}
	judge(&f);
	rule_file_release(&f);
	return 0;
}
