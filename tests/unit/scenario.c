// SPDX-License-Identifier: GPL-2.0
#include "scenario.h"

#include <criterion/criterion.h>

#define HZ 1000000000ull

const char *sc_dev(int d)
{
	static const char *const devs[] = { "0000:01:00.0", "0000:02:00.0",
					    "0000:03:00.0" };
	return d >= 0 && d < 3 ? devs[d] : NULL;
}

void sc_add(struct log_buf *b, uint32_t stage, uint16_t id, uint64_t bt_ns,
	    int d, int32_t arg)
{
	struct lt_record r = fx_event(stage, id, bt_ns, sc_dev(d));

	r.event.arg = arg;
	if (d >= 0) {
		r.event.bus = (uint8_t)(d + 1);
		r.event.token = (uint64_t)d + 1;
	}
	fx_append(b, &r);
}

static void add_map(struct log_buf *b, uint32_t stage, uint64_t bt_ns, int d,
		    uint64_t shift)
{
	struct lt_record r = fx_event(stage, LT_EV_IOMMU_MAP, bt_ns, NULL);

	r.event.iova = 0x100000ull * (uint64_t)(d + 1);
	r.event.phys = 0x80000000ull + 0x100000ull * (uint64_t)d + shift;
	r.event.size = 0x10000;
	r.event.iommu_domain = (uint32_t)d + 1;	/* one domain per device */
	fx_append(b, &r);
}

/* arg of device d's vfio_pci_liveupdate events (retrieve: in stage 2) */
static int32_t lu_flags(const struct scenario *sc, int d, bool retrieve)
{
	int32_t f = sc->lu_flags_unknown && !sc->keep_running[d] ? 0 : LT_LU_FLAGS_KNOWN;

	if (sc->keep_running[d] && !(retrieve && sc->retrieve_not_kept[d]))
		f |= LT_LU_KEEP_RUNNING | LT_LU_NOIOMMU;
	return f;
}

static void build_stage1(struct log_buf *b, const struct scenario *sc)
{
	struct lt_record a = fx_anchor(1, 0x11, 10 * SC_SEC, 1000 * HZ, HZ);
	struct lt_record last = fx_anchor(1, 0x11, 12150 * SC_MS, 100215 * HZ / 100, HZ);
	struct lt_record drops = fx_drops(1, sc->stage1_drops);

	fx_append(b, &a);
	if (!sc->no_attach_events)	/* by the first preserve: all seen */
		sc_add(b, 1, LT_EV_RECORDER_ATTACHED,
		       (sc->stage1_attached_ms ? sc->stage1_attached_ms : 11000) * SC_MS,
		       -1, 0);
	if (sc->kexec_at_entry && !sc->no_kexec)
		sc_add(b, 1, LT_EV_KEXEC, 11998 * SC_MS, -1, 0);
	for (int d = 0; d < SC_NDEV; d++) {
		sc_add(b, 1, LT_EV_VFIO_LU_PRESERVE, 11 * SC_SEC + (uint64_t)d * 10 * SC_MS, d,
		       lu_flags(sc, d, false));
		add_map(b, 1, 11500 * SC_MS + (uint64_t)d, d, 0);
		if (sc->dma_in_flight[d])
			sc_add(b, 1, LT_EV_DMA_IN_FLIGHT, 11900 * SC_MS + (uint64_t)d, d, 0);
		if (sc->keep_running[d]) {
			sc_add(b, 1, LT_EV_VFIO_RESET_SKIPPED, 12000 * SC_MS + (uint64_t)d, d,
			       LT_SKIP_KEEP_RUNNING);
		} else {
			sc_add(b, 1, LT_EV_PCI_RESET, 11999 * SC_MS + (uint64_t)d, d,
			       LT_PCI_RESET_FLR);
			sc_add(b, 1, LT_EV_VFIO_RESET, 12000 * SC_MS + (uint64_t)d, d,
			       LT_RESET_SITE_FREEZE);
		}
		if (!sc->no_freeze[d])
			sc_add(b, 1, LT_EV_VFIO_LU_FREEZE, 12001 * SC_MS + (uint64_t)d, d,
			       lu_flags(sc, d, false) |
			       (sc->keep_running[d] || !lu_flags(sc, d, false) ? 0 :
				LT_LU_RESET_DONE));
	}
	if (!sc->no_reboot) {
		struct lt_record r = fx_event(1, LT_EV_LU_REBOOT, 12100 * SC_MS, NULL);

		r.event.ret = sc->reboot_ret;
		fx_append(b, &r);
	}
	fx_append(b, &last);
	if (!sc->no_drops_record)
		fx_append(b, &drops);
	if (!sc->kexec_at_entry && !sc->no_kexec)
		sc_add(b, 1, LT_EV_KEXEC, 12200 * SC_MS, -1, 0);
}

static void build_stage2(struct log_buf *b, const struct scenario *sc)
{
	uint32_t n = sc->stage2_number ? sc->stage2_number : 2;
	struct lt_record a = fx_anchor(n, 0x22, 1 * SC_SEC, 1005 * HZ, HZ);
	struct lt_record last = fx_anchor(n, 0x22, 4500 * SC_MS, 10085 * HZ / 10, HZ);
	struct lt_record drops = fx_drops(n, 0);

	/* The wall clock ran on through the kexec: stage 2 booted at axis 14 s. */
	a.anchor.realtime_ns += 14 * SC_SEC + (uint64_t)sc->stage2_wall_clock_step_ns;
	last.anchor.realtime_ns += 14 * SC_SEC + (uint64_t)sc->stage2_wall_clock_step_ns;
	if (sc->stage2_tsc_not_invariant)
		a.anchor.tsc_flags = last.anchor.tsc_flags = LT_TSC_FLAGS_READ;
	fx_append(b, &a);
	if (!sc->no_attach_events)
		sc_add(b, n, LT_EV_RECORDER_ATTACHED, 1 * SC_SEC, -1,
		       LT_BOOT_ALL & ~(int32_t)sc->stage2_not_boot_traced);
	for (int d = 0; d < SC_NDEV; d++) {
		uint64_t dt = (uint64_t)d;

		sc_add(b, n, LT_EV_PCI_LU_INCOMING, 500 * SC_MS + dt, d, 0);
		if (sc->stage2_disturb[d])	/* a power state change: to D3hot */
			sc_add(b, n, sc->stage2_disturb[d], 1200 * SC_MS + dt, d,
			       sc->stage2_disturb[d] == LT_EV_PCI_POWER_STATE ?
			       LT_POWER_ARG(0, 3) : 0);
		if (sc->dma_check[d])
			sc_add(b, n, LT_EV_DMA_CHECK,
			       (sc->dma_check_late ? 2600 : 1500) * SC_MS + dt, d,
			       sc->dma_check[d] == 1);
		if (!sc->no_retrieve[d])
			sc_add(b, n, LT_EV_VFIO_LU_RETRIEVE, 2000 * SC_MS + dt, d,
			       lu_flags(sc, d, true));
		add_map(b, n, 2500 * SC_MS + dt, d, sc->stage2_phys_shift);
		if (sc->enable_with_reset[d])
			sc_add(b, n, LT_EV_VFIO_RESET, 3000 * SC_MS + dt, d,
			       LT_RESET_SITE_ENABLE);
		else
			sc_add(b, n, LT_EV_VFIO_RESET_SKIPPED, 3000 * SC_MS + dt, d,
			       sc->keep_running[d] ? LT_SKIP_KEEP_RUNNING :
						     LT_SKIP_LIVEUPDATE);
		if (sc->opens_blocked) {
			sc_add(b, n, LT_EV_OPEN_ATTEMPT, 2100 * SC_MS + dt, d, LT_OPEN_CDEV);
			sc_add(b, n, LT_EV_VFIO_OPEN_BLOCKED, 2101 * SC_MS + dt, d, LT_OPEN_CDEV);
		}
		if (!sc->no_finish[d])
			sc_add(b, n, LT_EV_VFIO_LU_FINISH, 4000 * SC_MS + dt, d, 0);
	}
	fx_append(b, &last);
	if (!sc->no_drops_record)
		fx_append(b, &drops);
}

void scenario_build(struct log_buf *b, const struct scenario *sc)
{
	fx_header(b);
	build_stage1(b, sc);
	if (!sc->no_stage2)
		build_stage2(b, sc);
}

void sc_join(struct lt_trace *t, const struct log_buf *b)
{
	char err[256];

	lt_trace_init(t);
	cr_assert_eq(lt_trace_add_log(t, "flight.log", b->data, b->len, err,
				      sizeof(err)), 0, "%s", err);
	cr_assert_eq(lt_trace_finish(t, err, sizeof(err)), 0, "%s", err);
}
