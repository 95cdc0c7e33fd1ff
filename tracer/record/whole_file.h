/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_WHOLE_FILE_H
#define LUTRACE_WHOLE_FILE_H

#include <stddef.h>

/*
 * The whole of @path, NUL-terminated, in a buffer the caller frees, its
 * length (without the NUL) in @len if not NULL; NULL if it cannot be opened
 * or memory runs out. @hint is the buffer to start with: the proc and
 * tracefs files read here report no size, so the buffer doubles as needed.
 */
char *whole_file(const char *path, size_t hint, size_t *len);

#endif
