#!/usr/bin/env bash
# On the host: the joined log holds stage 1 up to the jump although its
# recorder got SIGTERM first (handover_complete needs the freezes, the
# reboot freeze and the kexec from stage 1), and every rule passes.
set -euo pipefail
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" "${LUTRACE_BUDGET_MS:-20000}" \
	handover_complete=PASS retrieved_and_finished=PASS no_reset_before_enable=PASS \
	no_iommu_fault=PASS other_opens_blocked=PASS mappings_identical=PASS \
	blackout_budget=PASS stages_contiguous=PASS no_dropped_events=PASS log_intact=PASS
