#!/bin/sh
# Stage 2 of lu-retrieve-isolation: the devices share a group now, so each
# retrieve is refused with EINVAL and a log line, and closing the session
# gives them up: they open and DMA like any device.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086 # one word per device
set -- $devs
first=$1 second=$2
check "$first and $second share IOMMU group $(iommu_group "$first") in this kernel" \
	[ "$(iommu_group "$first")" = "$(iommu_group "$second")" ]
# shellcheck disable=SC2086
check "retrieve refused with EINVAL; closing the session gives them up" \
	lu_vfio expect-refused --dma EINVAL vm $devs
for d in $devs; do
	check "$d: the refusal is logged" \
		sh -c "dmesg | grep -F '$d' | grep -qF 'Live Update: shares its IOMMU group or requester ID in this kernel'"
done
checks_done
