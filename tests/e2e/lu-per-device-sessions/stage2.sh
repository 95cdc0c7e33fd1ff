#!/bin/sh
# Each device is refused to other openers, then retrieved from its session,
# bound to a new iommufd and verified by DMA; each session finishes.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

for bdf in $(edu_devices); do
	bind_vfio "$bdf"
	check "$bdf retrieved from its session and working" lu_vfio retrieve --dma "dev-$bdf" "$bdf"
done
checks_done
