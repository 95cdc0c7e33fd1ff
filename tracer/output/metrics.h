/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_METRICS_H
#define LUTRACE_METRICS_H

/*
 * A joined trace and its verdict as Prometheus metrics (lutrace metrics):
 * the kernel release of each stage and when each update began, blackout
 * (and whether it was measured) and phase latency per handed-over device,
 * the verdict of every verify rule, dropped events per stage, log damage.
 * Devices are labelled with their PCI name and the stage they were handed
 * over from.
 */

#include <stdio.h>

#include "analyze/trace_join.h"
#include "analyze/verify.h"

void metrics_write(FILE *out, const struct lt_trace *t,
		   const struct verify_result *v);

#endif
