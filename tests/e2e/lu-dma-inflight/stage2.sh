#!/bin/sh
# The new kernel stayed healthy (no IOMMU fault storm) and the devices work.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

faults=$(dmesg | grep -c "DMAR: \[DMA" || true)
echo "IOMMU faults logged: $faults"
check "no IOMMU fault storm ($faults faults)" [ "$faults" -lt 10 ]
devs=$(vfio_edu_devices)
check "a DMA was in flight on every device at the jump" [ "$(cat /results/dma-in-flight.count)" = "$(echo "$devs" | wc -w)" ]
# shellcheck disable=SC2086
check "devices retrieved and working after in-flight DMA" lu_vfio retrieve --dma busy $devs
checks_done
