#!/bin/sh
# Back in D0, both crossed; given up, both open as usual.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

read -r edu nic </results/devs
bind_vfio "$edu"
check "$nic bound to vfio-pci" bind_vfio "$nic"
check "session low given up, $edu works afresh" lu_vfio abandon low "$edu"
check "$nic opens as usual" lu_vfio expect-open ok "$nic"
checks_done
