#!/bin/sh
# The reset scenario's stage 2: a sysfs reset before the held recorder
# attaches, which this boot does not trace.
set -eu
# shellcheck source=../lutrace-late-recorder-reset/stage2.sh disable=SC1091
. /lutrace/scenarios/lutrace-late-recorder-reset/stage2.sh
