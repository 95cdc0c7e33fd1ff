#!/usr/bin/env bash
# The fuzz targets of make fuzz (tests/fuzz) for hours instead of a minute:
# FUZZ_HOURS each (default 2), from a random seed, on FUZZ_JOBS processes
# (default: the cores less one), over a corpus kept between runs in
# build/fuzz/long-* (it starts from the checked-in one). Prints, per target,
# the executions, the corpus growth and the crashes; exit status 1 if any.
#
# A crash input lands in build/fuzz/artifacts; reproduce it with
#   build/fuzz/fuzz_log build/fuzz/artifacts/fuzz_log-crash-...
# fix it with a unit test that fails first, and check the input into
# tests/fuzz/corpus/ so that every make fuzz replays it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
hours=${FUZZ_HOURS:-2}
cores=$(nproc)
jobs=${FUZZ_JOBS:-$((cores > 1 ? cores - 1 : 1))}
seconds=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')

make -s fuzz-build
failed=0
for target in fuzz_log fuzz_text; do
	kind=${target#fuzz_}
	corpus=build/fuzz/long-$kind
	log=build/fuzz/long-$target.log
	mkdir -p "$corpus" build/fuzz/artifacts
	before=$(find "$corpus" -type f | wc -l)
	start=$(date +%s)
	status=0
	# -fork runs the target in children and goes on after a crash.
	nice -n 10 "build/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
		-fork="$jobs" -ignore_crashes=1 -ignore_ooms=0 -ignore_timeouts=0 \
		-artifact_prefix="build/fuzz/artifacts/$target-" \
		"$corpus" "tests/fuzz/corpus/$kind" >"$log" 2>&1 || status=$?
	# The fork driver's status lines: "#EXECS: cov: ... oom/timeout/crash: O/T/C ..."
	last=$(grep -E '^#[0-9]+: .*oom/timeout/crash:' "$log" | tail -n 1 || true)
	execs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$last")
	crashes=$(sed -n 's|.*oom/timeout/crash: \([0-9]*\)/\([0-9]*\)/\([0-9]*\).*|\1 + \2 + \3|p' <<<"$last")
	crashes=$((${crashes:-0}))
	after=$(find "$corpus" -type f | wc -l)
	echo "$target: ${execs:-?} executions in $(($(date +%s) - start)) s on $jobs job(s), corpus $before -> $after, $crashes crash(es)/oom/timeout; log $log"
	if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		failed=1
	fi
done
exit "$failed"
