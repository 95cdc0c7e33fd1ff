#!/bin/sh
# Only the bridges above incoming devices kept their numbers; a finished
# device that is removed and rescanned is not incoming again, even while
# another session still holds the previous kernel's table.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

read -r unpreserved d_a d_b </results/bdfs.stage1
devs=$(edu_devices)
echo "$devs" >/results/bdfs.stage2
has_dev() { echo "$devs" | grep -qx "$1"; }
check "booted with pci=assign-busses" grep -q "pci=assign-busses" /proc/cmdline
check "$d_a kept its BDF" has_dev "$d_a"
check "$d_b kept its BDF" has_dev "$d_b"
check "$unpreserved, not preserved, was renumbered" sh -c "! echo '$devs' | grep -qx '$unpreserved'"
kept=$(dmesg | grep -c "Live Update: keeping bus numbers" || true)
check "two bridges kept their bus numbers, not three (got $kept)" [ "$kept" -eq 2 ]
renumbered=$(echo "$devs" | grep -vx -e "$d_a" -e "$d_b")
for bdf in $devs; do bind_vfio "$bdf"; done

check "session a retrieved and finished" lu_vfio retrieve --dma a "$d_a"
# Rescan its own bus only: a rescan from the root would renumber its root
# port under pci=assign-busses, now that nothing holds it.
echo 1 >"/sys/bus/pci/devices/$d_a/remove"
echo 1 >"/sys/class/pci_bus/${d_a%:*}/rescan"
check "$d_a is back after the rescan" [ -e "/sys/bus/pci/devices/$d_a" ]
bind_vfio "$d_a"
n=$(dmesg | grep -c "$d_a: preserved by the previous kernel" || true)
check "the rescan did not make the finished $d_a incoming again (logged $n times)" [ "$n" -eq 1 ]
check "$d_a opens normally while session b is open" lu_vfio expect-open ok "$d_a"

check "session b retrieved and finished" lu_vfio retrieve --dma b "$d_b"
check "the renumbered $renumbered works" lu_vfio use --dma "$renumbered"
check "no kernel warning" sh -c "! dmesg | grep -qE 'WARNING:|BUG:|cut here'"
checks_done
