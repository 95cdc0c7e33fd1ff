#!/bin/sh
# lutrace-broken-reset's stage 2 with the recorder held back, stopped before
# it runs, until the VMM is done: no BPF program sees the sysfs reset, only
# the boot-traced pci_reset tracepoint does. The recorder must import it,
# and verify must name it.
set -eu
export LUTRACE_HOLD_RECORDER=1
# shellcheck source=../lutrace-broken-reset/stage2.sh disable=SC1091
. /lutrace/scenarios/lutrace-broken-reset/stage2.sh
