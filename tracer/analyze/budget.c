// SPDX-License-Identifier: GPL-2.0
#include "analyze/budget.h"

enum budget_outcome budget_judge(int64_t blackout_ns, uint64_t error_ns,
				 uint64_t budget_ns)
{
	/* In 128 bits: nanosecond sums of large values must not wrap. */
	__int128 low = (__int128)blackout_ns - error_ns;
	__int128 high = (__int128)blackout_ns + error_ns;

	if (low > (__int128)budget_ns)
		return BUDGET_OVER;
	if (high <= (__int128)budget_ns)
		return BUDGET_WITHIN;
	return BUDGET_UNDECIDED;
}
