/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TEST_LOG_FIXTURE_H
#define LUTRACE_TEST_LOG_FIXTURE_H

/* Builds flight logs in memory and collects what the reader makes of them. */

#include <stddef.h>
#include <stdint.h>

#include "log/log_format.h"

#define FX_MAX_RECORDS 256
#define FX_MAX_DIAGS 32

struct log_buf {
	uint8_t data[64 * 1024];
	size_t len;
};

struct parsed_log {
	int ret;
	char err[256];
	struct lt_record recs[FX_MAX_RECORDS];
	size_t nrecs;
	struct lt_log_diag diags[FX_MAX_DIAGS];
	size_t ndiags;
};

void fx_header(struct log_buf *b);
/* Appends one record; returns its offset. */
size_t fx_append(struct log_buf *b, const struct lt_record *rec);
void fx_parse(const void *data, size_t len, struct parsed_log *out);

struct lt_record fx_anchor(uint32_t stage, uint8_t boot_id_tag,
			   uint64_t boottime_ns, uint64_t tsc, uint64_t tsc_hz);
struct lt_record fx_event(uint32_t stage, uint16_t id, uint64_t boottime_ns,
			  const char *dev);
struct lt_record fx_drops(uint32_t stage, uint64_t reserve_failures);

#endif
