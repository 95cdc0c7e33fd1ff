#!/bin/sh
# Without VFs the PF crossed; given up, both devices open as usual.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

read -r edu pf </results/devs
bind_vfio "$edu"
check "$pf bound to vfio-pci" bind_vfio "$pf"
check "session vfs given up, $edu works afresh" lu_vfio abandon vfs "$edu"
check "$pf opens as usual" lu_vfio expect-open ok "$pf"
checks_done
