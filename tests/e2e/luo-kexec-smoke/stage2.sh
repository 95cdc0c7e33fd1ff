#!/bin/sh
# After the kexec: the memfd came back with its data, and the edu devices work
# through VFIO cdev + iommufd in the new kernel too.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "KHO data found at boot" kernel_logged "KHO: found kexec handover data"
check "luo_kexec_simple stage 2" luo_kexec_simple --stage 2
for bdf in $(edu_devices); do
	check "$bdf bound to vfio-pci" bind_vfio "$bdf"
	check "$bdf opens through cdev + iommufd, DMA both ways" vfio_cdev_check "$bdf"
done
checks_done
