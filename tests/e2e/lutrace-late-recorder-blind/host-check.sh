#!/usr/bin/env bash
# On the host: a reset nobody could see must not become a PASS. Stage 2
# was booted without pci:pci_reset and its recorder attached after the
# reset, so no_reset_before_enable has no evidence either way: NOT_EXERCISED,
# saying which window was not covered.
set -euo pipefail
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" "${LUTRACE_BUDGET_MS:-20000}" \
	no_reset_before_enable=NOT_EXERCISED retrieved_and_finished=PASS \
	handover_complete=PASS log_intact=PASS || exit 1
why=$(grep -F "no reset seen, but" "$1/verify.txt" || true)
[ -n "$why" ] || { echo "host-check: NOT_EXERCISED without saying why" >&2; exit 1; }
echo "host-check: no evidence, no PASS: $why"
