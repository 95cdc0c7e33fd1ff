#!/bin/sh
# The device that could be preserved came across; the refused one is an
# ordinary device here.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
port=$(cat /results/port)
aliased=$(echo "$devs" | tr ' ' '\n' | grep -v ':00\.0$' | head -n 1)
check "$port retrieved and working" lu_vfio retrieve --dma lu "$port"
check "$aliased opens and works as usual" lu_vfio use --dma "$aliased"
checks_done
