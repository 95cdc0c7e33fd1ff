#!/usr/bin/env bash
# The systemd units, installed with their real paths under a temporary
# PREFIX: systemd-analyze verify says nothing about any of them (it exits 0
# on an unknown key, so its output must be empty too; its man check finds
# the installed page through MANPATH). Then the settings the recorder needs
# to keep its flight log across `systemctl kexec` (deploy/
# lutrace-record.service.in says why), which verify cannot judge.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "units-check: $*" >&2; exit 1; }

make -s install PREFIX="$tmp"
units=("$tmp"/lib/systemd/system/*)
[ "${#units[@]}" -eq 4 ] || fail "expected 4 units, installed ${#units[@]}"
status=0
out=$(MANPATH=$tmp/share/man systemd-analyze verify "${units[@]}" 2>&1) || status=$?
if [ "$status" -ne 0 ] || [ -n "$out" ]; then
	echo "$out" >&2
	fail "systemd-analyze verify: exit $status, output above"
fi
echo "units-check: systemd-analyze verify: ${units[*]##*/} clean"

record=$tmp/lib/systemd/system/lutrace-record.service
want() { grep -qx "$1" "$record" || fail "lutrace-record.service lacks $1 ($2)"; }
want 'Type=exec' "VMMs ordered after it wait for the exec only"
want 'DefaultDependencies=no' "no implicit Conflicts=shutdown.target"
want "ExecStart=@$tmp/bin/lutrace @lutrace record .*--idle-start.*" "argv[0] '@' spares it systemd-shutdown's killing"
want 'KillSignal=SIGINT' "SIGTERM only flushes a LUO log, SIGINT stops it"
want 'Before=lutrace-vmm-pre.target sysinit.target' "early, and before the VMMs"
! grep -q '^Conflicts=.*shutdown.target' "$record" || fail "lutrace-record.service conflicts with shutdown.target"
grep -qx 'After=lutrace-vmm-retrieved.target lutrace-record.service' "$tmp/lib/systemd/system/lutrace-report.service" ||
	fail "lutrace-report.service is not ordered after the VMMs' retrieve"
echo "units-check: the recorder survives systemctl kexec; the report follows the VMMs"
