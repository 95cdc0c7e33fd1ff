#!/bin/sh
# The guest side of bench/loss-threshold.sh (issue 14, item 5): bursts of
# events at rising rates until a tracer first loses one, for lutrace
# (record --transport file --no-import, default 1 MiB ring buffer) and for
# ftrace's default top-level buffer consumed by one cat of each CPU's
# trace_pipe_raw. A burst is lu_loop burst on every edu device: the first
# two each cycle a LUO session of their device from a thread of their own,
# the others each map and unmap a page in their IOAS from theirs, together
# paced to RATE events a second for SECONDS. Each rate of
# lutrace.bench_rates (0: as fast as the threads go) is tried in order
# until the tracer counts a loss (events it did not see without counting
# them, which the host finds from the counts, do not end it). One line per burst in
# /results/loss-threshold.txt: round, tracer, lu_loop's result line (events
# fired by its own count, rate reached) and what the tracer recorded and
# counted as lost. Command line: lutrace.bench_rounds= (5),
# lutrace.bench_rates= (comma-separated), lutrace.bench_seconds= (2),
# lutrace.bench_settle= (0: seconds between a burst's end and the stop).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh
# The test FLB logs every preserve and unpreserve: not on the serial console.
echo 1 >/proc/sys/kernel/printk

rounds=$(cmdline_word lutrace.bench_rounds) || rounds=5
rates=$(cmdline_word lutrace.bench_rates) || rates=1000,2000,4000,8000,16000,32000,0
seconds=$(cmdline_word lutrace.bench_seconds) || seconds=2
out=/results/loss-threshold.txt
: >"$out"
all=$(vfio_edu_devices)
BENCH_SETTLE_S=$(cmdline_word lutrace.bench_settle) || BENCH_SETTLE_S=0
BENCH_FTRACE_READERS=1
export BENCH_FTRACE_READERS BENCH_SETTLE_S

r=1
while [ "$r" -le "$rounds" ]; do
	for t in $(bench_rotate "lutrace ftrace" "$r"); do
		for rate in $(echo "$rates" | tr , ' '); do
			echo "round $r: $t at $rate events/s" >&2
			# shellcheck disable=SC2086 # one BDF a word
			line=$(bench_run "$t" burst -c 2 -r "$rate" -s "$seconds" $all)
			echo "burst round=$r $line" | tee -a "$out"
			[ "$(bench_field lost "$line")" = 0 ] || break
		done
	done
	r=$((r + 1))
done
