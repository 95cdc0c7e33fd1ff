#!/usr/bin/env bash
# On the host: the reset that happened before the recorder attached is in
# the log once, imported (no process id), and verify names it; the other
# device, not reset, still passes. LUTRACE_EXPECT_RESET_KIND: the pci_reset
# kind verify must cite (function: the device's own sysfs reset).
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
res=$1/results
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" "${LUTRACE_BUDGET_MS:-20000}" \
	no_reset_before_enable=FAIL retrieved_and_finished=PASS handover_complete=PASS \
	log_intact=PASS || exit 1
"$top/build/lutrace" report -j "$res/flight.log" | grep '"type":"event"' >"$1/events.jsonl"
# Exactly one violation: the sysfs reset of the first device, an imported
# pci_reset (the opens after finish reset both devices, as they should).
named=$(grep -F ": reset between freeze and first enable: " "$1/verify.txt" || true)
[ "$(grep -c . <<<"$named" || true)" = 1 ] || {
	echo "host-check: verify named $(grep -c . <<<"$named" || true) resets, not the one" >&2
	exit 1
}
at=$(sed -n 's/.*@\([0-9]*\)\]$/\1/p' <<<"$named")
ev=$(grep -F "\"offset\":$at}" "$1/events.jsonl" || true)
grep -qF '"event":"pci_reset"' <<<"$ev" || { echo "host-check: verify cites no pci_reset: $named" >&2; exit 1; }
kind=${LUTRACE_EXPECT_RESET_KIND:-function}
grep -qF "kind=$kind" <<<"$named" || {
	echo "host-check: the reset cited is not of kind $kind: $named" >&2
	exit 1
}
grep -qF '"stage":2,' <<<"$ev" || { echo "host-check: the reset cited is not stage 2's" >&2; exit 1; }
grep -qF '"pid":0,' <<<"$ev" || {
	echo "host-check: the reset was seen by BPF: the recorder was not late" >&2
	exit 1
}
echo "host-check: the reset before the recorder attached was imported and named:$named"
