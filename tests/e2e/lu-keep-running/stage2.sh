#!/bin/sh
# Look at the preserved memfd before anything touches the device, then take
# the device back and use it (lu_keep land).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

mode=--keep-running
[ "$LUTRACE_SCENARIO" = lu-keep-running-control ] && mode=--default
check "lutrace started" lutrace_launch
check "the VMM's jump left a record" grep -q '^started=1$' /results/keep-jump.txt
dev=$(vfio_edu_devices | cut -d' ' -f1)
if [ "$mode" = --keep-running ]; then
	check "the PCI core kept $dev running from enumeration" \
		sh -c "dmesg | grep -q '$dev: preserved by the previous kernel (Live Update), left running'"
else
	check "the PCI core did not keep $dev running" \
		sh -c "! dmesg | grep -q 'left running'"
fi
check "$dev back from session 'keep' ($mode)" lu_keep land "$mode" keep "$dev"
lutrace_release
check "lutrace attached" lutrace_wait_attached
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
