#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "all devices retrieved from session 'all' and working" lu_vfio retrieve --dma all $devs
checks_done
