#!/bin/sh
# Every edu device is preserved in a session of its own, after a DMA round
# trip, and held across the kexec.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(edu_devices)
check "edu devices present" [ -n "$devs" ]
for bdf in $devs; do
	bind_vfio "$bdf"
	check "$bdf preserved in its own session" lu_vfio preserve --dma "dev-$bdf" "$bdf"
done
checks_done
