#!/bin/sh
# Stage 2 boots with pci=assign-busses and extra bus numbers reserved per
# hotplug bridge, which renumbers every root port after the first (see
# lu-bdf-control). Preserved devices must keep the BDFs of this kernel.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(edu_devices)
echo "$devs" >/results/bdfs.stage1
for bdf in $devs; do bind_vfio "$bdf"; done
# shellcheck disable=SC2086
check "devices preserved in session 'bdf'" lu_vfio preserve --dma bdf $devs
echo "pci=assign-busses,hpbussize=8 trace_event=pci:pci_liveupdate_inherit_buses" >/tmp/stage2.cmdline
checks_done
