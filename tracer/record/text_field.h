/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TEXT_FIELD_H
#define LUTRACE_TEXT_FIELD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The value of a " key=value" field in a line of text (TP_printk output,
 * marker lines), copied into out[len] and cut to fit; false if absent.
 * "xkey=" does not count as "key=".
 */
bool text_field(const char *line, const char *key, char *out, size_t len);

#endif
