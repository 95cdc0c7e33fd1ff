#!/usr/bin/env bash
# Download Debian's linux-source-7.2 package into the cache, through a private
# apt configuration (the machine's apt sources are never touched), and
# extract the tarball. Takes the newest 7.2.x any configured suite offers.
# Prints the path of the extracted tarball.
#
#   fetch-source.sh [--probe]
#
# --probe downloads nothing: it succeeds at once when a source package is
# cached, else asks the mirror (seconds) and fails when no 7.2.x is offered.
set -euo pipefail

probe=0
[ "${1:-}" = "--probe" ] && probe=1

cache=${LUTRACE_CACHE:-/var/cache/lutrace}
series=${KERNEL_SERIES:-7.2}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
apt_dir=$cache/apt
src_dir=$cache/src

mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/etc/preferences.d" "$src_dir"

# sid carries the current 7.2.x; trixie-backports keeps older 7.2.x builds
# reachable once sid has moved on to a newer series.
cat >"$apt_dir/etc/sources.list" <<SOURCES
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie-backports main
SOURCES

apt_opts=(
	-o "Dir::Etc::sourcelist=$apt_dir/etc/sources.list"
	-o "Dir::Etc::sourceparts=-"
	-o "Dir::Etc::preferencesparts=$apt_dir/etc/preferences.d"
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache"
	-o "Dir::Cache::archives=$apt_dir/archives"
	-o "APT::Get::List-Cleanup=0"
	-o "Debug::NoLocking=1"
)
mkdir -p "$apt_dir/cache"

pkg=linux-source-$series
deb=$(find "$src_dir" -maxdepth 1 -name "${pkg}_${series}.*_all.deb" | sort -V | tail -n 1)

if [ "$probe" = 1 ] && [ -n "$deb" ] && [ "${REFRESH_SOURCE:-0}" != 1 ]; then
	echo "fetch-source: cached $(basename "$deb")"
	exit 0
fi

# Refresh the index only when no .deb is cached yet or when asked to.
if [ -z "$deb" ] || [ "${REFRESH_SOURCE:-0}" = 1 ]; then
	if ! apt-get "${apt_opts[@]}" update -q >&2; then
		echo "fetch-source: could not read the package index of $mirror (sid, trixie-backports)" >&2
		exit 1
	fi
	version=$(apt-cache "${apt_opts[@]}" madison "$pkg" | awk -F'|' '{gsub(/ /,"",$2); print $2}' |
		grep -E "^${series//./\\.}\.[0-9]+" | sort -V | tail -n 1)
	if [ -z "$version" ]; then
		echo "fetch-source: no $pkg ($series.x) found in sid or trixie-backports on $mirror" >&2
		exit 1
	fi
	if [ "$probe" = 1 ]; then
		echo "fetch-source: $mirror offers $pkg $version"
		exit 0
	fi
	want=$src_dir/${pkg}_${version//:/%3a}_all.deb
	if [ ! -f "$want" ]; then
		echo "fetch-source: downloading $pkg $version" >&2
		(cd "$src_dir" && apt-get "${apt_opts[@]}" download "$pkg=$version" >&2)
	fi
	deb=$want
fi

[ -f "$deb" ] || { echo "fetch-source: expected $deb after download" >&2; exit 1; }

tarball=$src_dir/$(basename "$deb" .deb).tar.xz
if [ ! -f "$tarball" ]; then
	tmp=$(mktemp -d "$src_dir/extract.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb -x "$deb" "$tmp"
	mv "$tmp/usr/src/$pkg.tar.xz" "$tarball"
fi
echo "$tarball"
