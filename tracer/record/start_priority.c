// SPDX-License-Identifier: GPL-2.0
#include "record/start_priority.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

int start_priority_lower(struct start_priority *p)
{
	struct sched_param param = { 0 };

	memset(p, 0, sizeof(*p));
	p->policy = sched_getscheduler(0);
	if (p->policy < 0 || sched_getparam(0, &param))
		return -errno;
	p->priority = param.sched_priority;
	param.sched_priority = 0;
	if (sched_setscheduler(0, SCHED_IDLE, &param))
		return -errno;
	p->lowered = true;
	return 0;
}

int start_priority_restore(struct start_priority *p)
{
	struct sched_param param = { .sched_priority = p->priority };

	if (!p->lowered)
		return 0;
	p->lowered = false;
	/* Leaving SCHED_IDLE needs CAP_SYS_NICE (or RLIMIT_NICE): record has it. */
	return sched_setscheduler(0, p->policy, &param) ? -errno : 0;
}
