// SPDX-License-Identifier: GPL-2.0
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bpf_loader.h"
#include "cli.h"
#include "json_writer.h"
#include "recorder.h"

#define POLL_MS 100
#define ANCHOR_EVERY_NS 1000000000ull
#define CALIBRATION_MS 50

struct record_args {
	struct cli_common *common;
	const char *state_dir;
	const char *output;
	unsigned long duration_s;
	bool no_iommu_maps;
};

static const char record_doc[] =
	"Record Live Update events of this boot into a flight log.\n"
	"\n"
	"Run it in stage 1 before preserving devices and leave it running through\n"
	"the kexec; start it again first thing in stage 2 on the same log, which it\n"
	"then continues as the next stage. Stops on SIGINT or SIGTERM (or after\n"
	"--duration), writing a last clock anchor and drop count."
	"\v"
	"EXAMPLES:\n"
	"  lutrace record --state-dir /run/lutrace &     stage 1, then kexec\n"
	"  lutrace record --state-dir /run/lutrace &     stage 2, same directory\n"
	"  lutrace record -v -o /tmp/flight.log --duration 10\n"
	"\n"
	"The log grows by 120 to 200 bytes per event and 100 bytes a second.";

static const struct argp_option record_options[] = {
	{ "state-dir", 'd', "DIR", 0, "keep the log as DIR/flight.log (default /run/lutrace)", 0 },
	{ "output", 'o', "FILE", 0, "the log file itself, instead of --state-dir", 0 },
	{ "duration", 't', "SEC", 0, "stop after SEC seconds", 0 },
	{ "no-iommu-maps", 'M', NULL, 0, "do not trace IOMMU map/unmap (busy systems)", 0 },
	{ 0 },
};

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
	case 't':
		errno = 0;
		a->duration_s = strtoul(arg, &end, 10);
		if (errno || end == arg || *end)
			argp_error(state, "--duration wants whole seconds, not '%s'", arg);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "record takes no log argument; use --output or --state-dir");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int write_event(void *ctx, const struct lutrace_event *e)
{
	return recorder_event(ctx, e);
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

static void print_summary(const struct cli_common *c, const char *path,
			  const struct recorder *r, uint64_t dropped)
{
	struct json_writer w;

	if (!c->json) {
		fprintf(stderr, "lutrace: stage %u: %llu event(s) in %s, %llu dropped%s\n",
			r->stage, (unsigned long long)r->events, path,
			(unsigned long long)dropped,
			dropped ? " (ring buffer full: the trace is incomplete)" : "");
		return;
	}
	jw_init(&w, stdout);
	jw_object_start(&w);
	jw_string_field(&w, "type", "record_summary");
	jw_string_field(&w, "log", path);
	jw_u64_field(&w, "stage", r->stage);
	jw_u64_field(&w, "events", r->events);
	jw_u64_field(&w, "dropped_events", dropped);
	jw_object_end(&w);
}

static int record_loop(const struct record_args *a, struct recorder *rec,
		       struct bpf_tracer *bt)
{
	uint64_t start = now_ns(), last_anchor = start;

	while (!stop_requested) {
		int n = bpf_tracer_poll(bt, POLL_MS);
		uint64_t now = now_ns();

		if (n < 0 && n != -EINTR) {
			cli_error(a->common, "reading the ring buffer: %s", strerror(-n));
			return -1;
		}
		if (recorder_drops(rec, bpf_tracer_dropped(bt), false))
			return -1;
		if (now - last_anchor >= ANCHOR_EVERY_NS) {
			if (recorder_anchor(rec))
				return -1;
			last_anchor = now;
		}
		if (a->duration_s && now - start >= a->duration_s * 1000000000ull)
			break;
	}
	return 0;
}

int cmd_record(int argc, char **argv, struct cli_common *common)
{
	static const struct argp argp = { record_options, parse_record, NULL,
					  record_doc, cli_common_children, NULL, NULL };
	struct record_args a = { .common = common, .state_dir = "/run/lutrace" };
	struct bpf_loader_options opt = { 0 };
	struct tsc_calibration cal;
	struct bpf_tracer *bt;
	struct recorder rec;
	char path[PATH_MAX], err[512];
	uint64_t t0 = now_ns();
	int ret;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (log_path(&a, path, sizeof(path), err, sizeof(err))) {
		cli_error(common, "%s", err);
		return EXIT_TROUBLE;
	}
	signal(SIGINT, on_stop_signal);
	signal(SIGTERM, on_stop_signal);
	cal = tsc_calibrate(CALIBRATION_MS);
	if (recorder_open(&rec, path, a.output ? 0 : LT_LOG_FLAG_STATE_DIR, &cal,
			  err, sizeof(err))) {
		cli_error(common, "%s", err);
		return EXIT_TROUBLE;
	}
	opt.verbose = common->verbose;
	opt.trace_iommu_mappings = !a.no_iommu_maps;
	opt.on_event = write_event;
	opt.ctx = &rec;
	bt = bpf_tracer_start(&opt, err, sizeof(err));
	if (!bt) {
		cli_error(common, "%s", err);
		recorder_close(&rec, 0);
		return EXIT_TROUBLE;
	}
	fprintf(stderr, "lutrace: recording stage %u into %s: %zu program(s) attached, %zu event(s) not traceable in this kernel%s\n",
		rec.stage, path, bpf_tracer_attached(bt), bpf_tracer_untraced(bt),
		common->verbose ? "" : " (-v says which)");
	if (common->verbose)
		fprintf(stderr, "lutrace: attached in %llu ms; TSC %llu Hz +- %u ppb\n",
			(unsigned long long)((now_ns() - t0) / 1000000),
			(unsigned long long)cal.hz, cal.err_ppb);
	ret = record_loop(&a, &rec, bt);
	print_summary(common, path, &rec, bpf_tracer_dropped(bt));
	if (recorder_close(&rec, bpf_tracer_dropped(bt)))
		ret = -1;
	bpf_tracer_stop(bt);
	return ret ? EXIT_TROUBLE : 0;
}
