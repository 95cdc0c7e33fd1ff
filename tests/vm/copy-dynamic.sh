#!/usr/bin/env bash
# Copy a dynamically linked program into a root directory with the shared
# libraries and the loader it needs, each at the path it has here, so that
# it runs in a guest that has none of them (kexec-tools in the initramfs;
# bpftrace in the share bench/tracer-cost.sh gives the guest).
#
#   copy-dynamic.sh PROGRAM ROOT DEST
#
# DEST is the program's path under ROOT (e.g. /sbin/kexec).
set -euo pipefail

prog=${1:?usage: copy-dynamic.sh PROGRAM ROOT DEST}
root=${2:?usage: copy-dynamic.sh PROGRAM ROOT DEST}
dest=${3:?usage: copy-dynamic.sh PROGRAM ROOT DEST}

mkdir -p "$root$(dirname "$dest")"
install -m 0755 "$prog" "$root$dest"
ldd "$prog" | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# The loader path the binary asks for, whatever ldd called it.
interp=$(readelf -l "$prog" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
mkdir -p "$root$(dirname "$interp")"
cp -L "$interp" "$root$interp"
