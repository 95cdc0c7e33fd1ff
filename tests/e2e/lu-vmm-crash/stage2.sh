#!/bin/sh
# The VMM retrieves the session, its devices and DMA buffers, binds none of
# them and is killed with SIGKILL. Closing its session must release all of
# it: the session is gone, the devices open normally, with the usual reset
# on their first enable (none skipped), and DMA works.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
devs=$(vfio_edu_devices)
echo 1 >"$T/events/liveupdate/enable"
echo 1 >"$T/events/vfio_pci/enable"
# shellcheck disable=SC2086
check "the VMM retrieved everything and holds it unbound" lu_vfio retrieve-hold --dma crash $devs
kill -9 "$(cat /tmp/lu_vfio.crash.pid)"
sleep 1
cp "$T/trace" /results/crash-trace.txt
check "closing the dead VMM's session released it" grep -q "liveupdate_session_release: session=crash incoming=1 ret=0" /results/crash-trace.txt
check "the session is gone" lu_vfio expect-no-session crash
# shellcheck disable=SC2086
check "other opens are no longer refused" lu_vfio expect-open ok $devs
# shellcheck disable=SC2086
check "the devices open afresh and DMA" lu_vfio use --dma $devs
cp "$T/trace" /results/crash-trace.txt
for bdf in $devs; do
	check "$bdf: its first enable reset it" grep -q "vfio_pci_reset: dev=$bdf .* site=enable" /results/crash-trace.txt
	check "$bdf: no reset was skipped" sh -c "! grep -q 'vfio_pci_reset_skipped: dev=$bdf' /results/crash-trace.txt"
done
checks_done
