#!/bin/sh
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

edu_devices >/results/bdfs.stage2
check "devices were renumbered ($(tr '\n' ' ' </results/bdfs.stage2))" sh -c '! cmp -s /results/bdfs.stage1 /results/bdfs.stage2'
checks_done
