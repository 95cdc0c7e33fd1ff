/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TEST_MAN_PAGE_H
#define LUTRACE_TEST_MAN_PAGE_H

/*
 * lutrace.8 as text: $LUTRACE_MAN (make test-unit sets it), else
 * tracer/lutrace.8 from the repository root. Asserts it can be read; free()
 * the result.
 */
char *man_page_read(const char **path);

#endif
