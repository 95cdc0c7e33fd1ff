#!/bin/sh
# The series' uapi selftest (kselftest harness) on every edu device that is
# alone in its IOMMU group. Run with -T bridge: the devices behind the PCI
# bridge share a group, and the test's shared-group case must then run
# (refused with EINVAL) rather than skip.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

ran=0
for bdf in $(vfio_edu_devices); do
	[ "$(group_size "$(iommu_group "$bdf")")" = 1 ] || continue
	check "vfio_pci_liveupdate_uapi_test $bdf" sh -c "vfio_pci_liveupdate_uapi_test $bdf >/tmp/uapi.$bdf.log 2>&1"
	cat "/tmp/uapi.$bdf.log"
	check "$bdf: the shared-group case ran" sh -c "grep -q '^ok [0-9]* global.preserve_device_in_shared_group\$' /tmp/uapi.$bdf.log"
	ran=$((ran + 1))
done
check "ran on $ran device(s) alone in their group" [ "$ran" -ge 1 ]
checks_done
