#!/bin/sh
# Experimental keep-running Live Update, in vfio's no-IOMMU mode (the run
# has no IOMMU: run-scenario.sh -N): one edu device whose DMA is aimed at a
# memfd preserved in the same session is left running across the kexec
# (VFIO_DEVICE_FEATURE_LIVEUPDATE), and pre-kexec.sh has the VMM start a
# transfer that is still in flight at the jump. lu-keep-running-control
# runs these same scripts in the default mode, where freeze resets the
# device and turns bus mastering off: the same transfer must not land.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

mode=--keep-running
[ "$LUTRACE_SCENARIO" = lu-keep-running-control ] && mode=--default
dev=$(vfio_edu_devices | cut -d' ' -f1)
check "lutrace attached" lutrace_start
check "$dev in session 'keep' ($mode)" lu_keep hold "$mode" keep "$dev"
lutrace_want_boot_events
checks_done
