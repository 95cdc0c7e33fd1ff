// SPDX-License-Identifier: GPL-2.0
#include "output/verify_junit.h"

#include "output/utf8.h"
#include "output/verify_print.h"

/*
 * XML 1.0 allows no control character but tab, newline and carriage
 * return, and the document says it is UTF-8: anything else a log's text
 * holds becomes U+FFFD, so that a marker cannot make the report unreadable.
 */
static void put_xml(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = utf8_sequence_len(s);

		if (!n || (*s < 0x20 && *s != '\t' && *s != '\n') || *s == 0x7f) {
			fputs("\xef\xbf\xbd", out);
			s++;
			continue;
		}
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default: fwrite(s, 1, n, out); break;
		}
		s += n;
	}
}

static void put_evidence(FILE *out, const struct rule_result *rr)
{
	for (size_t j = 0; j < rr->nevidence; j++) {
		put_xml(out, rr->evidence[j]);
		fputc('\n', out);
	}
}

static const char *first_evidence(const struct rule_result *rr)
{
	return rr->nevidence ? rr->evidence[0] : verdict_name(rr->verdict);
}

static void put_testcase(FILE *out, const struct rule_result *rr)
{
	fputs("    <testcase classname=\"lutrace.verify\" name=\"", out);
	put_xml(out, rr->rule);
	fputs("\" time=\"0\">\n", out);
	if (rr->verdict == VERDICT_PASS) {
		fputs("      <system-out>", out);
		put_evidence(out, rr);
		fputs("</system-out>\n", out);
	} else if (rr->verdict == VERDICT_NOT_EXERCISED && rr->allowed) {
		fputs("      <skipped message=\"NOT_EXERCISED (allowed): ", out);
		put_xml(out, first_evidence(rr));
		fputs("\"/>\n", out);
	} else {
		fprintf(out, "      <failure type=\"%s\" message=\"", verdict_name(rr->verdict));
		put_xml(out, first_evidence(rr));
		fputs("\">", out);
		put_xml(out, rr->checks);
		fputc('\n', out);
		put_evidence(out, rr);
		fputs("</failure>\n", out);
	}
	fputs("    </testcase>\n", out);
}

void verify_print_junit(FILE *out, const struct lt_trace *t,
			const struct verify_result *r)
{
	size_t failures = r->failed + r->not_exercised - r->not_exercised_allowed;
	char summary[160];

	(void)t;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"lutrace verify\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		r->nrules, failures);
	fprintf(out, "  <testsuite name=\"lutrace verify\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		r->nrules, failures, r->not_exercised_allowed);
	for (size_t i = 0; i < r->nrules; i++)
		put_testcase(out, &r->rules[i]);
	verify_summary(summary, sizeof(summary), r);
	fputs("    <system-out>verdict: ", out);
	put_xml(out, summary);
	fputs("</system-out>\n  </testsuite>\n</testsuites>\n", out);
}
