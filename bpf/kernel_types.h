/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel types lutrace.bpf.c reads, declared for CO-RE in place of a
 * vmlinux.h dumped from some kernel's BTF.
 *
 * A struct here names only the fields the programs read; libbpf relocates
 * each access against the BTF of the kernel the programs are loaded into, so
 * offsets and sizes here do not matter (preserve_access_index). The one
 * exception is struct pt_regs: kprobe programs read it as their context
 * without relocation, so it has the x86-64 kernel's layout, which is ABI.
 *
 * Keeping the build independent of a kernel's BTF means the same object is
 * built on a fresh machine, in a chroot or a package build, before or after
 * the guest kernel exists.
 */
#ifndef LUTRACE_KERNEL_TYPES_H
#define LUTRACE_KERNEL_TYPES_H

/* bpf_tracing.h picks the kernel's pt_regs field names when this is set. */
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef short unsigned int __u16;
typedef unsigned int __u32;
typedef long long unsigned int __u64;
typedef signed char __s8;
typedef short int __s16;
typedef int __s32;
typedef long long int __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
typedef __u32 __wsum;

typedef _Bool bool;
enum {
	false = 0,
	true = 1,
};

typedef long unsigned int size_t;
typedef __u64 phys_addr_t;

/* The map type constants libbpf's map definitions use (uapi values). */
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
};

/* bpf_map_update_elem() flags (uapi values). */
enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

/* Only ever a pointer: its address is what identifies the domain. */
struct iommu_domain;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct kobject {
	const char *name;
};

struct device {
	struct kobject kobj;
};

struct pci_bus {
	unsigned char number;
};

struct pci_dev {
	struct pci_bus *bus;
	unsigned int devfn;
	struct device dev;
};

/*
 * Tracepoint records, as the perf flavour of the programs (SEC "tp/") gets
 * them: named as the kernel's BTF names them (trace_event_raw_ and the
 * event, or the class of DECLARE_EVENT_CLASS), only the fields read. A
 * __data_loc_ field holds a string's offset in the record in its low 16
 * bits. The common header (struct trace_entry) is never read.
 */
struct trace_event_raw_liveupdate_session_class {
	__u32 __data_loc_session;
	bool incoming;
	int ret;
};

struct trace_event_raw_liveupdate_file_class {
	__u32 __data_loc_session;
	__u32 __data_loc_compatible;
	__u64 token;
	int ret;
};

struct trace_event_raw_liveupdate_reboot {
	unsigned int nr_sessions;
	unsigned int nr_files;
	int ret;
};

struct trace_event_raw_liveupdate_incoming {
	__u64 liveupdate_num;
	unsigned int nr_sessions;
	int ret;
};

struct trace_event_raw_pci_liveupdate_dev_class {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	int ret;
};

struct trace_event_raw_pci_liveupdate_inherit_buses {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	__u8 primary;
	__u8 secondary;
	__u8 subordinate;
};

struct trace_event_raw_vfio_pci_liveupdate_class {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	__u64 token;
	int ret;
	__u32 flags;	/* not before the series' flags patch */
};

struct trace_event_raw_vfio_pci_reset_skipped {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	int reason;
};

struct trace_event_raw_vfio_pci_open_blocked {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	int path;
};

struct trace_event_raw_vfio_pci_reset {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	int site;
	int ret;
};

struct trace_event_raw_pci_dev_op_class {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	int op;
};

struct trace_event_raw_pci_power_class {
	__u32 __data_loc_dev;
	__u8 bus;
	__u8 devfn;
	int from;
	int to;
};

struct trace_event_raw_iommu_error {
	__u32 __data_loc_device;
	__u64 iova;
	int flags;
};

struct trace_event_raw_map {
	__u64 iova;
	__u64 paddr;
	__u64 size;
};

struct trace_event_raw_unmap {
	__u64 iova;
	__u64 size;
};

#pragma clang attribute pop

/* The x86-64 kernel's register frame, in its layout (not relocated). */
struct pt_regs {
	long unsigned int r15;
	long unsigned int r14;
	long unsigned int r13;
	long unsigned int r12;
	long unsigned int bp;
	long unsigned int bx;
	long unsigned int r11;
	long unsigned int r10;
	long unsigned int r9;
	long unsigned int r8;
	long unsigned int ax;
	long unsigned int cx;
	long unsigned int dx;
	long unsigned int si;
	long unsigned int di;
	long unsigned int orig_ax;
	long unsigned int ip;
	long unsigned int cs;
	long unsigned int flags;
	long unsigned int sp;
	long unsigned int ss;
};

#endif /* LUTRACE_KERNEL_TYPES_H */
