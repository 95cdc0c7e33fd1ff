#!/usr/bin/env bash
# shellcheck disable=SC2154 # top, me, vm_dir and root come from tests/vm/systemd-root.sh
# A scenario in the systemd guest: the patched kernel boots a Debian bookworm
# root with real systemd (tests/vm/systemd-root.sh) over virtio-9p, with this
# checkout's lutrace package installed and its units enabled; the test's
# units (tests/vm/systemd/) run each stage and go from one to the next with
# `systemctl kexec`. Needs root, build/deb's package (make deb) and the guest
# programs (make guest-progs).
#
#   run-systemd-scenario.sh [run-scenario.sh OPTIONS] SCENARIO OUTDIR
set -euo pipefail

# shellcheck source=tests/vm/systemd-root.sh
. "$(dirname "$0")/systemd-root.sh"

version=$(sed -n '1s/^lutrace (\([^)]*\)).*/\1/p' "$top/debian/changelog")
deb=$top/build/deb/lutrace_${version}_amd64.deb
[ -f "$deb" ] || { echo "$me: no $deb (make deb)" >&2; exit 2; }
start=$(date +%s)
sysroot_make "$deb"
echo "$me: root ready in $(($(date +%s) - start)) s"
"$vm_dir/run-scenario.sh" -r "$root" "$@"
