/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_KMSG_FAULTS_H
#define LUTRACE_KMSG_FAULTS_H

/*
 * Intel VT-d DMA remapping faults. They do not reach iommu:io_page_fault, and
 * the faulting device is known only from the fault record in the IOMMU's
 * registers, which the handler (dmar_fault, with dmar_fault_do_one inlined)
 * reads and clears; BPF cannot attribute them. The kernel prints each one,
 * device included:
 *   DMAR: [DMA Read NO_PASID] Request device [0000:01:00.0] fault addr
 *   0x100000 [fault reason 0x06] PTE Read access is not set
 * so lutrace reads them from /dev/kmsg, from boot on: a fault in stage 2
 * before lutrace started is the one that matters most. The kmsg clock is the
 * printk clock, close to BOOTTIME on a machine that has not suspended; the
 * handler rate-limits, so a storm shows only its first faults.
 */

#include <stdbool.h>
#include <stdint.h>

#include "log/log_format.h"
#include "record/record_source.h"

/* One /dev/kmsg record ("prio,seq,usec,flags;text") as a fault event. */
bool kmsg_record_to_fault(const char *record, uint32_t stage, struct lt_event *out);

/*
 * /dev/kmsg as it is read. Records are numbered; a reader that falls
 * behind gets EPIPE and then the oldest record left, so a gap in the
 * numbers is how many records were overwritten before lutrace read them
 * (the kmsg_overrun cause: faults may be among them).
 */
struct kmsg_source {
	int fd;
	/*
	 * Records lost before the first one read count too: in a stage after
	 * a kexec the trace covers the boot from its start (the first record
	 * is number 0), and the faults of early boot matter most there.
	 */
	bool count_before_open;
	bool have_seq;
	uint64_t next_seq;	/* the record number expected next */
	bool overrun_seen;	/* EPIPE, the gap not measured yet */
	uint64_t overrun;	/* records overwritten unread */
	uint64_t first_seq;	/* the first record read: those before it were
				   overwritten before lutrace opened kmsg */
};

/* Opens /dev/kmsg (or path) at its oldest record; -errno on failure. */
int kmsg_open(const char *path);
/* Feeds fn the faults among the records available now; never blocks. */
int kmsg_read_faults(struct kmsg_source *k, uint32_t stage, lt_event_fn fn,
		     void *ctx);
/* k, open, as a record loop source: its losses are k->overrun. */
struct record_source kmsg_record_source(struct kmsg_source *k);

#endif
