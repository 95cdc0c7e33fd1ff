/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_LOG_FORMAT_H
#define LUTRACE_LOG_FORMAT_H

/*
 * The lutrace flight log: a file header followed by self-delimiting records.
 *
 * File header (24 bytes, little endian):
 *   0  magic "LUTRACE\0"     8  u16 version   10 u16 header length
 *   12 u32 flags             16 u32 reserved  20 u32 CRC32C of bytes 0..19
 * Record (16-byte header + payload):
 *   0  u32 magic "LREC"      4  u16 type      6  u16 reserved
 *   8  u32 payload length    12 u32 CRC32C of bytes 0..11 and the payload
 *
 * Records are appended with one write() each and never rewritten, so the
 * only damage a crash or a kexec in mid-write can do is a torn last record.
 * The per-record magic + CRC lets a reader step over a damaged record and
 * find the next good one (a stage-2 writer appends after a torn stage-1 tail
 * rather than truncating it, so the tear stays visible as evidence).
 *
 * A payload may grow at its end within one version: a reader takes the
 * fields it knows that are there and leaves the rest, so new fields are
 * appended and default to zero in older logs.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../bpf/lutrace.h"

#define LT_LOG_MAGIC		"LUTRACE"	/* 8 bytes with the NUL */
#define LT_LOG_VERSION		1
#define LT_LOG_HEADER_LEN	24
#define LT_REC_MAGIC		0x4345524cu	/* "LREC" */
#define LT_REC_HEADER_LEN	16
#define LT_REC_MAX_PAYLOAD	4096

/* File header flags: where the log lived while it was written. */
#define LT_LOG_FLAG_LUO_MEMFD	(1u << 0)
#define LT_LOG_FLAG_STATE_DIR	(1u << 1)

/*
 * Times in the log are nanoseconds of CLOCK_BOOTTIME and CLOCK_REALTIME,
 * below 2^62 (146 years: an uptime no machine has, a wall clock past
 * 2116). A record with a later time was not written from a clock; the
 * reader does not decode it (LT_DIAG_BAD_PAYLOAD). The analysis relies on
 * the bound to add and subtract times in int64_t (analyze/clock_map.h).
 */
#define LT_TIME_LIMIT_NS	(1ull << 62)

#define LT_RELEASE_LEN		65	/* utsname.release with the NUL */
#define LT_CLOCKSOURCE_LEN	32	/* current_clocksource with the NUL */
#define LT_TEXT_LEN		256

enum lt_record_type {
	LT_REC_CLOCK_ANCHOR = 1,
	LT_REC_EVENT = 2,
	LT_REC_DROPS = 3,
};

/* One simultaneous reading of a stage's clocks; see clock_map.h. */
struct lt_clock_anchor {
	uint32_t stage;
	uint64_t realtime_ns;
	uint64_t boottime_ns;
	uint64_t tsc;
	uint64_t tsc_hz;
	uint32_t tsc_hz_err_ppb;	/* calibration uncertainty of tsc_hz */
	uint32_t read_jitter_ns;	/* spread of the paired clock reads */
	uint8_t boot_id[16];
	char kernel_release[LT_RELEASE_LEN];
	/* Appended after kernel_release (older logs: 0 and ""). */
	uint32_t tsc_flags;		/* LT_TSC_*: what the CPU promises */
	char clocksource[LT_CLOCKSOURCE_LEN];	/* what BOOTTIME runs on */
};

/* Anchor tsc_flags, from /proc/cpuinfo. */
#define LT_TSC_FLAGS_READ	(1u << 0)	/* the flags below are known */
#define LT_TSC_CONSTANT		(1u << 1)	/* constant_tsc: one rate whatever the core clock */
#define LT_TSC_NONSTOP		(1u << 2)	/* nonstop_tsc: runs in deep C-states */
#define LT_TSC_INVARIANT	(LT_TSC_CONSTANT | LT_TSC_NONSTOP)

struct lt_event {
	uint32_t stage;
	uint16_t id;			/* enum lutrace_event_id */
	uint64_t boottime_ns;
	uint64_t tsc;			/* 0 when the source cannot read it */
	uint32_t domain;
	uint8_t bus;
	uint8_t devfn;
	uint8_t bus_primary;
	uint8_t bus_secondary;
	uint8_t bus_subordinate;
	int32_t ret;
	int32_t arg;
	uint64_t token;
	uint64_t iova;
	uint64_t phys;
	uint64_t size;
	uint32_t nr_sessions;
	uint32_t nr_files;
	uint32_t pid;
	char dev[LUTRACE_DEV_LEN];
	char session[LUTRACE_SESSION_LEN];
	char compatible[LUTRACE_COMPAT_LEN];
	char text[LT_TEXT_LEN];
	/*
	 * Appended to the payload after text (logs before it decode as 0):
	 * the iommu_domain of a map/unmap, numbered by the recording stage.
	 */
	uint32_t iommu_domain;
};

/*
 * Why events were lost, each counted on its own. The numbers are ABI (the
 * order of the counts in a drop record): append, never renumber.
 */
enum lt_loss_cause {
	LT_LOSS_RING_BUFFER,		/* BPF ring buffer full: reservations failed */
	LT_LOSS_LOG_FULL,		/* received, but the log had no room */
	LT_LOSS_MARKER_LOST,		/* trace_marker lines the instance dropped */
	LT_LOSS_KMSG_OVERRUN,		/* /dev/kmsg records overwritten unread */
	LT_LOSS_TRACEFS_OVERRUN,	/* boot-time tracefs entries overwritten */
	LT_LOSS_SHORT_SAMPLE,		/* ring-buffer samples too short for an event */
	LT_LOSS_PROG_RECURSION,		/* BPF runs the kernel skipped: recursion guard */
	LT_LOSS_NR_CAUSES,
};

struct lt_losses {
	uint64_t by_cause[LT_LOSS_NR_CAUSES];
};

/*
 * Drop record payload, revision 2 (revision 1 is its first 28 bytes):
 *   0  u32 stage             4  u64 boottime_ns
 *   12 u64 ring_buffer       20 u64 log_full            (revision 1 ends here)
 *   28 u16 revision          30 u16 n: counts that follow the run id
 *   32 u64 run_id            40 n x u64: marker_lost, kmsg_overrun, ...
 * in enum lt_loss_cause order. A reader takes the causes it knows and
 * skips the rest, so causes are added without a new revision.
 */
#define LT_DROPS_REVISION	2

/*
 * Events lost by one recorder run, cumulative for the run. A stage is one
 * boot; a recorder restarted in the same boot is a new run whose counters
 * start from zero again, so the stage's losses are the sum over its runs.
 */
struct lt_drops {
	uint32_t stage;
	uint64_t boottime_ns;
	uint16_t revision;	/* as read: 1 for a record without the fields below */
	uint64_t run_id;	/* unique within the boot; 0: not known (revision 1) */
	struct lt_losses lost;
};

struct lt_record {
	enum lt_record_type type;
	uint64_t offset;		/* of the record header in the file */
	uint32_t length;		/* header and payload */
	union {
		struct lt_clock_anchor anchor;
		struct lt_event event;
		struct lt_drops drops;
	};
};

enum lt_diag_kind {
	LT_DIAG_TORN,		/* the file ends inside a record */
	LT_DIAG_CORRUPT,	/* bad magic, length or checksum */
	LT_DIAG_UNKNOWN_TYPE,	/* intact record of a type this reader lacks */
	LT_DIAG_BAD_PAYLOAD,	/* intact record whose payload does not decode */
};

struct lt_log_diag {
	enum lt_diag_kind kind;
	uint64_t offset;
	uint64_t skipped;	/* bytes not read as records from offset on */
	char message[160];
};

/* Where a source hands the events it read: 0, or an error that stops it. */
typedef int (*lt_event_fn)(void *ctx, const struct lt_event *e);

struct lt_log_visitor {
	/* A non-zero return stops the parse and is returned by it. */
	int (*record)(void *ctx, const struct lt_record *rec);
	void (*diag)(void *ctx, const struct lt_log_diag *diag);
};

const char *lt_diag_kind_name(enum lt_diag_kind kind);
/* "ring_buffer", "log_full", ...: the cause label of the metrics and JSON. */
const char *lt_loss_cause_name(enum lt_loss_cause cause);
uint64_t lt_losses_total(const struct lt_losses *l);
void lt_losses_add(struct lt_losses *sum, const struct lt_losses *l);

/*
 * Returns 0 once the header is valid (damaged records go to ->diag), -1 with
 * err set when the buffer is not a log this reader understands.
 */
int lt_log_parse(const void *buf, size_t len, const struct lt_log_visitor *v,
		 void *ctx, char *err, size_t errlen);

/*
 * A log written into pre-sized space (a LUO memfd cannot grow once
 * preserved) is followed by zeros. Returns the length without them: the end
 * of the last intact record, or of the last non-zero byte after it (a torn
 * record stays visible). Records may end in zero bytes, hence not a trim.
 */
size_t lt_log_used_length(const void *buf, size_t len);

/* Encodes a whole record; returns its length, or 0 if cap is too small. */
size_t lt_log_encode_record(const struct lt_record *rec, uint8_t *buf,
			    size_t cap);
void lt_log_encode_header(uint8_t out[LT_LOG_HEADER_LEN], uint32_t flags);

/* 0 when buf starts with a header this reader understands, else -1 and why. */
int lt_log_check_header(const void *buf, size_t len, char *err, size_t errlen);

#endif
