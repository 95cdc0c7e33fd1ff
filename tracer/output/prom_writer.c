// SPDX-License-Identifier: GPL-2.0
#include "output/prom_writer.h"

#include <inttypes.h>

#include "output/utf8.h"

void prom_init(struct prom_writer *w, FILE *out)
{
	w->out = out;
	w->family = NULL;
}

/*
 * The help text escapes backslash and newline; label values also quotes.
 * A byte that is not UTF-8 (label values come from the log: a kernel
 * release, a device name) becomes U+FFFD, as the scraper rejects the whole
 * file otherwise.
 */
static void escaped(FILE *out, const char *str, int quote)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = utf8_sequence_len(s);

		if (n == 0) {
			fputs("\xef\xbf\xbd", out);
			s++;
			continue;
		}
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '"' && quote)
			fputs("\\\"", out);
		else
			fwrite(s, 1, n, out);
		s += n;
	}
}

void prom_family(struct prom_writer *w, const char *name, const char *type,
		 const char *help)
{
	w->family = name;
	fprintf(w->out, "# HELP %s ", name);
	escaped(w->out, help, 0);
	fprintf(w->out, "\n# TYPE %s %s\n", name, type);
}

static void sample_start(struct prom_writer *w, const char *const *labels)
{
	fputs(w->family, w->out);
	if (!labels || !labels[0])
		return;
	fputc('{', w->out);
	for (size_t i = 0; labels[i] && labels[i + 1]; i += 2) {
		fprintf(w->out, "%s%s=\"", i ? "," : "", labels[i]);
		escaped(w->out, labels[i + 1], 1);
		fputc('"', w->out);
	}
	fputc('}', w->out);
}

void prom_u64(struct prom_writer *w, const char *const *labels, uint64_t v)
{
	sample_start(w, labels);
	fprintf(w->out, " %" PRIu64 "\n", v);
}

void prom_seconds(struct prom_writer *w, const char *const *labels, int64_t ns)
{
	uint64_t mag = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	char frac[16];
	int n;

	sample_start(w, labels);
	n = snprintf(frac, sizeof(frac), "%09" PRIu64, mag % 1000000000);
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(w->out, " %s%" PRIu64 ".%s\n", ns < 0 ? "-" : "",
		mag / 1000000000, frac);
}
