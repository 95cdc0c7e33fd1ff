/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_UTF8_H
#define LUTRACE_UTF8_H

/* What JSON and XML output may pass through unchanged from a log's text. */

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (NUL-terminated), or 0 when it
 * is not one: overlong forms, surrogates and beyond U+10FFFF are not.
 */
size_t utf8_sequence_len(const unsigned char *s);

#endif
