/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_CLOCK_ANCHOR_H
#define LUTRACE_CLOCK_ANCHOR_H

/* Reading this kernel's clocks into a clock anchor (see clock_map.h). */

#include <stdint.h>

#include "log/log_format.h"

/* The clock the kernel keeps time with, recorded in each anchor */
#define LT_CLOCKSOURCE_PATH "/sys/devices/system/clocksource/clocksource0/current_clocksource"

struct tsc_calibration {
	uint64_t hz;		/* 0: no usable TSC (not x86) */
	uint32_t err_ppb;
};

/* BOOTTIME bracketed by two TSC reads (the tightest of several tries). */
struct paired_read {
	uint64_t boottime_ns;
	uint64_t tsc;		/* midpoint of the two TSC reads around it */
	uint64_t spread;	/* TSC ticks between those reads */
};

/* CLOCK_BOOTTIME now, in ns: the clock of every event and of record's timers. */
uint64_t clock_boottime_ns(void);

/* Measures the TSC against CLOCK_BOOTTIME over interval_ms. */
struct tsc_calibration tsc_calibrate(unsigned int interval_ms);
/*
 * The same in two halves, so that other start-up work fills the interval:
 * end sleeps only for what is left of min_interval_ms after begin.
 */
struct paired_read tsc_calibrate_begin(void);
struct tsc_calibration tsc_calibrate_end(const struct paired_read *begin,
					 unsigned int min_interval_ms);

/*
 * Fills an anchor for stage with paired reads, this boot's identity, the
 * TSC flags and the clocksource (read at every anchor: the kernel may
 * switch away from a TSC it stops trusting).
 */
int clock_anchor_read(struct lt_clock_anchor *a, uint32_t stage,
		      const struct tsc_calibration *cal, char *err, int errlen);

/*
 * LT_TSC_* from /proc/cpuinfo text: the first CPU's flags line (a kernel
 * that trusts its TSC sets the flags on every CPU alike). 0 when the text
 * has no flags line, so LT_TSC_FLAGS_READ stays unset.
 */
uint32_t tsc_flags_from_cpuinfo(const char *text);

/* "5f0c...-..." (the /proc boot_id text) into 16 bytes. */
int parse_boot_id(const char *text, uint8_t out[16]);
int read_boot_id(uint8_t out[16], char *err, int errlen);

#endif
