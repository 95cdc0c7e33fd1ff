#!/usr/bin/env bash
# Issue 14, item 5: the event rate at which a tracer first loses events at
# its default sizes, lutrace against ftrace, and that every loss is
# counted. One VM boot (scenario bench-loss-threshold, 4 edu devices on
# vfio-pci): lu_loop burst, two threads each cycling a LUO session of its
# own device (8 events a cycle) and two each mapping and unmapping a page
# in its own IOAS (IOMMU_IOAS_MAP/UNMAP: an iommu map and an unmap event),
# paced together to a rate, for BENCH_SECONDS; the rates of BENCH_RATES in
# turn (0 last: as fast as the threads go) until the tracer counts a loss.
# lutrace: record --transport file --no-import, default 1 MiB ring buffer;
# ftrace: the same events in the default top-level buffer, one cat of each
# CPU's trace_pipe_raw reading it (as trace-cmd would). RUNS rounds,
# tracers alternating. The rate of a burst is lu_loop's count of events
# fired over its elapsed time; the figure is the rate of the first burst
# with a loss, or, when none lost any, the highest rate reached (a lower
# bound, said in the note); a loss is any event fired and not recorded, and
# the rate of the first counted loss (any cause lutrace counts: its ring buffer full, skipped BPF runs) is given
# too. Accounting: for every burst, fired - (recorded + counted lost) must
# be 0: lutrace's recorded are the events of lu_loop's pid in its log and
# its lost the ring_buffer, log_full, short_sample and prog_recursion
# counts of its summary (prog_recursion, the runs of its programs the
# kernel skipped, includes those of the programs that only note IOMMU
# domains, so lutrace may count more than it lost: never less); ftrace's recorded are entries + read events and its lost overrun
# + dropped events of per_cpu/cpu*/stats. The kernel's recursion_misses of
# lutrace's programs, read from their fdinfo before the stop, stay in the
# results beside lutrace's own prog_recursion count.
#
# BENCH_TINY=1 covers no tracer and no VM: lu_loop burst --dry-run on the
# host at two rates, to check its pacing (achieved / target rate) and this
# script's parsing of its lines.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$BENCH_TOP"

# From 2000: no tracer lost an event below 8000 in any run so far.
rates=${BENCH_RATES:-2000,4000,8000,16000,32000,0}
seconds=${BENCH_SECONDS:-2}
devices=4
runs=$(bench_runs)
# Tiny mode keeps to its own directory: a full run may be using this one.
out=build/bench/$BENCH_NAME
bench_tiny && out=build/bench-tiny/$BENCH_NAME
mkdir -p "$out"
results=$out/loss-threshold.txt

# "tracer round rate_target rate events recorded lost missed" of each
# burst line.
bursts_of() {
	bench_fields "$1" burst tracer round rate_target rate events recorded+0 lost+0 missed+0
}

if bench_tiny; then
	bench_need_file build/kernel/bzImage "the guest kernel's uapi headers (make kernel)"
	make -s build/guest/bin/lu_loop >&2
	: >"$results"
	for rate in 2000 20000; do
		line=$(build/guest/bin/lu_loop --dry-run burst -c 2 -r "$rate" -s 0.5 a b c d)
		echo "burst round=1 tracer=none ${line#lu_loop: } recorded=0 lost=0 other=0" >>"$results"
	done
	mapfile -t paced < <(bursts_of "$results" | awk '{ print $4 / $3 }')
	bench_row 5 "tiny: dry burst rate reached / target" x - \
		"lu_loop burst --dry-run on the host (no ioctl, no tracer), 4 threads, 2000 and 20000 events/s: the pacing only" \
		"${paced[@]}"
	exit 0
fi

bench_need_file build/kernel/bzImage "a guest kernel (make kernel)"
bench_need_cmd qemu-system-x86_64 "QEMU (make deps)"
make -s initramfs >&2
vm=(tests/vm/run-scenario.sh)
[ -z "${BENCH_VM_LOCK:-}" ] || vm=(flock "$BENCH_VM_LOCK" "${vm[@]}")
if ! "${vm[@]}" -n "$devices" -t 3000 \
	-a "lutrace.bench_rounds=$runs lutrace.bench_rates=$rates lutrace.bench_seconds=$seconds" \
	bench-loss-threshold "$out/vm" >"$out/vm.log" 2>&1; then
	bench_log "the VM run failed: see $out/vm.log"
	tail -n 30 "$out/vm.log" >&2
	exit 1
fi
cp "$out/vm/results/loss-threshold.txt" "$results"

# Per round: the rate of the first burst that lost an event (when $2 is
# "any": fired > recorded; "counted": a counted loss), else the highest
# rate reached and "bound"; one "ROUND RATE lost|bound" line per round.
first_loss() {
	bursts_of "$results" | awk -v t="$1" -v kind="$2" '$1 == t {
		loss = kind == "any" ? $5 > $6 : $7 > 0
		if (!($2 in done)) { if (loss) { r[$2] = $4; how[$2] = "lost"; done[$2] = 1 }
			else if ($4 > r[$2]) { r[$2] = $4; how[$2] = "bound" } }
		rounds[$2] = 1 }
		END { for (k in rounds) print k, r[k], how[k] }' | sort -n
}

# bench_row of tracer $1's first-loss rates of kind $2, named $3; the
# per-round rates go to rate_of[$1 $2].
first_loss_row() {
	local t=$1 kind=$2 figure=$3 l rate how values=() bound=0 note
	mapfile -t per_round < <(first_loss "$t" "$kind")
	[ "${#per_round[@]}" -gt 0 ] || { bench_log "no bursts of $t"; exit 1; }
	for l in "${per_round[@]}"; do
		read -r _ rate how <<<"$l"
		values+=("$rate")
		[ "$how" = bound ] && bound=$((bound + 1))
	done
	rate_of[$t $kind]="${values[*]}"
	note="events/s lu_loop fired in the first $seconds s burst $( [ "$kind" = any ] && echo "of which $t recorded fewer events than fired" || echo "with a loss $t counted") (rates $rates events/s, 0 = unpaced; 2 session-cycling and 2 map/unmap threads)"
	[ "$bound" = 0 ] || note+="; in $bound of ${#values[@]} rounds there was none even at the highest rate the threads reached under TCG: that rate is given, a lower bound"
	bench_row 5 "$figure" events/s - "$note" "${values[@]}"
}

# bench_row of fired - recorded - counted lost of every burst of tracer
# $1, with the target 0 and the note $3 on a miss. With $2 = 1 a count
# above the loss is no miss (lutrace's prog_recursion over-counts, see
# above); else any difference is.
unaccounted_row() {
	local t=$1 over_ok=$2 figure=$3 why=$4 values note
	mapfile -t values < <(bursts_of "$results" | awk -v t="$t" -v o="$over_ok" \
		'$1 == t { d = $5 - $6 - $7; if (o && d < 0) d = 0; print d < 0 ? -d : d }')
	note="per burst ($(bursts_of "$results" | awk -v t="$t" '$1 == t { n++; if ($5 > $6) l++ } END { print n + 0 " bursts, " l + 0 " with events not recorded" }')): fired minus what $t recorded and counted lost"
	local early
	early=$(awk -v t="$t" '$1 == "burst" && index($0, "tracer=" t " ") && /stopped=/ && !/stopped=SIGINT/ { n++ } END { print n + 0 }' "$results")
	[ "$early" = 0 ] || note+="; in $early burst(s) $t stopped recording before the SIGINT (its stderr: $out/vm/results/bench-lutrace-*.err)"
	[ "$over_ok" = 0 ] || note+=" (0 when it counted more: prog_recursion includes the programs noting IOMMU domains)"
	bench_target_met "<= 0" "$(bench_stats "${values[@]}" | cut -f3)" || note+="; missed (judged on the max, $(bench_stats "${values[@]}" | cut -f3)): $why"
	bench_row 5 "$figure" events "<= 0" "$note" "${values[@]}"
}

declare -A rate_of=()
first_loss_row lutrace any "events/s at first loss: lutrace"
first_loss_row lutrace counted "events/s at first counted loss: lutrace"
first_loss_row ftrace any "events/s at first loss: ftrace"
mapfile -t ratios < <(bench_ratios "${rate_of[lutrace any]}" "${rate_of[ftrace any]}")
bench_row 5 "rate at first loss: lutrace / ftrace" x - \
	"per round; a round in which one of them lost nothing compares a lower bound" "${ratios[@]}"
unaccounted_row lutrace 1 "events lost and not counted per burst: lutrace" \
	"events neither recorded nor counted lost by lutrace (ring_buffer, log_full, short_sample, prog_recursion): a loss no one counted; see $results"
unaccounted_row ftrace 0 "events lost and not counted per burst: ftrace" \
	"events neither in ftrace's buffer, read by its readers, nor in its overrun or dropped counts; see $results"
