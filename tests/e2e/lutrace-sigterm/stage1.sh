#!/bin/sh
# As make demo's stage 1, but the recorder gets SIGTERM before the kexec, as
# every process does from an init system's shutdown: it must flush and keep
# recording in its LUO session, so the log still reaches the jump.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

check "lutrace attached" lutrace_start
devs=$(vfio_edu_devices)
# shellcheck disable=SC2086 # one argument per device
check "devices preserved in session 'vm'" lu_vfio preserve --dma vm $devs
pid=$(cat /run/lutrace/record.pid)
kill -TERM "$pid"
sleep 1
check "the recorder is still running after SIGTERM" kill -0 "$pid"
check "the recorder said it flushed and goes on" \
	grep -q "SIGTERM: flight log flushed" /results/lutrace-record.stage1.log
lutrace_want_boot_events
checks_done
