#!/usr/bin/env bash
# One bounded libFuzzer run: TARGET over the checked-in CORPUS for SECONDS
# from SEED. New inputs go to a scratch corpus under build/fuzz (emptied
# first, so every run starts from the checked-in corpus alone), crashes to
# build/fuzz/artifacts. Prints one line: executions, corpus growth, crashes.
#
#   run.sh TARGET CORPUS SECONDS SEED [LIBFUZZER-OPTION...]
#
# Exit status 1 when the target crashed, leaked or hit UB (its report is in
# the output above the summary), 2 on bad usage.
set -euo pipefail

[ $# -ge 4 ] || { echo "usage: $0 TARGET CORPUS SECONDS SEED [OPTION...]" >&2; exit 2; }
target=$1 corpus=$2 seconds=$3 seed=$4
shift 4
name=$(basename "$target")
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/fuzz/run-$name
artifacts=$top/build/fuzz/artifacts
rm -rf "$work"
mkdir -p "$work" "$artifacts"
log=$work/libfuzzer.log

status=0
"$target" -seed="$seed" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$artifacts/$name-" "$@" "$work" "$corpus" >"$log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
seeds=$(find "$corpus" -type f | wc -l)
found=$(find "$work" -maxdepth 1 -type f ! -name libfuzzer.log | wc -l)
if [ "$status" -ne 0 ]; then
	grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz_(log|text):)' "$log" | head -n 20 >&2 || true
	crash=$(sed -n 's/^Test unit written to //p' "$log" | tail -n 1)
	echo "$name: FAILED after ${runs:-?} executions (seed $seed, $seeds seed inputs); input: ${crash:-none written}; log: $log"
	exit 1
fi
echo "$name: ${runs:-?} executions in $seconds s (seed $seed), $seeds seed inputs, $found new, 0 crashes"
