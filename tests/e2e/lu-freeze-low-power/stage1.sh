#!/bin/sh
# A preserved device its user put in D3hot (through the PM capability edu
# lacks, so an e1000e here) is refused by its freeze, never woken up behind
# the user's back: the kexec is aborted and the edu device frozen before it
# is unfrozen. Back in D0 (SIGUSR1), the next kexec goes through (run by
# /init). Run with -n 1 -x e1000e.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
edu=$(vfio_edu_devices | tr -d ' ')
# The one -x added behind a root port, not the NIC QEMU adds on bus 0
nic=$(pci_devices_with_id 0x8086 0x10d3 | grep -v "^0000:00:" | head -n 1)
check "an edu device: $edu" [ -n "$edu" ]
check "an e1000e: $nic" [ -n "$nic" ]
check "$nic bound to vfio-pci" bind_vfio "$nic"
echo 1 >"$T/events/vfio_pci/enable"
echo 1 >"$T/events/pci/pci_power_state/enable"
check "both preserved, $nic left in D3hot" lu_vfio preserve --d3hot low "$edu" "$nic"
check "$nic is in D3hot" [ "$(cat "/sys/bus/pci/devices/$nic/power_state")" = D3hot ]
check "pci_power_state traced $nic going to D3hot" \
	grep -q "pci_power_state: dev=$nic .* from=D0 to=D3hot" "$T/trace"
kexec_expect_freeze_refused 2
check "$edu froze" grep -q "vfio_pci_liveupdate_freeze: dev=$edu .* ret=0" /results/freeze-trace.txt
check "$nic's freeze refused with EBUSY" grep -q "vfio_pci_liveupdate_freeze: dev=$nic .* ret=-16" /results/freeze-trace.txt
check "$nic was not woken up: still in D3hot" [ "$(cat "/sys/bus/pci/devices/$nic/power_state")" = D3hot ]
check "$edu was unfrozen" grep -q "vfio_pci_liveupdate_unfreeze: dev=$edu .* ret=0" /results/freeze-trace.txt
kill -USR1 "$(cat /tmp/lu_vfio.low.pid)"
sleep 0.5
cat /tmp/lu_vfio.usr1
check "both devices answered an ioctl after SIGUSR1" [ "$(grep -c ' 0$' /tmp/lu_vfio.usr1)" -eq 2 ]
check "$nic is back in D0" [ "$(cat "/sys/bus/pci/devices/$nic/power_state")" = D0 ]
check "pci_power_state traced $nic back to D0" \
	grep -q "pci_power_state: dev=$nic .* from=D3hot to=D0" "$T/trace"
check "no pci_power_state of $edu, which has no PM capability" \
	sh -c "! grep -q 'pci_power_state: dev=$edu ' $T/trace"
# QEMU's e1000e lacks No_Soft_Reset: its D3hot to D0 reset the function.
check "vfio-pci traced the reset of $nic's D3hot to D0" \
	grep -q "vfio_pci_reset: dev=$nic .* site=power_d0" "$T/trace"
echo "$edu $nic" >/results/devs
checks_done
