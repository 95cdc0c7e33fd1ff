// SPDX-License-Identifier: GPL-2.0
#include "record/kmsg_faults.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool kmsg_record_to_fault(const char *record, uint32_t stage, struct lt_event *out)
{
	unsigned long long usec, addr;
	unsigned int reason;
	const char *text = strchr(record, ';');
	const char *dev, *why;
	char kind[16];
	size_t n;

	/* "prio,seq,usec,flags;": the third field is the timestamp */
	if (!text || sscanf(record, "%*u,%*u,%llu", &usec) != 1 ||
	    usec >= LT_TIME_LIMIT_NS / 1000)
		return false;	/* a time no clock reads: see log_format.h */
	text++;
	if (strncmp(text, "DMAR: [DMA ", 11))
		return false;	/* interrupt-remapping faults are not DMA */
	dev = strstr(text, "Request device [");
	if (!dev || sscanf(text + 11, "%15[A-Za-z]", kind) != 1)
		return false;
	dev += strlen("Request device [");
	n = strcspn(dev, "]");
	why = strstr(dev, "fault addr ");
	if (n == 0 || n >= sizeof(out->dev) || !why ||
	    sscanf(why, "fault addr 0x%llx [fault reason 0x%x]", &addr, &reason) != 2)
		return false;
	memset(out, 0, sizeof(*out));
	out->stage = stage;
	out->id = LT_EV_DMAR_FAULT;
	out->boottime_ns = usec * 1000;
	memcpy(out->dev, dev, n);
	sscanf(out->dev, "%x:", &out->domain);
	out->iova = addr;
	out->arg = (int32_t)reason;
	snprintf(out->text, sizeof(out->text), "%s", strcmp(kind, "Read") ? "write" : "read");
	return true;
}

int kmsg_open(const char *path)
{
	int fd = open(path ? path : "/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Counts the records missing between the last one read and this one. */
static void note_seq(struct kmsg_source *k, const char *record)
{
	unsigned long long seq;

	if (sscanf(record, "%*u,%llu,", &seq) != 1) {
		/* Unnumbered: an overrun is at least one record. */
		k->overrun += k->overrun_seen;
		k->overrun_seen = false;
		return;
	}
	if (!k->have_seq) {
		k->first_seq = seq;
		if (k->count_before_open)
			k->overrun += seq;
	} else if (seq > k->next_seq)
		k->overrun += seq - k->next_seq;
	else if (k->overrun_seen)
		k->overrun++;
	k->have_seq = true;
	k->overrun_seen = false;
	k->next_seq = seq + 1;
}

int kmsg_read_faults(struct kmsg_source *k, uint32_t stage, lt_event_fn fn,
		     void *ctx)
{
	char record[2048];
	struct lt_event e;

	for (;;) {
		/* One read() is one record; /dev/kmsg keeps them whole. */
		ssize_t n = read(k->fd, record, sizeof(record) - 1);
		int ret;

		if (n < 0 && errno == EPIPE) {
			k->overrun_seen = true;	/* overwritten before we got to it */
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 && errno != EAGAIN ? -errno : 0;
		record[n] = '\0';
		note_seq(k, record);
		if (!kmsg_record_to_fault(record, stage, &e))
			continue;
		ret = fn(ctx, &e);
		if (ret)
			return ret;
	}
}

static int read_kmsg(void *self, int wait_ms, uint32_t stage, lt_event_fn fn,
		     void *ctx)
{
	(void)wait_ms;
	return kmsg_read_faults(self, stage, fn, ctx);
}

static void kmsg_lost(void *self, struct lt_losses *sum)
{
	const struct kmsg_source *k = self;

	sum->by_cause[LT_LOSS_KMSG_OVERRUN] += k->overrun;
}

struct record_source kmsg_record_source(struct kmsg_source *k)
{
	return (struct record_source){ read_kmsg, kmsg_lost, k, "/dev/kmsg" };
}
