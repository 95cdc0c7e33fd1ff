#!/bin/sh
# A broken live update for lutrace to catch: the first device is reset
# through sysfs after the kexec, before its first enable (with
# LUTRACE_RESET_VIA=bridge, by the secondary bus reset of the bridge above
# it, lutrace-late-recorder-bus-reset). With
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
if [ "${LUTRACE_RESET_VIA:-device}" = bridge ]; then
	# The bridge above resets its secondary bus: no event names the device
	# unless the PCI core traces every device such a reset reaches.
	bridge=$(dirname "$(readlink -f "/sys/bus/pci/devices/$first")")
	check "$first reset by its bridge behind the session's back" \
		sh -c "echo 1 >$bridge/reset_subordinate"
else
	check "$first reset behind the session's back" sh -c "echo 1 >/sys/bus/pci/devices/$first/reset"
fi
# shellcheck disable=SC2086
check "devices retrieved" lu_vfio retrieve --dma vm $devs
lutrace_release
check "lutrace attached" lutrace_wait_attached
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
