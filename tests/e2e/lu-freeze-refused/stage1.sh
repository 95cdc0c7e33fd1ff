#!/bin/sh
# With MSI still enabled on the last preserved device, its freeze inside the
# kexec reboot refuses: the kexec is aborted, this kernel keeps running and
# the files frozen before it are unfrozen. With MSI off, the next kexec goes
# through (run by /init). Needs two devices or more.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
devs=$(vfio_edu_devices)
check "two devices or more" [ "$(echo "$devs" | wc -w)" -ge 2 ]
echo 1 >"$T/events/liveupdate/enable"
echo 1 >"$T/events/vfio_pci/enable"
# shellcheck disable=SC2086
check "devices preserved, MSI left on on the last" lu_vfio preserve --irq --dma frz $devs
kexec_expect_freeze_refused 2
first=$(echo "$devs" | cut -d' ' -f1)
check "the first device froze" grep -q "vfio_pci_liveupdate_freeze: dev=$first .* ret=0" /results/freeze-trace.txt
check "the last device's freeze refused with EBUSY" grep -q "vfio_pci_liveupdate_freeze: .* ret=-16" /results/freeze-trace.txt
check "LUO reported the failed reboot freeze" grep -q "liveupdate_reboot: .* ret=-16" /results/freeze-trace.txt
check "the first device was unfrozen" grep -q "vfio_pci_liveupdate_unfreeze: dev=$first .* token=1 ret=0" /results/freeze-trace.txt
check "LUO unfroze its file" grep -q "liveupdate_file_unfreeze: session=frz .* token=1" /results/freeze-trace.txt
# Interrupts off: the kexec /init performs next must succeed.
kill -USR1 "$(cat /tmp/lu_vfio.frz.pid)"
sleep 0.5
# Unfreeze ended the frozen state: every device takes ioctls again.
cat /tmp/lu_vfio.usr1
check "every device answered an ioctl after SIGUSR1" [ "$(wc -l </tmp/lu_vfio.usr1)" -eq "$(echo "$devs" | wc -w)" ]
check "no device is still frozen after the refused kexec" sh -c '! grep -qv " 0$" /tmp/lu_vfio.usr1'
checks_done
