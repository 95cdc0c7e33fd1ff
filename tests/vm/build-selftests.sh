#!/usr/bin/env bash
# Build the kernel tree's selftests that run in the guest, statically, against
# the guest kernel's uapi headers, and install the binaries into BIN_DIR.
#
#   build-selftests.sh BIN_DIR
#   KERNEL_TREE=DIR build-selftests.sh BIN_DIR   (the selftests of another tree,
#                                                 e.g. a worktree of the series)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:?usage: build-selftests.sh BIN_DIR}
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
tree=${KERNEL_TREE:-$cache/linux}
hdrs=$cache/build/guest/usr/include
out=$top/build/guest/selftests

[ -f "$hdrs/linux/liveupdate.h" ] || { echo "build-selftests: no 7.2 uapi headers in $hdrs (make kernel)" >&2; exit 1; }
# Objects of another tree would look up to date (make compares mtimes only):
# start afresh when the tree changes.
if [ "$(cat "$out/tree" 2>/dev/null)" != "$tree" ]; then
	rm -rf "$out"
fi
mkdir -p "$bin" "$out"
echo "$tree" >"$out/tree"

# suite:programs — the programs each suite contributes to the initramfs.
suites=(
	"liveupdate:liveupdate luo_kexec_simple luo_multi_session"
	"vfio:vfio_pci_driver_test vfio_pci_liveupdate_uapi_test vfio_pci_liveupdate_kexec_test"
)
for entry in "${suites[@]}"; do
	suite=${entry%%:*}
	read -r -a progs <<<"${entry#*:}"
	mkdir -p "$out/$suite"
	make -s -C "$tree/tools/testing/selftests/$suite" OUTPUT="$out/$suite" \
		KHDR_INCLUDES="-isystem $hdrs" LDFLAGS=-static "${progs[@]/#/$out/$suite/}"
	for p in "${progs[@]}"; do
		install -m 0755 "$out/$suite/$p" "$bin/$p"
	done
done
