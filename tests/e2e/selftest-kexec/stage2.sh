#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

for bdf in $(vfio_edu_devices); do
	check "vfio_pci_liveupdate_kexec_test --stage 2 $bdf" vfio_pci_liveupdate_kexec_test --stage 2 "$bdf"
done
checks_done
