#!/usr/bin/env bash
# On the host: every lutrace verify rule passes on the joined flight log. The
# blackout budget fits QEMU under TCG, where the second kernel alone takes
# seconds to boot: it catches hangs and gross regressions, not milliseconds.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
# The IOMMU mappings name the domain they changed (fentry/fexit on
# iommu_map/iommu_unmap in the guest kernel) in stage 1. In stage 2 the VMM
# maps its DMA buffers (0x110000, 0x120000, ...) before the recorder need
# have attached: those seen by BPF name their domain, imported ones none.
"$top/build/lutrace" report -v "$1/results/flight.log" >"$1/report-v.txt"
if ! grep -Eq "^ +[0-9.]+ +1 +iommu_map +iommu_domain=[1-9][0-9]* iova=" "$1/report-v.txt"; then
	echo "host-check: no iommu_map with an iommu_domain in stage 1 (see $1/report-v.txt)" >&2
	exit 1
fi
if ! grep -Eq "^ +[0-9.]+ +2 +iommu_map +(iommu_domain=[1-9][0-9]* )?iova=0x110000 " "$1/report-v.txt"; then
	echo "host-check: the first device's DMA buffer (iova 0x110000) is not mapped in stage 2 (see $1/report-v.txt)" >&2
	exit 1
fi
grep -Em4 "iommu_(un)?map +iommu_domain=" "$1/report-v.txt"
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" "${LUTRACE_BUDGET_MS:-20000}" \
	handover_complete=PASS retrieved_and_finished=PASS no_reset_before_enable=PASS \
	no_iommu_fault=PASS other_opens_blocked=PASS mappings_identical=PASS \
	blackout_budget=PASS stages_contiguous=PASS no_dropped_events=PASS log_intact=PASS
