#!/usr/bin/env bash
# Print a progress line for a running kernel build every PERIOD seconds, so
# a 20-minute first build is never silent: elapsed time, objects compiled in
# this build, and a share of the total when an earlier complete build of the
# variant counted it.
#
#   build-progress.sh OUT VARIANT START_EPOCH [KNOWN_TOTAL]
#
# Runs until killed by build-kernel.sh.
set -euo pipefail

out=$1 variant=$2 start=$3 known=${4:-}
period=${LUTRACE_PROGRESS_PERIOD:-60}

while sleep "$period"; do
	done_now=$(find "$out" -name '*.o' -newer "$out/lutrace.build-start" 2>/dev/null | wc -l)
	elapsed=$(( $(date +%s) - start ))
	line="build-kernel: $variant: $((elapsed / 60)) min $((elapsed % 60)) s, $done_now objects compiled"
	if [ -n "$known" ] && [ "$known" -gt 0 ]; then
		line="$line (of $known in the last full build)"
	else
		line="$line so far"
	fi
	echo "$line" >&2
done
