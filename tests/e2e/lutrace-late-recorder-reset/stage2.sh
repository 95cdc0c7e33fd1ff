#!/bin/sh
# The first device is reset through sysfs before its retrieve, while the
# recorder is held back, stopped before it runs: no BPF program sees the
# reset, only the boot-traced pci_reset tracepoint does. The recorder must
# import it, and verify must name it.
set -eu
export LUTRACE_HOLD_RECORDER=1
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace started, held" lutrace_launch
devs=$(vfio_edu_devices)
first=${devs%% *}
check "$first reset behind the session's back" sh -c "echo 1 >/sys/bus/pci/devices/$first/reset"
# shellcheck disable=SC2086
check "devices retrieved" lu_vfio retrieve --dma vm $devs
lutrace_release
check "lutrace attached" lutrace_wait_attached
check "lutrace stopped, flight log saved" lutrace_stop
checks_done
