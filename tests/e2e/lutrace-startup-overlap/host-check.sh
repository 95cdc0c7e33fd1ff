#!/usr/bin/env bash
# On the host: every session the guest's loop made (results/overlap.sessions)
# has each of its events in the flight log as often as it fired: none lost
# between the import's cut-off and the attach, none twice from import and
# BPF. A round (lu_vfio preserve --close) preserves and closes twice.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
res=$1/results
events=$("$top/build/lutrace" report -j "$res/flight.log" | grep '"type":"event"')
bad=0
n=0
while read -r s; do
	n=$((n + 1))
	for ev in liveupdate_session_create liveupdate_file_preserve \
		liveupdate_file_unpreserve liveupdate_session_release; do
		c=$(grep -F "\"event\":\"$ev\"" <<<"$events" | grep -cF "\"session\":\"$s\"" || true)
		if [ "$c" != 2 ]; then
			echo "$s: $ev $c times in the log, not twice" >&2
			bad=1
		fi
	done
done <"$res/overlap.sessions"
# Two device events of each kind per round, whichever session it was.
for ev in pci_liveupdate_preserve vfio_pci_liveupdate_preserve vfio_pci_liveupdate_unpreserve; do
	c=$(grep -cF "\"event\":\"$ev\"" <<<"$events" || true)
	if [ "$c" != $((2 * n)) ]; then
		echo "$ev: $c in the log for $n rounds, not $((2 * n))" >&2
		bad=1
	fi
done
grep -h "imported\|start-up" "$res"/lutrace-record.stage1.run1.log "$res"/lutrace-record.stage1.log || true
[ "$bad" = 0 ] && echo "host-check: $n rounds, each event in the log once"
exit "$bad"
