#!/bin/sh
# make demo, stage 2: the VMM does not wait for lutrace. The recorder is
# started (its start-up at SCHED_IDLE) and the devices are retrieved at
# once, checked and the session finished; the recorder takes its stage-1 log
# over whenever it gets there, and imports what the series' events and the
# IOMMU mappings logged before it attached.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace started" lutrace_launch
devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "devices retrieved and working" lu_vfio retrieve --dma vm $devs
# A test may hold the recorder back until the VMM is done (guest-lib.sh).
lutrace_release
check "lutrace attached" lutrace_wait_attached
check "the stage-1 log crossed the kexec" grep -q "took over the flight log" "/results/lutrace-record.stage2.log"
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
