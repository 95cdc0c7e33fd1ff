#!/bin/sh
# make demo, stage 2: lutrace starts first and takes its stage-1 log over,
# then the devices are retrieved, checked and the session finished.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace took the log over" lutrace_start
check "the stage-1 log crossed the kexec" grep -q "took over the flight log" "/results/lutrace-record.stage2.log"
devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "devices retrieved and working" lu_vfio retrieve --dma vm $devs
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
