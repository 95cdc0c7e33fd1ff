#!/bin/sh
# A broken live update for lutrace to catch: the first device is reset
# through sysfs after the kexec, before its first enable.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace took the log over" lutrace_start
devs=$(vfio_edu_devices)
first=${devs%% *}
check "$first reset behind the session's back" sh -c "echo 1 >/sys/bus/pci/devices/$first/reset"
# shellcheck disable=SC2086
check "devices retrieved" lu_vfio retrieve --dma vm $devs
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
