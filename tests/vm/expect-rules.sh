#!/usr/bin/env bash
# Judge a run's flight log with lutrace verify --rules FILE, as a CI job
# would: the text verdicts, --tap and --junit must all say what is
# expected. Each RULE=PASS|FAIL|NOT_EXERCISED must be RULE's verdict (a
# user rule or a built-in one) in all three; verify must exit 1 when any is
# expected to FAIL or be NOT_EXERCISED, else 0; the JUnit report must
# validate against tests/schema/junit.xsd.
#
#   expect-rules.sh OUTDIR RULES_FILE BUDGET_MS RULE=VERDICT...
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
usage="usage: expect-rules.sh OUTDIR RULES_FILE BUDGET_MS RULE=VERDICT..."
out=${1:?$usage}
rules=${2:?$usage}
budget=${3:?$usage}
shift 3
log=$out/results/flight.log

run_verify() {
	set +e
	"$top/build/lutrace" verify --budget-ms "$budget" --rules "$rules" "$@" "$log"
	echo "rc=$?"
	set -e
}
run_verify --junit "$out/rules-junit.xml" >"$out/rules-verify.txt" 2>&1
run_verify --tap >"$out/rules-verify.tap" 2>&1
cat "$out/rules-verify.txt"

want_rc=0 bad=0
for expect in "$@"; do
	rule=${expect%%=*} verdict=${expect#*=}
	case $verdict in FAIL | NOT_EXERCISED) want_rc=1 ;; esac
	got=$(awk -v r="$rule" '$2 == r { print $1; exit }' "$out/rules-verify.txt")
	if [ "$got" != "$verdict" ]; then
		echo "expect-rules: $rule is ${got:-missing}, expected $verdict" >&2
		bad=1
	fi
	case $verdict in
	PASS) tap="^ok [0-9]+ $rule\$" junit="<system-out>" ;;
	*) tap="^not ok [0-9]+ $rule # $verdict\$" junit="<failure type=\"$verdict\"" ;;
	esac
	if ! grep -Eq "$tap" "$out/rules-verify.tap"; then
		echo "expect-rules: --tap has no line /$tap/" >&2
		bad=1
	fi
	if ! grep -A1 "name=\"$rule\" time=" "$out/rules-junit.xml" | tail -n 1 | grep -q -- "$junit"; then
		echo "expect-rules: the JUnit testcase $rule does not say $verdict" >&2
		bad=1
	fi
done
for f in "$out/rules-verify.txt" "$out/rules-verify.tap"; do
	if ! grep -qx "rc=$want_rc" "$f"; then
		echo "expect-rules: lutrace verify exited $(grep '^rc=' "$f"), expected $want_rc ($f)" >&2
		bad=1
	fi
done
if ! xmllint --noout --schema "$top/tests/schema/junit.xsd" "$out/rules-junit.xml"; then
	echo "expect-rules: $out/rules-junit.xml is not JUnit XML" >&2
	bad=1
fi
exit "$bad"
