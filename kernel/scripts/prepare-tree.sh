#!/usr/bin/env bash
# Make $LUTRACE_CACHE/linux a git tree of the Debian 7.2 source with the
# base commit tagged, and kernel/patches applied on top with git am.
#
# The patches are the source of truth; the tree is a cache. A run with the
# same base and the same patches does nothing. Work in the tree that was not
# exported (uncommitted changes, or commits newer than the last apply or
# export) is never discarded: the script stops and says so.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
tree=$cache/linux
stamp=$cache/linux.applied

tarball=$("$here/fetch-source.sh")
base_name=$(basename "$tarball" .tar.xz)          # linux-source-7.2_7.2.13-1_all
base_version=${base_name#*_}; base_version=${base_version%_all}
base_tag=base-$base_version

patch_hash() {
	# Content of the series, independent of file mtimes.
	find "$top/kernel/patches" -maxdepth 1 -name '*.patch' -print0 | sort -z |
		xargs -0 -r cat | sha256sum | cut -d' ' -f1
}

git_t() { git -C "$tree" "$@"; }

create_tree() {
	echo "prepare-tree: extracting $base_name into $tree" >&2
	local tmp
	tmp=$(mktemp -d "$cache/linux.new.XXXXXX")
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
	GIT_AUTHOR_DATE=@0 GIT_COMMITTER_DATE=@0 git -C "$tmp" commit -q -m "Linux $base_version (Debian linux-source-7.2)"
	git -C "$tmp" tag "$base_tag"
	rm -rf "$tree"
	mv "$tmp" "$tree"
}

if [ ! -d "$tree/.git" ] || ! git_t rev-parse -q --verify "refs/tags/$base_tag" >/dev/null; then
	if [ -d "$tree/.git" ] && [ -n "$(git_t status --porcelain --untracked-files=no)" ]; then
		echo "prepare-tree: $tree has uncommitted changes and the base moved to $base_version;" >&2
		echo "prepare-tree: export or discard them first (make kernel-export)" >&2
		exit 1
	fi
	create_tree
	rm -f "$stamp"
fi

want=$base_tag:$(patch_hash)
if [ -f "$stamp" ]; then
	read -r have_key have_head <"$stamp"
	if [ "$have_key" = "$want" ] && [ "$have_head" = "$(git_t rev-parse HEAD)" ]; then
		exit 0
	fi
	if [ "$have_head" != "$(git_t rev-parse HEAD)" ] && [ "${KERNEL_RESET:-0}" != 1 ]; then
		echo "prepare-tree: $tree has commits that are not in kernel/patches." >&2
		echo "prepare-tree: run 'make kernel-export' to keep them, or KERNEL_RESET=1 to drop them" >&2
		exit 1
	fi
fi

if [ -n "$(git_t status --porcelain --untracked-files=no)" ] && [ "${KERNEL_RESET:-0}" != 1 ]; then
	echo "prepare-tree: $tree has uncommitted changes; commit and 'make kernel-export'," >&2
	echo "prepare-tree: or rerun with KERNEL_RESET=1 to discard them" >&2
	exit 1
fi

git_t am --abort >/dev/null 2>&1 || true
git_t reset -q --hard "$base_tag"
mapfile -t patches < <(find "$top/kernel/patches" -maxdepth 1 -name '*.patch' ! -name '0000-cover-letter.patch' | sort)
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
