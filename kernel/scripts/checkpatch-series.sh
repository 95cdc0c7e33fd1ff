#!/usr/bin/env bash
# checkpatch.pl --strict over every patch of the series (not the cover
# letter, which is not a patch). Any ERROR, WARNING or CHECK fails, except
# the generic "does MAINTAINERS need updating?" reminder for a patch whose
# added files all fall under a directory MAINTAINERS already lists (an F:
# entry ending in "/" in the patched tree): checkpatch cannot see that.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tree=${LUTRACE_CACHE:-/var/cache/lutrace}/linux
[ -x "$tree/scripts/checkpatch.pl" ] || { echo "checkpatch-series: no kernel tree at $tree (make kernel)" >&2; exit 1; }

mapfile -t dirs < <(sed -n 's/^F:\t\(.*\/\)$/\1/p' "$tree/MAINTAINERS")
covered() {
	local f=$1 d
	for d in "${dirs[@]}"; do
		[ "${f#"$d"}" != "$f" ] && return 0
	done
	return 1
}

# Files a patch creates or renames into place.
added_files() {
	awk '/^diff --git /{ f = $4; sub(/^b\//, "", f) }
	     /^new file mode/{ print f }
	     /^rename to /{ print $3 }' "$1"
}

bad=0 n=0
for p in "$top"/kernel/patches/[0-9][0-9][0-9][0-9]-*.patch; do
	case "$p" in */0000-cover-letter.patch) continue ;; esac
	n=$((n + 1))
	# checkpatch exits 1 on any finding; the findings are judged below.
	out=$(cd "$tree" && { perl scripts/checkpatch.pl --strict --terse --no-tree --quiet "$p" || true; } |
		{ grep -E 'ERROR|WARNING|CHECK' || true; })
	[ -z "$out" ] && continue
	rest=$(grep -v 'does MAINTAINERS need updating' <<<"$out" || true)
	if [ "$rest" != "$out" ]; then
		while read -r f; do
			covered "$f" || { echo "$(basename "$p"): $f is under no MAINTAINERS directory entry"; bad=1; }
		done < <(added_files "$p")
	fi
	if [ -n "$rest" ]; then
		echo "$rest"
		bad=1
	fi
done
echo "checkpatch-series: $n patches checked, $([ "$bad" = 0 ] && echo clean || echo NOT clean)"
exit "$bad"
