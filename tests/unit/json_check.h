/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TEST_JSON_CHECK_H
#define LUTRACE_TEST_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s is exactly one JSON value (RFC 8259 grammar, UTF-8 not checked). */
bool json_valid(const char *s, size_t len);

/*
 * Checks that text is JSON Lines: every line one valid object. Returns the
 * number of lines, or -1 with the 1-based bad line in *bad_line.
 */
long json_lines_check(const char *text, long *bad_line);

/* Number of lines containing needle. */
size_t count_lines_with(const char *text, const char *needle);

#endif
