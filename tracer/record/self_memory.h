/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_SELF_MEMORY_H
#define LUTRACE_SELF_MEMORY_H

/* lutrace's own memory use, for record -v and the man page's OVERHEAD. */

#include <stdint.h>

struct self_memory {
	uint64_t rss_kb;	/* VmRSS: resident now */
	uint64_t hwm_kb;	/* VmHWM: the peak so far */
};

/* From the text of /proc/PID/status; -1 unless both lines are there. */
int self_memory_parse(const char *status, struct self_memory *m);
/* Of this process; -1 when /proc is not mounted. */
int self_memory_read(struct self_memory *m);

#endif
