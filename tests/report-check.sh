#!/usr/bin/env bash
# lutrace-report (the body of lutrace-report.service) on generated flight
# logs (bench/gen_flight: a good live update of two devices, stage 1's boot
# id 0x10 repeated, stage 2's 0x20) and a real VM run's, with this boot's id
# set by LUTRACE_BOOT_ID and a stand-in for the recorder that writes the
# log file as it does:
#   - a cold boot (this boot is stage 1): exit 0, nothing written;
#   - a Live Update whose log appears only after the report started: it
#     waits, then writes last-update.log (the log, whole), last-update.verify
#     (PASS) and lutrace.prom (promtool-clean, 0 failed rules), no .tmp left;
#   - a blackout over LUTRACE_BUDGET_MS: exit 1, the failed rule in the metrics;
#   - a stage 2 whose recorder never attached (the VM log predates
#     recorder_attached), and a log nobody writes any more: exit 2 within
#     LUTRACE_REPORT_WAIT_S, nothing written;
#   - no textfile directory: the verdict is written, the metrics skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

make -s build/lutrace build/bench/gen_flight build/deploy/lutrace-report
tmp=$(mktemp -d)
writer=
trap '[ -z "$writer" ] || kill "$writer" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "report-check: $*" >&2; exit 1; }

build/bench/gen_flight 1000 2 "$tmp/good.log" >/dev/null
stage1=$(printf '10%.0s' {1..16})
stage2=$(printf '20%.0s' {1..16})

# report NAME BOOT_ID [VAR=VALUE...]: runs it on $tmp/NAME/, sets $status.
report() {
	local name=$1 id=$2
	shift 2
	mkdir -p "$tmp/$name/run" "$tmp/$name/textfile"
	status=0
	env LUTRACE=build/lutrace LUTRACE_BOOT_ID="$id" LUTRACE_STATE_DIR="$tmp/$name/run" \
		LUTRACE_REPORT_DIR="$tmp/$name/lib" LUTRACE_TEXTFILE_DIR="$tmp/$name/textfile" \
		LUTRACE_REPORT_WAIT_S=20 LUTRACE_BUDGET_MS=20000 "$@" \
		build/deploy/lutrace-report >"$tmp/$name.out" 2>&1 || status=$?
}
expect() {
	[ "$status" -eq "$2" ] || { cat "$tmp/$1.out" >&2; fail "$1: exit $status, expected $2"; }
}
written() { find "$tmp/$1/lib" "$tmp/$1/textfile" -type f -printf '%P\n' 2>/dev/null | sort | paste -sd' '; }
# A recorder stand-in: LOG copied to NAME's flight.log after DELAY s, then
# the file written twice a second, as the recorder's copy after each anchor.
recorder() {
	(sleep "$3"; cp "$2" "$tmp/$1/run/flight.log"
	for _ in $(seq 60); do touch "$tmp/$1/run/flight.log"; sleep 0.5; done) &
	writer=$!
}
stop_recorder() { kill "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true; writer=; }

mkdir -p "$tmp/cold/run" && cp "$tmp/good.log" "$tmp/cold/run/flight.log"
report cold "$stage1"
expect cold 0
grep -q 'did not come from a Live Update' "$tmp/cold.out" || fail "cold: $(cat "$tmp/cold.out")"
[ -z "$(written cold)" ] || fail "cold: a cold boot wrote $(written cold)"
echo "report-check: cold boot: nothing to report, nothing written"

mkdir -p "$tmp/good/run"
recorder good "$tmp/good.log" 1.5
start=$(date +%s)
report good "$stage2"
stop_recorder
expect good 0
[ "$(written good)" = "last-update.log last-update.verify lutrace.prom" ] ||
	fail "good: wrote '$(written good)'"
cmp -s "$tmp/good.log" "$tmp/good/lib/last-update.log" || fail "good: last-update.log is not the log"
tail -n 1 "$tmp/good/lib/last-update.verify" | grep -Eq "^verdict: PASS \(0 of [0-9]+ rules failed(, [0-9]+ not exercised, allowed)?\)$" ||
	fail "good: verdict $(tail -n 1 "$tmp/good/lib/last-update.verify")"
promtool check metrics <"$tmp/good/textfile/lutrace.prom" || fail "good: promtool check metrics"
grep -qx 'lutrace_verify_failed_rules 0' "$tmp/good/textfile/lutrace.prom" || fail "good: failed rules in lutrace.prom"
grep -q 'verdict: PASS' "$tmp/good.out" || fail "good: verify's output not on standard output"
echo "report-check: a Live Update, log late by 1.5 s: PASS after $(($(date +%s) - start)) s, log, verdict and metrics written"

mkdir -p "$tmp/over/run"
recorder over "$tmp/good.log" 0
report over "$stage2" LUTRACE_BUDGET_MS=1
stop_recorder
expect over 1
grep -qx 'lutrace_verify_rule{rule="blackout_budget",verdict="FAIL"} 1' "$tmp/over/textfile/lutrace.prom" ||
	fail "over: blackout_budget is not FAIL in lutrace.prom"
echo "report-check: a blackout over budget: exit 1, blackout_budget FAIL in the metrics"

vm_stage2=$(build/lutrace -j report tests/flight-logs/lutrace-live-update.log |
	sed -n 's/.*"type":"stage","stage":2,"boot_id":"\([0-9a-f]*\)".*/\1/p')
mkdir -p "$tmp/unattached/run"
recorder unattached tests/flight-logs/lutrace-live-update.log 0
report unattached "$vm_stage2" LUTRACE_REPORT_WAIT_S=2
stop_recorder
expect unattached 2
grep -q 'has not attached after 2s' "$tmp/unattached.out" || fail "unattached: $(cat "$tmp/unattached.out")"
[ -z "$(written unattached)" ] || fail "unattached: wrote $(written unattached)"

mkdir -p "$tmp/stale/run" && cp "$tmp/good.log" "$tmp/stale/run/flight.log"
touch -d '-1 min' "$tmp/stale/run/flight.log"
report stale "$stage2" LUTRACE_REPORT_WAIT_S=3
expect stale 2
grep -q 'was not written for 3s' "$tmp/stale.out" || fail "stale: $(cat "$tmp/stale.out")"
[ -z "$(written stale)" ] || fail "stale: wrote $(written stale)"
echo "report-check: a recorder that never attached, a log no longer written: exit 2 in time, nothing written"

mkdir -p "$tmp/nodir/run"
recorder nodir "$tmp/good.log" 0
report nodir "$stage2" LUTRACE_TEXTFILE_DIR="$tmp/nodir/none"
stop_recorder
expect nodir 0
[ "$(written nodir)" = "last-update.log last-update.verify" ] || fail "nodir: wrote '$(written nodir)'"
grep -q 'no metrics written' "$tmp/nodir.out" || fail "nodir: $(cat "$tmp/nodir.out")"
echo "report-check: no textfile directory: verdict kept, metrics skipped"
