#!/bin/sh
# make demo's stage 1, but stage 2 boots without the pci_reset tracepoint
# enabled: nothing records a PCI-level reset before the recorder attaches.
set -eu
# shellcheck source=../lutrace-live-update/stage1.sh disable=SC1091
. /lutrace/scenarios/lutrace-live-update/stage1.sh
check "stage 2 booted blind to PCI resets" sed -i 's/,pci:pci_reset,/,/' /tmp/stage2.cmdline
check "pci_reset gone from stage 2's trace_event=" sh -c '! grep -q "pci:pci_reset" /tmp/stage2.cmdline'
checks_done
