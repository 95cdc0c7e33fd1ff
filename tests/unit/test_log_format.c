// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log/crc32c.h"
#include "log_fixture.h"

static struct log_buf buf;
static struct parsed_log out;

static struct lt_record full_event(void)
{
	struct lt_record r = fx_event(2, LT_EV_VFIO_RESET, 123456789, "0000:01:00.0");

	r.event.tsc = 987654321;
	r.event.domain = 0x10000;
	r.event.bus = 1;
	r.event.devfn = 0x08;
	r.event.bus_primary = 0;
	r.event.bus_secondary = 1;
	r.event.bus_subordinate = 3;
	r.event.ret = -16;
	r.event.arg = LT_RESET_SITE_FREEZE;
	r.event.token = 0xdeadbeefcafef00dull;
	r.event.iova = 0x100000;
	r.event.phys = 0x7f000000;
	r.event.size = 4096;
	r.event.nr_sessions = 2;
	r.event.nr_files = 5;
	r.event.pid = 4242;
	r.event.iommu_domain = 7;
	strcpy(r.event.session, "lutrace-dma");
	strcpy(r.event.compatible, "vfio-pci-v1");
	strcpy(r.event.text, "dma started");
	return r;
}

/* Header, anchor, three events, drops: returns the record offsets. */
static size_t build_sample(size_t offs[5])
{
	struct lt_record a = fx_anchor(1, 0xaa, 1000, 5000000, 3000000000ull);
	struct lt_record e1 = fx_event(1, LT_EV_VFIO_LU_PRESERVE, 2000, "0000:01:00.0");
	struct lt_record e2 = full_event();
	struct lt_record e3 = fx_event(1, LT_EV_MARKER, 4000, NULL);
	struct lt_record d = fx_drops(1, 7);

	strcpy(e3.event.text, "handed over");
	fx_header(&buf);
	offs[0] = fx_append(&buf, &a);
	offs[1] = fx_append(&buf, &e1);
	offs[2] = fx_append(&buf, &e2);
	offs[3] = fx_append(&buf, &e3);
	offs[4] = fx_append(&buf, &d);
	return 5;
}

Test(crc32c, known_vector)
{
	cr_assert_eq(crc32c(0, "123456789", 9), 0xe3069283u);
	/* Chained calls give the same result as one call. */
	cr_assert_eq(crc32c(crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
	cr_assert_eq(crc32c(0, "", 0), 0u);
}

/* RFC 3720 B.4: 32-byte buffers, longer than any word-at-a-time step. */
Test(crc32c, rfc3720_vectors_whole_and_split)
{
	uint8_t zeros[32] = { 0 }, ones[32], up[32], down[32];

	for (int i = 0; i < 32; i++) {
		ones[i] = 0xff;
		up[i] = (uint8_t)i;
		down[i] = (uint8_t)(31 - i);
	}
	cr_assert_eq(crc32c(0, zeros, 32), 0x8a9136aau);
	cr_assert_eq(crc32c(0, ones, 32), 0x62a8ab43u);
	cr_assert_eq(crc32c(0, up, 32), 0x46dd794eu);
	cr_assert_eq(crc32c(0, down, 32), 0x113fdb5cu);
	/* Any split, at any alignment, chains to the same value. */
	for (size_t cut = 0; cut <= 32; cut++)
		for (size_t start = 0; start < 8 && start <= cut; start++)
			cr_assert_eq(crc32c(crc32c(crc32c(0, up, start), up + start, cut - start),
					    up + cut, 32 - cut),
				     0x46dd794eu, "split at %zu and %zu", start, cut);
}

Test(log_format, round_trip_keeps_every_field)
{
	size_t offs[5];
	struct lt_record want = full_event();
	const struct lt_event *got;

	build_sample(offs);
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ret, 0, "%s", out.err);
	cr_assert_eq(out.ndiags, 0);
	cr_assert_eq(out.nrecs, 5);
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(out.recs[i].offset, offs[i]);
	cr_assert_eq(out.recs[0].type, LT_REC_CLOCK_ANCHOR);
	cr_assert_eq(out.recs[0].anchor.tsc_hz, 3000000000ull);
	cr_assert_eq(out.recs[0].anchor.boot_id[15], 0xaa);
	cr_assert_str_eq(out.recs[0].anchor.kernel_release, "7.2.0-lutrace-stage1");
	cr_assert_eq(out.recs[0].anchor.tsc_flags, LT_TSC_FLAGS_READ | LT_TSC_INVARIANT);
	cr_assert_str_eq(out.recs[0].anchor.clocksource, "tsc");

	got = &out.recs[2].event;
	cr_assert_eq(got->stage, 2);
	cr_assert_eq(got->id, LT_EV_VFIO_RESET);
	cr_assert_eq(got->boottime_ns, want.event.boottime_ns);
	cr_assert_eq(got->tsc, want.event.tsc);
	cr_assert_eq(got->domain, 0x10000);
	cr_assert_eq(got->bus, 1);
	cr_assert_eq(got->devfn, 0x08);
	cr_assert_eq(got->bus_subordinate, 3);
	cr_assert_eq(got->ret, -16);
	cr_assert_eq(got->arg, LT_RESET_SITE_FREEZE);
	cr_assert_eq(got->token, 0xdeadbeefcafef00dull);
	cr_assert_eq(got->iova, 0x100000);
	cr_assert_eq(got->phys, 0x7f000000);
	cr_assert_eq(got->size, 4096);
	cr_assert_eq(got->nr_files, 5);
	cr_assert_eq(got->pid, 4242);
	cr_assert_str_eq(got->dev, "0000:01:00.0");
	cr_assert_str_eq(got->session, "lutrace-dma");
	cr_assert_str_eq(got->compatible, "vfio-pci-v1");
	cr_assert_str_eq(got->text, "dma started");
	cr_assert_eq(got->iommu_domain, 7);
	cr_assert_str_eq(out.recs[3].event.text, "handed over");
	cr_assert_eq(out.recs[4].drops.lost.by_cause[LT_LOSS_RING_BUFFER], 7);
}

/* Cuts the record at `at` short by `cut` bytes, as an older writer wrote it. */
static void shorten_record(size_t at, size_t cut)
{
	size_t plen = buf.len - at - LT_REC_HEADER_LEN - cut;
	uint32_t crc;

	buf.len -= cut;
	buf.data[at + 8] = (uint8_t)plen;
	buf.data[at + 9] = (uint8_t)(plen >> 8);
	crc = crc32c(0, buf.data + at, 12);
	crc = crc32c(crc, buf.data + at + LT_REC_HEADER_LEN, plen);
	for (int i = 0; i < 4; i++)
		buf.data[at + 12 + i] = (uint8_t)(crc >> (8 * i));
}

/* A log from before iommu_domain was appended to events reads, domain unknown. */
Test(log_format, event_without_the_appended_iommu_domain_reads_as_unknown)
{
	struct lt_record e = full_event();

	fx_header(&buf);
	shorten_record(fx_append(&buf, &e), 4);
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ndiags, 0, "%s", out.ndiags ? out.diags[0].message : "");
	cr_assert_eq(out.nrecs, 1);
	cr_assert_str_eq(out.recs[0].event.text, "dma started");
	cr_assert_eq(out.recs[0].event.iommu_domain, 0);
}

/* Likewise an anchor from before the TSC flags and the clocksource. */
Test(log_format, anchor_without_tsc_flags_and_clocksource_reads_as_unknown)
{
	struct lt_record a = fx_anchor(1, 0xaa, 1000, 5000000, 3000000000ull);

	fx_header(&buf);
	shorten_record(fx_append(&buf, &a), 4 + 2 + strlen("tsc"));
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ndiags, 0, "%s", out.ndiags ? out.diags[0].message : "");
	cr_assert_eq(out.nrecs, 1);
	cr_assert_str_eq(out.recs[0].anchor.kernel_release, "7.2.0-lutrace-stage1");
	cr_assert_eq(out.recs[0].anchor.tsc_flags, 0);
	cr_assert_str_eq(out.recs[0].anchor.clocksource, "");
}

Test(log_format, rejects_unknown_version_clearly)
{
	size_t offs[5];

	build_sample(offs);
	buf.data[8] = 2;	/* version field */
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ret, -1);
	cr_assert_str_eq(out.err,
			 "unsupported flight log version 2 (this lutrace reads version 1)");
	cr_assert_eq(out.nrecs, 0);
}

Test(log_format, rejects_foreign_files_and_bad_header_checksum)
{
	size_t offs[5];

	fx_parse("hello world, not a log at all", 29, &out);
	cr_assert_eq(out.ret, -1);
	cr_assert_str_eq(out.err, "not a lutrace flight log (bad magic)");

	build_sample(offs);
	buf.data[12] ^= 1;	/* flags, covered by the header CRC */
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ret, -1);
	cr_assert_str_eq(out.err, "flight log header is corrupt (checksum mismatch)");
}

Test(log_format, truncation_at_every_offset_reports_the_torn_record)
{
	size_t offs[5], n = build_sample(offs);
	size_t full = buf.len;

	for (size_t cut = 0; cut < full; cut++) {
		size_t whole = 0;

		fx_parse(buf.data, cut, &out);
		if (cut < LT_LOG_HEADER_LEN) {
			cr_assert_eq(out.ret, -1, "cut %zu", cut);
			continue;
		}
		cr_assert_eq(out.ret, 0, "cut %zu: %s", cut, out.err);
		while (whole < n && (whole + 1 < n ? offs[whole + 1] : full) <= cut)
			whole++;
		cr_assert_eq(out.nrecs, whole, "cut %zu", cut);
		if (cut == LT_LOG_HEADER_LEN || (whole < n && offs[whole] == cut)) {
			cr_assert_eq(out.ndiags, 0, "cut %zu on a boundary", cut);
			continue;
		}
		cr_assert_eq(out.ndiags, 1, "cut %zu", cut);
		cr_assert_eq(out.diags[0].kind, LT_DIAG_TORN, "cut %zu", cut);
		cr_assert_eq(out.diags[0].offset, offs[whole], "cut %zu", cut);
		cr_assert_eq(out.diags[0].skipped, cut - offs[whole]);
	}
}

Test(log_format, every_single_bit_flip_is_caught_and_isolated)
{
	size_t offs[5], n = build_sample(offs);
	static uint8_t copy[sizeof(buf.data)];

	for (size_t bit = 0; bit < buf.len * 8; bit++) {
		size_t byte = bit / 8, hit = 0;

		memcpy(copy, buf.data, buf.len);
		copy[byte] ^= (uint8_t)(1u << (bit % 8));
		fx_parse(copy, buf.len, &out);
		if (byte < LT_LOG_HEADER_LEN) {
			cr_assert_eq(out.ret, -1, "bit %zu", bit);
			continue;
		}
		while (hit + 1 < n && offs[hit + 1] <= byte)
			hit++;
		cr_assert_eq(out.ret, 0);
		cr_assert_eq(out.nrecs, n - 1, "bit %zu", bit);
		cr_assert_geq(out.ndiags, 1, "bit %zu", bit);
		cr_assert_eq(out.diags[0].offset, offs[hit], "bit %zu", bit);
		for (size_t i = 0, j = 0; i < n; i++) {
			if (i == hit)
				continue;
			cr_assert_eq(out.recs[j++].offset, offs[i], "bit %zu", bit);
		}
	}
}

Test(log_format, corrupt_middle_record_resumes_at_the_next_one)
{
	size_t offs[5];

	build_sample(offs);
	buf.data[offs[2] + LT_REC_HEADER_LEN + 3] ^= 0xff;
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ret, 0);
	cr_assert_eq(out.nrecs, 4);
	cr_assert_eq(out.ndiags, 1);
	cr_assert_eq(out.diags[0].kind, LT_DIAG_CORRUPT);
	cr_assert_eq(out.diags[0].offset, offs[2]);
	cr_assert_eq(out.diags[0].skipped, offs[3] - offs[2]);
	cr_assert(strstr(out.diags[0].message, "checksum mismatch"),
		  "%s", out.diags[0].message);
	cr_assert_eq(out.recs[2].offset, offs[3]);
}

Test(log_format, torn_tail_then_continuation_is_torn_not_lost)
{
	size_t offs[5], cut, cont;
	struct lt_record e = fx_event(2, LT_EV_VFIO_LU_RETRIEVE, 50, "0000:01:00.0");

	build_sample(offs);
	cut = offs[3] + 10;	/* stage 1 died inside record 3 */
	buf.len = cut;
	cont = fx_append(&buf, &e);
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ret, 0);
	cr_assert_eq(out.ndiags, 1);
	cr_assert_eq(out.diags[0].kind, LT_DIAG_TORN);
	cr_assert_eq(out.diags[0].offset, offs[3]);
	cr_assert_eq(out.diags[0].skipped, 10);
	cr_assert(strstr(out.diags[0].message, "before the next intact record"),
		  "%s", out.diags[0].message);
	cr_assert_eq(out.nrecs, 4);
	cr_assert_eq(out.recs[3].offset, cont);
	cr_assert_eq(out.recs[3].event.id, LT_EV_VFIO_LU_RETRIEVE);
}

Test(log_format, garbage_tail_is_reported_as_unread_bytes)
{
	size_t offs[5], end;

	build_sample(offs);
	end = buf.len;
	memset(buf.data + end, 0x5a, 40);
	buf.len += 40;
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.nrecs, 5);
	cr_assert_eq(out.ndiags, 1);
	cr_assert_eq(out.diags[0].kind, LT_DIAG_CORRUPT);
	cr_assert_eq(out.diags[0].offset, end);
	cr_assert_eq(out.diags[0].skipped, 40);
	cr_assert(strstr(out.diags[0].message, "bad record magic"));
}

static void append_raw_record(uint16_t type, const void *payload, uint32_t plen)
{
	uint8_t *p = buf.data + buf.len;
	uint32_t crc;

	memcpy(p, "LREC", 4);
	p[4] = (uint8_t)type;
	p[5] = (uint8_t)(type >> 8);
	p[6] = p[7] = 0;
	memcpy(p + 8, &plen, 4);
	memcpy(p + 16, payload, plen);
	crc = crc32c(crc32c(0, p, 12), payload, plen);
	memcpy(p + 12, &crc, 4);
	buf.len += 16 + plen;
}

Test(log_format, intact_records_of_unknown_type_or_bad_payload_are_skipped)
{
	struct lt_record d = fx_drops(1, 3);
	size_t unknown_at, short_at;

	fx_header(&buf);
	unknown_at = buf.len;
	append_raw_record(99, "future", 6);
	short_at = buf.len;
	append_raw_record(LT_REC_EVENT, "\x01\x00", 2);
	fx_append(&buf, &d);
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ret, 0);
	cr_assert_eq(out.ndiags, 2);
	cr_assert_eq(out.diags[0].kind, LT_DIAG_UNKNOWN_TYPE);
	cr_assert_eq(out.diags[0].offset, unknown_at);
	cr_assert_eq(out.diags[1].kind, LT_DIAG_BAD_PAYLOAD);
	cr_assert_eq(out.diags[1].offset, short_at);
	cr_assert_eq(out.nrecs, 1);
	cr_assert_eq(out.recs[0].drops.lost.by_cause[LT_LOSS_RING_BUFFER], 3);
}

/* A drop record keeps its run and every cause, each in its own count. */
Test(log_format, drop_records_keep_the_run_and_every_cause)
{
	struct lt_record d = fx_drops(2, 0);

	d.drops.boottime_ns = 123;
	d.drops.run_id = 0x1122334455667788ull;
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++)
		d.drops.lost.by_cause[c] = 1000 + (uint64_t)c;
	fx_header(&buf);
	fx_append(&buf, &d);
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ndiags, 0);
	cr_assert_eq(out.nrecs, 1);
	cr_assert_eq(out.recs[0].drops.revision, LT_DROPS_REVISION);
	cr_assert_eq(out.recs[0].drops.run_id, 0x1122334455667788ull);
	cr_assert_eq(out.recs[0].drops.boottime_ns, 123);
	for (int c = 0; c < LT_LOSS_NR_CAUSES; c++)
		cr_assert_eq(out.recs[0].drops.lost.by_cause[c], 1000 + (uint64_t)c,
			     "%s", lt_loss_cause_name(c));
	/* Revision 1's fields stay first, where a revision 1 reader reads them. */
	cr_assert_eq(buf.data[LT_LOG_HEADER_LEN + LT_REC_HEADER_LEN + 12], 1000 & 0xff);
	cr_assert_eq(buf.data[LT_LOG_HEADER_LEN + LT_REC_HEADER_LEN + 20], 1001 & 0xff);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The 28 bytes of a revision 1 log: ring buffer and log full, no run id. */
Test(log_format, revision_1_drop_records_still_read)
{
	uint8_t payload[28] = { 0 };

	put_le(payload, 1, 4);
	put_le(payload + 4, 99, 8);
	put_le(payload + 12, 5, 8);
	put_le(payload + 20, 6, 8);
	fx_header(&buf);
	append_raw_record(LT_REC_DROPS, payload, sizeof(payload));
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ndiags, 0);
	cr_assert_eq(out.nrecs, 1);
	cr_assert_eq(out.recs[0].drops.revision, 1);
	cr_assert_eq(out.recs[0].drops.run_id, 0);
	cr_assert_eq(out.recs[0].drops.lost.by_cause[LT_LOSS_RING_BUFFER], 5);
	cr_assert_eq(out.recs[0].drops.lost.by_cause[LT_LOSS_LOG_FULL], 6);
	cr_assert_eq(lt_losses_total(&out.recs[0].drops.lost), 11);
}

/* Causes a later lutrace adds are read past; one it claims but lacks is not. */
Test(log_format, drop_causes_of_a_later_lutrace_are_read_past)
{
	uint8_t payload[40 + 8 * 8] = { 0 };

	put_le(payload + 12, 5, 8);
	put_le(payload + 28, 3, 2);		/* revision 3 */
	put_le(payload + 30, 8, 2);		/* 8 counts: 4 of ours, 4 new */
	put_le(payload + 32, 42, 8);
	put_le(payload + 40, 7, 8);		/* marker_lost */
	put_le(payload + 40 + 7 * 8, 9, 8);	/* a cause this reader lacks */
	fx_header(&buf);
	append_raw_record(LT_REC_DROPS, payload, sizeof(payload));
	append_raw_record(LT_REC_DROPS, payload, sizeof(payload) - 8);
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.nrecs, 1);
	cr_assert_eq(out.recs[0].drops.revision, 3);
	cr_assert_eq(out.recs[0].drops.run_id, 42);
	cr_assert_eq(out.recs[0].drops.lost.by_cause[LT_LOSS_RING_BUFFER], 5);
	cr_assert_eq(out.recs[0].drops.lost.by_cause[LT_LOSS_MARKER_LOST], 7);
	cr_assert_eq(out.ndiags, 1, "8 counts claimed, 7 there");
	cr_assert_eq(out.diags[0].kind, LT_DIAG_BAD_PAYLOAD);
}

/*
 * A time of 2^62 ns or later was not read from a clock (146 years): such a
 * record is reported and skipped, so the analysis never adds it up.
 */
Test(log_format, times_no_clock_reads_do_not_decode)
{
	struct lt_record last_ok = fx_event(1, LT_EV_MARKER, LT_TIME_LIMIT_NS - 1, NULL);
	struct lt_record late_event = fx_event(1, LT_EV_MARKER, LT_TIME_LIMIT_NS, NULL);
	struct lt_record late_anchor = fx_anchor(1, 0xaa, 1000, 5000, 1000);
	struct lt_record late_wall = fx_anchor(1, 0xaa, 1000, 5000, 1000);
	struct lt_record late_drops = fx_drops(1, 0);
	size_t at[4];

	late_anchor.anchor.boottime_ns = UINT64_MAX;
	late_wall.anchor.realtime_ns = LT_TIME_LIMIT_NS;
	late_drops.drops.boottime_ns = 1ull << 63;
	fx_header(&buf);
	fx_append(&buf, &last_ok);
	at[0] = fx_append(&buf, &late_event);
	at[1] = fx_append(&buf, &late_anchor);
	at[2] = fx_append(&buf, &late_wall);
	at[3] = fx_append(&buf, &late_drops);
	fx_append(&buf, &last_ok);
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.ret, 0);
	cr_assert_eq(out.nrecs, 2, "only the two records with times a clock reads");
	cr_assert_eq(out.recs[0].event.boottime_ns, LT_TIME_LIMIT_NS - 1);
	cr_assert_eq(out.ndiags, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(out.diags[i].kind, LT_DIAG_BAD_PAYLOAD);
		cr_assert_eq(out.diags[i].offset, at[i]);
		cr_assert(strstr(out.diags[i].message, "a time no clock reads"), "%s",
			  out.diags[i].message);
	}
}

Test(log_format, oversized_string_length_does_not_decode)
{
	/* An anchor whose kernel release claims 200 bytes (field holds 64). */
	uint8_t payload[64 + 200] = { 0 };
	size_t at;

	payload[60] = 200;
	fx_header(&buf);
	at = buf.len;
	append_raw_record(LT_REC_CLOCK_ANCHOR, payload, sizeof(payload));
	fx_parse(buf.data, buf.len, &out);
	cr_assert_eq(out.nrecs, 0);
	cr_assert_eq(out.ndiags, 1);
	cr_assert_eq(out.diags[0].kind, LT_DIAG_BAD_PAYLOAD);
	cr_assert_eq(out.diags[0].offset, at);
}

/* What the log writer does: one write() of an encoded record each. */
static void write_record(int fd, const struct lt_record *rec)
{
	uint8_t rb[LT_REC_HEADER_LEN + LT_REC_MAX_PAYLOAD];
	size_t n = lt_log_encode_record(rec, rb, sizeof(rb));

	cr_assert_neq(n, 0);
	cr_assert_eq(write(fd, rb, n), (ssize_t)n);
}

Test(log_format, writer_appends_on_an_fd)
{
	int fd = memfd_create("lutrace-test", 0);
	struct lt_record a = fx_anchor(1, 1, 10, 100, 1000000000);
	struct lt_record e = fx_event(1, LT_EV_KEXEC, 20, NULL);
	struct lt_record a2 = fx_anchor(2, 2, 5, 900, 1000000000);
	uint8_t hdr[LT_LOG_HEADER_LEN];
	char err[128];
	off_t size;

	cr_assert_geq(fd, 0);
	lt_log_encode_header(hdr, LT_LOG_FLAG_LUO_MEMFD);
	cr_assert_eq(write(fd, hdr, sizeof(hdr)), (ssize_t)sizeof(hdr));
	write_record(fd, &a);
	write_record(fd, &e);
	size = lseek(fd, 0, SEEK_END);
	cr_assert_eq(pread(fd, buf.data, (size_t)size, 0), size);
	cr_assert_eq(lt_log_check_header(buf.data, (size_t)size, err, sizeof(err)),
		     0, "%s", err);
	write_record(fd, &a2);
	size = lseek(fd, 0, SEEK_END);
	cr_assert_eq(pread(fd, buf.data, (size_t)size, 0), size);
	fx_parse(buf.data, (size_t)size, &out);
	cr_assert_eq(out.ret, 0);
	cr_assert_eq(out.ndiags, 0);
	cr_assert_eq(out.nrecs, 3);
	cr_assert_eq(out.recs[2].anchor.stage, 2);
	close(fd);
}

Test(log_format, header_check_refuses_a_log_of_another_version)
{
	uint8_t hdr[LT_LOG_HEADER_LEN];
	char err[128];

	lt_log_encode_header(hdr, 0);
	cr_assert_eq(lt_log_check_header(hdr, sizeof(hdr), err, sizeof(err)), 0);
	hdr[8] = 9;
	cr_assert_eq(lt_log_check_header(hdr, sizeof(hdr), err, sizeof(err)), -1);
	cr_assert(strstr(err, "unsupported flight log version 9"), "%s", err);
}

/* xorshift: deterministic, so a failure names a reproducible round. */
static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

Test(log_format, random_multi_byte_damage_never_yields_a_forged_record)
{
	size_t offs[5], n = build_sample(offs);
	static uint8_t copy[sizeof(buf.data)];
	uint32_t seed = 0x1badb002;

	for (int round = 0; round < 3000; round++) {
		size_t len = buf.len - next_random(&seed) % 64;
		int hits = 1 + next_random(&seed) % 8;

		memcpy(copy, buf.data, buf.len);
		for (int i = 0; i < hits; i++) {
			size_t at = LT_LOG_HEADER_LEN +
				    next_random(&seed) % (len - LT_LOG_HEADER_LEN);

			copy[at] = (uint8_t)next_random(&seed);
		}
		fx_parse(copy, len, &out);
		cr_assert_eq(out.ret, 0, "round %d", round);
		cr_assert_leq(out.nrecs, n, "round %d", round);
		/* Whatever survives is an original record at its own offset. */
		for (size_t i = 0; i < out.nrecs; i++) {
			size_t k = 0;

			while (k < n && offs[k] != out.recs[i].offset)
				k++;
			cr_assert_lt(k, n, "round %d: record at %zu is not original",
				     round, (size_t)out.recs[i].offset);
		}
	}
}

Test(log_format, used_length_of_a_presized_log_keeps_records_and_tears)
{
	size_t offs[5], end;

	build_sample(offs);
	end = buf.len;
	/* The drop record ends in zero bytes; none of them may be cut. */
	cr_assert_eq(buf.data[end - 1], 0);
	memset(buf.data + end, 0, 4096);
	cr_assert_eq(lt_log_used_length(buf.data, end + 4096), end);
	cr_assert_eq(lt_log_used_length(buf.data, end), end);
	/* A record torn mid-write into the zeros: kept up to its last byte. */
	buf.data[end] = 'L';
	buf.data[end + 1] = 'R';
	cr_assert_eq(lt_log_used_length(buf.data, end + 4096), end + 2);
	fx_parse(buf.data, end + 2, &out);
	cr_assert_eq(out.nrecs, 5);
	cr_assert_eq(out.ndiags, 1);
	cr_assert_eq(out.diags[0].kind, LT_DIAG_TORN);
	cr_assert_eq(out.diags[0].offset, end);
	/* Not a log: nothing to judge, nothing cut. Nothing written: empty. */
	cr_assert_eq(lt_log_used_length("plain\0\0", 7), 7);
	memset(buf.data, 0, 64);
	cr_assert_eq(lt_log_used_length(buf.data, 64), 0);
}

Test(log_format, used_length_behind_a_long_zero_tail)
{
	static uint8_t big[4 << 20];
	size_t end;

	fx_header(&buf);
	fx_append(&buf, &(struct lt_record){ .type = LT_REC_DROPS });
	end = buf.len;
	memcpy(big, buf.data, end);
	cr_assert_eq(lt_log_used_length(big, sizeof(big)), end);
	big[end + 5] = 7;	/* a torn byte after it stays visible */
	cr_assert_eq(lt_log_used_length(big, sizeof(big)), end + 6);
	big[end + 5] = 0;
	big[sizeof(big) - 1] = 1;	/* even at the very end */
	cr_assert_eq(lt_log_used_length(big, sizeof(big)), sizeof(big));
}
