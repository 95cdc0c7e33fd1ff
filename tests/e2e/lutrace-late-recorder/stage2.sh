#!/bin/sh
# make demo's stage 2 with the recorder held back, stopped before it runs,
# until the VMM is done: if stage 2 waits for the recorder anywhere before
# the VMM's retrieve, it waits for good and fails; if it does not, the log
# has the VMM's whole retrieve from the boot-time import (host-check.sh).
set -eu
export LUTRACE_HOLD_RECORDER=1
# shellcheck source=../lutrace-live-update/stage2.sh disable=SC1091
. /lutrace/scenarios/lutrace-live-update/stage2.sh
