// SPDX-License-Identifier: GPL-2.0
#include "output/verify_tap.h"

#include "output/verify_print.h"

void verify_print_tap(FILE *out, const struct lt_trace *t,
		      const struct verify_result *r)
{
	/* Counted once, by verify: allowed NOT_EXERCISED are skips, others fail */
	size_t skip = r->not_exercised_allowed;
	size_t failed = r->failed + r->not_exercised - skip;
	size_t pass = r->nrules - r->failed - r->not_exercised;
	char summary[160];

	(void)t;
	fprintf(out, "TAP version 13\n1..%zu\n", r->nrules);
	for (size_t i = 0; i < r->nrules; i++) {
		const struct rule_result *rr = &r->rules[i];

		fprintf(out, "# %s: %s\n", rr->rule, rr->checks);
		for (size_t j = 0; j < rr->nevidence; j++)
			fprintf(out, "# %s\n", rr->evidence[j]);
		if (rr->verdict == VERDICT_PASS) {
			fprintf(out, "ok %zu %s\n", i + 1, rr->rule);
		} else if (rr->verdict == VERDICT_NOT_EXERCISED && rr->allowed) {
			fprintf(out, "ok %zu %s # SKIP not exercised\n", i + 1, rr->rule);
		} else {
			fprintf(out, "not ok %zu %s # %s\n", i + 1, rr->rule,
				verdict_name(rr->verdict));
		}
	}
	verify_summary(summary, sizeof(summary), r);
	fprintf(out, "# verdict: %s\n", summary);
	fprintf(out, "# Totals: pass:%zu fail:%zu xfail:0 xpass:0 skip:%zu error:0\n",
		pass, failed, skip);
}
