#!/usr/bin/env bash
# Issue 14, item 3: what observing a live update costs its blackout. The
# live update of make demo (2 edu devices, DMA, one session) is run with
# lutrace recording both stages (scenario lutrace-live-update) and with no
# tracer at all (lu-one-session: the same lu_vfio steps, no recorder, no
# boot-time trace_event=), alternating, BENCH_REPEATS times each (5; 1 with
# BENCH_TINY=1). The blackout is timed by the host, not by lutrace: the
# guest writes "freeze" just before its kexec and "retrieve" at its first
# device retrieved to a second serial port, and the host stamps each line
# as it arrives (run-scenario.sh -c). A third set records with the
# recorder's start-up at normal priority (lutrace.idle_start=0), to show
# what running it at SCHED_IDLE is worth.
#
# Rows (tab-separated, appended to $BENCH_RESULTS, default
# build/bench/observer-effect.tsv): item figure unit min median max n
# target note. Exit 77 (reason on stderr) when there is no guest kernel.
# BENCH_VM_LOCK=FILE takes that flock around each VM run (leave it unset
# when the caller holds the lock already).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
name=observer-effect
results=${BENCH_RESULTS:-build/bench/$name.tsv}
repeats=${BENCH_REPEATS:-5}
[ "${BENCH_TINY:-0}" = 1 ] && repeats=1
runs=build/bench/$name
devices=2

if [ ! -f build/kernel/bzImage ]; then
	echo "$name: skipped: no guest kernel (build/kernel/bzImage; make kernel)" >&2
	exit 77
fi
command -v qemu-system-x86_64 >/dev/null || { echo "$name: skipped: no qemu-system-x86_64" >&2; exit 77; }
make -s initramfs >&2

# mode: scenario and extra kernel command line
declare -A scenario=([without]=lu-one-session [with]=lutrace-live-update
	[with_normal_start]=lutrace-live-update)
declare -A cmdline=([without]="" [with]="" [with_normal_start]="lutrace.idle_start=0")
modes=(without with with_normal_start)
declare -A blackouts=()

# Seconds from the "freeze" line to the "retrieve" line of clock log $1.
blackout_of() {
	awk '$2 == "freeze" { f = $1 } $2 == "retrieve" && !r { r = $1 }
		END { if (f == "" || r == "") exit 1; printf "%.3f\n", r - f }' "$1"
}

run_once() {
	local mode=$1 r=$2 out=$runs/$1-$2 vm=(tests/vm/run-scenario.sh) b
	[ -z "${BENCH_VM_LOCK:-}" ] || vm=(flock "$BENCH_VM_LOCK" "${vm[@]}")
	mkdir -p "$runs"
	if ! "${vm[@]}" -n "$devices" -a "${cmdline[$mode]}" -c "$out.clock" \
		"${scenario[$mode]}" "$out" >"$out.log" 2>&1; then
		echo "$name: $mode run $r failed: see $out.log" >&2
		tail -n 20 "$out.log" >&2
		exit 1
	fi
	if ! b=$(blackout_of "$out.clock"); then
		echo "$name: $mode run $r: no freeze and retrieve lines in $out.clock" >&2
		exit 1
	fi
	echo "$name: $mode run $r: blackout $b s" >&2
	blackouts[$mode]+="$b "
}

for r in $(seq 1 "$repeats"); do
	# Alternate which goes first, so a drift in the machine's load is shared.
	if [ $((r % 2)) = 1 ]; then order=("${modes[@]}"); else order=(with_normal_start with without); fi
	for mode in "${order[@]}"; do run_once "$mode" "$r"; done
done

# min median max of the numbers given, one line
stats() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.3f\t%.3f\t%.3f\n", v[1], m, v[NR] }'
}

# Run r's ratio of mode $1 to the run r without a tracer, for every r.
ratios() {
	local -a a b
	read -ra a <<<"${blackouts[$1]}"
	read -ra b <<<"${blackouts[without]}"
	for i in "${!a[@]}"; do awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.4f\n", x / y }'; done
}

median_of() { stats "$@" | cut -f2; }

mkdir -p "$(dirname "$results")"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" | tee -a "$results"; }
# shellcheck disable=SC2086 # one number per word
{
	without=$(median_of ${blackouts[without]})
	row blackout without_tracer s "$(stats ${blackouts[without]})" "$repeats" - \
		"freeze to first retrieve, host clock, $devices devices"
	row blackout with_lutrace s "$(stats ${blackouts[with]})" "$repeats" - \
		"lutrace recording both stages, start-up at SCHED_IDLE"
	row blackout with_lutrace_normal_start s "$(stats ${blackouts[with_normal_start]})" "$repeats" - \
		"the same, start-up at normal priority"
	for mode in with with_normal_start; do
		m=$(median_of ${blackouts[$mode]})
		mapfile -t rs < <(ratios "$mode")
		row blackout "ratio_$mode" x "$(stats "${rs[@]}")" "$repeats" "<=1.01" \
			"per alternating pair; medians $m s / $without s"
	done
}
