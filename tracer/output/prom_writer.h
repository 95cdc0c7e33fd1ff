/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_PROM_WRITER_H
#define LUTRACE_PROM_WRITER_H

/*
 * The Prometheus text exposition format (0.0.4), as node_exporter's textfile
 * collector reads it: a family's # HELP and # TYPE once, then its samples,
 * "name{label="value",...} value". Label values are escaped; times are in
 * seconds, written from nanoseconds without rounding.
 */

#include <stdint.h>
#include <stdio.h>

struct prom_writer {
	FILE *out;
	const char *family;	/* the family samples belong to */
};

void prom_init(struct prom_writer *w, FILE *out);

/* type: "gauge" or "counter"; name and help are lutrace's own text. */
void prom_family(struct prom_writer *w, const char *name, const char *type,
		 const char *help);

/* labels: name, value, name, value, ..., NULL (or NULL for none). */
void prom_u64(struct prom_writer *w, const char *const *labels, uint64_t v);
void prom_seconds(struct prom_writer *w, const char *const *labels, int64_t ns);

#endif
