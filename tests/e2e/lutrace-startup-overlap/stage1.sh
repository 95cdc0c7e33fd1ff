#!/bin/sh
# Events that fire while the recorder starts appear in its log exactly once:
# before its programs attach only the tracefs buffer has them (the import
# reads them), after it BPF sees them too. A loop preserves and closes a
# device in a new session each round (session overlap-N), from before
# lutrace starts until after it has attached, and again across a restart of
# the recorder; host-check.sh counts.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
bdf=$(edu_devices | head -n 1)
check "an edu device to preserve" [ -n "$bdf" ]
check "$bdf bound to vfio-pci" bind_vfio "$bdf"

# What lutrace imports, as boot-time trace_event= would have it.
echo boot >"$T/trace_clock"
for sys in liveupdate vfio_pci; do echo 1 >"$T/events/$sys/enable"; done
for ev in "$T"/events/pci/pci_liveupdate_* "$T"/events/pci/pci_reset "$T"/events/pci/pci_bus_master; do
	echo 1 >"$ev/enable"
done

# The loop counts in the guest's tmpfs: a 9p file read while the loop
# appends to it can fail with ENODATA. The host gets a copy at the end.
sessions=/tmp/overlap.sessions
: >"$sessions"
(
	i=0
	while [ ! -f /tmp/overlap.stop ]; do
		i=$((i + 1))
		lu_vfio preserve --close "overlap-$i" "$bdf" >/dev/null
		echo "overlap-$i" >>"$sessions"
	done
) &
gen=$!
rounds() { wc -l <"$sessions"; }
i=0
while [ "$(rounds)" -lt 3 ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
before=$(rounds)
check "lutrace attached while sessions come and go" lutrace_start
at=$(rounds)
i=0
while [ "$(rounds)" -lt $((at + 3)) ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
# A restart in the same boot: what the first run logged is not imported
# again; what came between the runs is.
check "lutrace stopped while sessions come and go" lutrace_stop
stopped=$(rounds)
mv /results/lutrace-record.stage1.log /results/lutrace-record.stage1.run1.log
check "lutrace restarted on the same log" lutrace_start
again=$(rounds)
i=0
while [ "$(rounds)" -lt $((again + 3)) ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
touch /tmp/overlap.stop
wait "$gen"
cp "$sessions" /results/overlap.sessions
check "lutrace stopped, flight log saved" lutrace_stop
echo "rounds: $before before starting lutrace, $at once attached, $stopped at the first stop, $again once restarted, $(rounds) in all"
check "rounds before, during and after each start" \
	[ "$before" -ge 3 ] && [ "$stopped" -gt "$at" ] && [ "$(rounds)" -gt "$again" ]
checks_done
