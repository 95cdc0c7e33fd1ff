#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh
. /lutrace/guest-lib.sh

devs=$(edu_devices)
for bdf in $devs; do bind_vfio "$bdf"; done
# shellcheck disable=SC2086
check "devices came across on the second kexec and work" lu_vfio retrieve --dma frz $devs
checks_done
