#!/bin/sh
# The series' kexec selftest, stage 1, one instance per edu device (each in
# a session of its own), after the edu selftest driver passes
# vfio_pci_driver_test on the first device.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
check "vfio_pci_driver_test on edu" vfio_pci_driver_test "${devs%% *}"
for bdf in $devs; do
	check "vfio_pci_liveupdate_kexec_test --stage 1 $bdf" vfio_pci_liveupdate_kexec_test --stage 1 "$bdf"
done
checks_done
