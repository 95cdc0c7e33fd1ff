#!/bin/sh
# All edu devices preserved together in one session.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086 # one argument per device
check "all devices preserved in session 'all'" lu_vfio preserve --dma all $devs
checks_done
