#!/bin/sh
# The series' kexec selftest, stage 1, one instance per edu device but the
# last (each in a session of its own), after the edu selftest driver passes
# vfio_pci_driver_test on the first device. The last device is preserved by
# lu_vfio, with its DMA memfd, in session vfio-uapi-incoming (device token 1,
# memfd 1001), for the uapi selftest's cases of an incoming session in stage 2.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

# shellcheck disable=SC2046
set -- $(vfio_edu_devices)
check "three edu devices or more" [ $# -ge 3 ]
for incoming; do :; done
check "vfio_pci_driver_test on edu" vfio_pci_driver_test "$1"
for bdf; do
	[ "$bdf" = "$incoming" ] && continue
	check "vfio_pci_liveupdate_kexec_test --stage 1 $bdf" vfio_pci_liveupdate_kexec_test --stage 1 "$bdf"
done
check "$incoming preserved in vfio-uapi-incoming" lu_vfio preserve --dma vfio-uapi-incoming "$incoming"
checks_done
