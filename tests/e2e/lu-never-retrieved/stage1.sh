#!/bin/sh
# Devices preserved, then never retrieved in the new kernel.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "devices preserved in session 'orphans'" lu_vfio preserve --dma orphans $devs
checks_done
