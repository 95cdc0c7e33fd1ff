#!/usr/bin/env bash
# make kernel-deb's packages, and the host variant's config merge:
# - build/deb/kernel holds linux-image and linux-libc-dev of the series'
#   kernel (no debug-symbols package), the image with its vmlinuz and a
#   config that has every line of kernel/configs/liveupdate.config;
# - a host's own config (here x86_64_defconfig with Debian's certificate
#   lines, written to a file) merged
#   with liveupdate.config passes build-kernel.sh's check, one that cannot
#   take the series (tinyconfig) is refused naming the line, and the host
#   variant without KERNEL_BASE_CONFIG says what to set.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
debs=$top/build/deb/kernel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "kernel-deb-test: $*" >&2; bad=1; }

shopt -s nullglob
images=("$debs"/linux-image-*.deb)
libc=("$debs"/linux-libc-dev_*.deb)
dbg=("$debs"/*-dbg_*.deb)
[ "${#images[@]}" = 1 ] || fail "${#images[@]} linux-image packages in $debs, not 1"
[ "${#libc[@]}" = 1 ] || fail "${#libc[@]} linux-libc-dev packages in $debs, not 1"
[ "${#dbg[@]}" = 0 ] || fail "a debug-symbols package was built: ${dbg[*]}"
if [ "${#images[@]}" = 1 ]; then
	img=${images[0]}
	ver=$(dpkg-deb -f "$img" Package)
	ver=${ver#linux-image-}
	dpkg-deb -c "$img" >"$tmp/contents"
	grep -q " ./boot/vmlinuz-$ver$" "$tmp/contents" || fail "$img has no /boot/vmlinuz-$ver"
	dpkg-deb -x "$img" "$tmp/root"
	config=$tmp/root/boot/config-$ver
	if [ -f "$config" ]; then
		while IFS= read -r line; do
			case $line in CONFIG_*=*) grep -qxF "$line" "$config" || fail "packaged config lacks $line" ;; esac
		done <"$top/kernel/configs/liveupdate.config"
	else
		fail "$img has no /boot/config-$ver"
	fi
	echo "kernel-deb-test: $(basename "$img") ($(du -k "$img" | cut -f1) KiB), $(basename "${libc[0]:-none}")"
fi

# A config file the way a host has one, in /boot: Debian's names its
# signing certificates, which a build here does not have.
make -s -C "$cache/linux" O="$tmp/defconfig" x86_64_defconfig >/dev/null
cat >>"$tmp/defconfig/.config" <<'DEBIAN'
CONFIG_SYSTEM_TRUSTED_KEYS="debian/certs/debian-uefi-certs.pem"
CONFIG_SYSTEM_REVOCATION_LIST=y
CONFIG_SYSTEM_REVOCATION_KEYS="debian/certs/debian-uefi-certs.pem"
DEBIAN
make -s -C "$cache/linux" O="$tmp/tinyconfig" tinyconfig >/dev/null
if ! KERNEL_BASE_CONFIG=$tmp/defconfig/.config "$top/kernel/scripts/build-kernel.sh" host olddefconfig \
	>"$tmp/host.log" 2>&1; then
	cat "$tmp/host.log" >&2
	fail "x86_64_defconfig with liveupdate.config was refused"
elif grep -q "debian/certs" "$cache/build/host/.config"; then
	fail "the host config still names certificates this tree does not have"
fi
if KERNEL_BASE_CONFIG=$tmp/tinyconfig/.config "$top/kernel/scripts/build-kernel.sh" host olddefconfig \
	>"$tmp/tiny.log" 2>&1; then
	fail "tinyconfig with liveupdate.config was taken"
elif ! grep -q "did not stick" "$tmp/tiny.log"; then
	cat "$tmp/tiny.log" >&2
	fail "tinyconfig refused without naming a line"
else
	echo "kernel-deb-test: tinyconfig refused: $(grep -m1 "did not stick" "$tmp/tiny.log")"
fi
if (unset KERNEL_BASE_CONFIG; "$top/kernel/scripts/build-kernel.sh" host olddefconfig) >"$tmp/unset.log" 2>&1 ||
	! grep -q "set KERNEL_BASE_CONFIG" "$tmp/unset.log"; then
	cat "$tmp/unset.log" >&2
	fail "the host variant without KERNEL_BASE_CONFIG did not say what to set"
fi
[ "$bad" = 0 ] && echo "kernel-deb-test: packages and host config merge as documented"
exit "$bad"
