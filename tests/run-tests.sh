#!/usr/bin/env bash
# The body of `make test`: run every test step, one line per step, and end
# with "N passed, N failed". Exit status 1 when any step failed.
#
# Steps are "NAME|COMMAND"; each command runs from the repository root with
# its output kept in build/test-logs/NAME.log (its tail shown on failure).
# "NAME|vm ARGS..." is short for a VM scenario run: the initramfs is brought
# up to date, then tests/vm/run-scenario.sh ARGS... build/vm-runs/NAME.
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
	case "$cmd" in
	"vm "*) cmd="make -s initramfs && tests/vm/run-scenario.sh ${cmd#vm } build/vm-runs/$name" ;;
	esac
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
