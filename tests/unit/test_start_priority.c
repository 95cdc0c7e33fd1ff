// SPDX-License-Identifier: GPL-2.0
/* record --idle-start: start-up at SCHED_IDLE, recording at the old policy. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <unistd.h>

#include "record/start_priority.h"

Test(start_priority, idle_while_starting_then_back)
{
	struct start_priority p;
	int before = sched_getscheduler(0), ret;

	cr_assert_eq(start_priority_lower(&p), 0);
	cr_assert_eq(sched_getscheduler(0), SCHED_IDLE);
	cr_assert_eq(p.policy, before);
	ret = start_priority_restore(&p);
	if (ret == -EPERM && geteuid()) {
		cr_log_warn("not root: leaving SCHED_IDLE is refused, as the kernel says");
		return;
	}
	cr_assert_eq(ret, 0);
	cr_assert_eq(sched_getscheduler(0), before);
	cr_assert_eq(start_priority_restore(&p), 0, "a second restore does nothing");
}

Test(start_priority, nothing_lowered_nothing_restored)
{
	struct start_priority p = { .policy = SCHED_FIFO, .priority = 50 };

	cr_assert_eq(start_priority_restore(&p), 0);
	cr_assert_neq(sched_getscheduler(0), SCHED_FIFO);
}
