#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(edu_devices)
echo "$devs" >/results/bdfs.stage2
check "booted with pci=assign-busses" grep -q "pci=assign-busses" /proc/cmdline
check "every device kept its BDF" cmp -s /results/bdfs.stage1 /results/bdfs.stage2
check "bridges logged that they kept the old bus numbers" kernel_logged "Live Update: keeping"
check "pci_liveupdate_inherit_buses traced at enumeration" grep -q pci_liveupdate_inherit_buses /sys/kernel/tracing/trace
for bdf in $devs; do bind_vfio "$bdf"; done
# shellcheck disable=SC2086
check "devices retrieved at their old BDFs and working" lu_vfio retrieve --dma bdf $devs
checks_done
