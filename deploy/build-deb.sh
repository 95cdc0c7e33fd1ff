#!/usr/bin/env bash
# make deb: the lutrace Debian package, built with dpkg-buildpackage -us -uc
# -b from a copy of the checkout (tracked and new files, as on disk; all but
# build/ where there is no git), so that the package's clean (make clean)
# and build never touch this tree's build/.
#
#   build-deb.sh OUTDIR
#
# OUTDIR (make: build/deb) gets the .deb, .buildinfo and .changes; the copy
# is OUTDIR/src/lutrace-VERSION, kept for inspection and replaced by the next
# run. Missing Build-Depends are installed with apt-get build-dep when run
# as root, else named.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
cd "$top"

# The first line of debian/changelog: "lutrace (VERSION) DIST; ...".
version=$(sed -n '1s/^lutrace (\([^)]*\)).*/\1/p' debian/changelog)
[ -n "$version" ] || { echo "build-deb: no version in debian/changelog's first line" >&2; exit 1; }
src=$out/src/lutrace-$version
rm -rf "$out/src"
mkdir -p "$src"
# Without git (a tarball, the fresh-machine root's copy): all but build/.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build -cf - . | tar -xf - -C "$src"
fi

cd "$src"
# dpkg-checkbuilddeps (dpkg-dev) counts build-essential too; without it
# nothing is installed yet.
if ! { command -v dpkg-checkbuilddeps >/dev/null && dpkg-checkbuilddeps 2>/dev/null; }; then
	if [ "$(id -u)" -ne 0 ]; then
		dpkg-checkbuilddeps || true
		echo "build-deb: install the Build-Depends above (as root: apt-get build-dep $top)" >&2
		exit 1
	fi
	echo "build-deb: installing the Build-Depends of debian/control"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || echo "build-deb: apt-get update reported errors; continuing" >&2
	apt-get build-dep -y -q --no-install-recommends ./
fi
start=$(date +%s)
dpkg-buildpackage -us -uc -b
rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out"/
echo "build-deb: built in $(($(date +%s) - start)) s:"
ls "$out"/*.deb
