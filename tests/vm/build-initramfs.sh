#!/usr/bin/env bash
# Build the guest initramfs: static busybox, kexec-tools with its shared
# libraries, the project's static guest programs, and every scenario.
#
#   build-initramfs.sh OUT.cpio.gz BIN...
#
# Each BIN is a program or a directory of programs; all land in /lutrace/bin.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: build-initramfs.sh OUT.cpio.gz BIN...}
shift

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,results,boot,lutrace/bin,lutrace/scenarios}

install -m 0755 "$(command -v busybox)" "$root/bin/busybox"
install -m 0755 "$top/tests/vm/init" "$root/init"
install -m 0644 "$top/tests/vm/guest-lib.sh" "$root/lutrace/guest-lib.sh"

# kexec-tools is dynamically linked on Debian: bring its loader and libraries.
"$top/tests/vm/copy-dynamic.sh" "$(command -v kexec || echo /usr/sbin/kexec)" "$root" /sbin/kexec

for bin in "$@"; do
	if [ -d "$bin" ]; then
		find "$bin" -maxdepth 1 -type f -perm -u+x -exec install -m 0755 {} "$root/lutrace/bin/" \;
	elif [ -x "$bin" ]; then
		install -m 0755 "$bin" "$root/lutrace/bin/"
	else
		echo "build-initramfs: $bin is not a program" >&2
		exit 1
	fi
done

for scen in "$top"/tests/e2e/*/; do
	name=$(basename "$scen")
	mkdir -p "$root/lutrace/scenarios/$name"
	cp -a "$scen"/. "$root/lutrace/scenarios/$name/"
done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --reproducible --quiet -R 0:0 | gzip -n -9) >"$out.tmp"
mv "$out.tmp" "$out"
echo "build-initramfs: $out ($(du -k "$out" | cut -f1) KiB)" >&2
