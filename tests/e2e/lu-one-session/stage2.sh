#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh
. /lutrace/guest-lib.sh

devs=$(edu_devices)
for bdf in $devs; do bind_vfio "$bdf"; done
# shellcheck disable=SC2086
check "all devices retrieved from session 'all' and working" lu_vfio retrieve --dma all $devs
checks_done
