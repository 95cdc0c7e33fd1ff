#!/usr/bin/env bash
# The body of `make bench`: runs every benchmark bench/*.sh (not lib.sh, not
# this driver, not fuzz-long.sh, which is no performance bench), collects
# the rows they write (bench/lib.sh says how), prints the figures with their
# targets and whether the median met each, and writes RESULTS.md: the
# machine, the date, the commit, the table, and for every target missed
# the bench's note on why and what would fix it.
#
# BENCH_TINY=1 (make test's bench-tiny step): each bench in its tiny
# configuration, results in build/bench-tiny/ and RESULTS.md there, never
# bench/RESULTS.md. Else results in build/bench/ and bench/RESULTS.md.
# BENCH_ONLY="NAME..." runs only those benches (RESULTS.md then goes to
# build/bench/ too: a partial table is not the project's).
#
# Exit status 1 when a bench failed to run (exit status neither 0 nor 77,
# or no row written); a missed target is a result, not a failure. A bench
# that exits 77 is listed as skipped with the "skipped: ..." line it printed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=bench/lib.sh
. bench/lib.sh

tiny=${BENCH_TINY:-0}
if [ "$tiny" = 1 ]; then
	out=build/bench-tiny
	results_md=$out/RESULTS.md
else
	out=build/bench
	results_md=bench/RESULTS.md
fi
[ -z "${BENCH_ONLY:-}" ] || results_md=$out/RESULTS.md
mkdir -p "$out"
all=$out/results.tsv
printf 'bench\titem\tfigure\tunit\tmin\tmedian\tmax\tn\ttarget\tnote\n' >"$all"

benches=()
for b in bench/*.sh; do
	name=$(basename "$b" .sh)
	case "$name" in lib | run | fuzz-long) continue ;; esac
	if [ -n "${BENCH_ONLY:-}" ] && ! grep -qw -- "$name" <<<"$BENCH_ONLY"; then
		continue
	fi
	benches+=("$name")
done

failed=() skipped=()
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for name in "${benches[@]}"; do
	tsv=$out/$name.tsv log=$out/$name.log
	rm -f "$tsv"
	start=$(date +%s)
	status=0
	BENCH_RESULTS=$top/$tsv BENCH_TINY=$tiny "bench/$name.sh" >"$log" 2>&1 || status=$?
	took=$(($(date +%s) - start))
	if [ "$status" -eq 77 ]; then
		why=$(grep -m1 '^skipped:' "$log" || echo "skipped: (no reason given)")
		skipped+=("$name: ${why#skipped: }")
		printf 'SKIP %-24s %4ss  %s\n' "$name" "$took" "$why"
	elif [ "$status" -ne 0 ] || [ ! -s "$tsv" ]; then
		failed+=("$name")
		printf 'FAIL %-24s %4ss  (exit status %s%s; log: %s)\n' "$name" "$took" "$status" \
			"$([ -s "$tsv" ] || echo ', no rows')" "$log"
		tail -n 30 "$log" | sed 's/^/    | /'
	else
		printf 'ran  %-24s %4ss  %s rows\n' "$name" "$took" "$(wc -l <"$tsv")"
	fi
	if [ -s "$tsv" ]; then
		awk -v b="$name" -F'\t' 'NF == 9 { print b "\t" $0 }
			NF != 9 { printf "bench/run.sh: %s: a row of %d fields left out: %s\n", b, NF, $0 > "/dev/stderr" }' \
			"$tsv" >>"$all"
	fi
done

# met / missed / "-" of every row, in a column after the note.
judged=$out/judged.tsv
: >"$judged"
while IFS=$'\t' read -r bench item figure unit min median max n target note; do
	[ "$bench" = bench ] && continue
	verdict=-
	if bench_target_met "$target" "$median"; then
		verdict=met
	else
		case $? in 1) verdict=missed ;; esac
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$bench" "$item" "$figure" "$unit" \
		"$min" "$median" "$max" "$n" "$target" "$note" "$verdict" >>"$judged"
done <"$all"

echo
sort -t$'\t' -s -k2,2n "$judged" | awk -F'\t' '
	BEGIN { printf "%-4s %-36s %12s %25s %-8s %3s %-12s %s\n", "item", "figure", "median", "(min .. max)", "unit", "n", "target", "" }
	{ printf "%-4s %-36s %12s %25s %-8s %3s %-12s %s\n", $2, $3, $6, "(" $5 " .. " $7 ")", $4, $8, $9, $11 }'

commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
	echo "# make bench: results"
	echo
	echo "Written by \`make bench\` (bench/run.sh); do not edit. Each figure is the median, with"
	echo "min and max, of n repeats; ratios come from A/B runs alternating in one run. A target"
	echo "is met when the median meets it. How each bench measures: the comment at the top of"
	echo "bench/NAME.sh; the row format: bench/lib.sh."
	echo
	echo "- machine: Linux $(uname -r), ${cpu:-unknown CPU}, $(nproc) cores"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $commit"
	[ "$tiny" = 1 ] && echo "- BENCH_TINY=1: tiny configurations, 1 repeat; not figures to quote"
	echo "- took: $(($(date +%s) - started)) s; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after (other work on the machine widens min..max and moves absolute figures; ratios less)"
	echo
	echo "| item | figure | median | min | max | unit | n | target | met | bench | note |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	sort -t$'\t' -s -k2,2n "$judged" | awk -F'\t' '
		{ gsub(/\|/, "\\|"); printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, $6, $5, $7, $4, $8, $9, $11, $1, $10 }'
	echo
	if awk -F'\t' '$11 == "missed" { found = 1 } END { exit !found }' "$judged"; then
		echo "## Targets missed: why, and what would fix it"
		echo
		sort -t$'\t' -s -k2,2n "$judged" | awk -F'\t' '$11 == "missed" {
			printf "- item %s, %s: %s %s against %s: %s\n", $2, $3, $6, $4, $9, ($10 == "-" ? "(the bench gave no note on why)" : $10) }'
		echo
	fi
	if [ "$tiny" != 1 ] && awk -F'\t' '$8 < 5 { found = 1 } END { exit !found }' "$judged"; then
		echo "## Figures of fewer than 5 repeats (RUNS was lowered, or the bench takes fewer)"
		echo
		awk -F'\t' '$8 < 5 { printf "- item %s, %s: n = %s\n", $2, $3, $8 }' "$judged"
		echo
	fi
	if [ "${#skipped[@]}" -gt 0 ]; then
		echo "## Skipped benches"
		echo
		printf -- '- %s\n' "${skipped[@]}"
		echo
	fi
	if [ "${#failed[@]}" -gt 0 ]; then
		echo "## Benches that failed to run"
		echo
		for f in "${failed[@]}"; do echo "- $f (log: $out/$f.log)"; done
		echo
	fi
} >"$results_md"

echo
echo "bench: $((${#benches[@]} - ${#failed[@]} - ${#skipped[@]})) ran, ${#skipped[@]} skipped, ${#failed[@]} failed; table in $results_md, rows in $all"
[ "${#failed[@]}" -eq 0 ]
