#!/usr/bin/env bash
# Item 7's sibling: mappings_identical, old against new, side by side in one
# run. Builds the lutrace of OLD_REV (default: the parent of the commit that
# made the check a sweep) in a temporary worktree, writes one flight log
# with N IOMMU mappings a side (bench/gen_mappings.c), and times `lutrace
# verify` of each binary on it, alternating, RUNS times. Rows: the ratio
# old/new, then each one's time.
#
# Usage: bench/mappings.sh [N [OLD_REV]]  (N default 40000, BENCH_TINY=1: 2000)
set -euo pipefail

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
root=$BENCH_TOP
if bench_tiny; then n=${1:-2000}; else n=${1:-40000}; fi
runs=$(bench_runs)
sweep=$(git -C "$root" log --format=%H -1 --grep='^analyze: mappings_identical by overlap' 2>/dev/null || true)
old_rev=${2:-${sweep:+$sweep^}}
[ -n "$old_rev" ] || bench_skip "needs OLD_REV, or the commit that made mappings_identical a sweep in this branch's history"
new_bin=$root/build/lutrace

tmp=$(mktemp -d)
cleanup() {
	git -C "$root" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

make -C "$root" -s build/lutrace
git -C "$root" worktree add --detach -q "$tmp/old" "$old_rev"
make -C "$tmp/old" -s build/lutrace >/dev/null 2>&1
old_bin=$tmp/old/build/lutrace

gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$root/tracer" \
	-o "$tmp/gen" "$root/bench/gen_mappings.c" "$root"/tracer/log/*.c
"$tmp/gen" "$n" "$tmp/flight.log"

# Seconds of one `lutrace verify`, its output to $2.
time_verify() {
	local start end
	start=$(bench_now_ns)
	"$1" verify -v "$tmp/flight.log" >"$2" 2>&1 || true
	end=$(bench_now_ns)
	awk -v ns=$((end - start)) 'BEGIN { printf "%.6f\n", ns / 1e9 }'
}

old_s=() new_s=()
for ((i = 0; i < runs; i++)); do
	old_s+=("$(time_verify "$old_bin" "$tmp/old.out")")
	new_s+=("$(time_verify "$new_bin" "$tmp/new.out")")
done
verdict() {
	grep -A1 'mappings_identical' "$1" | awk 'NR == 1 { print $1 }'
}
old_v=$(verdict "$tmp/old.out") new_v=$(verdict "$tmp/new.out")
rev=$(git -C "$root" rev-parse --short "$old_rev")
note="lutrace verify, $n IOMMU mappings a side; $rev said $old_v, this tree $new_v"
[ "$old_v" = "$new_v" ] || note+=" (the verdicts differ)"

mapfile -t ratio < <(bench_ratios "${old_s[*]}" "${new_s[*]}")
bench_row 7 "mappings_identical: $rev / this tree" x - "$note" "${ratio[@]}"
bench_row 7 "mappings_identical: $rev" s - "$note" "${old_s[@]}"
bench_row 7 "mappings_identical: this tree" s - "$note" "${new_s[@]}"
