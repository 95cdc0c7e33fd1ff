/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_STOPWATCH_H
#define LUTRACE_STOPWATCH_H

/*
 * Where start-up time goes: named laps on CLOCK_BOOTTIME, summed per name
 * (a phase may run more than once), printed by record -v as one line.
 */

#include <stddef.h>
#include <stdint.h>

#define STOPWATCH_MAX_LAPS 12

struct stopwatch {
	uint64_t start_ns;
	uint64_t last_ns;
	size_t nlaps;
	struct {
		const char *name;	/* a string literal */
		uint64_t ns;
	} laps[STOPWATCH_MAX_LAPS];
};

void stopwatch_start(struct stopwatch *sw);
/* Charges the time since the last lap (or the start) to name. */
void stopwatch_lap(struct stopwatch *sw, const char *name);
uint64_t stopwatch_total_ns(const struct stopwatch *sw);
/* "tsc 51 ms, load 1210 ms": laps in first-seen order, whole ms. */
void stopwatch_format(const struct stopwatch *sw, char *buf, size_t len);

/* For tests: a lap of a given length. */
void stopwatch_add(struct stopwatch *sw, const char *name, uint64_t ns);

#endif
