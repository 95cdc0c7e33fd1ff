#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
check "no session 'closed' came across" lu_vfio expect-no-session closed
# shellcheck disable=SC2086
check "devices open normally" lu_vfio expect-open ok $devs
checks_done
