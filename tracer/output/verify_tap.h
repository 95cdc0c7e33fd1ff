/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_VERIFY_TAP_H
#define LUTRACE_VERIFY_TAP_H

/*
 * lutrace verify --tap: the verdicts as TAP 13, the way kselftest prints
 * its results, so a kselftest runner or any TAP harness reads them: one
 * test point per rule, its evidence as "# " lines before it, an allowed
 * NOT_EXERCISED as "ok ... # SKIP", and kselftest's "# Totals:" line.
 */

#include <stdio.h>

#include "analyze/verify.h"

void verify_print_tap(FILE *out, const struct lt_trace *t,
		      const struct verify_result *r);

#endif
