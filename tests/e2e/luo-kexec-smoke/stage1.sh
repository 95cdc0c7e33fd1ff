#!/bin/sh
# Before any patch of ours: the upstream LUO kexec selftest preserves a memfd,
# and every edu device is bound to vfio-pci, opened through its cdev and
# bound to an iommufd under the emulated VT-d.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(edu_devices)
echo "edu devices: $(echo "$devs" | tr "\n" " ")"
check "at least one edu device" [ -n "$devs" ]
for bdf in $devs; do
	group=$(iommu_group "$bdf")
	check "$bdf alone in iommu group $group" [ "$(group_size "$group")" = 1 ]
	check "$bdf bound to vfio-pci" bind_vfio "$bdf"
	check "$bdf opens through cdev + iommufd, DMA both ways" vfio_cdev_check "$bdf"
done

# Preserves a memfd in a LUO session and leaves a daemon holding the session.
check "luo_kexec_simple stage 1" luo_kexec_simple --stage 1
checks_done
