#!/usr/bin/env bash
# The initramfs follows the set of scenarios, not only their mtimes: adding a
# scenario whose files carry old mtimes (as cp -p, tar or rsync -t leave
# them) and removing one must each rebuild it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
img=build/vm/initramfs.cpio.gz
probe=tests/e2e/zz-initramfs-probe
trap 'rm -rf "$probe"' EXIT

in_image() { gzip -dc "$img" | cpio -it --quiet 2>/dev/null | grep -qx "lutrace/scenarios/zz-initramfs-probe/stage1.sh"; }

make -s initramfs
before=$(stat -c %Y.%y "$img")

mkdir -p "$probe"
printf '#!/bin/sh\nexit 0\n' >"$probe/stage1.sh"
touch -d '2001-01-01' "$probe/stage1.sh" "$probe"
make -s initramfs
in_image || { echo "initramfs-inputs: a scenario added with old mtimes is not in the image" >&2; exit 1; }
added=$(stat -c %Y.%y "$img")
[ "$added" != "$before" ] || { echo "initramfs-inputs: adding a scenario did not rebuild" >&2; exit 1; }

rm -rf "$probe"
make -s initramfs
! in_image || { echo "initramfs-inputs: a removed scenario is still in the image" >&2; exit 1; }

# And nothing changed means nothing rebuilt.
same=$(stat -c %Y.%y "$img")
make -s initramfs
[ "$(stat -c %Y.%y "$img")" = "$same" ] || { echo "initramfs-inputs: an unchanged tree rebuilt the image" >&2; exit 1; }
echo "initramfs-inputs: added and removed scenarios rebuild the image; an unchanged tree does not"
