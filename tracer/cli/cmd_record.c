// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/event_json.h"
#include "log/event_names.h"
#include "output/json_writer.h"
#include "record/bpf_event.h"
#include "record/bpf_loader.h"
#include "record/boot_traced.h"
#include "record/clock_anchor.h"
#include "record/kmsg_faults.h"
#include "record/log_transport.h"
#include "record/log_writer.h"
#include "record/marker_source.h"
#include "record/record_loop.h"
#include "record/self_memory.h"
#include "record/start_priority.h"
#include "record/startup_overlap.h"
#include "record/stopwatch.h"
#include "record/tracefs_dir.h"
#include "record/tracefs_import.h"
#include "record/whole_file.h"

#define CALIBRATION_MS 50
#define RINGBUF_DEFAULT_KIB 1024	/* the events map in lutrace.bpf.c */
#define RINGBUF_MAX_KIB (1ul << 20)	/* 1 GiB */
#define OPT_IDLE_START 0x100		/* long option only */

struct record_args {
	struct cli_common *common;
	const char *state_dir;
	const char *output;
	unsigned long duration_s;
	bool no_iommu_maps;
	bool no_import;
	bool idle_start;
	enum log_transport_mode transport;
	unsigned long luo_mib;
	unsigned long ringbuf_kib;
};

static const char record_doc[] =
	"Record Live Update events of this boot into a flight log.\n"
	"\n"
	"Run it in stage 1 before preserving devices and leave it running through\n"
	"the kexec; start it again first thing in stage 2 on the same log, which it\n"
	"then continues as the next stage. Stops on SIGINT (or after --duration),\n"
	"writing a last clock anchor and drop count; SIGTERM stops it too when the\n"
	"log is a plain file, but in a LUO session it only flushes the log and\n"
	"recording goes on, so a shutdown that signals every process before the\n"
	"kexec does not lose the log.\n"
	"\n"
	"Where LUO is available the log is kept in a memfd preserved in LUO session\n"
	"'lutrace', so it crosses the kexec with no disk; the log file is a copy,\n"
	"at most a second behind. In stage 2, record takes that memfd over first.\n"
	"\n"
	"Nothing needs to wait for record: a VMM may retrieve its devices before it\n"
	"has attached (the import reads what the series' events logged before), and\n"
	"--idle-start keeps its start-up off the CPU the VMM wants."
	"\v"
	"EXAMPLES:\n"
	"  lutrace record --idle-start --state-dir /run/lutrace &   stage 1, then kexec\n"
	"  lutrace record --idle-start --state-dir /run/lutrace &   stage 2, same directory\n"
	"  lutrace record -v -o /tmp/flight.log --duration 10\n"
	"\n"
	"The log grows by 120 to 200 bytes per event and 100 bytes a second. A full\n"
	"log (--luo-size) or ring buffer (--ringbuf-size) never stops recording:\n"
	"what did not fit is counted, said once on stderr, and the log ends with\n"
	"the true totals.";

static const struct argp_option record_options[] = {
	{ "state-dir", 'd', "DIR", 0, "keep the log as DIR/flight.log (default /run/lutrace)", 0 },
	{ "output", 'o', "FILE", 0, "the log file itself, instead of --state-dir", 0 },
	{ "duration", 't', "SEC", 0, "stop after SEC seconds", 0 },
	{ "no-iommu-maps", 'M', NULL, 0, "do not trace IOMMU map/unmap (busy systems)", 0 },
	{ "transport", 'T', "auto|luo|file", 0,
	  "keep the log in a LUO memfd, or only in the file (default auto: LUO if /dev/liveupdate exists)", 0 },
	{ "luo-size", 'S', "MIB", 0, "size of the LUO memfd; it cannot grow (default 16)", 0 },
	{ "ringbuf-size", 'R', "KIB", 0,
	  "size of the BPF ring buffer, a power of two of at least a page (default 1024)", 0 },
	{ "no-import", 'I', NULL, 0,
	  "do not import the series' events of this boot from tracefs (boot-time trace_event=)", 0 },
	{ "idle-start", OPT_IDLE_START, NULL, 0,
	  "start up (log take-over, loading, attaching, import) at SCHED_IDLE, so that a VMM starting at the same time comes first; record at the priority lutrace was started with", 0 },
	{ 0 },
};

/* What the kernel takes for a ring buffer: a power of two of whole pages. */
static bool ringbuf_size_ok(unsigned long kib)
{
	unsigned long page = (unsigned long)sysconf(_SC_PAGESIZE);

	return kib && kib <= RINGBUF_MAX_KIB && !(kib & (kib - 1)) &&
	       !(kib * 1024 % page);
}

static error_t parse_record(int key, char *arg, struct argp_state *state)
{
	struct record_args *a = state->input;
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = a->common;
		return 0;
	case 'd': a->state_dir = arg; return 0;
	case 'o': a->output = arg; return 0;
	case 'M': a->no_iommu_maps = true; return 0;
	case 'I': a->no_import = true; return 0;
	case OPT_IDLE_START: a->idle_start = true; return 0;
	case 'T':
		if (!strcmp(arg, "auto"))
			a->transport = TRANSPORT_AUTO;
		else if (!strcmp(arg, "luo"))
			a->transport = TRANSPORT_LUO;
		else if (!strcmp(arg, "file"))
			a->transport = TRANSPORT_FILE;
		else
			argp_error(state, "--transport is auto, luo or file, not '%s'", arg);
		return 0;
	case 't':
	case 'S':
		errno = 0;
		*(key == 't' ? &a->duration_s : &a->luo_mib) = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || (key == 'S' && !a->luo_mib))
			argp_error(state, "--%s wants a whole number, not '%s'",
				   key == 't' ? "duration" : "luo-size", arg);
		return 0;
	case 'R':
		errno = 0;
		a->ringbuf_kib = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || !ringbuf_size_ok(a->ringbuf_kib))
			argp_error(state, "--ringbuf-size is in KiB, a power of two from the page size (%ld KiB) to %lu (1 GiB), not '%s'",
				   sysconf(_SC_PAGESIZE) / 1024, RINGBUF_MAX_KIB, arg);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "record takes no log argument; use --output or --state-dir");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* From the ring buffer, through the start-up overlap with the import. */
static int write_event(void *ctx, const struct lutrace_event *e)
{
	struct startup_overlap *ov = ctx;
	const struct log_writer *rec = ov->ctx;
	struct lt_event ev;

	event_from_bpf(e, rec->stage, &ev);
	return startup_overlap_from_bpf(ov, &ev);
}

static int append_imported(void *ctx, const struct lt_event *e)
{
	return log_writer_append(ctx, e);
}

/* The import's events, but for IOMMU mappings under --no-iommu-maps. */
struct import_filter {
	bool no_iommu_maps;
	struct startup_overlap *ov;
};

static int import_filtered(void *ctx, const struct lt_event *e)
{
	const struct import_filter *f = ctx;

	if (f->no_iommu_maps &&
	    (e->id == LT_EV_IOMMU_MAP || e->id == LT_EV_IOMMU_UNMAP))
		return 0;
	return startup_overlap_imported(f->ov, e);
}

/*
 * The series' events in the top-level buffer, through ov: those BPF saw
 * too are there once (startup_overlap.h). What the buffer overwrote before
 * the import is counted in *lost.
 */
static uint32_t import_boot_events(const struct record_args *a, struct log_writer *rec,
				   const char *dir, struct startup_overlap *ov,
				   struct lt_losses *lost)
{
	struct import_filter filter = { a->no_iommu_maps, ov };
	struct tracefs_import_result res;
	char err[512], *cmdline;
	uint32_t boot_traced;
	int ret;

	if (a->no_import)
		return 0;
	if (!dir) {
		if (a->common->verbose)
			fprintf(stderr, "lutrace: no tracefs: no boot-time events to import\n");
		return 0;
	}
	ret = tracefs_import(dir, rec->stage, import_filtered, &filter, &res,
			     err, sizeof(err));
	startup_overlap_import_done(ov, clock_boottime_ns());
	if (ret) {
		fprintf(stderr, "lutrace: importing boot-time events: %s\n", err);
		return 0;
	}
	cmdline = whole_file("/proc/cmdline", 4096, NULL);
	boot_traced = cmdline ? boot_traced_kinds(cmdline, dir) : 0;
	free(cmdline);
	/*
	 * A restarted recorder imports again what its stage's first run had,
	 * and the buffer has overwritten no less since: that run counted it.
	 */
	if (!rec->continues_stage)
		lost->by_cause[LT_LOSS_TRACEFS_OVERRUN] += res.overwritten;
	if (res.overwritten)
		fprintf(stderr, "lutrace: events were lost (tracefs_overrun): the ring buffer of %s overwrote %llu entr%s before the import; boot-time events of the series may be among them (boot with a larger trace_buf_size=)%s\n",
			dir, (unsigned long long)res.overwritten,
			res.overwritten == 1 ? "y" : "ies",
			rec->continues_stage ? "; counted by this stage's first recorder run" : "");
	if (res.imported || a->common->verbose)
		fprintf(stderr, "lutrace: imported %u boot-time event(s) from %s/per_cpu%s\n",
			res.imported, dir, res.imported && !res.boot_clock ?
			" (trace_clock is not boot: their times are approximate; boot with trace_clock=boot)" : "");
	/* Only a stage after a kexec has incoming devices to miss. */
	if (res.not_enabled[0] && rec->stage > 1)
		fprintf(stderr, "lutrace: not enabled at boot: %s; what they record before user space is missing from stage %u (boot it with %s; trace_event= compares names whole, no patterns but SYSTEM:*)\n",
			res.not_enabled, rec->stage, LUTRACE_BOOT_CMDLINE);
	return boot_traced;
}

/*
 * When this run's programs were attached, and what its import has from boot
 * on: verify tells evidence that is absent from evidence it could not see.
 */
static int log_attached(struct log_writer *rec, uint64_t attached_ns, uint32_t boot_traced)
{
	struct lt_event e = {
		.stage = rec->stage, .id = LT_EV_RECORDER_ATTACHED,
		.boottime_ns = attached_ns, .arg = (int32_t)boot_traced,
		.pid = (uint32_t)getpid(),
	};
	char kinds[64];

	boot_traced_text(boot_traced, kinds, sizeof(kinds));
	fprintf(stderr, "lutrace: from boot on, the import has: %s%s\n", kinds,
		boot_traced == LT_BOOT_ALL ? "" :
		" (resets, bus mastering and IOMMU faults before the programs attached are not seen: boot with " LUTRACE_BOOT_CMDLINE ")");
	return log_writer_append(rec, &e);
}

/* The milestones written to trace_marker; without them ms reads nothing. */
static void open_markers(const char *tracefs, struct marker_source *ms)
{
	char err[512];

	memset(ms, 0, sizeof(*ms));
	if (!tracefs)
		snprintf(err, sizeof(err), "no tracefs");
	else if (!marker_source_open(ms, tracefs, err, sizeof(err)))
		return;
	fprintf(stderr, "lutrace: %s: trace_marker milestones will not be recorded\n", err);
}

static int log_path(const struct record_args *a, char *path, size_t len,
		    char *err, size_t errlen)
{
	if (a->output) {
		snprintf(path, len, "%s", a->output);
		return 0;
	}
	if (mkdir(a->state_dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", a->state_dir, strerror(errno));
		return -1;
	}
	snprintf(path, len, "%s/flight.log", a->state_dir);
	return 0;
}

/* What to raise when the ring buffer or the log was full. */
struct full_hints {
	char lost[96];
	char log_full[PATH_MAX + 64];
};

static void make_hints(struct full_hints *h, const struct record_args *a,
		       const struct log_transport *lt, const char *path,
		       uint32_t ringbuf_bytes)
{
	snprintf(h->lost, sizeof(h->lost), "raise --ringbuf-size (now %u KiB)",
		 ringbuf_bytes / 1024);
	if (lt->mode == TRANSPORT_LUO)
		snprintf(h->log_full, sizeof(h->log_full), "raise --luo-size (now %lu MiB)",
			 a->luo_mib);
	else	/* a file is full only when its file system is */
		snprintf(h->log_full, sizeof(h->log_full), "free space where %s is", path);
}

static void print_summary(const struct cli_common *c, const char *path,
			  const struct log_writer *r, const struct lt_losses *lost,
			  const struct full_hints *h)
{
	uint64_t dropped = lt_losses_total(lost) - lost->by_cause[LT_LOSS_LOG_FULL];
	uint64_t rb = lost->by_cause[LT_LOSS_RING_BUFFER];
	struct json_writer w;

	if (!c->json) {
		fprintf(stderr, "lutrace: stage %u: %llu event(s) in %s, %llu dropped, %llu not written%s\n",
			r->stage, (unsigned long long)r->events, path,
			(unsigned long long)dropped, (unsigned long long)r->unwritten,
			dropped || r->unwritten ? " (the trace is incomplete)" : "");
		for (int k = 0; k < LT_LOSS_NR_CAUSES; k++)
			if (k != LT_LOSS_LOG_FULL && lost->by_cause[k])
				fprintf(stderr, "lutrace: %llu lost (%s)%s%s\n",
					(unsigned long long)lost->by_cause[k],
					lt_loss_cause_name(k),
					k == LT_LOSS_RING_BUFFER ? ": the ring buffer was full; " : "",
					k == LT_LOSS_RING_BUFFER ? h->lost : "");
		if (r->unwritten)
			fprintf(stderr, "lutrace: %llu event(s) not written: the flight log was full (%llu drop record(s) and anchor(s) skipped; the closing drop record has the true totals); %s\n",
				(unsigned long long)r->unwritten,
				(unsigned long long)r->skipped_records, h->log_full);
		return;
	}
	jw_stream_start(&w, stdout);
	jw_object_start(&w);
	jw_string_field(&w, "type", "record_summary");
	jw_string_field(&w, "log", path);
	jw_u64_field(&w, "stage", r->stage);
	jw_u64_field(&w, "events", r->events);
	jw_u64_field(&w, "dropped_events", dropped);
	jw_u64_field(&w, "unwritten_events", r->unwritten);
	jw_u64_field(&w, "skipped_records", r->skipped_records);
	json_losses(&w, lost);
	if (rb)
		jw_string_field(&w, "dropped_hint", h->lost);
	if (r->unwritten)
		jw_string_field(&w, "unwritten_hint", h->log_full);
	jw_object_end(&w);
}

static void print_memory(const char *when)
{
	struct self_memory m;

	if (!self_memory_read(&m))
		fprintf(stderr, "lutrace: memory %s: %llu kB resident, %llu kB at peak\n",
			when, (unsigned long long)m.rss_kb,
			(unsigned long long)m.hwm_kb);
}

/* Start to attached, and where it went (laps of the stopwatch). */
static void print_startup(const struct stopwatch *sw)
{
	char laps[256];

	stopwatch_format(sw, laps, sizeof(laps));
	fprintf(stderr, "lutrace: attached in %llu ms: %s\n",
		(unsigned long long)(stopwatch_total_ns(sw) / 1000000), laps);
	print_memory("after attaching");
}

/* Records until stopped; *kmsg outlives it, as loop's sources point to it. */
static int run_loop(const struct record_args *a, struct record_loop *loop,
		    struct bpf_tracer *bt, struct kmsg_source *kmsg,
		    struct marker_source *ms, struct startup_overlap *ov)
{
	struct record_source *src = loop->sources;
	int ret;

	memset(kmsg, 0, sizeof(*kmsg));
	/* A restarted recorder's first run read the boot's records already. */
	kmsg->count_before_open = loop->log->stage > 1 && !loop->log->continues_stage;
	kmsg->fd = kmsg_open(NULL);
	if (kmsg->fd < 0)
		fprintf(stderr, "lutrace: /dev/kmsg: %s: Intel DMAR faults will not be seen\n",
			strerror(-kmsg->fd));
	/*
	 * The ring buffer first, as the loop waits on it; the start-up overlap
	 * right after it, as it waits for what the ring buffer delivered, with
	 * the markers, which the import may have too; kmsg.
	 */
	src[loop->nsources++] = bpf_tracer_record_source(bt);
	src[loop->nsources++] = startup_overlap_record_source(ov, marker_record_source(ms));
	if (kmsg->fd >= 0)
		src[loop->nsources++] = kmsg_record_source(kmsg);
	ret = record_loop_run(loop);
	if (ret)
		cli_error(a->common, "recording stopped: %s", loop->err);
	if (kmsg->have_seq && kmsg->first_seq && (a->common->verbose || kmsg->count_before_open))
		fprintf(stderr, "lutrace: /dev/kmsg: the first %llu record(s) of this boot were overwritten before lutrace opened it; DMAR faults among them are not in the log%s\n",
			(unsigned long long)kmsg->first_seq,
			kmsg->count_before_open ? " (counted as kmsg_overrun)" : "");
	if (kmsg->fd >= 0)
		close(kmsg->fd);
	return ret;
}

static int start_recording(const struct record_args *a, const char *path,
			   struct log_transport *lt, struct log_writer *rec,
			   struct stopwatch *sw)
{
	struct paired_read tsc_start = tsc_calibrate_begin();
	uint32_t flags = a->output ? 0 : LT_LOG_FLAG_STATE_DIR;
	struct tsc_calibration cal;
	char err[512];

	if (log_transport_open(lt, path, a->transport, a->luo_mib << 20, err,
			       sizeof(err))) {
		cli_error(a->common, "%s", err);
		return -1;
	}
	stopwatch_lap(sw, "log");
	/* The TSC is measured over the log's opening, at least this long. */
	cal = tsc_calibrate_end(&tsc_start, CALIBRATION_MS);
	stopwatch_lap(sw, "tsc");
	if (lt->imported)
		fprintf(stderr, "lutrace: took over the flight log that crossed the kexec in LUO session 'lutrace'\n");
	if (lt->note[0])
		fprintf(stderr, "lutrace: %s\n", lt->note);
	if (lt->mode == TRANSPORT_LUO)
		flags |= LT_LOG_FLAG_LUO_MEMFD;
	if (log_writer_start(rec, lt->fd, lt->used, lt->capacity, flags, &cal, err,
			     sizeof(err))) {
		cli_error(a->common, "%s: %s", path, err);
		log_transport_close(lt, 0);
		return -1;
	}
	stopwatch_lap(sw, "log");
	if (a->common->verbose)
		fprintf(stderr, "lutrace: TSC %llu Hz +- %u ppb; log kept in %s\n",
			(unsigned long long)cal.hz, cal.err_ppb,
			lt->mode == TRANSPORT_LUO ? "a LUO memfd, copied to the file" : "the file");
	return 0;
}

/* The closing drop record and anchor, and the last copy: each failure said. */
static int finish_log(const struct cli_common *c, struct log_writer *rec,
		      struct log_transport *lt, const struct lt_losses *lost)
{
	int fin = log_writer_finish(rec, lost);
	int closed = log_transport_close(lt, rec->pos);

	if (fin)
		cli_error(c, "writing the closing drop record and anchor to the flight log: %s",
			  strerror(-fin));
	if (closed)
		cli_error(c, "copying the flight log into %s: %s", lt->path,
			  strerror(-closed));
	return fin || closed ? -1 : 0;
}

int cmd_record(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { record_options, parse_record, NULL,
					  record_doc, cli_common_children, NULL, NULL };
	struct record_args a = { .common = common, .state_dir = "/run/lutrace",
				 .luo_mib = 16 };
	struct bpf_loader_options opt = { 0 };
	struct record_source sources[4];
	struct record_loop loop = {
		.sources = sources, .poll_ms = RECORD_POLL_MS,
		.anchor_every_ns = RECORD_ANCHOR_EVERY_NS,
		.stop = &record_stop_requested,
		.flush = &record_flush_requested,
	};
	struct log_transport lt;
	struct full_hints hints;
	struct bpf_tracer *bt;
	struct log_writer rec;
	char path[PATH_MAX], err[512];
	struct marker_source ms;
	struct startup_overlap ov;
	struct stopwatch sw;
	const char *tracefs;
	struct kmsg_source kmsg;
	struct start_priority prio = { 0 };
	struct lt_losses lost;
	uint64_t attached_ns;
	uint32_t boot_traced;
	int ret, ms_ret;

	stopwatch_start(&sw);
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (a.idle_start && (ret = start_priority_lower(&prio)))
		fprintf(stderr, "lutrace: --idle-start: SCHED_IDLE: %s; starting at the normal priority\n",
			strerror(-ret));
	if (log_path(&a, path, sizeof(path), err, sizeof(err))) {
		cli_error(common, "%s", err);
		return EXIT_TROUBLE;
	}
	record_loop_catch_signals();
	if (start_recording(&a, path, &lt, &rec, &sw))
		return EXIT_TROUBLE;
	/* From here a SIGTERM before the kexec must not lose the log. */
	record_term_keeps_session = lt.mode == TRANSPORT_LUO;
	opt.verbose = common->verbose;
	opt.trace_iommu_mappings = !a.no_iommu_maps;
	/* Before the first program attaches: older events are the import's alone. */
	startup_overlap_start(&ov, clock_boottime_ns(), rec.previous_run_ns,
			      append_imported, &rec);
	ov.previous_markers_ns = rec.previous_markers_ns;
	opt.on_event = write_event;
	opt.ctx = &ov;
	opt.sw = &sw;
	opt.ringbuf_bytes = (uint32_t)(a.ringbuf_kib * 1024);
	bt = bpf_tracer_start(&opt, err, sizeof(err));
	if (!bt) {
		cli_error(common, "%s", err);
		finish_log(common, &rec, &lt, NULL);
		return EXIT_TROUBLE;
	}
	attached_ns = clock_boottime_ns();
	tracefs = tracefs_dir();
	open_markers(tracefs, &ms);
	stopwatch_lap(&sw, "markers");
	boot_traced = import_boot_events(&a, &rec, tracefs, &ov, &loop.startup_lost);
	stopwatch_lap(&sw, "import");
	if (log_attached(&rec, attached_ns, boot_traced))
		fprintf(stderr, "lutrace: the flight log has no room for the recorder_attached record: verify will not know what this run saw from boot\n");
	fprintf(stderr, "lutrace: recording stage %u into %s: %zu program(s) attached, %zu event(s) not traceable in this kernel%s\n",
		rec.stage, path, bpf_tracer_attached(bt), bpf_tracer_untraced(bt),
		common->verbose ? "" : " (-v says which)");
	if (common->verbose)
		print_startup(&sw);
	if ((ret = start_priority_restore(&prio)))
		fprintf(stderr, "lutrace: --idle-start: going back to the priority lutrace was started with: %s; recording at SCHED_IDLE\n",
			strerror(-ret));
	loop.log = &rec;
	loop.transport = &lt;
	loop.duration_ns = a.duration_s * 1000000000ull;
	make_hints(&hints, &a, &lt, path, bpf_tracer_ringbuf_bytes(bt));
	loop.lost_hint = hints.lost;
	loop.log_full_hint = hints.log_full;
	ret = run_loop(&a, &loop, bt, &kmsg, &ms, &ov);
	if (common->verbose)
		print_memory("at exit");
	/* The last markers; a failure is said, and the log still closed. */
	if ((ms_ret = marker_source_read(&ms, rec.stage, startup_overlap_live, &ov))) {
		cli_error(common, "reading the last trace_marker lines: %s",
			  strerror(ms_ret < 0 ? -ms_ret : EIO));
		ret = -1;
	}
	marker_source_close(&ms);
	bpf_tracer_read_misses(bt);
	lost = record_loop_losses(&loop);
	bpf_tracer_stop(bt);
	if (startup_overlap_finish(&ov))
		ret = -1;
	if (common->verbose)
		fprintf(stderr, "lutrace: %u event(s) of the start-up were both imported and seen by BPF, kept once; %u imported one(s) were in the log from an earlier run of this stage\n",
			ov.duplicates, ov.in_log_already);
	if (finish_log(common, &rec, &lt, &lost))
		ret = -1;
	print_summary(common, path, &rec, &lost, &hints);
	return ret ? EXIT_TROUBLE : 0;
}
