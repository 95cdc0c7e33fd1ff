// SPDX-License-Identifier: GPL-2.0
/*
 * lu_loop - the load of the tracer benches (bench/tracer-cost.sh,
 * bench/loss-threshold.sh, bench/footprint.sh): Live Update preserve and
 * unpreserve of vfio-pci device files in a tight loop, and bursts of it at a
 * paced rate from several threads beside an IOMMU map/unmap storm.
 *
 *   lu_loop cycle [--dry-run] [--stop] ITERATIONS BDF...
 *	ITERATIONS times: create a LUO session, preserve every device in it
 *	(tokens 1..N), close it (which unpreserves them). One thread.
 *   lu_loop burst [--dry-run] [--stop] [-c CYCLERS] [-r EVENTS_PER_S] [-s SECONDS] [-k K] BDF...
 *	For SECONDS, the first CYCLERS devices (1 by default) each get a
 *	thread cycling a session of that one device, and every other device a
 *	thread mapping and unmapping one page in its IOAS (IOMMU_IOAS_MAP,
 *	IOMMU_IOAS_UNMAP). Together they aim at EVENTS_PER_S events a second
 *	(0: as fast as they can), each thread paced to its share; K is the
 *	number of IOMMU events a map/unmap pair fires (2: one map, one unmap).
 *   lu_loop selftest
 *	Checks the pacing and event arithmetic (runs on the host too).
 *
 * The events one operation fires come from kernel/interface.md: a session
 * cycle of D devices is liveupdate_session_create and _release, and per
 * device pci_, vfio_pci_ and liveupdate_file_ preserve and unpreserve:
 * 2 + 6 D. The last line of output is "lu_loop: KEY=VALUE...": the
 * operations done, the events they fired (by that arithmetic), the elapsed
 * CLOCK_MONOTONIC nanoseconds and this process's pid (tracers record it).
 * /dev/liveupdate is opened once and held: the benches' tracers do not need
 * it (lutrace records with --transport file). --dry-run does no ioctl and
 * opens nothing, so the benches' tiny mode can run the loop and its report
 * on the host. --stop stops the process (SIGSTOP) once the devices are
 * open and again once the result line is out, before they are closed: the
 * caller starts its tracer in between, so that only the loop's events are
 * traced (opening and closing a device fires resets and bus mastering).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/liveupdate.h>

#include "vfio_cdev.h"

#define MAX_DEVICES	32
#define MAP_IOVA	0x400000ull	/* + thread * MAP_IOVA_STRIDE */
#define MAP_IOVA_STRIDE	0x10000ull
#define MAP_LEN		4096ull
#define BACKLOG_NS	10000000ll	/* a thread this far behind stops catching up */

static bool dry_run, stop_around;
static int luo_fd = -1;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Events of one session cycle of @devices devices (kernel/interface.md). */
static uint64_t events_per_cycle(unsigned int devices)
{
	return 2 + 6ull * devices;
}

/*
 * Nanoseconds between the operations of one thread that fires @events per
 * operation and aims at @rate events a second; 0 when unpaced (@rate 0).
 */
static int64_t pace_interval_ns(uint64_t events, double rate)
{
	return rate > 0 ? (int64_t)(events * 1e9 / rate) : 0;
}

/*
 * The deadline of the next operation after one due at @deadline, done by
 * @now: one interval on, or @now when the thread is more than BACKLOG_NS
 * behind (it runs as fast as it can, not in a catch-up burst).
 */
static int64_t pace_next(int64_t deadline, int64_t now, int64_t interval)
{
	if (now - deadline > BACKLOG_NS)
		return now;
	return deadline + interval;
}

static void pace_wait(int64_t deadline)
{
	struct timespec ts = { .tv_sec = deadline / 1000000000ll, .tv_nsec = deadline % 1000000000ll };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

struct device {
	const char *bdf;
	int dev, iommufd;
	unsigned int ioas;
};

static int open_device(struct device *d, const char *bdf)
{
	d->bdf = bdf;
	if (dry_run)
		return 0;
	d->dev = vfio_cdev_open_bound(bdf, &d->iommufd, &d->ioas);
	return d->dev < 0 ? -1 : 0;
}

/* Create session @name, preserve @n devices (tokens 1..n), close it: 0 or -errno. */
static int session_cycle(const char *name, const struct device *devs, unsigned int n)
{
	struct liveupdate_ioctl_create_session s = { .size = sizeof(s) };
	unsigned int i;
	int err = 0;

	if (dry_run)
		return 0;
	snprintf((char *)s.name, sizeof(s.name), "%s", name);
	if (ioctl(luo_fd, LIVEUPDATE_IOCTL_CREATE_SESSION, &s))
		return -errno;
	for (i = 0; i < n && !err; i++) {
		struct liveupdate_session_preserve_fd p = {
			.size = sizeof(p), .fd = devs[i].dev, .token = i + 1,
		};

		if (ioctl(s.fd, LIVEUPDATE_SESSION_PRESERVE_FD, &p))
			err = -errno;
	}
	close(s.fd);
	return err;
}

/* Map one page of @buf at @iova in @d's IOAS and unmap it: 0 or -errno. */
static int map_unmap(const struct device *d, void *buf, uint64_t iova)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map), .ioas_id = d->ioas, .user_va = (uintptr_t)buf,
		.length = MAP_LEN, .iova = iova,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
	};
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap), .ioas_id = d->ioas, .iova = iova, .length = MAP_LEN,
	};

	if (dry_run)
		return 0;
	if (ioctl(d->iommufd, IOMMU_IOAS_MAP, &map))
		return -errno;
	return ioctl(d->iommufd, IOMMU_IOAS_UNMAP, &unmap) ? -errno : 0;
}

struct worker {
	pthread_t thread;
	unsigned int index;
	const struct device *dev;
	bool cycles;		/* session cycles, else map/unmap pairs */
	uint64_t events_per_op;
	double rate;		/* this thread's share, events/s; 0 unpaced */
	int64_t end_ns;
	uint64_t ops;
	int err;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	int64_t interval = pace_interval_ns(w->events_per_op, w->rate), deadline = now_ns();
	void *page = NULL;
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];

	snprintf(name, sizeof(name), "lu_loop-%u", w->index);
	if (!w->cycles && !dry_run) {
		page = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED) {
			w->err = -errno;
			return NULL;
		}
		memset(page, 0, MAP_LEN);
	}
	while (now_ns() < w->end_ns) {
		w->err = w->cycles ? session_cycle(name, w->dev, 1)
				   : map_unmap(w->dev, page, MAP_IOVA + w->index * MAP_IOVA_STRIDE);
		if (w->err)
			break;
		w->ops++;
		if (interval) {
			deadline = pace_next(deadline, now_ns(), interval);
			pace_wait(deadline);
		}
	}
	if (page)
		munmap(page, MAP_LEN);
	return NULL;
}

/* With --stop: wait for SIGCONT, the output so far written out. */
static void stop_here(void)
{
	fflush(stdout);
	if (stop_around)
		raise(SIGSTOP);
}

static int usage(void)
{
	fprintf(stderr, "usage: lu_loop cycle [--dry-run] [--stop] ITERATIONS BDF...\n"
			"       lu_loop burst [--dry-run] [--stop] [-c CYCLERS] [-r EVENTS_PER_S] [-s SECONDS] [-k K] BDF...\n"
			"       lu_loop selftest\n");
	return 2;
}

static int open_all(int argc, char **argv, struct device *devs)
{
	int i;

	if (argc > MAX_DEVICES) {
		fprintf(stderr, "lu_loop: at most %d devices\n", MAX_DEVICES);
		return -1;
	}
	if (!dry_run) {
		luo_fd = open("/dev/liveupdate", O_RDWR | O_CLOEXEC);
		if (luo_fd < 0)
			return guest_fail("open /dev/liveupdate"), -1;
	}
	for (i = 0; i < argc; i++)
		if (open_device(&devs[i], argv[i]))
			return -1;
	return 0;
}

static int cmd_cycle(int argc, char **argv)
{
	struct device devs[MAX_DEVICES];
	unsigned long iterations, i;
	int64_t start, elapsed;
	unsigned int n;
	int err;

	if (argc < 2)
		return usage();
	iterations = strtoul(argv[0], NULL, 10);
	n = (unsigned int)(argc - 1);
	if (!iterations || open_all(argc - 1, argv + 1, devs))
		return iterations ? 1 : usage();
	stop_here();
	start = now_ns();
	for (i = 0; i < iterations; i++) {
		err = session_cycle("lu_loop", devs, n);
		if (err) {
			fprintf(stderr, "lu_loop: cycle %lu: %s\n", i, strerror(-err));
			return 1;
		}
	}
	elapsed = now_ns() - start;
	printf("lu_loop: mode=cycle pid=%d devices=%u iterations=%lu events=%llu elapsed_ns=%lld ns_per_event=%.1f\n",
	       getpid(), n, iterations, (unsigned long long)(iterations * events_per_cycle(n)),
	       (long long)elapsed, (double)elapsed / (double)(iterations * events_per_cycle(n)));
	stop_here();
	return 0;
}

static int cmd_burst(int argc, char **argv)
{
	struct device devs[MAX_DEVICES];
	struct worker workers[MAX_DEVICES];
	unsigned int cyclers = 1, k = 2, n, i;
	uint64_t cycles = 0, pairs = 0, events;
	double rate = 0, seconds = 1;
	int64_t start, elapsed;
	int opt, failed = 0;

	while ((opt = getopt(argc, argv, "+c:r:s:k:")) != -1) {
		switch (opt) {
		case 'c': cyclers = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 's': seconds = strtod(optarg, NULL); break;
		case 'k': k = (unsigned int)strtoul(optarg, NULL, 10); break;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || cyclers > (unsigned int)argc || seconds <= 0 || rate < 0)
		return usage();
	n = (unsigned int)argc;
	if (open_all(argc, argv, devs))
		return 1;
	stop_here();
	start = now_ns();
	for (i = 0; i < n; i++) {
		workers[i] = (struct worker){
			.index = i, .dev = &devs[i], .cycles = i < cyclers,
			.events_per_op = i < cyclers ? events_per_cycle(1) : k,
			.rate = rate / n, .end_ns = start + (int64_t)(seconds * 1e9),
		};
		if (pthread_create(&workers[i].thread, NULL, worker_run, &workers[i])) {
			fprintf(stderr, "lu_loop: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		pthread_join(workers[i].thread, NULL);
		if (workers[i].err) {
			fprintf(stderr, "lu_loop: %s: %s\n", devs[i].bdf, strerror(-workers[i].err));
			failed = 1;
		}
		if (workers[i].cycles)
			cycles += workers[i].ops;
		else
			pairs += workers[i].ops;
	}
	elapsed = now_ns() - start;
	events = cycles * events_per_cycle(1) + pairs * k;
	printf("lu_loop: mode=burst pid=%d devices=%u cyclers=%u rate_target=%.0f seconds=%g cycles=%llu map_pairs=%llu events=%llu series_events=%llu iommu_events=%llu elapsed_ns=%lld rate=%.0f\n",
	       getpid(), n, cyclers, rate, seconds, (unsigned long long)cycles, (unsigned long long)pairs,
	       (unsigned long long)events, (unsigned long long)(cycles * events_per_cycle(1)),
	       (unsigned long long)(pairs * k), (long long)elapsed, (double)events * 1e9 / (double)elapsed);
	stop_here();
	return failed;
}

static int selftest(void)
{
	int bad = 0;

#define EXPECT(cond) do { if (!(cond)) { fprintf(stderr, "lu_loop selftest: %s\n", #cond); bad = 1; } } while (0)
	EXPECT(events_per_cycle(1) == 8);
	EXPECT(events_per_cycle(4) == 26);
	EXPECT(pace_interval_ns(8, 1000) == 8000000);
	EXPECT(pace_interval_ns(2, 4000) == 500000);
	EXPECT(pace_interval_ns(8, 0) == 0);
	EXPECT(pace_next(1000, 1500, 100) == 1100);
	EXPECT(pace_next(1000, 1000 + BACKLOG_NS, 100) == 1100);
	EXPECT(pace_next(1000, 1001 + BACKLOG_NS, 100) == 1001 + BACKLOG_NS);
#undef EXPECT
	puts(bad ? "lu_loop: selftest failed" : "lu_loop: selftest ok");
	return bad;
}

int main(int argc, char **argv)
{
	int i = 1;

	/* The common options, wherever they are (before a burst's own). */
	while (i < argc) {
		bool *flag = !strcmp(argv[i], "--dry-run") ? &dry_run :
			     !strcmp(argv[i], "--stop") ? &stop_around : NULL;

		if (!flag) {
			i++;
			continue;
		}
		*flag = true;
		memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(*argv));
		argc--;
	}
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "cycle"))
		return cmd_cycle(argc - 2, argv + 2);
	if (!strcmp(argv[1], "burst"))
		return cmd_burst(argc - 1, argv + 1);
	if (!strcmp(argv[1], "selftest"))
		return selftest();
	return usage();
}
