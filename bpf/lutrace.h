/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event layout shared by lutrace.bpf.c and user space.
 *
 * The numeric event ids and enum values are stored in flight logs, so they
 * are ABI: append new ids, never renumber. The enum argument values mirror
 * kernel/interface.md (they are the kernel's __print_symbolic values).
 */
#ifndef LUTRACE_H
#define LUTRACE_H

#define LUTRACE_DEV_LEN		32	/* pci_name() / dev_name() */
#define LUTRACE_SESSION_LEN	64	/* LIVEUPDATE_SESSION_NAME_LENGTH */
#define LUTRACE_COMPAT_LEN	48	/* LUO handler compatible string */

enum lutrace_event_id {
	LT_EV_NONE = 0,

	/* liveupdate: session class (arg = incoming) */
	LT_EV_LU_SESSION_CREATE = 1,
	LT_EV_LU_SESSION_RETRIEVE = 2,
	LT_EV_LU_SESSION_FINISH = 3,
	LT_EV_LU_SESSION_RELEASE = 4,
	/* liveupdate: file class (session, compatible, token) */
	LT_EV_LU_FILE_PRESERVE = 5,
	LT_EV_LU_FILE_UNPRESERVE = 6,
	LT_EV_LU_FILE_FREEZE = 7,
	LT_EV_LU_FILE_UNFREEZE = 8,
	LT_EV_LU_FILE_RETRIEVE = 9,
	LT_EV_LU_FILE_FINISH = 10,
	LT_EV_LU_REBOOT = 11,		/* nr_sessions, nr_files */
	LT_EV_LU_INCOMING = 12,		/* token = liveupdate_num, nr_sessions */

	/* pci live update: device class */
	LT_EV_PCI_LU_PRESERVE = 20,
	LT_EV_PCI_LU_UNPRESERVE = 21,
	LT_EV_PCI_LU_INCOMING = 22,
	LT_EV_PCI_LU_FINISH = 23,
	LT_EV_PCI_LU_INHERIT_BUSES = 24,	/* bus_primary/secondary/subordinate */

	/* vfio_pci: live update class (token, arg = enum lutrace_lu_flags) */
	LT_EV_VFIO_LU_PRESERVE = 30,
	LT_EV_VFIO_LU_UNPRESERVE = 31,
	LT_EV_VFIO_LU_FREEZE = 32,
	LT_EV_VFIO_LU_UNFREEZE = 33,
	LT_EV_VFIO_LU_RETRIEVE = 34,
	LT_EV_VFIO_LU_FINISH = 35,
	LT_EV_VFIO_RESET_SKIPPED = 36,		/* arg = enum lutrace_skip_reason */
	LT_EV_VFIO_OPEN_BLOCKED = 37,		/* arg = enum lutrace_open_path */
	LT_EV_VFIO_RESET = 38,			/* arg = enum lutrace_reset_site */

	/* existing kernel events */
	LT_EV_IOMMU_FAULT = 50,		/* dev, iova, arg = fault flags */
	LT_EV_IOMMU_MAP = 51,		/* iova, phys, size, iommu_domain */
	LT_EV_IOMMU_UNMAP = 52,		/* iova, size, iommu_domain */
	LT_EV_PCI_RESET = 53,		/* dev, arg = enum lutrace_pci_reset_kind */
	LT_EV_PCI_SET_MASTER = 54,
	LT_EV_PCI_CLEAR_MASTER = 55,
	LT_EV_KEXEC = 56,
	LT_EV_DMAR_FAULT = 57,		/* dev, iova, arg = reason; from kmsg */
	LT_EV_PCI_POWER_STATE = 58,	/* dev, arg = LT_POWER_ARG(from, to) */
	/*
	 * A write of the device's Command register (it holds Bus Master
	 * Enable) by the kernel or, through vfio-pci, by its user: dev,
	 * iova = offset, size = width, arg = value, ret = 1 for a user write.
	 */
	LT_EV_PCI_CONFIG_WRITE = 59,

	/* user space: the test's own milestones, from trace_marker */
	LT_EV_MARKER = 70,		/* text */
	LT_EV_OPEN_ATTEMPT = 71,	/* dev, arg = enum lutrace_open_path */

	/*
	 * lutrace itself: a recorder run's programs are attached (its time);
	 * arg = enum lutrace_boot_traced, what its import has from boot on.
	 */
	LT_EV_RECORDER_ATTACHED = 72,

	/*
	 * The VMM's word, from trace_marker: DMA of a device was in flight at
	 * the jump ("dma_in_flight dev=D ..."), and what the next stage found
	 * where it was aimed before it started any DMA itself ("dma_landed
	 * dev=D" arg 1, "dma_not_landed dev=D" arg 0).
	 */
	LT_EV_DMA_IN_FLIGHT = 73,
	LT_EV_DMA_CHECK = 74,

	LT_EV_MAX
};

/*
 * Evidence a recorder has from the stage's boot on, not only from its
 * attach: the tracepoints were enabled by the kernel command line
 * (trace_event=) and were still enabled when it imported them.
 */
enum lutrace_boot_traced {
	LT_BOOT_VFIO_RESETS = 1 << 0,	/* vfio_pci:vfio_pci_reset */
	LT_BOOT_PCI_RESETS = 1 << 1,	/* pci:pci_reset */
	LT_BOOT_BUS_MASTER = 1 << 2,	/* pci:pci_bus_master */
	LT_BOOT_IOMMU_FAULTS = 1 << 3,	/* iommu:io_page_fault */
	LT_BOOT_POWER_STATE = 1 << 4,	/* pci:pci_power_state */
	LT_BOOT_ALL = (1 << 5) - 1,
};

/*
 * arg of the vfio_pci_liveupdate_* events: the flags of the device's
 * preserved state (the kernel's VFIO_PCI_LUO_F_*), with LT_LU_FLAGS_KNOWN
 * when the kernel reported them; 0 (logs and kernels from before the
 * flags) says nothing of the device's mode.
 */
enum lutrace_lu_flags {
	LT_LU_RESET_DONE = 1 << 0,
	LT_LU_NOIOMMU = 1 << 1,
	LT_LU_KEEP_RUNNING = 1 << 2,
	LT_LU_FLAGS_KNOWN = 1 << 30,
};

/* arg of pci_power_state: the pci_power_t states, 0 D0 .. 3 D3hot, 4 D3cold */
#define LT_POWER_ARG(from, to)	((((from) & 0xff) << 8) | ((to) & 0xff))
#define LT_POWER_FROM(arg)	(((arg) >> 8) & 0xff)
#define LT_POWER_TO(arg)	((arg) & 0xff)

enum lutrace_skip_reason {
	LT_SKIP_LIVEUPDATE = 0,
	LT_SKIP_FREEZE_NO_RESET = 1,
	LT_SKIP_KEEP_RUNNING = 2,
};

enum lutrace_open_path {
	LT_OPEN_CDEV = 0,
	LT_OPEN_GROUP = 1,
};

enum lutrace_reset_site {
	LT_RESET_SITE_ENABLE = 0,
	LT_RESET_SITE_DISABLE = 1,
	LT_RESET_SITE_IOCTL = 2,
	LT_RESET_SITE_HOT_RESET = 3,
	LT_RESET_SITE_FREEZE = 4,
	LT_RESET_SITE_CONFIG_FLR = 5,
	LT_RESET_SITE_POWER_D0 = 6,
};

enum lutrace_pci_reset_kind {
	LT_PCI_RESET_FLR = 0,		/* pcie_flr */
	LT_PCI_RESET_PM = 1,		/* pci_pm_reset */
	LT_PCI_RESET_BUS = 2,		/* pci_reset_bus */
	LT_PCI_RESET_FUNCTION = 3,	/* __pci_reset_function_locked */
	LT_PCI_RESET_SECONDARY_BUS = 4,	/* each device below a bridge whose bus is reset */
	LT_PCI_RESET_LINK_DOWN = 5,	/* each device below a port DPC took the link of */
};

/* One ring buffer record. Strings are NUL-terminated, never pointers. */
struct lutrace_event {
	unsigned long long boottime_ns;
	unsigned long long token;
	unsigned long long iova;
	unsigned long long phys;
	unsigned long long size;
	unsigned int id;
	unsigned int domain;		/* PCI domain (left to user space) */
	/*
	 * Which iommu_domain a map/unmap changed: a number this run gave the
	 * domain when it first saw it (1, 2, ...), 0 when unknown. A number,
	 * not the pointer, so a freed domain's address reused by a new one is
	 * a new number.
	 */
	unsigned int iommu_domain;
	int ret;
	int arg;
	unsigned int nr_sessions;
	unsigned int nr_files;
	unsigned int pid;
	unsigned char bus;
	unsigned char devfn;
	unsigned char bus_primary;
	unsigned char bus_secondary;
	unsigned char bus_subordinate;
	unsigned char pad[3];
	char dev[LUTRACE_DEV_LEN];
	char session[LUTRACE_SESSION_LEN];
	char compatible[LUTRACE_COMPAT_LEN];
};

#endif /* LUTRACE_H */
