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
# The violations are the first device's alone: its sysfs reset, imported
# pci_reset events (the function reset, and the secondary bus reset of the
# parent bus it may use; the opens after finish reset both devices, as they
# should). The one of the expected kind is checked.
named=$(grep -F ": reset between freeze and first enable: " "$1/verify.txt" || true)
devs=$(sed -n 's/^ *- \([0-9a-f:.]*\): reset between.*/\1/p' <<<"$named" | sort -u)
if [ -z "$named" ] || [ "$(grep -c . <<<"$devs")" != 1 ]; then
	echo "host-check: verify named resets of $(grep -c . <<<"$devs" || true) devices, not of the first alone: $named" >&2
	exit 1
fi
kind=${LUTRACE_EXPECT_RESET_KIND:-function}
named=$(grep -F "kind=$kind " <<<"$named" | head -n 1 || true)
[ -n "$named" ] || { echo "host-check: verify cites no reset of kind $kind" >&2; exit 1; }
at=$(sed -n 's/.*@\([0-9]*\)\]$/\1/p' <<<"$named")
ev=$(grep -F "\"offset\":$at}" "$1/events.jsonl" || true)
grep -qF '"event":"pci_reset"' <<<"$ev" || { echo "host-check: verify cites no pci_reset: $named" >&2; exit 1; }
grep -qF '"stage":2,' <<<"$ev" || { echo "host-check: the reset cited is not stage 2's" >&2; exit 1; }
grep -qF '"pid":0,' <<<"$ev" || {
	echo "host-check: the reset was seen by BPF: the recorder was not late" >&2
	exit 1
}
echo "host-check: the reset before the recorder attached was imported and named:$named"
