#!/bin/sh
# Frozen means frozen: between the reboot freeze and the jump (widened to
# four seconds by liveupdate.test_freeze_delay_ms, a LIVEUPDATE_TEST knob)
# a second process holding the first device's file tries every path to the
# hardware. Each must be refused; stage 2 reads what each one gave. Needs
# two devices.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
check "two devices or more" [ "$(echo "$devs" | wc -w)" -ge 2 ]
knob=/sys/module/liveupdate/parameters/test_freeze_delay_ms
check "the kernel has the freeze delay test knob" [ -w "$knob" ]
echo 4000 >"$knob"
echo 1 >/sys/kernel/tracing/events/vfio_pci/enable
rm -f /results/frozen-probe.txt
# shellcheck disable=SC2086
check "devices preserved, the probe armed" lu_vfio preserve --dma --probe-frozen frozen $devs
checks_done
