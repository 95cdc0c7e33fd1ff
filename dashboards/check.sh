#!/usr/bin/env bash
# Checks dashboards/ against promtool and against what lutrace really emits:
#   1. promtool check rules + promtool test rules (the alert unit tests);
#   2. `lutrace metrics` on the VM flight logs of the lutrace-live-update and
#      lutrace-broken-reset scenarios (build/vm-runs/{SCENARIO,STEP} when a
#      VM run left them, else tests/flight-logs/SCENARIO.log): promtool check
#      metrics on the output, and the alerts the rules raise on it (none for
#      the good run, LutraceVerifyRuleFailed{rule="no_reset_before_enable"}
#      for the broken one; LutraceBlackoutOverBudget is left out there, as VM
#      timing varies: the unit tests cover it);
#   3. the Grafana dashboard: schemaVersion >= 36, a multi-value $instance,
#      a query in every target, PromQL that promtool parses, and recording
#      rules it reads defined in the rule file (grafana_check.py);
#   4. every lutrace_* family lutrace emits is read by a dashboard query;
#   5. every label (and, with a flight log, every rule/verdict/cause/phase
#      value) the rules, tests and panels match on is one lutrace emits
#      (labels_check.py), and every lutrace_* metric name in the rules, their
#      tests and every Grafana expression is one lutrace emits: taken from the
#      `lutrace metrics` output when there is a flight log, otherwise scraped
#      from the prom_family() calls in tracer/**/*.c (lutrace cannot make a flight
#      log without root and BPF, so there is no VM-less log to run it on).
# Usage: dashboards/check.sh   (from anywhere; needs promtool and python3)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=$root/build
lutrace=${LUTRACE_BIN:-$build/lutrace}
runs=${LUTRACE_VM_RUNS:-$build/vm-runs}
rules=$here/prometheus/lutrace.rules.yml
rules_test=$here/prometheus/lutrace.rules.test.yml
dashboard=$here/grafana/lutrace.json

fail() {
	echo "dashboards: FAIL: $*" >&2
	exit 1
}

command -v promtool >/dev/null || fail "promtool not found (Debian package prometheus; make deps)"
command -v python3 >/dev/null || fail "python3 not found"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Rules and their unit tests.
promtool check rules "$rules" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "promtool check rules"; }
(cd "$(dirname "$rules_test")" && promtool test rules "$(basename "$rules_test")") >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out" >&2; fail "promtool test rules"; }
echo "dashboards: rules: promtool check + $(grep -c '^  - name:' "$rules_test") unit tests pass"

# 2. lutrace metrics on the VM flight logs, if any.
declare -A expect=(
	[lutrace-live-update]=""
	[lutrace-broken-reset]="LutraceVerifyRuleFailed/no_reset_before_enable"
)
emitted=$tmp/emitted.prom
: >"$emitted"
nlogs=0
# A run by hand (tests/vm/run-scenario.sh) leaves build/vm-runs/SCENARIO; make
# test leaves build/vm-runs/STEP (tests/steps.txt). The newer log is taken;
# with neither, the real VM run's log kept in tests/flight-logs.
declare -A step=(
	[lutrace-live-update]=vm-lutrace
	[lutrace-broken-reset]=vm-lutrace-broken-reset
)
for scen in lutrace-live-update lutrace-broken-reset; do
	log=$runs/$scen/results/flight.log
	alt=$runs/${step[$scen]}/results/flight.log
	if [ -f "$alt" ] && { [ ! -f "$log" ] || [ "$alt" -nt "$log" ]; }; then
		log=$alt
	fi
	[ -f "$log" ] || log=$root/tests/flight-logs/$scen.log
	[ -f "$log" ] || continue
	[ -x "$lutrace" ] || fail "$log exists but $lutrace does not: make tracer"
	prom=$tmp/$scen.prom
	"$lutrace" metrics -o "$prom" "$log" || fail "lutrace metrics $log"
	promtool check metrics <"$prom" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "promtool check metrics on $scen"; }
	cat "$prom" >>"$emitted"
	python3 "$here/prom_alert_test.py" "$prom" "$scen" "${expect[$scen]}" >"$tmp/$scen.test.yml"
	cp "$rules" "$tmp/"
	(cd "$tmp" && promtool test rules "$scen.test.yml") >"$tmp/out" 2>&1 ||
		{ cat "$tmp/out" >&2; fail "alerts on the $scen VM flight log are not {${expect[$scen]}}"; }
	echo "dashboards: $scen (${log#"$root"/}): promtool check metrics clean; alerts {${expect[$scen]}} as expected"
	nlogs=$((nlogs + 1))
done

# 3. Metric names used vs emitted.
mapfile -t tracer_srcs < <(find "$root/tracer" -name '*.c' | sort)
python3 - "${tracer_srcs[@]}" >"$tmp/scraped" <<'PY'
import re, sys
names = set()
for path in sys.argv[1:]:
    src = open(path).read()
    names.update(re.findall(r'prom_family\(\s*[^,]+,\s*"(lutrace_[a-z0-9_]+)"', src))
print("\n".join(sorted(names)))
PY
if [ "$nlogs" -gt 0 ]; then
	sed -n 's/^# TYPE \(lutrace_[a-z0-9_]*\) .*/\1/p' "$emitted" | sort -u >"$tmp/known"
	source="the lutrace metrics output of $nlogs VM flight log(s)"
	# Keep the fallback below honest: the scrape must find what lutrace emits.
	diff -u "$tmp/known" "$tmp/scraped" >"$tmp/out" ||
		{ cat "$tmp/out" >&2; fail "prom_family() names scraped from tracer/**/*.c differ from what lutrace metrics emits (-emitted +scraped): fix the scrape in $0"; }
else
	cp "$tmp/scraped" "$tmp/known"
	source="names scraped from prom_family() in tracer/**/*.c; no VM flight log under $runs, and lutrace cannot write one without root and BPF, so promtool check metrics was not run"
fi
[ -s "$tmp/known" ] || fail "no lutrace metric names found in $source"

# The dashboard: structure ($instance, schemaVersion, a query per target),
# and its PromQL parsed by promtool as recording rules.
gsum=$(python3 "$here/grafana_check.py" "$dashboard" "$tmp/grafana-rules.yml" "$tmp/grafana-exprs") ||
	fail "$dashboard"
promtool check rules "$tmp/grafana-rules.yml" >"$tmp/out" 2>&1 ||
	{ cat "$tmp/out" >&2; fail "PromQL of $dashboard does not parse"; }
# Recording rules the dashboard reads must be in the rule file.
grep -o 'lutrace:[a-z0-9_:]*' "$tmp/grafana-exprs" | sort -u >"$tmp/recorded-used" || true
while read -r rec; do
	grep -q "record: $rec\$" "$rules" || fail "$dashboard reads $rec, which $rules does not record"
done <"$tmp/recorded-used"
# With both flight logs (a good and a failed update): every query has data on
# their metrics, so no panel is empty.
if [ "$nlogs" -eq 2 ]; then
	nexpr=$(grep -c 'record: grafana:expr_' "$tmp/grafana-rules.yml")
	pairs=()
	for scen in lutrace-live-update lutrace-broken-reset; do
		[ -f "$tmp/$scen.prom" ] && pairs+=("$tmp/$scen.prom" "$scen")
	done
	python3 "$here/prom_alert_test.py" --panels "$nexpr" "${pairs[@]}" >"$tmp/panels.test.yml"
	(cd "$tmp" && promtool test rules panels.test.yml) >"$tmp/out" 2>&1 ||
		{ cat "$tmp/out" >&2; grep -A2 '# grafana:expr_' "$tmp/grafana-rules.yml" >&2; fail "a query of $dashboard has no data on the VM flight logs' metrics (grafana:expr_N: see above)"; }
	gsum="$gsum, each with data on the VM flight logs' metrics"
fi
echo "dashboards: grafana: $gsum; PromQL parses"

cat "$rules" "$rules_test" "$tmp/grafana-exprs" |
	grep -o '\blutrace_[a-z0-9_]*' | sort -u >"$tmp/used"
unknown=$(comm -23 "$tmp/used" "$tmp/known")
[ -z "$unknown" ] || fail "metric names not emitted by lutrace ($source): $(echo "$unknown" | tr '\n' ' ')"
# And the other way round: every family lutrace emits is on the dashboard,
# so a new metric cannot be left where no one looks at it.
grep -o '\blutrace_[a-z0-9_]*' "$tmp/grafana-exprs" | sort -u >"$tmp/shown"
unshown=$(comm -23 "$tmp/known" "$tmp/shown")
[ -z "$unshown" ] || fail "metrics lutrace emits that no query of $dashboard reads ($source): $(echo "$unshown" | tr '\n' ' ')"
# Labels and label values in matchers, by(), on(), legends and annotations.
if [ "$nlogs" -gt 0 ]; then
	lsum=$(python3 "$here/labels_check.py" --emitted "$emitted" "$rules" "$rules_test" "$tmp/grafana-exprs") ||
		fail "labels not emitted by lutrace ($source)"
else
	lsum=$(python3 "$here/labels_check.py" --scrape "${tracer_srcs[@]}" -- "$rules" "$rules_test" "$tmp/grafana-exprs") ||
		fail "labels not emitted by lutrace ($source)"
fi
echo "dashboards: $lsum"
echo "dashboards: $(wc -l <"$tmp/used") lutrace metric names used in rules, tests and Grafana, all emitted; all $(wc -l <"$tmp/known") emitted on the dashboard ($source)"
