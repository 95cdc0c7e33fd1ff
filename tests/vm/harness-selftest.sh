#!/usr/bin/env bash
# The harness must fail loudly, with the reason and the serial tail, when the
# guest panics, hangs, or a stage fails or never runs. Runs the deliberately
# broken scenarios and checks what run-scenario.sh says about each.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/vm-runs/harness-selftest
failed=0

# expect_failure SCENARIO TIMEOUT PATTERN...: every PATTERN must be in the report.
expect_failure() {
	local scenario=$1 timeout=$2 log pattern
	shift 2
	log=$out/$scenario.out
	mkdir -p "$out"
	if "$top/tests/vm/run-scenario.sh" -n 1 -t "$timeout" "$scenario" "$out/$scenario" >"$log" 2>&1; then
		echo "not ok - $scenario: run-scenario.sh passed a broken run"
		failed=1
		return
	fi
	if ! grep -q -- "--- serial log (tail) ---" "$log"; then
		echo "not ok - $scenario: report has no serial log tail"
		failed=1
	fi
	for pattern in "$@"; do
		if grep -qE "$pattern" "$log"; then
			echo "ok - $scenario: $(grep -m1 -E "$pattern" "$log" | sed 's/^ *- //')"
		else
			echo "not ok - $scenario: no '$pattern' in its report:"
			sed 's/^/    /' "$log"
			failed=1
		fi
	done
}

expect_failure harness-panic 120 "kernel panic: .*Kernel panic"
expect_failure harness-hang 25 "timeout after 25s \(hang\)"
expect_failure harness-stage1-fails 120 "stage 1 exited 3" "stage 2 did not run to the end"
exit "$failed"
