#!/bin/sh
# make demo, stage 1: lutrace records while every edu device is preserved
# (after a DMA round trip through a memfd preserved with it), and keeps
# recording, into a LUO-preserved memfd, until the kexec jump.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace attached" lutrace_start
devs=$(vfio_edu_devices)
# shellcheck disable=SC2086 # one argument per device
check "devices preserved in session 'vm'" lu_vfio preserve --dma vm $devs
lutrace_want_boot_events
checks_done
