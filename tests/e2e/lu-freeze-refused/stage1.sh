#!/bin/sh
# With MSI still enabled on a preserved device, the freeze inside the kexec
# reboot refuses: the kexec is aborted, this kernel keeps running and every
# file is unfrozen. With MSI off, the next kexec goes through (run by /init).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
devs=$(vfio_edu_devices)
for ev in liveupdate/liveupdate_reboot liveupdate/liveupdate_file_unfreeze vfio_pci/vfio_pci_liveupdate_freeze; do
	echo 1 >"$T/events/$ev/enable"
done
# shellcheck disable=SC2086
check "devices preserved with MSI enabled" lu_vfio preserve --irq --dma frz $devs
check "kexec loaded" kexec_load_stage2
if kexec -e >/tmp/kexec-e.log 2>&1; then kexec_rc=0; else kexec_rc=$?; fi
cat /tmp/kexec-e.log
check "kexec -e refused (exit $kexec_rc)" [ "$kexec_rc" != 0 ]
check "the kexec reboot failed with EBUSY" grep -q "Device or resource busy" /tmp/kexec-e.log
cp "$T/trace" /results/freeze-trace.txt
check "the freeze refused with EBUSY" grep -q "vfio_pci_liveupdate_freeze: .* ret=-16" /results/freeze-trace.txt
check "LUO reported the failed reboot freeze" grep -q "liveupdate_reboot: .* ret=-16" /results/freeze-trace.txt
check "every preserved file was unfrozen" grep -q "liveupdate_file_unfreeze: session=frz" /results/freeze-trace.txt
# Interrupts off: the kexec /init performs next must succeed.
kill -USR1 "$(cat /tmp/lu_vfio.frz.pid)"
sleep 0.2
checks_done
