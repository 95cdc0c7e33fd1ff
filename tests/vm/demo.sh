#!/usr/bin/env bash
# make demo: boot the guest with N edu devices, live-update it across a
# kexec and print what happened: what was preserved, each stage's checks,
# and how long each part took.
#
#   demo.sh [DEVICES]
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
devices=${1:-2}
scenario=${DEMO_SCENARIO:-luo-kexec-smoke}
out=$top/build/demo

echo "demo: booting the guest with $devices edu devices, scenario $scenario (TCG: this takes a while)"
status=0
"$top/tests/vm/run-scenario.sh" -n "$devices" "$scenario" "$out" || status=$?
"$top/tests/vm/summarize-run.sh" "$out"
exit "$status"
