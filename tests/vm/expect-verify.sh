#!/usr/bin/env bash
# Judge a run's flight log with lutrace verify and require exactly the
# verdicts given: each RULE=PASS|FAIL|NOT_EXERCISED must be what verify
# printed for RULE, and verify must exit 1 when any rule is expected to FAIL
# or be NOT_EXERCISED (verify fails on those too: the run is given no
# --allow-not-exercised), 0 otherwise. Rules not named may be anything, but
# exit 0 still needs each of them to PASS.
#
#   expect-verify.sh OUTDIR BUDGET_MS RULE=VERDICT...
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: expect-verify.sh OUTDIR BUDGET_MS RULE=VERDICT...}
budget=${2:?usage: expect-verify.sh OUTDIR BUDGET_MS RULE=VERDICT...}
shift 2

set +e
"$top/build/lutrace" verify --budget-ms "$budget" "$out/results/flight.log" >"$out/verify.txt" 2>&1
rc=$?
set -e
cat "$out/verify.txt"

want_rc=0 bad=0
for expect in "$@"; do
	rule=${expect%%=*} verdict=${expect#*=}
	case $verdict in FAIL | NOT_EXERCISED) want_rc=1 ;; esac
	got=$(awk -v r="$rule" '$2 == r { print $1; exit }' "$out/verify.txt")
	if [ "$got" != "$verdict" ]; then
		echo "expect-verify: $rule is ${got:-missing}, expected $verdict" >&2
		bad=1
	fi
done
if [ "$rc" != "$want_rc" ]; then
	echo "expect-verify: lutrace verify exited $rc, expected $want_rc" >&2
	bad=1
fi
exit "$bad"
