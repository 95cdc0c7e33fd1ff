#!/bin/sh
# Bus numbers are kept per bridge: three devices behind three root ports; the
# first is not preserved, the second and third are, each in its own session.
# Stage 2 boots with pci=assign-busses, which renumbers every root port
# after the first (lu-bdf-control): only the two above preserved devices
# may keep their numbers. Needs three devices (-n 3, rootport topology).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
set -- $devs
[ $# -eq 3 ] || { echo "not ok - lu-bus-per-bridge needs three devices, has: $devs"; exit 1; }
echo "$1 $2 $3" >/results/bdfs.stage1
check "$2 preserved in session a" lu_vfio preserve --dma a "$2"
check "$3 preserved in session b" lu_vfio preserve --dma b "$3"
echo "pci=assign-busses,hpbussize=8 trace_event=pci:pci_liveupdate_incoming,pci:pci_liveupdate_inherit_buses" >/tmp/stage2.cmdline
checks_done
