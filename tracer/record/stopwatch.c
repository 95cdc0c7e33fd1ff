// SPDX-License-Identifier: GPL-2.0
#include "record/stopwatch.h"

#include <stdio.h>
#include <string.h>

#include "record/clock_anchor.h"

void stopwatch_start(struct stopwatch *sw)
{
	memset(sw, 0, sizeof(*sw));
	sw->start_ns = sw->last_ns = clock_boottime_ns();
}

void stopwatch_add(struct stopwatch *sw, const char *name, uint64_t ns)
{
	size_t i = 0;

	while (i < sw->nlaps && strcmp(sw->laps[i].name, name))
		i++;
	if (i == sw->nlaps) {
		if (sw->nlaps == STOPWATCH_MAX_LAPS)
			i--;	/* full: the last lap takes the rest */
		else
			sw->laps[sw->nlaps++].name = name;
	}
	sw->laps[i].ns += ns;
}

void stopwatch_lap(struct stopwatch *sw, const char *name)
{
	uint64_t now = clock_boottime_ns();

	stopwatch_add(sw, name, now - sw->last_ns);
	sw->last_ns = now;
}

uint64_t stopwatch_total_ns(const struct stopwatch *sw)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < sw->nlaps; i++)
		sum += sw->laps[i].ns;
	return sum;
}

void stopwatch_format(const struct stopwatch *sw, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sw->nlaps && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s %llu ms", i ? ", " : "",
				 sw->laps[i].name,
				 (unsigned long long)(sw->laps[i].ns / 1000000));

		if (n < 0)
			break;
		used += (size_t)n;
	}
}
