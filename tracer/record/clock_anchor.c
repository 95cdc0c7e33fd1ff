// SPDX-License-Identifier: GPL-2.0
#include "record/clock_anchor.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_TSC 1
#else
#define HAVE_TSC 0
#endif

#define NSEC_PER_SEC 1000000000ull
#define PAIRED_READ_TRIES 7

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t clock_boottime_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

static uint64_t read_tsc(void)
{
#if HAVE_TSC
	return __rdtsc();
#else
	return 0;
#endif
}

/* BOOTTIME bracketed by two TSC reads; the tightest of several tries. */
static struct paired_read paired_read(void)
{
	struct paired_read best = { .spread = UINT64_MAX };

	for (int i = 0; i < PAIRED_READ_TRIES; i++) {
		uint64_t t1 = read_tsc();
		uint64_t bt = clock_ns(CLOCK_BOOTTIME);
		uint64_t t2 = read_tsc();

		if (t2 - t1 < best.spread)
			best = (struct paired_read){ bt, t1 + (t2 - t1) / 2, t2 - t1 };
	}
	return best;
}

struct paired_read tsc_calibrate_begin(void)
{
	return HAVE_TSC ? paired_read() : (struct paired_read){ 0 };
}

struct tsc_calibration tsc_calibrate_end(const struct paired_read *a,
					 unsigned int min_interval_ms)
{
	struct tsc_calibration cal = { 0 };
	uint64_t until = a->boottime_ns + (uint64_t)min_interval_ms * 1000000;
	struct paired_read b;
	uint64_t dt, now;

	if (!HAVE_TSC)
		return cal;
	while ((now = clock_ns(CLOCK_BOOTTIME)) < until) {
		struct timespec pause = { .tv_sec = (time_t)((until - now) / NSEC_PER_SEC),
					  .tv_nsec = (long)((until - now) % NSEC_PER_SEC) };

		nanosleep(&pause, NULL);
	}
	b = paired_read();
	dt = b.boottime_ns - a->boottime_ns;
	if (!dt || b.tsc <= a->tsc)
		return cal;
	cal.hz = (uint64_t)((unsigned __int128)(b.tsc - a->tsc) * NSEC_PER_SEC / dt);
	/*
	 * Each end's TSC is known to half its spread, so the tick count is off
	 * by up to the mean spread; BOOTTIME adds about a nanosecond per read.
	 */
	cal.err_ppb = (uint32_t)((a->spread + b.spread) / 2 * NSEC_PER_SEC /
				 (b.tsc - a->tsc) + 2 * NSEC_PER_SEC / dt + 1);
	return cal;
}

struct tsc_calibration tsc_calibrate(unsigned int interval_ms)
{
	struct paired_read a = tsc_calibrate_begin();

	return tsc_calibrate_end(&a, interval_ms);
}

static bool has_word(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = line; p + n <= line + len; p++)
		if (!memcmp(p, word, n) && (p == line || isspace((unsigned char)p[-1])) &&
		    (p + n == line + len || isspace((unsigned char)p[n])))
			return true;
	return false;
}

uint32_t tsc_flags_from_cpuinfo(const char *text)
{
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");

		if (!strncmp(line, "flags", 5) && memchr(line, ':', len)) {
			const char *v = memchr(line, ':', len) + 1;
			size_t vlen = len - (size_t)(v - line);

			return LT_TSC_FLAGS_READ |
			       (has_word(v, vlen, "constant_tsc") ? LT_TSC_CONSTANT : 0) |
			       (has_word(v, vlen, "nonstop_tsc") ? LT_TSC_NONSTOP : 0);
		}
		line += len + (line[len] == '\n');
	}
	return 0;
}

/* The first CPU's entry of /proc/cpuinfo is enough; it does not change. */
static uint32_t read_tsc_flags(void)
{
	static uint32_t flags;
	static bool read;
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	if (read)
		return flags;
	read = true;
	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0 && !flags)
		flags = tsc_flags_from_cpuinfo(line);
	free(line);
	fclose(f);
	return flags;
}

static void read_clocksource(char *out, size_t len)
{
	FILE *f = fopen(LT_CLOCKSOURCE_PATH, "re");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

int parse_boot_id(const char *text, uint8_t out[16])
{
	int n = 0;

	for (const char *p = text; *p && *p != '\n'; p++) {
		int hi, lo;

		if (*p == '-')
			continue;
		if (n == 16 || !isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]))
			return -1;
		hi = isdigit((unsigned char)p[0]) ? p[0] - '0' : tolower(p[0]) - 'a' + 10;
		lo = isdigit((unsigned char)p[1]) ? p[1] - '0' : tolower(p[1]) - 'a' + 10;
		out[n++] = (uint8_t)(hi << 4 | lo);
		p++;
	}
	return n == 16 ? 0 : -1;
}

int read_boot_id(uint8_t out[16], char *err, int errlen)
{
	char text[64] = "";
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	if (!f || !fgets(text, sizeof(text), f) || parse_boot_id(text, out)) {
		snprintf(err, (size_t)errlen, "cannot read this boot's id from /proc/sys/kernel/random/boot_id%s%s",
			 f ? "" : ": ", f ? "" : strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

int clock_anchor_read(struct lt_clock_anchor *a, uint32_t stage,
		      const struct tsc_calibration *cal, char *err, int errlen)
{
	struct utsname u;
	struct paired_read r;
	uint64_t rt_before, rt_after;

	memset(a, 0, sizeof(*a));
	if (read_boot_id(a->boot_id, err, errlen))
		return -1;
	uname(&u);
	snprintf(a->kernel_release, sizeof(a->kernel_release), "%s", u.release);
	a->tsc_flags = read_tsc_flags();
	read_clocksource(a->clocksource, sizeof(a->clocksource));
	rt_before = clock_ns(CLOCK_REALTIME);
	r = paired_read();
	rt_after = clock_ns(CLOCK_REALTIME);
	a->stage = stage;
	a->boottime_ns = r.boottime_ns;
	a->tsc = r.tsc;
	a->tsc_hz = cal->hz;
	a->tsc_hz_err_ppb = cal->err_ppb;
	a->read_jitter_ns = cal->hz ?
		(uint32_t)((unsigned __int128)(r.spread / 2 + 1) * NSEC_PER_SEC / cal->hz) : 0;
	/* REALTIME is only a label: the midpoint of its two reads will do. */
	a->realtime_ns = rt_before + (rt_after - rt_before) / 2;
	return 0;
}
