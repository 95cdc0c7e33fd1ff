#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "devices came across on the second kexec and work" lu_vfio retrieve --dma frz $devs
checks_done
