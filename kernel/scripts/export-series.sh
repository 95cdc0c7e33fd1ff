#!/usr/bin/env bash
# Regenerate kernel/patches from the commits on top of the base tag in
# $LUTRACE_CACHE/linux, with a cover letter taken from kernel/cover-letter.txt
# (first line: subject; the rest: body). Records the export so that
# prepare-tree.sh treats the tree as matching the series.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
tree=$cache/linux
stamp=$cache/linux.applied
patches=$top/kernel/patches

[ -d "$tree/.git" ] || { echo "export-series: no kernel tree at $tree (run make kernel first)" >&2; exit 1; }
if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	echo "export-series: $tree has uncommitted changes; commit them first" >&2
	exit 1
fi
base_tag=$(git -C "$tree" describe --tags --abbrev=0 --match 'base-*' HEAD)
count=$(git -C "$tree" rev-list --count "$base_tag..HEAD")

mkdir -p "$patches"
find "$patches" -maxdepth 1 -name '*.patch' -delete
if [ "$count" -gt 0 ]; then
	cover=()
	if [ -f "$top/kernel/cover-letter.txt" ]; then
		git -C "$tree" config branch."$(git -C "$tree" rev-parse --abbrev-ref HEAD)".description \
			"$(cat "$top/kernel/cover-letter.txt")"
		cover=(--cover-letter --cover-from-description=subject)
	fi
	git -C "$tree" format-patch -q --zero-commit --signature=lutrace \
		--numbered "${cover[@]}" -o "$patches" "$base_tag..HEAD"
fi

# The stamp has the same shape prepare-tree.sh writes after applying.
hash=$(find "$patches" -maxdepth 1 -name '*.patch' -print0 | sort -z | xargs -0 -r cat | sha256sum | cut -d' ' -f1)
echo "$base_tag:$hash $(git -C "$tree" rev-parse HEAD)" >"$stamp"
echo "export-series: $count patches from $base_tag written to kernel/patches" >&2
