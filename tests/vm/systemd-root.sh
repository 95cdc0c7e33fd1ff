# shellcheck shell=bash
# The systemd guest's root (tests/vm/run-systemd-scenario.sh), sourced after
# `set -euo pipefail`; needs root. A Debian bookworm root with real systemd,
# made by tests/bookworm-root.sh and cached under
# $LUTRACE_CACHE/systemd-root/ (a new one whenever the package list, suite or
# mirrors change); each run boots an overlay of it, thrown away at exit, with
# this checkout's lutrace package and guest programs installed into it.
#
#   sysroot_make DEB     the cached root (made if missing), overlaid at $root:
#                        DEB installed (dpkg -i: units enabled), the guest's
#                        settings, programs, units and scenarios added

root_name=systemd-root
# udev: devices appear as the host's do; dbus: logind needs it.
root_include=systemd,systemd-sysv,udev,dbus,kexec-tools
# shellcheck source=tests/bookworm-root.sh
. "$(dirname "${BASH_SOURCE[0]}")/../bookworm-root.sh"
vm_dir=$top/tests/vm

# The guest's own settings: a fixed machine id (no first-boot units), the
# kernel that kexec-tools' scripts would load at shutdown never loaded (the
# scenario loads its own), node_exporter's textfile directory.
sysroot_configure() {
	echo lutrace-guest >"$root/etc/hostname"
	echo 6c7574726163652d67756573742d3031 >"$root/etc/machine-id"
	printf 'LOAD_KEXEC=false\n' >"$root/etc/default/kexec"
	: >"$root/etc/fstab"
	mkdir -p "$root/var/lib/prometheus/node-exporter" "$root/results" "$root/boot"
}

# What tests/vm/build-initramfs.sh puts in /lutrace, at the same paths, and
# the test's units (tests/vm/systemd/*.service), enabled.
sysroot_guest_files() {
	local unit
	mkdir -p "$root/lutrace/bin" "$root/lutrace/scenarios"
	install -m 0644 "$vm_dir/guest-lib.sh" "$root/lutrace/guest-lib.sh"
	install -m 0755 "$top"/build/guest/bin/* "$vm_dir/systemd/run-stage" "$vm_dir/systemd/vmm-devices" \
		"$root/lutrace/bin/"
	cp -a "$top/tests/e2e/." "$root/lutrace/scenarios/"
	for unit in "$vm_dir"/systemd/*.service; do
		install -m 0644 "$unit" "$root/etc/systemd/system/"
	done
	install -D -m 0644 "$vm_dir/systemd/lutrace-report-budget.conf" \
		"$root/etc/systemd/system/lutrace-report.service.d/budget.conf"
	sysroot_chroot systemctl enable lutrace-test-stage.service lutrace-test-restore.service >/dev/null 2>&1
}

sysroot_chroot() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 chroot "$root" "$@"
}

sysroot_make() {
	local deb=$1
	root_prepare
	# Only the overlay: the guest boots no mount of the host's.
	root_overlay
	sysroot_configure
	cp "$deb" "$root/tmp/lutrace.deb"
	sysroot_chroot dpkg -i /tmp/lutrace.deb >"$run/dpkg-i.log" 2>&1 ||
		{ cat "$run/dpkg-i.log" >&2; echo "$me: dpkg -i $deb failed" >&2; exit 1; }
	rm "$root/tmp/lutrace.deb"
	sysroot_guest_files
}
