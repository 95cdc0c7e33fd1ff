/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_START_PRIORITY_H
#define LUTRACE_START_PRIORITY_H

/*
 * record --idle-start: the recorder's start-up (taking the log over, BTF,
 * loading and attaching the programs, the import; about a second under
 * TCG) runs at SCHED_IDLE, so that a VMM retrieving its devices at the same
 * time gets the CPU whenever it wants it. Once attached, recording goes
 * back to the policy lutrace was started with: the ring buffer must be read
 * at the priority its user chose, or a busy VMM would make it drop events.
 */

#include <stdbool.h>

struct start_priority {
	int policy;		/* the policy to go back to */
	int priority;		/* and its sched_priority */
	bool lowered;
};

/* Lowers the calling thread to SCHED_IDLE; 0, or -errno (nothing changed). */
int start_priority_lower(struct start_priority *p);
/* Back to what it was; 0 when nothing was lowered; -errno on failure. */
int start_priority_restore(struct start_priority *p);

#endif
