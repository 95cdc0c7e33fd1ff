#!/bin/sh
# Stage 1 is make demo's: record, preserve every device, kexec.
set -eu
# shellcheck source=../lutrace-live-update/stage1.sh disable=SC1091
. /lutrace/scenarios/lutrace-live-update/stage1.sh
