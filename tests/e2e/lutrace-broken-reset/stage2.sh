#!/bin/sh
# A broken live update for lutrace to catch: the first device is reset
# through sysfs after the kexec, before its first enable. With
# LUTRACE_HOLD_RECORDER=1 (lutrace-late-recorder-reset) the recorder is held
# back until the VMM is done, so only the boot-traced pci_reset sees it.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace started" lutrace_launch
if [ "${LUTRACE_HOLD_RECORDER:-0}" != 1 ]; then
	check "lutrace took the log over" lutrace_wait_attached
fi
devs=$(vfio_edu_devices)
first=${devs%% *}
check "$first reset behind the session's back" sh -c "echo 1 >/sys/bus/pci/devices/$first/reset"
# shellcheck disable=SC2086
check "devices retrieved" lu_vfio retrieve --dma vm $devs
lutrace_release
check "lutrace attached" lutrace_wait_attached
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
