#!/usr/bin/env bash
# Kconfig guarantees of the series that no build of the guest variant shows:
# a kernel without vfio-pci Live Update must not track preserved PCI devices
# (nothing could take them over), and with it, it must.
#
#   check-kconfig.sh             (the series' tree in $LUTRACE_CACHE/linux)
#   KERNEL_TREE=DIR check-kconfig.sh   (another tree, e.g. an older commit)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
tree=${KERNEL_TREE:-$cache/linux}
out=$cache/build/kconfig-check

[ -n "${KERNEL_TREE:-}" ] || "$here/prepare-tree.sh"
mkdir -p "$out"
mapfile -t fragments < <(grep -v '^#' "$top/kernel/configs/guest.variant" | sed '/^$/d; s|^|'"$top"'/kernel/configs/|')

# config_with EXTRA-LINE: the guest config with one more line, in $out/.config
config_with() {
	printf '%s\n' "$1" >"$out/extra.config"
	make -s -C "$tree" O="$out" x86_64_defconfig >/dev/null
	KCONFIG_CONFIG=$out/.config "$tree/scripts/kconfig/merge_config.sh" -m -O "$out" \
		"$out/.config" "${fragments[@]}" "$out/extra.config" >/dev/null
	make -s -C "$tree" O="$out" olddefconfig >/dev/null
}

fail=0
# result WHAT yes|no SYMBOL: is SYMBOL=y in the config just made, as wanted?
result() {
	if grep -qx "$3=y" "$out/.config"; then got=yes; else got=no; fi
	if [ "$got" = "$2" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1 ($3=y: $got)"
		fail=1
	fi
}

config_with "CONFIG_VFIO_PCI_LIVEUPDATE=y"
result "vfio-pci Live Update selects PCI tracking" yes CONFIG_PCI_LIVEUPDATE
config_with "# CONFIG_VFIO_PCI_LIVEUPDATE is not set"
result "without vfio-pci Live Update, the PCI core ignores preserved devices" no CONFIG_PCI_LIVEUPDATE
exit "$fail"
