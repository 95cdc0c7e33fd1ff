#!/usr/bin/env bash
# On the host: every lutrace verify rule passes on the joined flight log. The
# blackout budget fits QEMU under TCG, where the second kernel alone takes
# seconds to boot: it catches hangs and gross regressions, not milliseconds.
set -euo pipefail
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" "${LUTRACE_BUDGET_MS:-20000}" \
	handover_complete=PASS retrieved_and_finished=PASS no_reset_before_enable=PASS \
	no_iommu_fault=PASS other_opens_blocked=PASS mappings_identical=PASS \
	blackout_budget=PASS stages_contiguous=PASS no_dropped_events=PASS log_intact=PASS
