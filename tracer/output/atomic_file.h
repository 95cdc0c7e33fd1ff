/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_ATOMIC_FILE_H
#define LUTRACE_ATOMIC_FILE_H

/*
 * A file that readers see whole or not at all: written as PATH.tmp (which a
 * textfile collector, reading *.prom, leaves alone), synced, then renamed
 * over PATH.
 */

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

struct atomic_file {
	char path[PATH_MAX];
	char tmp[PATH_MAX + 8];
	int fd;
};

/* Returns the temporary file's fd, or -1 with err. */
int atomic_file_open(struct atomic_file *af, const char *path, char *err,
		     size_t errlen);
/* Syncs, closes and renames; on failure the temporary file is removed. */
int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen);
void atomic_file_abort(struct atomic_file *af);
/* The whole of text[len] as path, or nothing: 0, or -1 with err. */
int atomic_file_write(const char *path, const char *text, size_t len,
		      char *err, size_t errlen);

#endif
