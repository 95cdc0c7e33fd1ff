#!/bin/sh
# The guest side of bench/tracepoints-off.sh (issue 14, item 1): the
# preserve/unpreserve loop (lu_loop cycle) with nothing recording, on one
# device and on all, ROUNDS times, on whichever kernel the host booted (the
# guest kernel, whose series' events are there but disabled, or its
# bench-notrace variant, which has the trace calls compiled out). One line
# per run in /results/tracepoints-off.txt, and whether this kernel has the
# series' events at all. Command line: lutrace.bench_rounds= (3),
# lutrace.bench_iterations= (10000).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh
# The test FLB (CONFIG_LIVEUPDATE_TEST) logs every preserve: not to the console.
echo 1 >/proc/sys/kernel/printk

rounds=$(cmdline_word lutrace.bench_rounds) || rounds=3
iterations=$(cmdline_word lutrace.bench_iterations) || iterations=10000
out=/results/tracepoints-off.txt
T=/sys/kernel/tracing
[ -d "$T/events" ] || mount -t tracefs nodev "$T"
events=absent
# Defined in a file the variant builds with NOTRACE (luo_core.c)
[ -d "$T/events/liveupdate/liveupdate_file_preserve" ] && events=present
enabled=$(cat "$T/events/enable" 2>/dev/null || echo 0)
echo "kernel events=$events enabled=$enabled" >"$out"
all=$(vfio_edu_devices)
all=${all% }
one=${all%% *}

# A first loop, not measured: the first runs of a boot are slower.
# shellcheck disable=SC2086 # one BDF a word
lu_loop cycle "$iterations" $all >/dev/null
r=1
while [ "$r" -le "$rounds" ]; do
	for devs in "$one" "$all"; do
		# shellcheck disable=SC2086
		line=$(lu_loop cycle "$iterations" $devs | tail -n 1)
		echo "run round=$r ${line#lu_loop: }" >>"$out"
	done
	r=$((r + 1))
done
check "the loops ran" [ "$(grep -c '^run ' "$out")" = $((2 * rounds)) ]
checks_done
