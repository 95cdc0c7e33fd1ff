#!/usr/bin/env bash
# On the host: every lutrace verify rule passes on the joined flight log. The
# blackout budget fits QEMU under TCG, where the second kernel alone takes
# seconds to boot: it catches hangs and gross regressions, not milliseconds.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
# The IOMMU mappings name the domain they changed (fentry/fexit on
# iommu_map/iommu_unmap in the guest kernel): in both stages.
"$top/build/lutrace" report -v "$1/results/flight.log" >"$1/report-v.txt"
for stage in 1 2; do
	if ! grep -Eq "^ +[0-9.]+ +$stage +iommu_map +iommu_domain=[1-9][0-9]* iova=" "$1/report-v.txt"; then
		echo "host-check: no iommu_map with an iommu_domain in stage $stage (see $1/report-v.txt)" >&2
		exit 1
	fi
done
grep -Em4 "iommu_(un)?map +iommu_domain=" "$1/report-v.txt"
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" "${LUTRACE_BUDGET_MS:-20000}" \
	handover_complete=PASS retrieved_and_finished=PASS no_reset_before_enable=PASS \
	no_iommu_fault=PASS other_opens_blocked=PASS mappings_identical=PASS \
	blackout_budget=PASS stages_contiguous=PASS no_dropped_events=PASS log_intact=PASS
