#!/bin/sh
# lutrace-late-recorder-reset with the first device reset by the secondary
# bus reset of the root port above it (reset_subordinate), which names no
# device: only the pci_reset of kind secondary_bus the PCI core fires for
# each device below the bridge, traced from boot, shows it.
set -eu
export LUTRACE_HOLD_RECORDER=1 LUTRACE_RESET_VIA=bridge
# shellcheck source=../lutrace-broken-reset/stage2.sh disable=SC1091
. /lutrace/scenarios/lutrace-broken-reset/stage2.sh
