/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_BUDGET_H
#define LUTRACE_BUDGET_H

/*
 * The one rule a blackout is judged against a budget by, in verify
 * (blackout_budget) and in the Prometheus alerts (dashboards/prometheus,
 * which write the same comparisons in PromQL): the blackout is known to
 * within +-error, so
 *   over      blackout - error >  budget   (over, whatever the error)
 *   within    blackout + error <= budget   (within, whatever the error)
 *   undecided otherwise: the budget is inside the error bound.
 */

#include <stdint.h>

enum budget_outcome { BUDGET_WITHIN, BUDGET_OVER, BUDGET_UNDECIDED };

enum budget_outcome budget_judge(int64_t blackout_ns, uint64_t error_ns,
				 uint64_t budget_ns);

#endif
