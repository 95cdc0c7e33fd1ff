#!/bin/sh
# The guest side of bench/tracer-cost.sh (issue 14, item 2): the same
# preserve/unpreserve loop (lu_loop cycle) with no tracer, with ftrace, with
# lutrace and with bpftrace recording the same events, in one boot: ROUNDS
# rounds, each running every tracer once on one device and once on all of
# them, in an order rotated by one each round. One line per run in
# /results/tracer-cost.txt: round, tracer, lu_loop's result line (events
# fired, elapsed ns) and what the tracer saw (recorded, lost). Command line:
# lutrace.bench_rounds= (5), lutrace.bench_iterations= (10000),
# lutrace.bench_one= (0).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh
# The test FLB of this kernel (CONFIG_LIVEUPDATE_TEST) logs every preserve
# and unpreserve: keep it off the serial console, which under TCG would
# cost more than all else.
echo 1 >/proc/sys/kernel/printk

rounds=$(cmdline_word lutrace.bench_rounds) || rounds=5
iterations=$(cmdline_word lutrace.bench_iterations) || iterations=10000
one_too=$(cmdline_word lutrace.bench_one) || one_too=0
out=/results/tracer-cost.txt
: >"$out"
all=$(vfio_edu_devices)
all=${all% }
sizes=$(echo "$all" | wc -w)
[ "$one_too" = 0 ] || sizes="1 $sizes"
tracers="none ftrace lutrace"
if ! bench_have_bpftrace; then
	echo "no_bpftrace $BENCH_BPFTRACE_ROOT/usr/bin/bpftrace is not there (no share)" >>"$out"
elif ! bench_bpftrace_start 2>/tmp/bpftrace-try.err; then
	echo "no_bpftrace it would not attach: $(tail -n 3 /tmp/bpftrace-try.err | tr '\n' ' ')" >>"$out"
else
	bench_bpftrace_stop >/dev/null
	tracers="$tracers bpftrace"
fi
echo "events $(bench_events | paste -sd, -)" >>"$out"

# A first loop, not measured: the first runs of a boot are slower.
# shellcheck disable=SC2086 # one BDF a word
lu_loop cycle "$iterations" $all >/dev/null

r=1
while [ "$r" -le "$rounds" ]; do
	for n in $sizes; do
		devs=$(echo "$all" | cut -d' ' -f"1-$n")
		for t in $(bench_rotate "$tracers" "$r"); do
			echo "round $r: $t on $devs" >&2
			# shellcheck disable=SC2086 # one BDF a word
			line=$(bench_run "$t" cycle "$iterations" $devs)
			echo "run round=$r $line" | tee -a "$out"
		done
	done
	r=$((r + 1))
done
