#!/usr/bin/env bash
# make demo: boot the guest with N edu devices, live-update them across a
# kexec under lutrace and print what happened: each stage's checks, the
# per-device timelines and phase latencies joined across the kexec, the
# blackout of every device and lutrace's verdict.
#
#   demo.sh [DEVICES]
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
devices=${1:-2}
scenario=${DEMO_SCENARIO:-lutrace-live-update}
out=$top/build/demo

echo "demo: booting the guest with $devices edu devices, scenario $scenario (TCG: this takes a while)"
status=0
"$top/tests/vm/run-scenario.sh" -n "$devices" "$scenario" "$out" || status=$?
"$top/tests/vm/summarize-run.sh" "$out"
if [ -f "$out/results/flight.log" ]; then
	echo
	echo "== lutrace report (both stages joined on one time axis)"
	"$top/build/lutrace" report "$out/results/flight.log" || status=1
	echo
	echo "== lutrace verify"
	cat "$out/verify.txt"
	echo
	echo "== for the dashboards and the browser"
	mkdir -p "$out/textfile"
	"$top/build/lutrace" metrics --budget-ms 20000 --textfile-dir "$out/textfile" "$out/results/flight.log" || status=1
	"$top/build/lutrace" export --perfetto -o "$out/trace.json" "$out/results/flight.log" || status=1
	"$top/build/lutrace" export --html --budget-ms 20000 -o "$out/report.html" "$out/results/flight.log" || status=1
	echo "Prometheus textfile: $out/textfile/lutrace.prom (dashboards/README.md)"
	echo "Perfetto trace:      $out/trace.json (ui.perfetto.dev)"
	echo "HTML report:         $out/report.html"
fi
exit "$status"
