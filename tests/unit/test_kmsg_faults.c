// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "record/kmsg_faults.h"

Test(kmsg_faults, dma_faults_with_and_without_pasid)
{
	struct lt_event e;

	cr_assert(kmsg_record_to_fault("3,812,5123456,-;DMAR: [DMA Read NO_PASID] Request device [0000:01:00.0] fault addr 0x100000 [fault reason 0x06] PTE Read access is not set\n", 2, &e));
	cr_assert_eq(e.id, LT_EV_DMAR_FAULT);
	cr_assert_eq(e.stage, 2);
	cr_assert_eq(e.boottime_ns, 5123456000ull);
	cr_assert_str_eq(e.dev, "0000:01:00.0");
	cr_assert_eq(e.iova, 0x100000);
	cr_assert_eq(e.arg, 6);
	cr_assert_str_eq(e.text, "read");

	cr_assert(kmsg_record_to_fault("3,813,6000000,-;DMAR: [DMA Write PASID 0x2] Request device [0001:02:00.0] fault addr 0xfffff000 [fault reason 0x05] PTE Write access is not set", 2, &e));
	cr_assert_str_eq(e.dev, "0001:02:00.0");
	cr_assert_eq(e.domain, 1);
	cr_assert_eq(e.iova, 0xfffff000ull);
	cr_assert_str_eq(e.text, "write");
}

Test(kmsg_faults, everything_else_is_not_a_fault)
{
	struct lt_event e;

	cr_assert_not(kmsg_record_to_fault("3,814,7000000,-;DMAR: [INTR-REMAP] Request device [0000:01:00.0] fault index 0x0 [fault reason 0x25] Blocked a compatibility format interrupt request", 2, &e));
	cr_assert_not(kmsg_record_to_fault("6,815,7000001,-;vfio-pci 0000:01:00.0: enabling device", 2, &e));
	cr_assert_not(kmsg_record_to_fault("DMAR: [DMA Read NO_PASID] no header", 2, &e));
	cr_assert_not(kmsg_record_to_fault("3,816,7000002,-;DMAR: [DMA Read NO_PASID] Request device [0000:01:00.0] no address", 2, &e));
	cr_assert_not(kmsg_record_to_fault("3,817,7000003,-;DMAR: [DMA Read NO_PASID] Request device [] fault addr 0x1 [fault reason 0x06] x", 2, &e));
}

static struct lt_event got[8];
static int ngot;

static int collect(void *ctx, const struct lt_event *e)
{
	(void)ctx;
	got[ngot++] = *e;
	return 0;
}

/* A printk time of 2^62 ns or later: usec x 1000 wrapped in 64 bits. */
Test(kmsg_faults, times_no_clock_reads_are_not_faults)
{
	struct lt_event e;

	cr_assert(kmsg_record_to_fault("3,1,4611686018427386,-;DMAR: [DMA Read NO_PASID] Request device [0000:01:00.0] fault addr 0x1 [fault reason 0x06] x", 2, &e));
	cr_assert_eq(e.boottime_ns, 4611686018427386000ull);
	cr_assert_not(kmsg_record_to_fault("3,1,4611686018427388,-;DMAR: [DMA Read NO_PASID] Request device [0000:01:00.0] fault addr 0x1 [fault reason 0x06] x", 2, &e));
	cr_assert_not(kmsg_record_to_fault("3,1,99999999999999999,-;DMAR: [DMA Read NO_PASID] Request device [0000:01:00.0] fault addr 0x1 [fault reason 0x06] x", 2, &e));
}

Test(kmsg_faults, reads_records_until_none_is_left)
{
	struct kmsg_source k = { 0 };
	int p[2];

	/* A non-blocking pipe stands in for /dev/kmsg: one write, one record. */
	cr_assert_eq(pipe2(p, O_NONBLOCK), 0);
	k.fd = p[0];
	dprintf(p[1], "6,1,100,-;hello");
	ngot = 0;
	cr_assert_eq(kmsg_read_faults(&k, 1, collect, NULL), 0);
	dprintf(p[1], "3,2,200,-;DMAR: [DMA Read NO_PASID] Request device [0000:01:00.0] fault addr 0x10 [fault reason 0x06] x");
	cr_assert_eq(kmsg_read_faults(&k, 1, collect, NULL), 0);
	cr_assert_eq(ngot, 1);
	cr_assert_eq(got[0].boottime_ns, 200000);
	close(p[0]);
	close(p[1]);
}

/*
 * Records overwritten before lutrace read them are counted from the gaps
 * in their numbers (after EPIPE, /dev/kmsg goes on at the oldest one
 * left), as kmsg_overrun; records before the first one read are not.
 */
Test(kmsg_faults, records_overwritten_unread_are_counted_by_their_numbers)
{
	struct kmsg_source k = { 0 };
	struct lt_losses sum = { 0 };
	struct record_source src;
	int p[2];

	cr_assert_eq(pipe2(p, O_NONBLOCK | O_DIRECT), 0);	/* a write is a record */
	k.fd = p[0];
	dprintf(p[1], "6,40,100,-;first one read");
	dprintf(p[1], "6,41,101,-;next");
	dprintf(p[1], "6,45,102,-;three were overwritten");
	dprintf(p[1], "6,46,103,-;next");
	ngot = 0;
	cr_assert_eq(kmsg_read_faults(&k, 1, collect, NULL), 0);
	cr_assert_eq(k.overrun, 3);
	cr_assert_eq(k.first_seq, 40);
	src = kmsg_record_source(&k);
	src.lost(src.self, &sum);
	cr_assert_eq(sum.by_cause[LT_LOSS_KMSG_OVERRUN], 3);
	cr_assert_eq(lt_losses_total(&sum), 3, "under no other cause");
	cr_assert_str_eq(src.what, "/dev/kmsg", "a failing read says what failed");
	/* After a kexec the boot's first 40 records were lost too. */
	k = (struct kmsg_source){ .fd = p[0], .count_before_open = true };
	dprintf(p[1], "6,40,100,-;first one read");
	dprintf(p[1], "6,41,101,-;next");
	cr_assert_eq(kmsg_read_faults(&k, 2, collect, NULL), 0);
	cr_assert_eq(k.overrun, 40);
	close(p[0]);
	close(p[1]);
}
