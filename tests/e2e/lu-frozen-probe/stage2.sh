#!/bin/sh
# What the probe got from the frozen devices before the kexec, then the
# devices come across and work as usual.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

out=/results/frozen-probe.txt
check "the probe wrote what it saw before the kexec" [ -s "$out" ]
cat "$out"
check "the probe tried all 13 paths" [ "$(wc -l <"$out")" -eq 13 ]
while read -r op want got; do
	check "frozen device: ${op#op=} gives ${want#want=} every time (${got})" [ "${got#got=}" = "${want#want=}" ]
done <"$out"
devs=$(vfio_edu_devices)
trace=/results/freeze-trace.txt
# A preserved file is bound, so every preserved device is open at freeze.
for dev in $devs; do
	check "the freeze reset $dev" grep -q "vfio_pci_reset: dev=$dev .* site=freeze ret=0" "$trace"
done
check "the freeze skipped no reset" sh -c "! grep -q vfio_pci_reset_skipped $trace"
# shellcheck disable=SC2086
check "devices retrieved and working" lu_vfio retrieve --dma --probe-frozen frozen $devs
checks_done
