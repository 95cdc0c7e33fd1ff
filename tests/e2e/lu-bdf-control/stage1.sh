#!/bin/sh
# Control for lu-stable-bdf: with nothing preserved, the same stage-2
# command line does renumber the devices, so lu-stable-bdf can fail.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

edu_devices >/results/bdfs.stage1
echo "pci=assign-busses,hpbussize=8" >/tmp/stage2.cmdline
checks_done
