#!/usr/bin/env bash
# make demo: boot the guest with N edu devices, live-update them across a
# kexec under lutrace and print what happened: each stage's checks, the
# per-device timelines and phase latencies joined across the kexec, the
# blackout of every device and lutrace's verdict.
#
# DEMO_MODE=keep-running runs the experimental keep-running live update
# instead (scenario lu-keep-running: one edu device in vfio's no-IOMMU mode,
# its DMA in flight at the jump) and prints the proof: edu's status at the
# jump, the pattern stage 2 found, lutrace's dma_kept_running verdict and
# the device gap of 0 beside the blackout.
#
#   demo.sh [DEVICES]
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
devices=${1:-2}
scenario=${DEMO_SCENARIO:-lutrace-live-update}
vm_args=(-n "$devices")
case "${DEMO_MODE:-default}" in
default) ;;
keep-running)
	scenario=lu-keep-running devices=1
	vm_args=(-n 1 -N -E dma_mask=0xffffffff)
	;;
*)
	echo "demo: DEMO_MODE is default or keep-running, not '$DEMO_MODE'" >&2
	exit 2
	;;
esac
out=$top/build/demo

echo "demo: booting the guest with $devices edu devices, scenario $scenario (TCG: this takes a while)"
status=0
"$top/tests/vm/run-scenario.sh" "${vm_args[@]}" "$scenario" "$out" || status=$?
"$top/tests/vm/summarize-run.sh" "$out"
if [ "$scenario" = lu-keep-running ] && [ -f "$out/host-check.log" ]; then
	echo
	echo "== the proof that the device kept doing DMA while the kernel was replaced"
	grep -E '^(not )?ok - ' "$out/host-check.log" || true
fi
if [ -f "$out/results/flight.log" ]; then
	echo
	echo "== lutrace report (both stages joined on one time axis)"
	"$top/build/lutrace" report "$out/results/flight.log" || status=1
	echo
	if [ "$scenario" = lu-keep-running ]; then
		# No IOMMU: nothing is mapped; no other open is tried. The
		# evidence of dma_kept_running is shown with -v.
		echo "== lutrace verify -v (mappings_identical and other_opens_blocked have nothing to check here)"
		"$top/build/lutrace" verify -v --budget-ms 60000 \
			--allow-not-exercised=mappings_identical,other_opens_blocked \
			"$out/results/flight.log" || status=1
	else
		echo "== lutrace verify"
		cat "$out/verify.txt"
	fi
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
