#!/bin/sh
# Isolation is checked again by the new kernel. Two edu devices behind one
# switch, each alone in its IOMMU group here, are preserved; stage 2 boots
# with ACS turned off at the root port above the switch (pci=config_acs=),
# so there the whole switch and both devices form one group. Run with
#   -n 2 -T switch
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086 # one word per device
set -- $devs
first=$1 second=$2
check "two devices: $devs" [ "$first" != "$second" ]
check "$first and $second in different IOMMU groups" \
	[ "$(iommu_group "$first")" != "$(iommu_group "$second")" ]
# /sys/devices/pci0000:00/ROOTPORT/UPSTREAM/DOWNSTREAM/DEVICE
rp=$(readlink -f "/sys/bus/pci/devices/$first" | cut -d/ -f5)
check "root port $rp above the switch" [ -e "/sys/bus/pci/devices/$rp" ]
echo "pci=config_acs=0000000@$rp" >>/tmp/stage2.cmdline
# shellcheck disable=SC2086 # one argument per device
check "both preserved in session 'vm'" lu_vfio preserve --dma vm $devs
checks_done
