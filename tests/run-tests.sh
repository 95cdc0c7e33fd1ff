#!/usr/bin/env bash
# The body of `make test`: run every test step, one line per step, and end
# with "N passed, N failed". Exit status 1 when any step failed.
#
# Steps are "name|command"; each command runs from the repository root with
# its output kept in build/test-logs/NAME.log (shown in full on failure).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=build/test-logs
mkdir -p "$logs"

mapfile -t steps < <(grep -v '^\s*#' tests/steps.txt | sed '/^\s*$/d')

passed=0 failed=0 failed_names=()
for step in "${steps[@]}"; do
	name=${step%%|*}
	cmd=${step#*|}
	log=$logs/$name.log
	start=$(date +%s)
	if bash -euo pipefail -c "$cmd" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'PASS %-32s %4ss\n' "$name" "$(($(date +%s) - start))"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		printf 'FAIL %-32s %4ss  (log: %s)\n' "$name" "$(($(date +%s) - start))" "$log"
		tail -n 60 "$log" | sed 's/^/    | /'
	fi
done

[ "$failed" -eq 0 ] || echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
