#!/bin/sh
# Stage 2 is make demo's: take the log over, retrieve, finish, stop.
set -eu
# shellcheck source=../lutrace-live-update/stage2.sh disable=SC1091
. /lutrace/scenarios/lutrace-live-update/stage2.sh
