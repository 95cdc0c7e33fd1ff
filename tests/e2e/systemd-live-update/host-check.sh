#!/usr/bin/env bash
# On the host, after the systemd guest's live update: the joined flight log
# verifies (every rule PASS), the metrics lutrace-report.service wrote for
# node_exporter describe that update, and no unit failed in either boot,
# shutdown for the kexec included (systemd's status lines on the console).
# The budget is lutrace-report.service's in the guest (tests/vm/systemd/
# lutrace-report-budget.conf).
set -euo pipefail
out=$1
fail() { echo "host-check: $*" >&2; exit 1; }

"$(dirname "$0")/../../vm/expect-verify.sh" "$out" "${LUTRACE_BUDGET_MS:-150000}" \
	handover_complete=PASS retrieved_and_finished=PASS no_reset_before_enable=PASS \
	no_iommu_fault=PASS other_opens_blocked=PASS mappings_identical=PASS \
	blackout_budget=PASS stages_contiguous=PASS no_dropped_events=PASS log_intact=PASS

prom=$out/results/lutrace.prom
# One rule is NOT_EXERCISED and allows itself: dma_kept_running, whose
# opt-in mode nothing used.
for want in 'lutrace_verify_failed_rules 0' 'lutrace_verify_not_exercised_rules 1' 'lutrace_stages 2' \
	'lutrace_verify_rule{rule="dma_kept_running",verdict="NOT_EXERCISED"} 1' \
	'lutrace_verify_rule{rule="handover_complete",verdict="PASS"} 1' \
	'lutrace_verify_rule{rule="retrieved_and_finished",verdict="PASS"} 1'; do
	grep -qxF "$want" "$prom" || fail "lutrace.prom has no line '$want'"
done
measured=$(grep -c '^lutrace_blackout_measured{device="[^"]*",stage="1"} 1$' "$prom" || true)
[ "$measured" = 2 ] || fail "lutrace.prom measured the blackout of $measured devices, not 2"
grep -Eq '^lutrace_blackout_seconds\{device="0000:01:00.0",stage="1"\} [0-9.]+$' "$prom" ||
	fail "lutrace.prom has no blackout for 0000:01:00.0"
! grep -q ' FAIL ' "$out/results/last-update.verify" || fail "the report's verdict has a FAIL"

for s in 1 2; do
	[ ! -s "$out/results/failed.stage$s" ] || fail "failed units in boot $s: $(cat "$out/results/failed.stage$s")"
done
# "[FAILED] Failed to start/stop UNIT": in colour on the console.
if grep -a 'FAILED' "$out/serial.log" >"$out/failed-status.txt"; then
	fail "systemd reported a failure on the console: $(tr -d '\033' <"$out/failed-status.txt" | head -n 5)"
fi
echo "host-check: verdict PASS, metrics of 2 devices, no failed unit in either boot"
