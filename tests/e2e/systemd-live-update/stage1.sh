#!/bin/sh
# The systemd guest (tests/vm/run-systemd-scenario.sh), stage 1: the
# installed lutrace-record.service records from boot; once it has attached,
# the stand-in VMM's unit preserves every edu device in session 'vm' and
# holds them. Then run-stage loads the next kernel and runs `systemctl kexec`.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh
# shellcheck source-path=SCRIPTDIR source=systemd-lib.sh disable=SC1091
. "$(dirname "$0")/systemd-lib.sh"

check "lutrace-record.service is running" systemctl -q is-active lutrace-record.service
check "the recorder attached (stage 1)" recorder_attached 1
check "the stand-in VMM holds its devices" systemctl start lutrace-test-vmm.service
journalctl -b --no-pager -u lutrace-test-vmm.service | sed 's/^/vmm: /'
check "the VMM's daemon runs as @lu_vfio" vmm_argv0_is @lu_vfio
lutrace_want_boot_events
no_failed_units
checks_done
