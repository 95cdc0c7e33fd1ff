#!/usr/bin/env bash
# Item 7: `lutrace verify` and `lutrace report` on generated flight logs of
# 10k, 100k and 1M events (bench/gen_flight.c: DEVICES devices' live update,
# streaming DMA, a preserve/unpreserve loop, markers, an anchor a second).
# Per size the wall time and peak RSS (GNU time) of each, RUNS repeats with
# the sizes and the two commands interleaved, and the growth exponent: the
# least-squares slope of log(time) or log(RSS) against log(events), per
# repeat. Targets: exponent <= 1.1, 1M events verified in < 5 s.
# And the same largest log with MANY_DEVICES devices against DEVICES, in
# the same repeats: analysis cost must not grow with events x devices.
#
#   bench/analysis-scale.sh       (DEVICES=8, MANY_DEVICES=32, RUNS=5;
#                                  BENCH_TINY=1: 2k and 20k events)
set -euo pipefail

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$BENCH_TOP"

devices=${DEVICES:-8}
many=${MANY_DEVICES:-32}
runs=$(bench_runs)
if bench_tiny; then
	sizes=(2000 20000)
else
	sizes=(10000 100000 1000000)
fi
lutrace=$BENCH_TOP/build/lutrace
make -s build/lutrace
tmp=$(bench_tmpdir)
trap 'rm -rf "$tmp"' EXIT

make -s build/bench/gen_flight
gen_flight=$BENCH_TOP/build/bench/gen_flight

# The event count of each log as written (a few over the size asked).
declare -A events
for n in "${sizes[@]}"; do
	events[$n]=$("$gen_flight" "$n" "$devices" "$tmp/$n.log")
	"$lutrace" verify --budget-ms 10000 "$tmp/$n.log" >"$tmp/check.out" 2>&1 ||
		{ cat "$tmp/check.out" >&2; echo "bench: the generated $n-event log does not verify PASS" >&2; exit 1; }
done

big=${sizes[-1]}
"$gen_flight" "$big" "$many" "$tmp/many.log" >/dev/null
"$lutrace" verify --budget-ms 10000 "$tmp/many.log" >"$tmp/check.out" 2>&1 ||
	{ cat "$tmp/check.out" >&2; echo "bench: the generated $many-device log does not verify PASS" >&2; exit 1; }

label() {
	awk -v n="$1" 'BEGIN { if (n >= 1e6) printf "%gM", n / 1e6; else printf "%gk", n / 1e3 }'
}

# Slope of log(y) against log(x) for "x y" lines: least squares.
slope() {
	awk '{ x = log($1); y = log($2); n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
		END { printf "%.4f\n", (n * sxy - sx * sy) / (n * sxx - sx * sx) }'
}

declare -A secs rss
for ((r = 0; r < runs; r++)); do
	for n in "${sizes[@]}"; do
		for cmd in verify report; do
			if [ "$cmd" = verify ]; then
				set -- "$lutrace" verify --budget-ms 10000 "$tmp/$n.log"
			else
				set -- "$lutrace" report "$tmp/$n.log"
			fi
			read -r s kib < <(bench_time_rss "$tmp/$cmd.out" "$@")
			secs[$cmd,$n]+="$s "
			rss[$cmd,$n]+="$(awk -v k="$kib" 'BEGIN { printf "%.2f", k / 1024 }') "
		done
	done
	for cmd in verify report; do
		if [ "$cmd" = verify ]; then
			set -- "$lutrace" verify --budget-ms 10000 "$tmp/many.log"
		else
			set -- "$lutrace" report "$tmp/many.log"
		fi
		read -r s _ < <(bench_time_rss "$tmp/$cmd.out" "$@")
		secs[$cmd,many]+="$s "
	done
done

# One exponent per repeat, from that repeat's sizes.
exponents() {
	local -n table=$1
	local cmd=$2 n
	for ((r = 0; r < runs; r++)); do
		for n in "${sizes[@]}"; do
			read -r -a vals <<<"${table[$cmd,$n]}"
			echo "${events[$n]} ${vals[$r]}"
		done | slope
	done
}

# Why the many-device log costs more, when that ratio is missed.
many_devices_why() {
	echo "something in $1 walks the whole trace once per device or handover again (walk the per-device index, lt_trace.devices, instead): perf record lutrace $1 on the $many-device log names it"
}

# The growth exponent of measure $1 for $cmd as figure $2 (target about
# linear), noted $3, and why when missed, $4.
exponent_row() {
	local e median note=$3
	mapfile -t e < <(exponents "$1" "$cmd")
	median=$(bench_stats "${e[@]}" | cut -f2)
	bench_target_met "<= 1.1" "$median" || note+="; super-linear: $4"
	bench_row 7 "$2" "-" "<= 1.1" "$note" "${e[@]}"
}

first=$(label "${sizes[0]}") last=$(label "${sizes[-1]}")
for cmd in verify report; do
	exponent_row secs "$cmd time exponent" "time against events, $first to $last, $devices devices" \
		"perf record $cmd on the $last log names the loop that grows"
	for n in "${sizes[@]}"; do
		target=-
		note="${events[$n]} events, $devices devices"
		# shellcheck disable=SC2086 # the values, one a word
		if [ "$cmd" = verify ] && [ "$n" = "$big" ] && ! bench_tiny; then
			target="< 5 s"
			median=$(bench_stats ${secs[$cmd,$n]} | cut -f2)
			bench_target_met "$target" "$median" ||
				note+="; over 5 s: perf record lutrace verify on this log shows where"
		fi
		# shellcheck disable=SC2086
		bench_row 7 "$cmd $(label "$n") events" s "$target" "$note" ${secs[$cmd,$n]}
	done
	mapfile -t e < <(bench_ratios "${secs[$cmd,many]}" "${secs[$cmd,$big]}")
	median=$(bench_stats "${e[@]}" | cut -f2)
	note="the $last log with $many devices against $devices"
	if ! bench_target_met "<= 1.2" "$median"; then
		note+="; $(many_devices_why "$cmd")"
	fi
	bench_row 7 "$cmd $last events: $many / $devices devices" x "<= 1.2x" "$note" "${e[@]}"
	# shellcheck disable=SC2086
	bench_row 7 "$cmd $last events, $many devices" s - "the ratio's $many-device side" ${secs[$cmd,many]}
	exponent_row rss "$cmd RSS exponent" "peak RSS against events, $first to $last" \
		"memory held per event grows with the log"
	for n in "${sizes[@]}"; do
		# shellcheck disable=SC2086
		note=$(bench_stats ${rss[$cmd,$n]} | awk -v log_bytes="$(stat -c %s "$tmp/$n.log")" -v ev="${events[$n]}" '
			{ printf "log %.1f MiB; at the median %.0f bytes an event in memory, %.0f in the log", log_bytes / 1048576, $2 * 1048576 / ev, log_bytes / ev }')
		# shellcheck disable=SC2086
		bench_row 7 "$cmd $(label "$n") events peak RSS" MiB - "$note" ${rss[$cmd,$n]}
	done
done
