#!/usr/bin/env bash
# Turn a built variant of the patched kernel into installable Debian
# packages with kbuild's bindeb-pkg: linux-image (the kernel, its config
# and System.map) and linux-libc-dev, into build/deb/kernel/. The debug
# symbols package is not built (its size is the DWARF of the whole kernel).
#
#   build-kernel-deb.sh [VARIANT]     (guest by default; host: see host.variant)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
variant=${1:-guest}
out=$cache/build/$variant
debs=$top/build/deb/kernel

# The series applied, the config merged and checked, the kernel built.
"$here/build-kernel.sh" "$variant" bzImage

export CCACHE_DIR=$cache/ccache KBUILD_BUILD_USER=lutrace KBUILD_BUILD_HOST=lutrace
exec 9>"$cache/kernel.lock"
flock 9
# bindeb-pkg writes beside the object directory: keep only this run's files.
scratch=$cache/build/deb-$variant
rm -rf "$scratch"
mkdir -p "$scratch"
rm -f "$cache"/build/*.deb "$cache"/build/*.buildinfo "$cache"/build/*.changes
start=$(date +%s)
make -s -C "$cache/linux" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)" \
	KDEB_SOURCENAME=linux-lutrace DEB_BUILD_PROFILES=pkg.linux-lutrace.nokerneldbg \
	bindeb-pkg >"$scratch/bindeb-pkg.log" 2>&1 || {
	tail -n 30 "$scratch/bindeb-pkg.log" >&2
	echo "build-kernel-deb: bindeb-pkg failed (log: $scratch/bindeb-pkg.log)" >&2
	exit 1
}
mv "$cache"/build/*.deb "$cache"/build/*.buildinfo "$cache"/build/*.changes "$scratch/"
rm -rf "$debs"
mkdir -p "$debs"
cp "$scratch"/*.deb "$debs/"
echo "build-kernel-deb: $variant packaged in $(($(date +%s) - start)) s:" >&2
ls -1 "$debs" >&2
