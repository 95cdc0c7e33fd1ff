#!/bin/sh
# A VMM that dies in the new kernel between retrieving its devices and
# binding them must not wedge them: stage 1 preserves them as usual.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "devices preserved in session 'crash'" lu_vfio preserve --dma crash $devs
checks_done
