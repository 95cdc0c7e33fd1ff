#!/usr/bin/env bash
# Print a short human summary of one run-scenario.sh output directory.
#
#   summarize-run.sh OUTDIR
set -euo pipefail

out=${1:?usage: summarize-run.sh OUTDIR}
res=$out/results

# timing lines are "what guest-uptime-seconds"; one per event, in order.
t() { awk -v k="$1" '$1 == k { print $2; exit }' "$res/timing" 2>/dev/null; }
span() { [ -n "$1" ] && [ -n "$2" ] && echo "$2 - $1" | bc; }

echo
echo "== $(head -n 1 "$out/summary.txt")"
s=0
while [ -f "$res/stage$((s + 1)).log" ]; do
	s=$((s + 1))
	rc=$(cat "$res/stage$s.rc" 2>/dev/null || echo "missing")
	echo "-- stage $s (exit $rc), kernel booted to /init at $(t "stage${s}_boot")s guest uptime, stage ran $(span "$(t "stage${s}_boot")" "$(t "stage${s}_done")")s"
	grep -E '^(ok|not ok) - ' "$res/stage$s.log" | sed 's/^/   /'
done
if [ -n "$(t kexec_jump)" ]; then
	echo "-- kexec: loaded in $(span "$(t stage1_done)" "$(t kexec_jump)")s guest time"
fi
if [ -f "$out/serial.log" ]; then
	grep -E "KHO: found kexec handover data|luo: Retrieved live update data|KHO: exec from" "$out/serial.log" |
		sed 's/^\[ *[0-9.]*\] /   kernel: /' || true
fi
