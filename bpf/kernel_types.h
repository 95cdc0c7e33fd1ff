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
