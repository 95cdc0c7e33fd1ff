#!/bin/sh
# A session closed before the kexec unpreserves its devices: they can be
# preserved again at once, and nothing is carried over.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "session 'closed' preserved then closed" lu_vfio preserve --close --dma closed $devs
checks_done
