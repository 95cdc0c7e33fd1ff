#!/usr/bin/env bash
# Make $LUTRACE_CACHE/linux a git tree of the Debian 7.2 source with the
# base commit tagged, and kernel/patches applied on top with git am.
#
# The patches are the source of truth; the tree is a cache. A run with the
# same base and the same patches does nothing. Work in the tree that was not
# exported (uncommitted changes, or commits newer than the last apply or
# export) is never discarded: the script stops, or sets it aside (see below).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
tree=$cache/linux
stamp=$cache/linux.applied
series=$top/kernel/patches
mkdir -p "$series"

tarball=$("$here/fetch-source.sh")
base_name=$(basename "$tarball" .tar.xz)          # linux-source-7.2_7.2.13-1_all
base_version=${base_name#*_}; base_version=${base_version%_all}
base_tag=base-$base_version

patch_hash() {
	# Content of the series, independent of file mtimes.
	find "$series" -maxdepth 1 -name '*.patch' -print0 | sort -z |
		xargs -0 -r cat | sha256sum | cut -d' ' -f1
}

git_t() { git -C "$tree" "$@"; }

create_tree() {
	echo "prepare-tree: extracting $base_name into $tree" >&2
	local tmp
	# A half-made tree from an interrupted run is never worth keeping.
	rm -rf "$cache"/linux.new.*
	tmp=$(mktemp -d "$cache/linux.new.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tar -xJf "$tarball" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q
	git -C "$tmp" config user.name "lutrace"
	git -C "$tmp" config user.email "lutrace@localhost"
	git -C "$tmp" config core.abbrev 12
	git -C "$tmp" config gc.auto 0
	# Debian appends "ignore everything at the top level" to .gitignore;
	# without that block the tree tracks and shows changes like upstream.
	sed -i '/^# Debian packaging/,/^!\/debian\/$/d' "$tmp/.gitignore"
	git -C "$tmp" add -A
	GIT_AUTHOR_DATE="2000-01-01T00:00:00+0000" GIT_COMMITTER_DATE="2000-01-01T00:00:00+0000" git -C "$tmp" commit -q -m "Linux $base_version (Debian linux-source-7.2)"
	git -C "$tmp" tag "$base_tag"
	mv "$tmp" "$tree"
	trap - EXIT
}

if [ ! -d "$tree/.git" ] || ! git_t rev-parse -q --verify "refs/tags/$base_tag" >/dev/null; then
	if [ -d "$tree" ]; then
		# A tree of another base: keep it (it may hold work), start anew.
		old=$tree.old-$(date -u +%Y%m%dT%H%M%S)
		mv "$tree" "$old"
		echo "prepare-tree: base is now $base_version; the previous tree was moved to $old" >&2
	fi
	create_tree
	rm -f "$stamp"
fi

want=$base_tag:$(patch_hash)
head=$(git_t rev-parse HEAD)
dirty=$(git_t status --porcelain --untracked-files=no)
have_key="" have_head=""
[ -f "$stamp" ] && read -r have_key have_head <"$stamp"
if [ "$have_key" = "$want" ] && [ "$have_head" = "$head" ] && [ -z "$dirty" ]; then
	exit 0
fi

# Work in the tree that kernel/patches does not hold is never dropped. By
# default the script stops; with LUTRACE_SAVE_TREE_WORK=1 (what CI sets) it
# sets the work aside: uncommitted changes to the stash, unexported commits
# to a saved/ branch. Then the tree is rebuilt from the series.
unexported=0
[ "$head" != "$have_head" ] && [ "$head" != "$(git_t rev-parse "$base_tag^{commit}")" ] && unexported=1
if { [ -n "$dirty" ] || [ "$unexported" = 1 ]; } && [ "${LUTRACE_SAVE_TREE_WORK:-0}" != 1 ]; then
	[ -n "$dirty" ] && echo "prepare-tree: $tree has uncommitted changes." >&2
	[ "$unexported" = 1 ] && echo "prepare-tree: $tree has commits that are not in kernel/patches." >&2
	echo "prepare-tree: commit and 'make kernel-export' to keep them in the series, or rerun" >&2
	echo "prepare-tree: with LUTRACE_SAVE_TREE_WORK=1 to set them aside (stash / saved/ branch)" >&2
	exit 1
fi
if [ -n "$dirty" ]; then
	git_t stash push -q -m "uncommitted work set aside by prepare-tree.sh"
	echo "prepare-tree: uncommitted changes in $tree saved as $(git_t rev-parse --short 'stash@{0}') (git stash list)" >&2
fi
if [ "$unexported" = 1 ]; then
	saved=saved/$(date -u +%Y%m%dT%H%M%S)
	git_t branch "$saved" "$head"
	echo "prepare-tree: commits not in kernel/patches saved on branch $saved of $tree" >&2
	echo "prepare-tree: (run 'make kernel-export' after committing to keep work in the series)" >&2
fi

git_t am --abort >/dev/null 2>&1 || true
git_t reset -q --hard "$base_tag"
mapfile -t patches < <(find "$series" -maxdepth 1 -name '*.patch' ! -name '0000-cover-letter.patch' | sort)
if [ "${#patches[@]}" -gt 0 ]; then
	if ! git_t am -q --keep-cr "${patches[@]}" >&2; then
		git_t am --abort >/dev/null 2>&1 || true
		git_t reset -q --hard "$base_tag"
		echo "prepare-tree: the series in kernel/patches does not apply to $base_version." >&2
		echo "prepare-tree: rebase it onto tag $base_tag in $tree and 'make kernel-export'" >&2
		exit 1
	fi
fi
echo "$want $(git_t rev-parse HEAD)" >"$stamp"
echo "prepare-tree: $base_tag + ${#patches[@]} patches applied" >&2
