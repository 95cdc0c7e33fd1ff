// SPDX-License-Identifier: GPL-2.0
/*
 * The second VMM thread that the series must keep away from a frozen
 * device: see frozen_probe.h. Everything is armed while the device still
 * works, so a refusal after the freeze cannot be a probe that never worked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "frozen_probe.h"
#include "vfio_cdev.h"

#define TRACEFS		"/sys/kernel/tracing"
#define INSTANCE	TRACEFS "/instances/frozen_probe"
#define EDU_LIVENESS	0x04
#define IOEVENTFD_DATA	0x12345678u
#define BAR0_MAP_LEN	4096
#define ROUNDS		20
#define GOT_SIGBUS	1	/* a result that is no errno */

struct probe {
	struct edu *e;
	uint64_t cfg;		/* config space offset in the device fd */
	volatile uint32_t *map;	/* BAR0, mapped while the device worked */
	int kick_fd;		/* eventfd of the armed ioeventfd */
};

struct op {
	const char *name;
	int want;		/* 0, a negative errno, or GOT_SIGBUS */
	int (*run)(struct probe *p);
};

static int neg_errno(int ret)
{
	return ret < 0 ? -errno : 0;
}

static int op_get_info(struct probe *p)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	return neg_errno(ioctl(p->e->dev, VFIO_DEVICE_GET_INFO, &info));
}

static int op_msi_enable(struct probe *p)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)] = { 0 };
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int efd = eventfd(0, EFD_CLOEXEC), ret;

	set->argsz = sizeof(buf);
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->flags = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;
	set->count = 1;
	memcpy(set->data, &efd, sizeof(efd));
	ret = neg_errno(ioctl(p->e->dev, VFIO_DEVICE_SET_IRQS, set));
	close(efd);
	return ret;
}

static int rw_result(ssize_t n, size_t want)
{
	if (n < 0)
		return -errno;
	return (size_t)n == want ? 0 : -EIO;
}

static int op_config_read(struct probe *p)
{
	uint16_t cmd;

	return rw_result(pread(p->e->dev, &cmd, 2, p->cfg + PCI_COMMAND), 2);
}

static int op_bus_master_on(struct probe *p)
{
	uint16_t cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;

	return rw_result(pwrite(p->e->dev, &cmd, 2, p->cfg + PCI_COMMAND), 2);
}

static int op_bar_read(struct probe *p)
{
	uint32_t v;

	return rw_result(pread(p->e->dev, &v, 4, p->e->bar0), 4);
}

static int op_bar_write(struct probe *p)
{
	uint32_t v = 0;

	return rw_result(pwrite(p->e->dev, &v, 4, p->e->bar0 + EDU_LIVENESS), 4);
}

/* The ROM's size is read with memory decode turned on for a moment. */
static int op_rom_region_info(struct probe *p)
{
	struct vfio_region_info info = {
		.argsz = sizeof(info), .index = VFIO_PCI_ROM_REGION_INDEX,
	};

	return neg_errno(ioctl(p->e->dev, VFIO_DEVICE_GET_REGION_INFO, &info));
}

static int op_reset(struct probe *p)
{
	return neg_errno(ioctl(p->e->dev, VFIO_DEVICE_RESET));
}

static int op_hot_reset(struct probe *p)
{
	struct vfio_pci_hot_reset reset = { .argsz = sizeof(reset) };

	return neg_errno(ioctl(p->e->dev, VFIO_DEVICE_PCI_HOT_RESET, &reset));
}

static int op_ioeventfd_add(struct probe *p)
{
	struct vfio_device_ioeventfd ev = {
		.argsz = sizeof(ev), .flags = VFIO_DEVICE_IOEVENTFD_32,
		.offset = p->e->bar0 + EDU_LIVENESS, .data = 0,
	};
	int ret;

	ev.fd = eventfd(0, EFD_CLOEXEC);
	ret = neg_errno(ioctl(p->e->dev, VFIO_DEVICE_IOEVENTFD, &ev));
	close(ev.fd);
	return ret;
}

static int op_low_power(struct probe *p)
{
	struct vfio_device_feature f = {
		.argsz = sizeof(f),
		.flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
	};

	return neg_errno(ioctl(p->e->dev, VFIO_DEVICE_FEATURE, &f));
}

static sigjmp_buf fault_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

static int op_mapping_read(struct probe *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile uint32_t v;
	int ret = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(fault_jmp, 1))
		ret = GOT_SIGBUS;
	else
		v = p->map[0];
	sigaction(SIGBUS, &old, NULL);
	(void)v;
	return ret;
}

/* The ioeventfd cannot answer; stage 2 reads the register it writes. */
static int op_ioeventfd_kick(struct probe *p)
{
	uint64_t one = 1;

	return rw_result(write(p->kick_fd, &one, sizeof(one)), sizeof(one));
}

static const struct op ops[] = {
	{ "get_info", -EBUSY, op_get_info },
	{ "rom_region_info", -EBUSY, op_rom_region_info },
	{ "msi_enable", -EBUSY, op_msi_enable },
	{ "config_read", -EBUSY, op_config_read },
	{ "bus_master_on", -EBUSY, op_bus_master_on },
	{ "bar_read", -EBUSY, op_bar_read },
	{ "bar_write", -EBUSY, op_bar_write },
	{ "device_reset", -EBUSY, op_reset },
	{ "hot_reset", -EBUSY, op_hot_reset },
	{ "ioeventfd_add", -EBUSY, op_ioeventfd_add },
	{ "low_power_entry", -EBUSY, op_low_power },
	{ "mapping_read", GOT_SIGBUS, op_mapping_read },
	{ "ioeventfd_kick", 0, op_ioeventfd_kick },
};
#define NR_OPS (sizeof(ops) / sizeof(ops[0]))

static const char *result_name(int r)
{
	if (r == GOT_SIGBUS)
		return "SIGBUS";
	if (r == 0)
		return "ok";
	return strerrorname_np(-r) ? strerrorname_np(-r) : "?";
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/* A trace_pipe that yields liveupdate_reboot, and nothing else. */
static int open_reboot_pipe(void)
{
	if (mkdir(INSTANCE, 0755) && errno != EEXIST)
		return -1;
	if (write_file(INSTANCE "/events/liveupdate/liveupdate_reboot/enable", "1"))
		return -1;
	return open(INSTANCE "/trace_pipe", O_RDONLY | O_CLOEXEC);
}

/* Block until the reboot freeze has completed (liveupdate_reboot ret=0). */
static void wait_for_freeze(int pipe_fd)
{
	char buf[4096];
	size_t len = 0;
	ssize_t n;

	for (;;) {
		n = read(pipe_fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			_exit(3);
		len += n;
		buf[len] = '\0';
		if (strstr(buf, "liveupdate_reboot:") && strstr(buf, "ret=0"))
			return;
		if (len > sizeof(buf) / 2) {
			memmove(buf, buf + len - 256, 256);
			len = 256;
		}
	}
}

static void run_probe(struct probe *p, const char *out)
{
	int seen[NR_OPS][4], nseen[NR_OPS] = { 0 };
	size_t i, k;
	int round, r;
	FILE *f;

	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < NR_OPS; i++) {
			r = ops[i].run(p);
			for (k = 0; k < (size_t)nseen[i] && seen[i][k] != r; k++)
				;
			if (k == (size_t)nseen[i] && nseen[i] < 4)
				seen[i][nseen[i]++] = r;
		}
		usleep(10000);
	}
	f = fopen(out, "w");
	if (!f)
		_exit(4);
	for (i = 0; i < NR_OPS; i++) {
		fprintf(f, "op=%s want=%s got=", ops[i].name, result_name(ops[i].want));
		for (k = 0; k < (size_t)nseen[i]; k++)
			fprintf(f, "%s%s", k ? "," : "", result_name(seen[i][k]));
		fputc('\n', f);
	}
	fflush(f);
	fsync(fileno(f));
	fclose(f);
}

static int arm(struct probe *p)
{
	struct vfio_device_ioeventfd ev = {
		.argsz = sizeof(ev), .flags = VFIO_DEVICE_IOEVENTFD_32,
		.offset = p->e->bar0 + EDU_LIVENESS, .data = IOEVENTFD_DATA,
	};
	uint32_t v = 0;
	void *map;

	if (vfio_config_offset(p->e->dev, &p->cfg))
		return guest_fail("frozen probe: config region info");
	map = mmap(NULL, BAR0_MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, p->e->dev, p->e->bar0);
	if (map == MAP_FAILED)
		return guest_fail("frozen probe: mmap BAR0");
	p->map = map;
	if (p->map[0] == 0xffffffffu || p->map[0] == 0)
		return guest_fail("frozen probe: BAR0 mapping reads nothing");

	p->kick_fd = eventfd(0, EFD_CLOEXEC);
	ev.fd = p->kick_fd;
	if (p->kick_fd < 0 || ioctl(p->e->dev, VFIO_DEVICE_IOEVENTFD, &ev))
		return guest_fail("frozen probe: arm an ioeventfd on the liveness register");
	/* Show the ioeventfd works, then leave the register at ~0. */
	if (op_ioeventfd_kick(p))
		return guest_fail("frozen probe: kick the ioeventfd");
	usleep(100000);
	if (pread(p->e->dev, &v, 4, p->e->bar0 + EDU_LIVENESS) != 4 || v != ~IOEVENTFD_DATA) {
		fprintf(stderr, "frozen probe: the ioeventfd did not write (liveness 0x%x)\n", v);
		return 1;
	}
	v = 0;
	if (pwrite(p->e->dev, &v, 4, p->e->bar0 + EDU_LIVENESS) != 4)
		return guest_fail("frozen probe: reset the liveness register");
	return 0;
}

int frozen_probe_start(struct edu *bound, const char *out)
{
	struct probe p = { .e = bound };
	int ready[2], pipe_fd;
	char c = 0;
	pid_t pid;

	if (pipe(ready))
		return guest_fail("frozen probe: pipe");
	pid = fork();
	if (pid < 0)
		return guest_fail("frozen probe: fork");
	if (pid == 0) {
		close(ready[0]);
		pipe_fd = open_reboot_pipe();
		if (pipe_fd < 0 || arm(&p))
			_exit(2);
		if (write(ready[1], "R", 1) != 1)
			_exit(2);
		close(ready[1]);
		wait_for_freeze(pipe_fd);
		run_probe(&p, out);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1 || c != 'R') {
		close(ready[0]);
		fprintf(stderr, "frozen probe: the probe process did not arm\n");
		return 1;
	}
	close(ready[0]);
	return 0;
}
