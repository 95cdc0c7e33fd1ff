#!/usr/bin/env bash
# mappings_identical, old against new, side by side in one run: builds the
# lutrace of OLD_REV (default: the parent of the commit that made the check
# a sweep) in a temporary worktree, writes one flight log with N IOMMU
# mappings a side (bench/gen_mappings.c), and times `lutrace verify` of each
# binary on it, alternating, best of RUNS. Prints both times and the ratio.
#
# Usage: bench/mappings.sh [N [OLD_REV]]     (N default 40000; RUNS=5)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-40000}
runs=${RUNS:-5}
sweep=$(git -C "$root" log --format=%H -1 --grep='^analyze: mappings_identical by overlap')
old_rev=${2:-${sweep:+$sweep^}}
if [ -z "$old_rev" ]; then
	echo "bench: no OLD_REV given, and no commit in this branch made the check a sweep" >&2
	exit 2
fi
new_bin=$root/build/lutrace

tmp=$(mktemp -d)
cleanup() {
	git -C "$root" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

make -C "$root" -s build/lutrace
git -C "$root" worktree add --detach -q "$tmp/old" "$old_rev"
make -C "$tmp/old" -s build/lutrace >/dev/null
old_bin=$tmp/old/build/lutrace

gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$root/tracer" \
	-o "$tmp/gen" "$root/bench/gen_mappings.c" "$root"/tracer/log/*.c
"$tmp/gen" "$n" "$tmp/flight.log"

# Milliseconds of one `lutrace verify`; its mappings_identical line to $2.
time_verify() {
	local start end
	start=$(date +%s%N)
	"$1" verify -v "$tmp/flight.log" >"$2" 2>&1 || true
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

best_old=; best_new=
for ((i = 0; i < runs; i++)); do
	t=$(time_verify "$old_bin" "$tmp/old.out")
	if [ -z "$best_old" ] || [ "$t" -lt "$best_old" ]; then best_old=$t; fi
	t=$(time_verify "$new_bin" "$tmp/new.out")
	if [ -z "$best_new" ] || [ "$t" -lt "$best_new" ]; then best_new=$t; fi
done
echo "mappings: $n IOMMU mappings a side, lutrace verify, best of $runs"
echo "  old ($(git -C "$root" rev-parse --short "$old_rev")): $best_old ms   $(grep -A1 'mappings_identical' "$tmp/old.out" | tr -s ' \n' ' ')"
echo "  new (working tree): $best_new ms   $(grep -A1 'mappings_identical' "$tmp/new.out" | tr -s ' \n' ' ')"
awk -v o="$best_old" -v n="$best_new" 'BEGIN { printf "  ratio old/new: %.1fx\n", o / (n > 0 ? n : 1) }'
