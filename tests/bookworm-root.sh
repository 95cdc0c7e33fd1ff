# shellcheck shell=bash
# The minimal Debian bookworm root of the chroot tests (fresh-machine.sh,
# deb-package.sh), sourced by them after `set -euo pipefail`; needs root.
# A script may set root_name (default fresh-root) and root_include (default
# make, debootstrap's --include) before sourcing it, for a root of its own
# (tests/vm/systemd-root.sh: the systemd guest's).
#
# The pristine root is made once with debootstrap and kept under
# $LUTRACE_CACHE/<root_name>/<suite>-<key>, where the key covers everything that
# decides its contents (suite, variant, packages, sources); a change makes a
# new root. Each run works on an overlay of it, thrown away at exit, so the
# root stays pristine. Downloaded .debs are kept beside it and reused: every
# run still installs every package from nothing.
#
#   root_prepare         make the pristine root if it is missing
#   root_overlay         mount an overlay of it at $root, nothing else;
#                        undone at exit
#   root_enter           root_overlay, with /proc, /dev, the .deb cache
#                        and resolv.conf; undone at exit
#   root_copy_checkout   the checkout as it is on disk (tracked and new
#                        files, nothing ignored; in CI exactly a clean
#                        clone) into $root/src/lutrace
#   in_root CMD          CMD in the root, from /src/lutrace, with a clean
#                        environment

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=bookworm
variant=minbase
include=${root_include:-make}
me=$(basename "$0" .sh)

[ "$(id -u)" -eq 0 ] || { echo "$me: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "$me: debootstrap not found (make deps)" >&2; exit 1; }

sources="deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main"
key=$(printf '%s\n' "$suite" "$variant" "$include" "$sources" | sha256sum | cut -c1-12)
base=$cache/${root_name:-fresh-root}
pristine=$base/$suite-$key

root_prepare() {
	local start
	mkdir -p "$base/archives/partial"
	[ ! -f "$pristine/.complete" ] || return 0
	rm -rf "$base/$suite-$key.new"
	echo "$me: debootstrap $variant $suite (+$include) into $pristine"
	start=$(date +%s)
	debootstrap --variant="$variant" --include="$include" --cache-dir="$base/archives" \
		"$suite" "$base/$suite-$key.new" "$mirror" >"$base/debootstrap.log" 2>&1 || {
		tail -n 20 "$base/debootstrap.log" >&2
		echo "$me: debootstrap failed (log: $base/debootstrap.log)" >&2
		exit 1
	}
	printf '%s\n' "$sources" >"$base/$suite-$key.new/etc/apt/sources.list"
	rm -f "$base/$suite-$key.new"/var/cache/apt/archives/*.deb
	touch "$base/$suite-$key.new/.complete"
	rm -rf "$pristine"
	mv "$base/$suite-$key.new" "$pristine"
	echo "$me: root made in $(($(date +%s) - start)) s"
	# Older roots are of no further use.
	find "$base" -mindepth 1 -maxdepth 1 -name "$suite-*" ! -name "$suite-$key" -exec rm -rf {} +
}

mounts=()
root_cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${mounts[$i]}" 2>/dev/null || true
	done
	rm -rf "$run"
}

root_overlay() {
	run=$(mktemp -d "$base/run.XXXXXX")
	root=$run/merged
	trap root_cleanup EXIT
	mkdir -p "$run/upper" "$run/work" "$root"
	mount -t overlay overlay -o "lowerdir=$pristine,upperdir=$run/upper,workdir=$run/work" "$root"
	mounts+=("$root")
}

root_enter() {
	root_overlay
	mount -t proc proc "$root/proc"
	mounts+=("$root/proc")
	mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
	mounts+=("$root/dev")
	mount --bind "$base/archives" "$root/var/cache/apt/archives"
	mounts+=("$root/var/cache/apt/archives")
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

root_copy_checkout() {
	mkdir -p "$root/src/lutrace"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		cpio -0 -pdm --quiet "$root/src/lutrace")
}

in_root() {
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 TERM=dumb chroot "$root" /bin/bash -c "cd /src/lutrace && $1"
}
