#!/bin/sh
# The guest side of bench/footprint.sh (issue 14, item 6): how long lutrace
# and bpftrace take from being started to having attached to the same
# tracepoints, and their memory while recording (VmHWM and VmRSS of
# /proc/PID/status after a loop of events, lu_loop cycle, went through
# them). lutrace records as bench/tracer-cost.sh has it (--transport file
# --no-import); attached is its "recording stage" line; bpftrace's is its
# last perf event fd (one per tracepoint; guest-lib.sh bench_bpftrace_start).
# Both polled every 0.1 s, timed by /proc/uptime. One line per run in
# /results/footprint.txt. Command line: lutrace.bench_rounds= (5).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh
echo 1 >/proc/sys/kernel/printk

rounds=$(cmdline_word lutrace.bench_rounds) || rounds=5
out=/results/footprint.txt
: >"$out"
all=$(vfio_edu_devices)
tracers=lutrace
bench_have_bpftrace && tracers="lutrace bpftrace"

uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

r=1
while [ "$r" -le "$rounds" ]; do
	for t in $(bench_rotate "$tracers" "$r"); do
		start=$(uptime_ms)
		bench_tracer_start "$t"
		attached=$(uptime_ms)
		pid=$(cat "/tmp/bench-$t.pid")
		# shellcheck disable=SC2086 # one BDF a word
		lu_loop cycle 1000 $all >/dev/null
		mem=$(awk '/^VmHWM:/ { h = $2 } /^VmRSS:/ { s = $2 } END { print "hwm_kb=" h, "rss_kb=" s }' "/proc/$pid/status")
		seen=$(bench_tracer_stop "$t" 0)
		echo "foot round=$r tracer=$t attach_ms=$((attached - start)) $mem $seen" | tee -a "$out"
	done
	r=$((r + 1))
done
