// SPDX-License-Identifier: GPL-2.0
/*
 * lu_keep - the VMM stand-in of the experimental keep-running Live Update
 * (VFIO_DEVICE_FEATURE_LIVEUPDATE): one edu device in vfio's no-IOMMU mode,
 * whose DMA is aimed at a memfd preserved in the same session, is left
 * running across the kexec, and its transfer lands while the kernel
 * underneath it is replaced.
 *
 *   lu_keep hold [--keep-running|--default] SESSION BDF
 *	Stage 1. Open BDF's noiommu-vfioX cdev and bind it (iommufd -1);
 *	with --keep-running, choose VFIO_DEVICE_LIVEUPDATE_KEEP_RUNNING (and
 *	check GET says so), else leave the default. Create a two-page memfd:
 *	page 0 the source pattern, page 1 zeros. Preserve the device (token
 *	1) and the memfd (token 2) in SESSION, then read both pages' physical
 *	addresses (after the preserve: preserving pins the memfd's pages, which
 *	may move them), copy page 0 into edu's buffer by DMA, and fork a
 *	daemon that holds everything. On SIGUSR2 the daemon starts the
 *	transfer from edu's buffer into page 1, reads edu's DMA command
 *	register (bit 0: in progress), writes "lutrace: dma_in_flight ..." to
 *	trace_marker and KEY=VALUE lines to /results/keep-jump.txt, and jumps
 *	at once with reboot(LINUX_REBOOT_CMD_KEXEC): edu completes a transfer
 *	100 ms after its start, so it is still in flight at the jump.
 *   lu_keep land [--keep-running|--default] SESSION BDF
 *	Stage 2. Retrieve SESSION and the memfd first, and look at page 1
 *	before anything touches the device: with --keep-running the pattern
 *	must be there (the transfer landed while the kernel was replaced,
 *	with no DMA started in this kernel) and page 1 must be at the same
 *	physical address as before; without, it must still be zeros (the
 *	control: freeze reset the device and turned bus mastering off, so the
 *	transfer was dropped). Then retrieve the device, bind it, check its
 *	bus mastering is still on (--keep-running) or off, do a new round trip
 *	by DMA, and finish the session. Writes "lutrace: dma_landed ..." or
 *	"lutrace: dma_not_landed ..." to trace_marker, and KEY=VALUE lines to
 *	/results/keep-land.txt.
 *
 * Every check prints "ok - ..." or "not ok - ..."; the exit status is 1 if
 * any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/reboot.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "edu.h"
#include "luo.h"
#include "vfio_cdev.h"

#define DEV_TOKEN	1
#define BUF_TOKEN	2
#define PAGE		4096u
#define LEN		2000u	/* edu: < 4096 */
#define SEED		7

static bool opt_keep_running;
static int failures;
static struct edu held = { .dev = -1, .iommufd = -1, .buf_fd = -1 };
static uint64_t dst_phys;

static bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !ok;
	return ok;
}

static void milestone(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void milestone(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n, fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "lutrace: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (write(fd, line, n) < 0)
		n = -1;
	close(fd);
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The physical address of the page at @va (faulted in), or 0 if unknown. */
static uint64_t phys_addr(const void *va)
{
	uint64_t entry = 0, vpn = (uintptr_t)va / PAGE;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (pread(fd, &entry, sizeof(entry), (off_t)(vpn * sizeof(entry))) != sizeof(entry))
		entry = 0;
	close(fd);
	/* bit 63: present; bits 0-54: the page frame number */
	if (!(entry & (1ull << 63)))
		return 0;
	return (entry & ((1ull << 55) - 1)) * PAGE + (uintptr_t)va % PAGE;
}

static int set_keep_running(int dev, bool on)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_feature_liveupdate lu;
	} f = {
		.hdr = { .argsz = sizeof(f),
			 .flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_LIVEUPDATE },
		.lu = { .flags = on ? VFIO_DEVICE_LIVEUPDATE_KEEP_RUNNING : 0 },
	};

	return ioctl(dev, VFIO_DEVICE_FEATURE, &f) ? -errno : 0;
}

static int get_keep_running(int dev, uint32_t *flags)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_feature_liveupdate lu;
	} f = {
		.hdr = { .argsz = sizeof(f),
			 .flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_LIVEUPDATE },
	};

	if (ioctl(dev, VFIO_DEVICE_FEATURE, &f))
		return -errno;
	*flags = f.lu.flags;
	return 0;
}

static int read_command(int dev, uint16_t *cmd)
{
	uint64_t cfg;

	if (vfio_config_offset(dev, &cfg) || pread(dev, cmd, 2, (off_t)(cfg + PCI_COMMAND)) != 2)
		return -1;
	return 0;
}

static void write_kv(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void write_kv(const char *path, const char *fmt, ...)
{
	FILE *f = fopen(path, "a");
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static int open_noiommu(const char *bdf)
{
	char path[300];
	int dev, err;

	if (!check(!vfio_cdev_path(bdf, path, sizeof(path)) && strstr(path, "noiommu-vfio"),
		   "%s has a noiommu-vfioX cdev (%s)", bdf, path))
		return -1;
	dev = open(path, O_RDWR | O_CLOEXEC);
	if (!check(dev >= 0, "open %s", path))
		return -1;
	err = vfio_cdev_bind_noiommu(dev);
	if (!check(!err, "bind %s with iommufd -1 (%s)", bdf, strerror(-err))) {
		close(dev);
		return -1;
	}
	return dev;
}

/*
 * The transfer that is in flight at the jump, then the jump, with as little
 * as possible between them: the results file is open and the line ready.
 */
static void jump(void)
{
	int out = open("/results/keep-jump.txt", O_WRONLY | O_APPEND | O_CLOEXEC);
	char line[128];
	uint32_t cmd = 0;
	uint64_t t;
	int n;

	if (out < 0 || edu_dma_start_at(&held, dst_phys, LEN, true) ||
	    edu_dma_command(&held, &cmd))
		_exit(1);
	t = boottime_ns();
	milestone("dma_in_flight dev=%s status=0x%x dst=0x%llx bytes=%u", held.bdf, cmd,
		  (unsigned long long)dst_phys, LEN);
	n = snprintf(line, sizeof(line), "started=1\nstatus=0x%x\nbusy=%u\nstarted_ns=%llu\n",
		     cmd, cmd & 1, (unsigned long long)t);
	if (write(out, line, n) != n)
		_exit(1);
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC, NULL);
	dprintf(out, "reboot_errno=%d\n", errno);
	_exit(1);
}

static int cmd_hold(const char *session, const char *bdf)
{
	uint64_t src_phys;
	uint32_t flags = ~0u;
	int sfd, err, i, sig;
	sigset_t usr2;
	pid_t pid;

	held.bdf = bdf;
	held.dev = open_noiommu(bdf);
	if (held.dev < 0)
		return 1;
	if (opt_keep_running) {
		err = set_keep_running(held.dev, true);
		if (!check(!err, "VFIO_DEVICE_FEATURE_LIVEUPDATE: keep running (%s)", strerror(-err)))
			return 1;
	}
	err = get_keep_running(held.dev, &flags);
	check(!err && flags == (opt_keep_running ? VFIO_DEVICE_LIVEUPDATE_KEEP_RUNNING : 0u),
	      "GET says keep running is %s (flags %#x, %s)", opt_keep_running ? "on" : "off", flags,
	      strerror(-err));

	held.buf_fd = memfd_create("lu_keep", MFD_CLOEXEC);
	if (!check(held.buf_fd >= 0 && !ftruncate(held.buf_fd, 2 * PAGE), "memfd of two pages"))
		return 1;
	held.buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, held.buf_fd, 0);
	if (!check(held.buf != MAP_FAILED, "map the memfd"))
		return 1;
	for (i = 0; i < (int)LEN; i++)
		held.buf[i] = edu_pattern(SEED, i);
	memset(held.buf + PAGE, 0, PAGE);

	sfd = luo_session(session, false);
	if (!check(sfd >= 0, "create session %s (%s)", session, sfd < 0 ? strerror(-sfd) : "ok"))
		return 1;
	err = luo_preserve_fd(sfd, held.dev, DEV_TOKEN);
	check(!err, "preserve %s as token %d (%s)", bdf, DEV_TOKEN, strerror(-err));
	err = luo_preserve_fd(sfd, held.buf_fd, BUF_TOKEN);
	check(!err, "preserve the memfd as token %d (%s)", BUF_TOKEN, strerror(-err));
	err = set_keep_running(held.dev, !opt_keep_running);
	check(err == -EBUSY, "once preserved, the choice cannot change (%s)", strerror(-err));

	src_phys = phys_addr(held.buf);
	dst_phys = phys_addr(held.buf + PAGE);
	if (!check(src_phys && dst_phys, "physical addresses: source 0x%llx, destination 0x%llx",
		   (unsigned long long)src_phys, (unsigned long long)dst_phys))
		return 1;
	write_kv("/results/keep-jump.txt", "dst_phys=0x%llx\n", (unsigned long long)dst_phys);

	if (!check(!edu_init(&held), "%s answers as edu", bdf))
		return 1;
	err = edu_dma_start_at(&held, src_phys, LEN, false) || edu_dma_wait(&held);
	check(!err, "pattern copied into edu's buffer by DMA");
	check(held.buf[PAGE] == 0 && !memcmp(held.buf + PAGE, held.buf + PAGE + 1, LEN - 1),
	      "the destination page is still zeros");
	if (failures)
		return 1;

	/* Blocked before the fork: the signal may come as soon as the pid is out */
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return !check(false, "fork the holding daemon: %s", strerror(errno));
	if (pid > 0) {
		write_kv("/tmp/lu_keep.pid", "%d\n", pid);
		check(true, "daemon %d holds session %s for the kexec", pid, session);
		return failures != 0;
	}
	setsid();
	for (;;)
		if (!sigwait(&usr2, &sig))
			jump();
}

static uint64_t jump_dst_phys(void)
{
	char line[128];
	uint64_t v = 0;
	FILE *f = fopen("/results/keep-jump.txt", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "dst_phys=%" SCNx64, &v) == 1)
			break;
	fclose(f);
	return v;
}

static int cmd_land(const char *session, const char *bdf)
{
	struct edu e = { .bdf = bdf, .dev = -1, .iommufd = -1, .buf_fd = -1 };
	uint64_t before = jump_dst_phys(), now, src_phys;
	bool landed = true, zeros = true;
	uint16_t cmd = 0;
	int sfd, err, i;

	sfd = luo_session(session, true);
	if (!check(sfd >= 0, "retrieve session %s (%s)", session, sfd < 0 ? strerror(-sfd) : "ok"))
		return 1;
	e.buf_fd = luo_retrieve_fd(sfd, BUF_TOKEN);
	if (!check(e.buf_fd >= 0, "retrieve the memfd (%s)", e.buf_fd < 0 ? strerror(-e.buf_fd) : "ok"))
		return 1;
	e.buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, e.buf_fd, 0);
	if (!check(e.buf != MAP_FAILED, "map the retrieved memfd"))
		return 1;
	/* Before anything touches the device: this kernel started no DMA */
	for (i = 0; i < (int)LEN; i++) {
		landed = landed && e.buf[PAGE + i] == edu_pattern(SEED, i);
		zeros = zeros && e.buf[PAGE + i] == 0;
	}
	now = phys_addr(e.buf + PAGE);
	write_kv("/results/keep-land.txt", "landed=%d\nzeros=%d\ndst_phys_before=0x%llx\ndst_phys_after=0x%llx\n",
		 landed, zeros, (unsigned long long)before, (unsigned long long)now);
	milestone("%s dev=%s bytes=%u dst=0x%llx", landed ? "dma_landed" : "dma_not_landed", bdf,
		  landed ? LEN : 0, (unsigned long long)now);
	if (opt_keep_running) {
		check(landed, "the transfer in flight at the jump landed in the preserved memfd");
		check(before && now == before,
		      "the destination page is at the same physical address (0x%llx, was 0x%llx)",
		      (unsigned long long)now, (unsigned long long)before);
	} else {
		check(zeros, "control: the transfer in flight at the jump did not land (page still zeros)");
	}

	e.dev = luo_retrieve_fd(sfd, DEV_TOKEN);
	if (!check(e.dev >= 0, "retrieve %s (%s)", bdf, e.dev < 0 ? strerror(-e.dev) : "ok"))
		return 1;
	err = vfio_cdev_bind_noiommu(e.dev);
	if (!check(!err, "bind the retrieved %s with iommufd -1 (%s)", bdf, strerror(-err)))
		return 1;
	if (check(!read_command(e.dev, &cmd), "read %s's Command register", bdf))
		check(!!(cmd & PCI_COMMAND_MASTER) == opt_keep_running,
		      "bus mastering is %s at the first enable (Command 0x%04x)",
		      opt_keep_running ? "still on" : "off", cmd);
	write_kv("/results/keep-land.txt", "command=0x%04x\n", cmd);

	/* New DMA works: page 1 -> edu -> page 0, a new pattern */
	for (i = 0; i < (int)LEN; i++)
		e.buf[PAGE + i] = edu_pattern(SEED + 1, i);
	memset(e.buf, 0, PAGE);
	src_phys = phys_addr(e.buf);
	err = !src_phys || !check(!edu_init(&e), "%s answers as edu", bdf) ||
	      edu_dma_start_at(&e, now, LEN, false) || edu_dma_wait(&e) ||
	      edu_dma_start_at(&e, src_phys, LEN, true) || edu_dma_wait(&e);
	for (i = 0; !err && i < (int)LEN; i++)
		err = e.buf[i] != edu_pattern(SEED + 1, i);
	check(!err, "new DMA works both ways after the Live Update");
	milestone("dma_verified dev=%s bytes=%u", bdf, LEN);

	err = luo_finish(sfd);
	check(!err, "finish session %s (%s)", session, strerror(-err));
	close(sfd);
	edu_close(&e);
	return failures != 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: lu_keep hold|land [--keep-running|--default] SESSION BDF\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keep-running", no_argument, NULL, 'k' },
		{ "default", no_argument, NULL, 'd' },
		{ 0 },
	};
	const char *what;
	int c;

	if (argc < 2)
		usage();
	what = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'k' && c != 'd')
			usage();
		opt_keep_running = c == 'k';
	}
	if (argc - optind != 2)
		usage();
	if (!strcmp(what, "hold"))
		return cmd_hold(argv[optind], argv[optind + 1]);
	if (!strcmp(what, "land"))
		return cmd_land(argv[optind], argv[optind + 1]);
	usage();
	return 2;
}
