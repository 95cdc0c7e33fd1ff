// SPDX-License-Identifier: GPL-2.0
/*
 * lu_vfio - a small VMM stand-in that drives vfio-pci Live Update for the
 * end-to-end scenarios: preserve devices in a LUO session and hold them
 * across the kexec, retrieve them afterwards, or abandon them; with edu DMA
 * to prove the devices work, and the errnos each step must give.
 *
 *   lu_vfio preserve [--dma] [--irq] [--d3hot] [--other] [--close] SESSION BDF...
 *	Open each device (cdev + new iommufd), preserve them all in SESSION
 *	with tokens 1..N in argument order. Then either close the session
 *	(--close: they are unpreserved and can be preserved again, which is
 *	checked) or leave a daemon holding everything for the kexec. --irq
 *	leaves MSI enabled on the last device, so its freeze must refuse after
 *	the others froze (and they must be unfrozen). --d3hot does the same
 *	with the last device, which need not be edu, put in D3hot through its
 *	PM capability. --other: the last device is not edu and is only opened
 *	and bound (--d3hot implies it). On SIGUSR1 the daemon disables MSI, brings a --d3hot
 *	device back to D0 and writes "BDF ERR" lines to /tmp/lu_vfio.usr1
 *	(what a VFIO_DEVICE_GET_INFO then gives, 0 or -errno); on SIGUSR2 it
 *	starts an unawaited edu DMA. Its pid is written
 *	to /tmp/lu_vfio.SESSION.pid. --probe-frozen starts frozen_probe.h's
 *	probe on the first device (results in /results/frozen-probe.txt).
 *   lu_vfio retrieve [--dma] [--one-by-one] SESSION BDF...
 *	In the new kernel: other opens are refused with EBUSY, finishing
 *	before the devices are retrieved is refused, each device comes back
 *	as a fresh fd that must be bound first, then the session finishes.
 *	As a VMM does, every file (devices and DMA buffers) is retrieved
 *	first, back to back, and then each device is bound, mapped and
 *	checked by a thread of its own, all at once: the last device is not
 *	kept waiting for the others' set-up (--one-by-one: one after another,
 *	in this thread). --probe-frozen: the first device's liveness register
 *	shows no ioeventfd reached it while frozen.
 *   lu_vfio retrieve-hold [--dma] SESSION BDF...
 *	Retrieve SESSION and each device's file (and DMA buffer with --dma),
 *	bind none of them, and leave a daemon holding them all, as a VMM that
 *	is about to crash; its pid is written to /tmp/lu_vfio.SESSION.pid.
 *   lu_vfio use [--dma] BDF...
 *	Open each device afresh and check it works (a DMA round trip).
 *   lu_vfio abandon SESSION BDF...
 *	Retrieve SESSION but none of its devices and close it: the devices
 *	are released and open normally again.
 *   lu_vfio expect-no-session SESSION
 *	The new kernel has no incoming session SESSION (ENOENT).
 *   lu_vfio expect-open ok|busy BDF...
 *	Opening through the cdev and through VFIO_GROUP_GET_DEVICE_FD works,
 *	or fails with EBUSY.
 *   lu_vfio expect-unpreservable [--unbound|--other|--vf] ERRNO BDF...
 *	Preserving each device (its file bound to an iommufd, or with
 *	--unbound only opened) in a new session fails with ERRNO, and a bound
 *	device still answers afterwards (as edu, or with --other, which takes
 *	devices of any kind, to VFIO_DEVICE_GET_INFO). --vf: each BDF is a VF
 *	of a PF bound to vfio-pci, which is opened to set a VF token that the
 *	VF is then bound with; the VF answers as with --other.
 *   lu_vfio expect-refused [--dma] ERRNO SESSION BDF...
 *	The new kernel refused the preserved state: retrieving each device
 *	fails with ERRNO (e.g. ENODEV), closing SESSION gives them up, and
 *	they open and work afresh.
 *   lu_vfio expect-luo-error ERRNO
 *	Opening /dev/liveupdate fails with ERRNO: the incoming state was
 *	unusable.
 *
 * Every check prints "ok - ..." or "not ok - ..." as one whole line (the
 * threads of retrieve interleave lines, never parts of them); the exit
 * status is 1 if any check failed. Milestones go to the tracefs trace_marker as
 * "lutrace: ..." lines, so lutrace puts them on the devices' timelines
 * (retrieve says "binding dev=BDF" just before it binds a retrieved device:
 * where bench/scale_costs.awk starts the first enable's cost).
 * When LUTRACE_CLOCK names the host's clock port (tests/vm/init), retrieve
 * writes "retrieve" there as soon as its first device file is back: the
 * end of the blackout, stamped outside the guest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <libgen.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/liveupdate.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "edu.h"
#include "frozen_probe.h"
#include "luo.h"
#include "vfio_cdev.h"

/*
 * Device N's DMA buffer sits at DMA_IOVA + N * DMA_IOVA_STRIDE: below edu's
 * 28-bit DMA mask, and distinct per device, so that a trace of IOMMU
 * mappings (which names no device) tells the buffers apart.
 */
#define DMA_IOVA	0x100000ull
#define DMA_IOVA_STRIDE	0x10000ull
#define DMA_LEN		2000u
#define BUF_TOKEN	1000	/* + device token: the device's DMA buffer memfd */
#define SEED_BEFORE	1	/* + device token: pattern DMA'd before the kexec */
#define SEED_AFTER	101	/* + device token: pattern DMA'd after it */

static bool opt_dma, opt_irq, opt_close, opt_probe, opt_unbound, opt_d3hot, opt_other, opt_vf;
static bool opt_one_by_one;
static int failures;		/* under out_lock */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static struct edu *held;
static int nr_held;

static bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !ok;
	pthread_mutex_unlock(&out_lock);
	return ok;
}

static int marker_fd = -1;

static void open_marker(void)
{
	marker_fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY | O_CLOEXEC);
}

/*
 * A "lutrace: ..." line in trace_marker, one write() each (whole lines from
 * any thread); no tracefs, no milestone.
 */
static void milestone(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void milestone(const char *fmt, ...)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	char line[256];
	va_list ap;
	int n, fd;

	pthread_once(&once, open_marker);
	fd = marker_fd;
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "lutrace: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (write(fd, line, n) < 0)
		return;
}

/* A line on the host's clock port, if there is one; close() drains it. */
static void clock_line(const char *line)
{
	const char *tty = getenv("LUTRACE_CLOCK");
	int fd;

	if (!tty || !*tty)
		return;
	fd = open(tty, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		perror(tty);
	close(fd);
}

/*
 * /dev/liveupdate admits one opener at a time, and lutrace needs it too (for
 * its own session): it is held only for one ioctl, and opening is retried
 * while busy, every LUO_RETRY_US for up to LUO_WAIT_US.
 */
/*
 * Create or retrieve session @name (@cmd). Returns the session fd, or -1
 * (errno set) after a failed check.
 */
static int open_session(unsigned long cmd, const char *name)
{
	bool retrieve = cmd == LIVEUPDATE_IOCTL_RETRIEVE_SESSION;
	int fd = luo_session(name, retrieve);

	check(fd >= 0, "%s session %s (%s)", retrieve ? "retrieve" : "create", name,
	      fd < 0 ? strerror(-fd) : "ok");
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	return fd;
}

static int set_msi(struct edu *e, bool on)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int efd;

	memset(buf, 0, sizeof(buf));
	set->argsz = on ? sizeof(buf) : sizeof(*set);
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->flags = VFIO_IRQ_SET_ACTION_TRIGGER |
		     (on ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE);
	set->count = on ? 1 : 0;
	if (on) {
		efd = eventfd(0, EFD_CLOEXEC);
		if (efd < 0)
			return -errno;
		memcpy(set->data, &efd, sizeof(efd));
	}
	return ioctl(e->dev, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

/*
 * Set the power state field of @dev's PM capability, through vfio-pci's
 * config space emulation, and read it back: 0 or -errno.
 */
static int set_power_state(int dev, uint16_t state)
{
	uint16_t pmcsr;
	uint64_t cfg;
	int pos, err;

	err = vfio_config_offset(dev, &cfg);
	if (err)
		return err;
	pos = vfio_config_find_cap(dev, cfg, PCI_CAP_ID_PM);
	if (pos < 0)
		return pos;
	if (pread(dev, &pmcsr, 2, cfg + pos + PCI_PM_CTRL) != 2)
		return -EIO;
	pmcsr = (pmcsr & ~PCI_PM_CTRL_STATE_MASK) | state;
	if (pwrite(dev, &pmcsr, 2, cfg + pos + PCI_PM_CTRL) != 2)
		return -errno;
	if (pread(dev, &pmcsr, 2, cfg + pos + PCI_PM_CTRL) != 2)
		return -EIO;
	return (pmcsr & PCI_PM_CTRL_STATE_MASK) == state ? 0 : -EIO;
}

/*
 * Open @bdf as a fresh device fd. With @dma, its DMA buffer is a memfd (in
 * e->buf_fd, so it can be preserved with the device) and a round trip of
 * the @seed pattern proves the device works.
 */
static int open_edu(const char *bdf, struct edu *e, bool dma, uint32_t seed, int token)
{
	char name[64];

	e->buf_fd = -1;
	e->dev = vfio_cdev_open_bound(bdf, &e->iommufd, &e->ioas);
	if (e->dev < 0 || edu_init(e))
		return 1;
	if (!dma)
		return 0;
	snprintf(name, sizeof(name), "dma-%s", bdf);
	e->buf_fd = memfd_create(name, MFD_CLOEXEC);
	if (e->buf_fd < 0 || ftruncate(e->buf_fd, EDU_BUF_SIZE))
		return guest_fail("memfd for the DMA buffer");
	if (edu_map_buffer(e, DMA_IOVA + token * DMA_IOVA_STRIDE, e->buf_fd) || edu_dma_roundtrip(e, DMA_LEN, seed))
		return 1;
	milestone("dma_verified dev=%s bytes=%u", bdf, DMA_LEN);
	return 0;
}

/* The destination half still holds what the DMA wrote with @seed. */
static bool holds_pattern(const struct edu *e, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < DMA_LEN; i++)
		if (e->buf[4096 + i] != edu_pattern(seed, i))
			return false;
	return true;
}

/* Open /dev/vfio/GROUP through a type1 container and ask for the device. */
static int open_through_group(const char *bdf)
{
	char link[300], target[300], path[64];
	int container, group, dev, err;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(target, '/') + 1);
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0)
		return -errno;
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		err = -errno;
		goto out;
	}
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	err = dev < 0 ? -errno : 0;
	if (dev >= 0)
		close(dev);
out:
	close(group);
	close(container);
	return err;
}

static int open_unbound(const char *bdf)
{
	char path[300];

	if (vfio_cdev_path(bdf, path, sizeof(path)))
		return -1;
	return open(path, O_RDWR | O_CLOEXEC);
}

static int open_through_cdev(const char *bdf)
{
	char path[300];
	int fd;

	if (vfio_cdev_path(bdf, path, sizeof(path)))
		return -errno;
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void expect_open(const char *bdf, bool busy)
{
	int want = busy ? -EBUSY : 0, got;

	milestone("open_attempt dev=%s path=cdev", bdf);
	got = open_through_cdev(bdf);
	check(got == want, "%s: cdev open gives %s (got %s)", bdf,
	      busy ? "EBUSY" : "success", got ? strerror(-got) : "success");
	milestone("open_attempt dev=%s path=group", bdf);
	got = open_through_group(bdf);
	check(got == want, "%s: VFIO_GROUP_GET_DEVICE_FD gives %s (got %s)", bdf,
	      busy ? "EBUSY" : "success", got ? strerror(-got) : "success");
}

static void on_signal(int sig)
{
	int i, out = -1, err;

	/* What SIGUSR1 got from each device: a frozen one would refuse. */
	if (sig == SIGUSR1)
		out = open("/tmp/lu_vfio.usr1", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	for (i = 0; i < nr_held; i++) {
		if (sig == SIGUSR1) {
			struct vfio_device_info info = { .argsz = sizeof(info) };

			set_msi(&held[i], false);
			if (opt_d3hot && i == nr_held - 1)
				set_power_state(held[i].dev, 0);
			err = ioctl(held[i].dev, VFIO_DEVICE_GET_INFO, &info) ? -errno : 0;
			if (out >= 0)
				dprintf(out, "%s %d\n", held[i].bdf, err);
		} else if (held[i].buf && !edu_dma_start(&held[i], DMA_LEN)) {
			milestone("dma_in_flight dev=%s", held[i].bdf);
		}
	}
	if (out >= 0)
		close(out);
}

/* Keep every fd open across the kexec: LUO needs the session alive. */
static void hold_forever(const char *session)
{
	char path[128];
	FILE *f;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		check(false, "fork the holding daemon: %s", strerror(errno));
		return;
	}
	if (pid > 0) {
		snprintf(path, sizeof(path), "/tmp/lu_vfio.%s.pid", session);
		f = fopen(path, "w");
		if (f) {
			fprintf(f, "%d\n", pid);
			fclose(f);
		}
		check(f != NULL, "daemon %d holds session %s for the kexec", pid, session);
		return;
	}
	setsid();
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	for (;;)
		pause();
}

static int cmd_preserve(const char *session, char **bdfs, int n)
{
	int sfd, i, err;

	held = calloc(n, sizeof(*held));
	nr_held = n;
	if (opt_probe && n < 2)
		return check(false, "--probe-frozen needs two devices or more");
	for (i = 0; i < n; i++) {
		held[i].bdf = bdfs[i];
		if (opt_other && i == n - 1) {
			held[i].buf_fd = -1;
			held[i].dev = vfio_cdev_open_bound(bdfs[i], &held[i].iommufd, &held[i].ioas);
			if (!check(held[i].dev >= 0, "%s: opened, bound", bdfs[i]))
				return 1;
			if (opt_d3hot)
				check(!set_power_state(held[i].dev, 3), "%s: put in D3hot", bdfs[i]);
			continue;
		}
		if (!check(!open_edu(bdfs[i], &held[i], opt_dma, SEED_BEFORE + i + 1, i + 1),
			   "%s: opened, bound%s", bdfs[i],
			   opt_dma ? ", DMA round trip through a memfd verified" : ""))
			return 1;
		if (opt_irq && i == n - 1)
			check(!set_msi(&held[i], true), "%s: MSI enabled", bdfs[i]);
	}
	sfd = open_session(LIVEUPDATE_IOCTL_CREATE_SESSION, session);
	if (sfd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		err = luo_preserve_fd(sfd, held[i].dev, i + 1);
		check(!err, "%s: preserved in %s with token %d (%s)", bdfs[i], session, i + 1,
		      err ? strerror(-err) : "ok");
		if (!err)
			milestone("preserved dev=%s session=%s token=%d", bdfs[i], session, i + 1);
		if (held[i].buf_fd >= 0) {
			err = luo_preserve_fd(sfd, held[i].buf_fd, BUF_TOKEN + i + 1);
			check(!err, "%s: DMA buffer memfd preserved with token %d (%s)", bdfs[i],
			      BUF_TOKEN + i + 1, err ? strerror(-err) : "ok");
		}
	}

	if (opt_close) {
		close(sfd);
		sfd = open_session(LIVEUPDATE_IOCTL_CREATE_SESSION, session);
		check(sfd >= 0, "session %s created again after closing it", session);
		for (i = 0; i < n && sfd >= 0; i++) {
			err = luo_preserve_fd(sfd, held[i].dev, i + 1);
			check(!err, "%s: preserved again after the close unpreserved it (%s)",
			      bdfs[i], err ? strerror(-err) : "ok");
		}
		close(sfd);
		return failures != 0;
	}
	if (opt_probe && !failures)
		check(!frozen_probe_start(&held[0], "/results/frozen-probe.txt"),
		      "frozen probe armed on %s", bdfs[0]);
	if (!failures)
		hold_forever(session);
	return failures != 0;
}

/*
 * A device of cmd_retrieve: its files, retrieved before any device is set
 * up, and the thread that sets it up.
 */
struct retrieved {
	const char *bdf, *session;
	int token;
	int fd;			/* the device file, or -errno */
	int buf_fd;		/* its DMA buffer's memfd (--dma), or -errno */
	pthread_t thread;
	bool running;
};

/*
 * Map device @r's preserved DMA buffer at the IOVA it had before the
 * kexec, check what the old kernel's DMA wrote is still there, and run a
 * new round trip through it.
 */
static void set_up_dma_buffer(struct edu *e, const struct retrieved *r)
{
	if (!check(r->buf_fd >= 0, "%s: DMA buffer memfd retrieved (%s)", r->bdf,
		   r->buf_fd < 0 ? strerror(-r->buf_fd) : "ok"))
		return;
	if (!check(!edu_map_buffer(e, DMA_IOVA + r->token * DMA_IOVA_STRIDE, r->buf_fd),
		   "%s: DMA buffer mapped at its old IOVA", r->bdf))
		return;
	check(holds_pattern(e, SEED_BEFORE + r->token),
	      "%s: the data DMA'd before the kexec is intact in the buffer", r->bdf);
	if (check(!edu_dma_roundtrip(e, DMA_LEN, SEED_AFTER + r->token),
		  "%s: DMA round trip after the live update", r->bdf))
		milestone("dma_verified dev=%s bytes=%u", r->bdf, DMA_LEN);
}

/*
 * What frozen_probe left in edu's liveness register before the freeze, read
 * from bound device fd @dev before edu_init() writes its own probe there.
 */
static void check_liveness_untouched(int dev, const char *bdf)
{
	struct vfio_region_info bar0 = {
		.argsz = sizeof(bar0), .index = VFIO_PCI_BAR0_REGION_INDEX,
	};
	uint32_t v = 0;

	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &bar0) ||
	    pread(dev, &v, 4, bar0.offset + 4) != 4)
		v = 0;
	check(v == FROZEN_PROBE_LIVENESS,
	      "%s: no ioeventfd kicked while frozen reached the device (liveness 0x%x)", bdf, v);
}

/* The thread of retrieved device @arg: bind it, check it answers, its DMA. */
static void *set_up_retrieved(void *arg)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct retrieved *r = arg;
	struct edu e;
	int err;

	err = ioctl(r->fd, VFIO_DEVICE_GET_INFO, &info) ? -errno : 0;
	check(err == -EINVAL, "%s: retrieved fd refuses ioctls before BIND_IOMMUFD (got %s)",
	      r->bdf, err ? strerror(-err) : "success");
	memset(&e, 0, sizeof(e));
	e.bdf = r->bdf;
	e.dev = r->fd;
	/* Where the bind starts: bench/scale.sh times the first enable from it. */
	milestone("binding dev=%s", r->bdf);
	err = vfio_cdev_bind_fd(r->fd, &e.iommufd, &e.ioas);
	if (!err && opt_probe && r->token == 1)
		check_liveness_untouched(r->fd, r->bdf);
	err = err || edu_init(&e);
	if (!check(!err, "%s: retrieved fd bound to a new iommufd and answers as edu", r->bdf))
		return NULL;
	milestone("retrieved dev=%s session=%s token=%d", r->bdf, r->session, r->token);
	if (opt_dma)
		set_up_dma_buffer(&e, r);
	return NULL;
}

static int cmd_retrieve(const char *session, char **bdfs, int n)
{
	struct retrieved *devs = calloc(n, sizeof(*devs));
	int sfd, i, err, busy;

	if (!devs)
		return !check(false, "memory for %d devices", n);
	for (i = 0; i < n; i++)
		expect_open(bdfs[i], true);
	sfd = open_session(LIVEUPDATE_IOCTL_RETRIEVE_SESSION, session);
	if (sfd < 0) {
		free(devs);
		return 1;
	}
	busy = luo_finish(sfd);
	/*
	 * Every file back first, with nothing between the ioctls (the checks
	 * are said after), so that lutrace's events time each retrieve alone.
	 */
	for (i = 0; i < n; i++) {
		devs[i].bdf = bdfs[i];
		devs[i].session = session;
		devs[i].token = i + 1;
		devs[i].fd = luo_retrieve_fd(sfd, i + 1);
		if (devs[i].fd >= 0 && i == 0)
			clock_line("retrieve\n");
		devs[i].buf_fd = opt_dma ? luo_retrieve_fd(sfd, BUF_TOKEN + i + 1) : -ENOENT;
	}
	check(busy == -EBUSY, "finishing %s before its devices are retrieved gives EBUSY (got %s)",
	      session, busy ? strerror(-busy) : "success");
	for (i = 0; i < n; i++) {
		if (!check(devs[i].fd >= 0, "%s: retrieved token %d (%s)", bdfs[i], i + 1,
			   devs[i].fd < 0 ? strerror(-devs[i].fd) : "ok"))
			continue;
		if (opt_one_by_one) {
			set_up_retrieved(&devs[i]);
			continue;
		}
		err = pthread_create(&devs[i].thread, NULL, set_up_retrieved, &devs[i]);
		devs[i].running = !err;
		if (err)
			check(false, "%s: a thread to set it up (%s)", bdfs[i], strerror(err));
	}
	for (i = 0; i < n; i++)
		if (devs[i].running)
			pthread_join(devs[i].thread, NULL);
	err = luo_finish(sfd);
	check(!err, "session %s finished (%s)", session, err ? strerror(-err) : "ok");
	close(sfd);
	for (i = 0; i < n && !err; i++)
		check(open_through_cdev(bdfs[i]) == 0, "%s: opens normally after finish", bdfs[i]);
	free(devs);
	return failures != 0;
}

static int cmd_retrieve_hold(const char *session, char **bdfs, int n)
{
	int sfd, i, fd;

	sfd = open_session(LIVEUPDATE_IOCTL_RETRIEVE_SESSION, session);
	if (sfd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		fd = luo_retrieve_fd(sfd, i + 1);
		check(fd >= 0, "%s: retrieved token %d and left unbound (%s)", bdfs[i], i + 1,
		      fd < 0 ? strerror(-fd) : "ok");
		if (opt_dma) {
			fd = luo_retrieve_fd(sfd, BUF_TOKEN + i + 1);
			check(fd >= 0, "%s: DMA buffer memfd retrieved (%s)", bdfs[i],
			      fd < 0 ? strerror(-fd) : "ok");
		}
	}
	if (!failures)
		hold_forever(session);
	return failures != 0;
}

static int cmd_use(char **bdfs, int n)
{
	struct edu e;
	int i;

	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.bdf = bdfs[i];
		check(!open_edu(bdfs[i], &e, opt_dma, SEED_AFTER, i + 1),
		      "%s: opens afresh and works%s", bdfs[i], opt_dma ? " (DMA round trip)" : "");
	}
	return failures != 0;
}

/* Closing @session gave its devices up: each opens and works afresh. */
static void check_given_up(const char *session, char **bdfs, int n)
{
	struct edu e;
	int i;

	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.dev = e.iommufd = -1;
		check(!open_edu(bdfs[i], &e, opt_dma, SEED_AFTER, i + 1),
		      "%s: given up when %s was closed; opens and works", bdfs[i], session);
		/* Devices of one IOMMU group cannot be bound to two iommufds at once */
		edu_close(&e);
	}
}

static int cmd_abandon(const char *session, char **bdfs, int n)
{
	int sfd;

	sfd = open_session(LIVEUPDATE_IOCTL_RETRIEVE_SESSION, session);
	if (sfd < 0)
		return 1;
	close(sfd);
	check_given_up(session, bdfs, n);
	return failures != 0;
}

static int cmd_expect_no_session(const char *session)
{
	struct liveupdate_ioctl_retrieve_session s = { .size = sizeof(s) };
	int luo, ret;

	luo = luo_open();
	if (!check(luo >= 0, "open /dev/liveupdate"))
		return 1;
	snprintf((char *)s.name, sizeof(s.name), "%s", session);
	ret = ioctl(luo, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &s) ? -errno : s.fd;
	close(luo);
	if (ret >= 0)
		close(ret);
	check(ret == -ENOENT, "no incoming session %s (got %s)", session,
	      ret >= 0 ? "a session" : strerror(-ret));
	return failures != 0;
}

/* "ENODEV" or "EINVAL" etc. as the errno value; 0 if unknown */
static int errno_named(const char *name)
{
	static const struct { const char *name; int err; } names[] = {
		{ "ENODEV", ENODEV }, { "EINVAL", EINVAL }, { "EIO", EIO },
		{ "EBUSY", EBUSY }, { "ENOENT", ENOENT },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name))
			return names[i].err;
	return 0;
}

/*
 * The new kernel refused what the old one handed over: every device's
 * retrieve fails with @err; closing the session gives them up, and they
 * open and DMA like any device.
 */
static int cmd_expect_refused(int err, const char *session, char **bdfs, int n)
{
	int sfd, i, fd;

	sfd = open_session(LIVEUPDATE_IOCTL_RETRIEVE_SESSION, session);
	if (sfd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		fd = luo_retrieve_fd(sfd, i + 1);
		check(fd == -err, "%s: retrieving token %d fails with %s (got %s)", bdfs[i], i + 1,
		      strerror(err), fd >= 0 ? "a file" : strerror(-fd));
		if (fd >= 0)
			close(fd);
	}
	check(close(sfd) == 0, "session %s closed", session);
	check_given_up(session, bdfs, n);
	return failures != 0;
}

/*
 * Preserving each device fails with @err, whether its file is bound
 * (@unbound false) or only opened; a bound device still works afterwards.
 */
/*
 * Open VF @bdf bound, which vfio-pci allows only with the VF token of its PF
 * (bound to vfio-pci too): the PF is opened to set one, and left open.
 */
static int open_vf(const char *bdf, int *iommufd, unsigned int *ioas)
{
	static const unsigned char token[16] = { 0x6c, 0x75, 0x74, 0x72, 0x61, 0x63, 0x65 };
	char link[128], target[128];
	unsigned int pf_ioas;
	int pf, pf_iommufd;
	ssize_t len;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/physfn", bdf);
	len = readlink(link, target, sizeof(target) - 1);
	if (!check(len > 0, "%s: is a VF (%s)", bdf, len > 0 ? "physfn found" : strerror(errno)))
		return -1;
	target[len] = '\0';
	pf = vfio_cdev_open_bound(basename(target), &pf_iommufd, &pf_ioas);
	if (!check(pf >= 0 && !vfio_set_vf_token(pf, token), "%s: VF token set on its PF %s",
		   bdf, basename(target)))
		return -1;
	return vfio_cdev_open_bound_token(bdf, token, iommufd, ioas);
}

static int cmd_expect_unpreservable(int err, bool unbound, char **bdfs, int n)
{
	int sfd, i, got;
	struct edu e;

	sfd = open_session(LIVEUPDATE_IOCTL_CREATE_SESSION, "refused");
	if (sfd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.bdf = bdfs[i];
		e.buf_fd = -1;
		if (unbound) {
			e.dev = open_unbound(bdfs[i]);
		} else if (opt_vf) {
			e.dev = open_vf(bdfs[i], &e.iommufd, &e.ioas);
		} else if (opt_other) {
			e.dev = vfio_cdev_open_bound(bdfs[i], &e.iommufd, &e.ioas);
		} else if (open_edu(bdfs[i], &e, false, 0, i + 1)) {
			e.dev = -1;
		}
		if (!check(e.dev >= 0, "%s: opened%s", bdfs[i], unbound ? ", left unbound" : ", bound"))
			continue;
		got = luo_preserve_fd(sfd, e.dev, i + 1);
		check(got == -err, "%s: preserving it fails with %s (got %s)", bdfs[i],
		      strerror(err), got ? strerror(-got) : "success");
		if (opt_other || opt_vf) {
			struct vfio_device_info info = { .argsz = sizeof(info) };

			check(!ioctl(e.dev, VFIO_DEVICE_GET_INFO, &info),
			      "%s: still answers VFIO_DEVICE_GET_INFO after the refusal", bdfs[i]);
		} else if (!unbound) {
			check(!edu_init(&e), "%s: still answers as edu after the refusal", bdfs[i]);
		}
		close(e.dev);
	}
	check(close(sfd) == 0, "session refused closed");
	return failures != 0;
}

/* The new kernel could not use the incoming state at all */
static int cmd_expect_luo_error(int err)
{
	int fd = open("/dev/liveupdate", O_RDWR);

	check(fd < 0 && errno == err, "opening /dev/liveupdate fails with %s (got %s)",
	      strerror(err), fd >= 0 ? "success" : strerror(errno));
	if (fd >= 0)
		close(fd);
	return failures != 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: lu_vfio preserve [--dma] [--irq] [--d3hot] [--other] [--close] [--probe-frozen] SESSION BDF...\n"
		"       lu_vfio retrieve [--dma] [--probe-frozen] [--one-by-one] SESSION BDF...\n"
		"       lu_vfio retrieve-hold [--dma] SESSION BDF...\n"
		"       lu_vfio use [--dma] BDF...\n"
		"       lu_vfio abandon [--dma] SESSION BDF...\n"
		"       lu_vfio expect-no-session SESSION\n"
		"       lu_vfio expect-open ok|busy BDF...\n"
		"       lu_vfio expect-refused [--dma] ERRNO SESSION BDF...\n"
		"       lu_vfio expect-unpreservable [--unbound|--other|--vf] ERRNO BDF...\n"
		"       lu_vfio expect-luo-error ERRNO\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dma", no_argument, NULL, 'd' },
		{ "irq", no_argument, NULL, 'i' },
		{ "close", no_argument, NULL, 'c' },
		{ "probe-frozen", no_argument, NULL, 'p' },
		{ "unbound", no_argument, NULL, 'u' },
		{ "d3hot", no_argument, NULL, '3' },
		{ "other", no_argument, NULL, 'o' },
		{ "vf", no_argument, NULL, 'v' },
		{ "one-by-one", no_argument, NULL, '1' },
		{ 0 },
	};
	const char *cmd;
	int c;

	if (argc < 2)
		usage();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': opt_dma = true; break;
		case 'i': opt_irq = true; break;
		case 'c': opt_close = true; break;
		case 'p': opt_probe = true; break;
		case 'u': opt_unbound = true; break;
		case '3': opt_d3hot = opt_other = true; break;
		case 'o': opt_other = true; break;
		case 'v': opt_vf = true; break;
		case '1': opt_one_by_one = true; break;
		default: usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "expect-no-session") && argc - optind == 1)
		return cmd_expect_no_session(argv[optind]);
	if (!strcmp(cmd, "use") && argc - optind >= 1)
		return cmd_use(argv + optind, argc - optind);
	if (!strcmp(cmd, "expect-luo-error") && argc - optind == 1 && errno_named(argv[optind]))
		return cmd_expect_luo_error(errno_named(argv[optind]));
	if (!strcmp(cmd, "expect-unpreservable") && argc - optind >= 2 && errno_named(argv[optind]))
		return cmd_expect_unpreservable(errno_named(argv[optind]), opt_unbound,
						argv + optind + 1, argc - optind - 1);
	if (!strcmp(cmd, "expect-refused") && argc - optind >= 3 && errno_named(argv[optind]))
		return cmd_expect_refused(errno_named(argv[optind]), argv[optind + 1],
					  argv + optind + 2, argc - optind - 2);
	if (argc - optind < 2)
		usage();

	if (!strcmp(cmd, "preserve"))
		return cmd_preserve(argv[optind], argv + optind + 1, argc - optind - 1);
	if (!strcmp(cmd, "retrieve"))
		return cmd_retrieve(argv[optind], argv + optind + 1, argc - optind - 1);
	if (!strcmp(cmd, "retrieve-hold"))
		return cmd_retrieve_hold(argv[optind], argv + optind + 1, argc - optind - 1);
	if (!strcmp(cmd, "abandon"))
		return cmd_abandon(argv[optind], argv + optind + 1, argc - optind - 1);
	if (!strcmp(cmd, "expect-open")) {
		bool busy = !strcmp(argv[optind], "busy");

		if (!busy && strcmp(argv[optind], "ok"))
			usage();
		for (c = optind + 1; c < argc; c++)
			expect_open(argv[c], busy);
		return failures != 0;
	}
	usage();
	return 2;
}
