#!/bin/sh
# What the probe got from the frozen devices before the kexec, then the
# devices come across and work as usual.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

out=/results/frozen-probe.txt
check "the probe wrote what it saw before the kexec" [ -s "$out" ]
cat "$out"
check "the probe tried all 14 paths" [ "$(wc -l <"$out")" -eq 14 ]
while read -r op want got; do
	check "frozen device: ${op#op=} gives ${want#want=} every time (${got})" [ "${got#got=}" = "${want#want=}" ]
done <"$out"
devs=$(vfio_edu_devices)
first=${devs%% *}
last=$(echo "$devs" | awk '{ print $NF }')
trace=/results/freeze-trace.txt
check "the freeze reset the open device" grep -q "vfio_pci_reset: dev=$first .* site=freeze ret=0" "$trace"
check "the freeze said why it left the never-opened device alone" \
	grep -q "vfio_pci_reset_skipped: dev=$last .* reason=freeze_not_open" "$trace"
# shellcheck disable=SC2086
check "devices retrieved and working" lu_vfio retrieve --dma --probe-frozen frozen $devs
checks_done
