// SPDX-License-Identifier: GPL-2.0
/* The user-space half of recording: everything but the BPF itself. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "log_fixture.h"
#include "log/event_names.h"
#include "record/bpf_event.h"
#include "record/clock_anchor.h"
#include "record/kernel_probe.h"
#include "record/log_transport.h"
#include "record/log_writer.h"
#include "record/luo_session.h"

Test(kernel_probe, symbols_and_tracepoints_from_kallsyms_lines)
{
	struct kernel_probe kp = { 0 };

	kernel_probe_set_kallsyms(&kp,
		"ffffffff81c4d9d0 T pcie_flr\n"
		"ffffffff8122e8ae t pcie_flr.cold\n"
		"ffffffff81d414a0 T __traceiter_map\n"
		"ffffffffc0a01000 t __traceiter_vfio_pci_reset\t[vfio_pci]\n"
		"ffffffff81c4dd80 t pci_pm_reset");
	cr_assert(kernel_has_symbol(&kp, "pcie_flr"));
	cr_assert(kernel_has_symbol(&kp, "pci_pm_reset"), "last line without newline");
	cr_assert_not(kernel_has_symbol(&kp, "pcie"), "prefix is not a match");
	cr_assert_not(kernel_has_symbol(&kp, "flr"), "suffix is not a match");
	cr_assert_not(kernel_has_symbol(&kp, ""));
	cr_assert(kernel_has_tracepoint(&kp, "map"));
	cr_assert(kernel_has_tracepoint(&kp, "vfio_pci_reset"), "module symbol");
	cr_assert_not(kernel_has_tracepoint(&kp, "unmap"));
	/* No BTF loaded: nothing is tp_btf or fentry capable. */
	cr_assert_not(kernel_has_tp_btf(&kp, "map"));
	cr_assert_not(kernel_has_btf_func(&kp, "pcie_flr"));
	kernel_probe_close(&kp);
}

Test(bpf_event, fields_domain_and_unterminated_strings)
{
	struct lutrace_event in;
	struct lt_event out;

	memset(&in, 0, sizeof(in));
	in.id = LT_EV_VFIO_RESET;
	in.boottime_ns = 42;
	in.arg = LT_RESET_SITE_HOT_RESET;
	in.ret = -5;
	in.bus = 3;
	in.devfn = 0x10;
	strcpy(in.dev, "0001:03:02.0");
	memset(in.session, 'x', sizeof(in.session));	/* BPF filled it all */
	event_from_bpf(&in, 2, &out);
	cr_assert_eq(out.stage, 2);
	cr_assert_eq(out.id, LT_EV_VFIO_RESET);
	cr_assert_eq(out.boottime_ns, 42);
	cr_assert_eq(out.arg, LT_RESET_SITE_HOT_RESET);
	cr_assert_eq(out.ret, -5);
	cr_assert_eq(out.domain, 1);
	cr_assert_eq(out.devfn, 0x10);
	cr_assert_str_eq(out.dev, "0001:03:02.0");
	cr_assert_eq(strlen(out.session), sizeof(out.session) - 1);

	strcpy(in.dev, "iommu-fault-dev");	/* not a PCI name: no domain */
	event_from_bpf(&in, 1, &out);
	cr_assert_eq(out.domain, 0);
}

/* A sample shorter than an event is counted, not read past its end. */
static int take_event(void *ctx, const struct lutrace_event *e)
{
	*(uint32_t *)ctx = e->id;
	return 0;
}

Test(bpf_event, short_samples_are_counted_and_whole_ones_delivered)
{
	struct lutrace_event ev = { .id = LT_EV_VFIO_RESET };
	uint32_t got = 0;
	struct ring_sample_sink sink = { take_event, &got, 0 };

	cr_assert_eq(ring_sample_take(&sink, &ev, sizeof(ev) - 1), 0);
	cr_assert_eq(ring_sample_take(&sink, &ev, 0), 0);
	cr_assert_eq(got, 0, "nothing delivered");
	cr_assert_eq(sink.short_samples, 2);
	cr_assert_eq(ring_sample_take(&sink, &ev, sizeof(ev)), 0);
	cr_assert_eq(got, LT_EV_VFIO_RESET);
	cr_assert_eq(sink.short_samples, 2);
}

Test(bpf_event, iommu_mapping_keeps_its_domain_number)
{
	struct lutrace_event in;
	struct lt_event out;
	char detail[128];

	memset(&in, 0, sizeof(in));
	in.id = LT_EV_IOMMU_MAP;
	in.iova = 0x100000;
	in.phys = 0x80000000;
	in.size = 4096;
	in.iommu_domain = 3;
	event_from_bpf(&in, 1, &out);
	cr_assert_eq(out.iommu_domain, 3);
	event_format_detail(&out, detail, sizeof(detail));
	cr_assert_str_eq(detail, "iommu_domain=3 iova=0x100000 phys=0x80000000 size=4096");
	out.iommu_domain = 0;	/* a log from before domains were recorded */
	event_format_detail(&out, detail, sizeof(detail));
	cr_assert_str_eq(detail, "iova=0x100000 phys=0x80000000 size=4096");
}

Test(clock_anchor, boot_id_text)
{
	uint8_t id[16];

	cr_assert_eq(parse_boot_id("307a2b2f-1369-4c3b-9e18-5adaf44b223d\n", id), 0);
	cr_assert_eq(id[0], 0x30);
	cr_assert_eq(id[15], 0x3d);
	cr_assert_eq(parse_boot_id("307A2B2F-1369-4C3B-9E18-5ADAF44B223D", id), 0);
	cr_assert_eq(id[1], 0x7a);
	cr_assert_eq(parse_boot_id("307a2b2f-1369", id), -1, "too short");
	cr_assert_eq(parse_boot_id("307a2b2f-1369-4c3b-9e18-5adaf44b223d00", id), -1);
	cr_assert_eq(parse_boot_id("zz7a2b2f-1369-4c3b-9e18-5adaf44b223d", id), -1);
}

Test(clock_anchor, tsc_flags_from_cpuinfo)
{
	cr_assert_eq(tsc_flags_from_cpuinfo(
		"processor\t: 0\nvendor_id\t: GenuineIntel\n"
		"flags\t\t: fpu tsc constant_tsc rep_good nopl nonstop_tsc cpuid\n"
		"flags\t\t: ignored, a later CPU\n"),
		LT_TSC_FLAGS_READ | LT_TSC_CONSTANT | LT_TSC_NONSTOP);
	/* A QEMU TCG guest: a TSC, but no promise about its rate. */
	cr_assert_eq(tsc_flags_from_cpuinfo("flags\t\t: fpu de pse tsc msr pae\n"),
		     LT_TSC_FLAGS_READ);
	/* Whole words only. */
	cr_assert_eq(tsc_flags_from_cpuinfo("flags\t: xconstant_tsc nonstop_tsc_x\n"),
		     LT_TSC_FLAGS_READ);
	cr_assert_eq(tsc_flags_from_cpuinfo("processor\t: 0\n"), 0, "no flags line: unknown");
}

Test(clock_anchor, reads_this_machine_plausibly)
{
	struct tsc_calibration cal = tsc_calibrate(20);
	struct lt_clock_anchor a, b;
	char err[160];

	cr_assert_eq(clock_anchor_read(&a, 3, &cal, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(clock_anchor_read(&b, 3, &cal, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(a.stage, 3);
	cr_assert_eq(memcmp(a.boot_id, b.boot_id, 16), 0);
	cr_assert_gt(b.boottime_ns, a.boottime_ns);
	cr_assert_gt(a.realtime_ns, 1600000000ull * 1000000000ull);
	cr_assert_neq(a.kernel_release[0], '\0');
	cr_assert(a.tsc_flags & LT_TSC_FLAGS_READ, "/proc/cpuinfo has a flags line");
	/* A build chroot (tests/fresh-machine.sh) may have no sysfs */
	if (!access(LT_CLOCKSOURCE_PATH, R_OK))
		cr_assert_neq(a.clocksource[0], '\0', "current_clocksource not read");
	else
		cr_assert_eq(a.clocksource[0], '\0', "no sysfs: clocksource unknown");
#if defined(__x86_64__)
	cr_assert_gt(cal.hz, 100000000ull, "TSC %llu Hz", (unsigned long long)cal.hz);
	cr_assert_lt(cal.hz, 10000000000ull);
	/* Within 1000 ppm over 20 ms even on a busy, virtualized machine. */
	cr_assert_lt(cal.err_ppb, 1000000u);
	cr_assert_gt(b.tsc, a.tsc);
#endif
}

static struct log_buf buf;

/* n ring-buffer reserve failures, as the sources report them. */
static const struct lt_losses *ring(uint64_t n)
{
	static struct lt_losses l;

	memset(&l, 0, sizeof(l));
	l.by_cause[LT_LOSS_RING_BUFFER] = n;
	return &l;
}

Test(log_writer, stage_follows_the_boots_in_the_log)
{
	uint8_t us[16], other[16];
	struct lt_record a1 = fx_anchor(1, 0x11, 1, 1, 1);
	struct lt_record a2 = fx_anchor(2, 0x22, 1, 1, 1);

	memset(us, 0x22, sizeof(us));
	memset(other, 0x33, sizeof(other));
	cr_assert_eq(log_writer_stage_for("", 0, us), 1, "no log yet");
	fx_header(&buf);
	cr_assert_eq(log_writer_stage_for(buf.data, buf.len, us), 1, "empty log");
	fx_append(&buf, &a1);
	cr_assert_eq(log_writer_stage_for(buf.data, buf.len, us), 2, "after the kexec");
	fx_append(&buf, &a2);
	cr_assert_eq(log_writer_stage_for(buf.data, buf.len, us), 2, "restarted in stage 2");
	cr_assert_eq(log_writer_stage_for(buf.data, buf.len, other), 3, "a third boot");
}

Test(log_writer, writes_anchor_drops_events_and_an_anchor_at_kexec)
{
	char path[] = "/tmp/lutrace-rec-XXXXXX";
	struct tsc_calibration cal = { .hz = 1000000000, .err_ppb = 10 };
	struct lutrace_event ev = { .id = LT_EV_VFIO_LU_FREEZE, .boottime_ns = 5 };
	struct lutrace_event kexec = { .id = LT_EV_KEXEC, .boottime_ns = 6 };
	struct parsed_log *out = calloc(1, sizeof(*out));
	struct log_writer r;
	char err[256];
	int fd = mkstemp(path);
	ssize_t n;

	cr_assert_eq(log_writer_start(&r, fd, 0, 0, 0, &cal, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(r.stage, 1);
	cr_assert_eq(log_writer_bpf_event(&r, &ev), 0);
	cr_assert_eq(log_writer_drops(&r, NULL, false), 0, "unchanged: nothing written");
	cr_assert_eq(log_writer_drops(&r, ring(2), false), 0);
	cr_assert_eq(log_writer_bpf_event(&r, &kexec), 0);
	cr_assert_eq(log_writer_finish(&r, ring(2)), 0);
	close(fd);
	/* Reopened by the same boot: the same stage goes on. */
	fd = open(path, O_RDWR);
	cr_assert_eq(log_writer_start(&r, fd, (uint64_t)lseek(fd, 0, SEEK_END), 0, 0, &cal,
				    err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(r.stage, 1);
	cr_assert_eq(log_writer_finish(&r, NULL), 0);
	n = pread(fd, buf.data, sizeof(buf.data), 0);
	close(fd);
	unlink(path);
	fx_parse(buf.data, (size_t)n, out);
	cr_assert_eq(out->ret, 0, "%s", out->err);
	cr_assert_eq(out->ndiags, 0);
	{
		static const enum lt_record_type want[] = {
			LT_REC_CLOCK_ANCHOR, LT_REC_DROPS, LT_REC_EVENT, LT_REC_DROPS,
			LT_REC_EVENT, LT_REC_CLOCK_ANCHOR, LT_REC_DROPS, LT_REC_CLOCK_ANCHOR,
			LT_REC_CLOCK_ANCHOR, LT_REC_DROPS, LT_REC_DROPS, LT_REC_CLOCK_ANCHOR,
		};

		cr_assert_eq(out->nrecs, sizeof(want) / sizeof(want[0]));
		for (size_t i = 0; i < out->nrecs; i++)
			cr_assert_eq(out->recs[i].type, want[i], "record %zu", i);
	}
	cr_assert_eq(out->recs[3].drops.lost.by_cause[LT_LOSS_RING_BUFFER], 2);
	cr_assert_eq(out->recs[4].event.id, LT_EV_KEXEC);
	cr_assert_eq(out->recs[0].anchor.tsc_hz, 1000000000);
	free(out);
}

Test(log_writer, full_presized_log_counts_unwritten_and_still_closes_cleanly)
{
	struct tsc_calibration cal = { .hz = 1000000000 };
	struct lutrace_event ev = { .id = LT_EV_VFIO_RESET, .boottime_ns = 5 };
	struct parsed_log *out = calloc(1, sizeof(*out));
	const struct lt_drops *last = NULL;
	int fd = memfd_create("lutrace-test", 0);
	struct log_writer r;
	char err[256];
	size_t used;

	strcpy(ev.dev, "0000:01:00.0");
	cr_assert_eq(ftruncate(fd, 1024), 0);
	cr_assert_eq(log_writer_start(&r, fd, 0, 1024, 0, &cal, err, sizeof(err)), 0, "%s", err);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(log_writer_bpf_event(&r, &ev), 0);
	cr_assert_gt(r.events, 0);
	cr_assert_gt(r.unwritten, 0);
	cr_assert_eq(r.events + r.unwritten, 10);
	cr_assert_eq(log_writer_finish(&r, NULL), 0);
	cr_assert_eq(pread(fd, buf.data, 1024, 0), 1024);
	close(fd);
	used = lt_log_used_length(buf.data, 1024);
	cr_assert_lt(used, 1024);
	fx_parse(buf.data, used, out);
	cr_assert_eq(out->ndiags, 0);
	for (size_t i = 0; i < out->nrecs; i++)
		if (out->recs[i].type == LT_REC_DROPS)
			last = &out->recs[i].drops;
	cr_assert_not_null(last);
	cr_assert_eq(last->lost.by_cause[LT_LOSS_LOG_FULL], 10 - r.events, "the closing record counts them");
	free(out);
}

/*
 * Once events fill a pre-sized log, periodic drop records and anchors go
 * into their own room until it is gone, then are skipped and counted; the
 * closing reserve stays for the closing drop record and anchor, whose
 * totals are the true ones.
 */
Test(log_writer, periodic_records_that_do_not_fit_are_skipped_and_the_closing_ones_fit)
{
	struct tsc_calibration cal = { .hz = 1000000000 };
	struct lutrace_event ev = { .id = LT_EV_VFIO_RESET, .boottime_ns = 5 };
	struct parsed_log *out = calloc(1, sizeof(*out));
	const struct lt_drops *last = NULL;
	int fd = memfd_create("lutrace-test", 0);
	struct log_writer r;
	char err[256];
	uint64_t i;

	cr_assert_eq(ftruncate(fd, 1024), 0);
	cr_assert_eq(log_writer_start(&r, fd, 0, 1024, 0, &cal, err, sizeof(err)), 0, "%s", err);
	for (i = 1; i <= 100; i++) {
		cr_assert_eq(log_writer_bpf_event(&r, &ev), 0);
		cr_assert_eq(log_writer_drops(&r, ring(i), false), 0, "a drop record that does not fit is no failure");
		cr_assert_eq(log_writer_anchor(&r), 0, "nor is an anchor");
		cr_assert_leq(r.pos, 1024 - LOG_WRITER_CLOSING_RESERVE);
	}
	cr_assert_gt(r.skipped_records, 0);
	cr_assert_eq(r.events + r.unwritten, 100);
	cr_assert_eq(log_writer_finish(&r, ring(100)), 0);
	cr_assert_leq(r.pos, 1024);
	cr_assert_eq(pread(fd, buf.data, 1024, 0), 1024);
	close(fd);
	fx_parse(buf.data, lt_log_used_length(buf.data, 1024), out);
	cr_assert_eq(out->ndiags, 0);
	for (size_t k = 0; k < out->nrecs; k++)
		if (out->recs[k].type == LT_REC_DROPS)
			last = &out->recs[k].drops;
	cr_assert_eq(out->recs[out->nrecs - 1].type, LT_REC_CLOCK_ANCHOR);
	cr_assert_eq(last, &out->recs[out->nrecs - 2].drops, "the closing drop record");
	cr_assert_eq(last->lost.by_cause[LT_LOSS_LOG_FULL], 100 - r.events);
	cr_assert_eq(last->lost.by_cause[LT_LOSS_RING_BUFFER], 100);
	free(out);
}

/* A log writer on a new pre-sized memfd, as the LUO transport gives one. */
static int start_on_memfd(struct log_writer *r, uint64_t size)
{
	struct tsc_calibration cal = { 0 };
	int fd = memfd_create("lutrace-test", 0);
	char err[256];

	cr_assert_eq(ftruncate(fd, (off_t)size), 0);
	cr_assert_eq(log_writer_start(r, fd, 0, size, 0, &cal, err, sizeof(err)), 0, "%s", err);
	return fd;
}

Test(log_writer, continues_a_presized_log_after_its_used_part)
{
	struct tsc_calibration cal = { 0 };
	struct parsed_log *out = calloc(1, sizeof(*out));
	struct log_writer r;
	int fd = start_on_memfd(&r, 8192);
	char err[256];
	uint64_t first_end;

	/* lutrace restarted in the same boot, on the same memfd */
	cr_assert_eq(log_writer_finish(&r, NULL), 0);
	first_end = r.pos;
	cr_assert_eq(log_writer_start(&r, fd, first_end, 8192, 0, &cal, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(r.stage, 1);
	cr_assert_gt(r.pos, first_end);
	cr_assert_eq(pread(fd, buf.data, 8192, 0), 8192);
	fx_parse(buf.data, lt_log_used_length(buf.data, 8192), out);
	cr_assert_eq(out->ndiags, 0);
	cr_assert_eq(out->nrecs, 2 + 2 + 2, "start, finish, start again");
	close(fd);
	free(out);
}

/*
 * Each start is a run of its own: its drop records carry its run id and
 * every cause, so a restart in the same boot adds to the stage's losses.
 */
Test(log_writer, each_start_is_a_run_whose_drop_records_have_every_cause)
{
	struct tsc_calibration cal = { 0 };
	struct parsed_log *out = calloc(1, sizeof(*out));
	struct lt_losses lost = { 0 };
	uint64_t first_run, first_end, first_last_ns = 1000;
	struct lt_event ev = { .id = LT_EV_LU_SESSION_CREATE };
	struct lt_event marker = { .id = LT_EV_MARKER, .boottime_ns = 3600 * 1000000000ull };
	const struct lt_drops *d;
	struct log_writer r;
	int fd = start_on_memfd(&r, 8192);
	char err[256];

	first_run = r.run_id;
	cr_assert_neq(first_run, 0);
	cr_assert_not(r.continues_stage, "a new log");
	cr_assert_eq(r.previous_run_ns, 0);
	/*
	 * The series event is what counts, not the markers (read after the
	 * loop ended) nor the closing anchor (written after that).
	 */
	ev.boottime_ns = first_last_ns;
	cr_assert_eq(log_writer_append(&r, &ev), 0);
	cr_assert_eq(log_writer_append(&r, &marker), 0);
	lost.by_cause[LT_LOSS_KMSG_OVERRUN] = 4;
	lost.by_cause[LT_LOSS_SHORT_SAMPLE] = 1;
	lost.by_cause[LT_LOSS_PROG_RECURSION] = 9;
	lost.by_cause[LT_LOSS_LOG_FULL] = 77;	/* the writer's own count wins */
	cr_assert_eq(log_writer_finish(&r, &lost), 0);
	first_end = r.pos;
	cr_assert_eq(log_writer_start(&r, fd, first_end, 8192, 0, &cal, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_neq(r.run_id, first_run, "a restart is a new run");
	cr_assert(r.continues_stage, "of the same stage");
	cr_assert_eq(r.previous_run_ns, first_last_ns, "the latest series event the first run logged");
	cr_assert_eq(pread(fd, buf.data, 8192, 0), 8192);
	fx_parse(buf.data, lt_log_used_length(buf.data, 8192), out);
	cr_assert_eq(out->ndiags, 0);
	d = &out->recs[4].drops;	/* anchor, event, marker, drops, closing drops */
	cr_assert_eq(out->recs[4].type, LT_REC_DROPS);
	cr_assert_eq(d->run_id, first_run);
	cr_assert_eq(d->lost.by_cause[LT_LOSS_KMSG_OVERRUN], 4);
	cr_assert_eq(d->lost.by_cause[LT_LOSS_SHORT_SAMPLE], 1);
	cr_assert_eq(d->lost.by_cause[LT_LOSS_PROG_RECURSION], 9, "skipped BPF runs are kept");
	cr_assert_eq(d->lost.by_cause[LT_LOSS_LOG_FULL], 0);
	cr_assert_eq(out->recs[7].type, LT_REC_DROPS);
	cr_assert_eq(out->recs[7].drops.run_id, r.run_id);
	cr_assert_eq(lt_losses_total(&out->recs[7].drops.lost), 0, "the new run starts at 0");
	close(fd);
	free(out);
}

/* A log another boot wrote is continued as the next stage, not a restart. */
Test(log_writer, the_next_stage_is_no_restart)
{
	struct lt_record a1 = fx_anchor(1, 0x11, 1, 1, 1);
	struct tsc_calibration cal = { 0 };
	int fd = memfd_create("lutrace-test", 0);
	struct log_writer r;
	char err[256];

	fx_header(&buf);
	fx_append(&buf, &a1);
	cr_assert_eq(pwrite(fd, buf.data, buf.len, 0), (ssize_t)buf.len);
	cr_assert_eq(log_writer_start(&r, fd, buf.len, 0, 0, &cal, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(r.stage, 2);
	cr_assert_not(r.continues_stage);
	close(fd);
}

Test(log_transport, file_mode_writes_the_file_itself)
{
	char path[] = "/tmp/lutrace-tr-XXXXXX";
	struct log_transport t;
	char err[256];

	close(mkstemp(path));
	cr_assert_eq(log_transport_open(&t, path, TRANSPORT_FILE, 0, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(t.capacity, 0);
	cr_assert_eq(write(t.fd, "x", 1), 1);
	cr_assert_eq(log_transport_close(&t, 1), 0);
	cr_assert_eq(access(path, F_OK), 0);
	unlink(path);
}

Test(log_transport, luo_mode_without_luo_says_so)
{
	struct log_transport t;
	char err[256];

	if (!access("/dev/liveupdate", F_OK))
		cr_skip_test("this kernel has LUO");
	cr_assert_eq(log_transport_open(&t, "/tmp/unused.log", TRANSPORT_LUO, 1 << 20,
					err, sizeof(err)), -1);
	cr_assert(strstr(err, "no Live Update Orchestrator"), "%s", err);
	cr_assert(strstr(err, "--transport file"), "%s", err);
}

Test(log_transport, saving_a_presized_memfd_keeps_only_the_log)
{
	char path[] = "/tmp/lutrace-save-XXXXXX";
	struct tsc_calibration cal = { 0 };
	struct parsed_log *out = calloc(1, sizeof(*out));
	int fd = memfd_create("lutrace-test", 0), in;
	struct log_writer r;
	char err[256];
	ssize_t n;

	close(mkstemp(path));
	cr_assert_eq(ftruncate(fd, 1 << 20), 0);
	cr_assert_eq(log_writer_start(&r, fd, 0, 1 << 20, LT_LOG_FLAG_LUO_MEMFD, &cal,
				    err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(log_save_used(fd, path, err, sizeof(err)), 0, "%s", err);
	in = open(path, O_RDONLY);
	n = read(in, buf.data, sizeof(buf.data));
	close(in);
	unlink(path);
	cr_assert_eq((uint64_t)n, r.pos, "the file is the log, not the 1 MiB");
	fx_parse(buf.data, (size_t)n, out);
	cr_assert_eq(out->ndiags, 0);
	cr_assert_eq(out->nrecs, 2);
	close(fd);
	free(out);
}

Test(log_transport, mirror_copies_only_what_is_new)
{
	char path[] = "/tmp/lutrace-mirror-XXXXXX";
	struct log_transport t = { .mode = TRANSPORT_LUO, .session = -1 };
	char got[16] = "";

	t.file_fd = mkstemp(path);
	t.fd = memfd_create("lutrace-test", 0);
	cr_assert_eq(ftruncate(t.fd, 4096), 0);
	cr_assert_eq(pwrite(t.fd, "abcdef", 6, 0), 6);
	cr_assert_eq(log_transport_sync(&t, 4), 0);
	cr_assert_eq(t.synced, 4);
	/* Bytes already copied are not copied again: change one to see. */
	cr_assert_eq(pwrite(t.fd, "X", 1, 0), 1);
	cr_assert_eq(log_transport_sync(&t, 6), 0);
	cr_assert_eq(log_transport_sync(&t, 5), 0, "going back is a no-op");
	cr_assert_eq(pread(t.file_fd, got, sizeof(got) - 1, 0), 6);
	cr_assert_str_eq(got, "abcdef");
	cr_assert_eq(log_transport_close(&t, 6), 0);
	unlink(path);
}

/*
 * A fresh LUO memfd is 16 MiB of holes. Finding its log must not read the
 * holes: through a shared mapping that allocates every page (4096 of them,
 * a second under TCG), and the scan through them took longer still.
 */
Test(log_transport, finding_the_log_leaves_the_empty_space_alone)
{
	char path[] = "/tmp/lutrace-sparse-XXXXXX";
	struct tsc_calibration cal = { 0 };
	const off_t size = 16 << 20;
	int fd = memfd_create("lutrace-test", 0);
	struct log_writer r;
	char err[256];

	close(mkstemp(path));
	cr_assert_eq(ftruncate(fd, size), 0);
	cr_assert_eq(log_writer_start(&r, fd, 0, (uint64_t)size, LT_LOG_FLAG_LUO_MEMFD, &cal,
				    err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(log_save_used(fd, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_leq(lseek(fd, 0, SEEK_HOLE), 4096, "pages after the log were allocated");
	close(fd);
	unlink(path);
}

/*
 * A LUO that only pretends: the incoming session holds incoming_log, the
 * save of it can be made to fail, and what is preserved is noted.
 */
static struct fake_luo {
	int incoming_log;	/* the memfd the incoming session hands over */
	bool save_fails;
	int saves, finishes, preserved_fd;
} luo;

static bool fake_present(void) { return true; }

static int fake_session(unsigned int wait_ms, const char *name)
{
	(void)wait_ms;
	(void)name;
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static int fake_retrieve_fd(int session, unsigned long long token)
{
	(void)session;
	cr_assert_eq(token, LUTRACE_LUO_TOKEN);
	return luo.incoming_log;
}

static int fake_finish(int session)
{
	(void)session;
	luo.finishes++;
	return 0;
}

static int fake_preserve(int session, int fd, unsigned long long token)
{
	(void)session;
	(void)token;
	luo.preserved_fd = fd;
	return 0;
}

static int fake_save(int fd, const char *path, char *err, size_t errlen)
{
	luo.saves++;
	if (!luo.save_fails)
		return log_save_used(fd, path, err, errlen);
	snprintf(err, errlen, "writing %s: No space left on device", path);
	return -1;
}

static const struct log_transport_ops fake_luo_ops = {
	fake_present, fake_session, fake_retrieve_fd, fake_finish, fake_session,
	fake_preserve, fake_save,
};

/* A stage-1 log in a pre-sized memfd, as it comes across the kexec. */
static uint64_t make_incoming_log(void)
{
	struct log_writer r;

	memset(&luo, 0, sizeof(luo));
	luo.preserved_fd = -1;
	luo.incoming_log = start_on_memfd(&r, 1 << 16);
	cr_assert_eq(log_writer_finish(&r, NULL), 0);
	return r.pos;
}

Test(log_transport, the_log_that_came_across_becomes_the_file)
{
	char path[] = "/tmp/lutrace-incoming-XXXXXX";
	struct log_transport t;
	uint64_t used = make_incoming_log();
	char err[512];

	close(mkstemp(path));
	cr_assert_eq(log_transport_open_with(&t, path, TRANSPORT_LUO, 1 << 20, &fake_luo_ops,
					     err, sizeof(err)), 0, "%s", err);
	cr_assert(t.imported);
	cr_assert_eq(luo.finishes, 1);
	cr_assert_eq(luo.preserved_fd, t.fd, "the new memfd is preserved");
	cr_assert_eq(t.used, used, "it holds the log that came across");
	cr_assert_eq(log_transport_close(&t, t.used), 0);
	unlink(path);
}

/*
 * The save of the log that came across fails (a full disk): the retrieved
 * memfd, the only copy of the previous stage's log, is kept, and this
 * stage goes on in it, preserved for the next kexec; its file copy is
 * written whole at the next sync. It was closed, and the log lost.
 */
Test(log_transport, a_failed_save_of_the_log_that_came_across_keeps_its_memfd)
{
	char path[] = "/tmp/lutrace-incoming-XXXXXX";
	struct log_transport t;
	uint64_t used = make_incoming_log();
	char err[512] = "";
	ssize_t n;

	close(mkstemp(path));
	luo.save_fails = true;
	cr_assert_eq(log_transport_open_with(&t, path, TRANSPORT_LUO, 1 << 20, &fake_luo_ops,
					     err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(luo.saves, 1);
	cr_assert_neq(fcntl(luo.incoming_log, F_GETFD), -1, "the retrieved memfd is still open");
	cr_assert_eq(t.fd, luo.incoming_log, "this stage writes on in it");
	cr_assert_eq(luo.preserved_fd, luo.incoming_log, "and it is preserved again");
	cr_assert_eq(t.used, used, "the previous stage's log is all there");
	cr_assert_geq(t.capacity, 1 << 20, "grown to --luo-size");
	cr_assert_not(t.imported);
	cr_assert(strstr(t.note, "No space left on device"), "%s", t.note);
	cr_assert(strstr(t.note, "kept in the memfd"), "%s", t.note);
	cr_assert_eq(t.synced, 0, "the file has none of it yet");
	cr_assert_eq(log_transport_sync(&t, t.used), 0);
	n = pread(t.file_fd, buf.data, sizeof(buf.data), 0);
	cr_assert_eq((uint64_t)n, used, "the next sync writes it all");
	cr_assert_eq(log_transport_close(&t, t.used), 0);
	unlink(path);
}

/* The log writer takes the transport's word for where the log ends. */
Test(log_writer, reads_only_the_log_it_is_told_of)
{
	struct tsc_calibration cal = { 0 };
	struct log_writer r;
	int fd = start_on_memfd(&r, 8192);
	char err[256];
	uint64_t end = r.pos;

	cr_assert_eq(pwrite(fd, "not a record", 12, 6000), 12);
	cr_assert_eq(log_writer_start(&r, fd, end, 8192, 0, &cal, err, sizeof(err)), 0, "%s", err);
	cr_assert_gt(r.pos, end, "appended after the log");
	cr_assert_lt(r.pos, 6000, "not after bytes beyond it");
	close(fd);
}

/* The calibration interval is filled by other start-up work, not slept. */
Test(clock_anchor, calibration_sleeps_only_what_is_left)
{
	struct paired_read start = tsc_calibrate_begin();
	const struct timespec work = { 0, 30 * 1000000L };
	struct tsc_calibration cal;
	uint64_t before, after;

	nanosleep(&work, NULL);
	before = tsc_calibrate_begin().boottime_ns;
	cal = tsc_calibrate_end(&start, 20);
	after = tsc_calibrate_begin().boottime_ns;
	cr_assert_lt(after - before, 15 * 1000000ull, "slept %llu ns more",
		     (unsigned long long)(after - before));
	start = tsc_calibrate_begin();
	cal = tsc_calibrate_end(&start, 20);
	after = tsc_calibrate_begin().boottime_ns;
	cr_assert_geq(after - start.boottime_ns, 20 * 1000000ull);
#if defined(__x86_64__)
	cr_assert_gt(cal.hz, 100000000ull);
#else
	(void)cal;
#endif
}
