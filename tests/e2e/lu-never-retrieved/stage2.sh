#!/bin/sh
# Until their session is dealt with the devices are refused to other
# openers; closing the session without retrieving them releases them, and
# they open and work normally.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "devices blocked while their session is pending" lu_vfio expect-open busy $devs
# shellcheck disable=SC2086
check "closing 'orphans' unretrieved releases the devices" lu_vfio abandon --dma orphans $devs
# shellcheck disable=SC2086
check "devices open normally afterwards" lu_vfio expect-open ok $devs
checks_done
