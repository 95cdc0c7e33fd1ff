#!/bin/sh
# Devices preserved, then never retrieved in the new kernel.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh
. /lutrace/guest-lib.sh

devs=$(edu_devices)
for bdf in $devs; do bind_vfio "$bdf"; done
# shellcheck disable=SC2086
check "devices preserved in session 'orphans'" lu_vfio preserve orphans $devs
checks_done
