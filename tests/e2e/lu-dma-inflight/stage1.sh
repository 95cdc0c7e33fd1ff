#!/bin/sh
# DMA is still in flight when the old kernel hands over (edu runs a transfer
# 100 ms after it is started; pre-kexec.sh starts one on every device right
# before the jump).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
check "devices preserved in session 'busy'" lu_vfio preserve --dma busy $devs
echo "$devs" >/tmp/held-devices
checks_done
