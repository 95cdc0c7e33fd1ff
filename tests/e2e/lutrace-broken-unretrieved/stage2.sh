#!/bin/sh
# A broken live update for lutrace to catch: the session is closed without
# retrieving the devices.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace took the log over" lutrace_start
devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "session closed, devices never retrieved" lu_vfio abandon vm $devs
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
