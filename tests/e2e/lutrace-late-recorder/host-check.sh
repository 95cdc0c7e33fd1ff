#!/usr/bin/env bash
# On the host: the recorder of stage 2 attached only after the VMM had
# retrieved, bound, mapped and finished everything, and still every verify
# rule passes: the VMM's events, mappings and milestones are in the log
# once each, from the boot-time import (no process id: BPF did not see them).
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
res=$1/results
"$top/build/lutrace" report -j "$res/flight.log" | grep '"type":"event"' |
	grep -F '"stage":2,' >"$1/stage2-events.jsonl"
bad=0
devs=$(grep -o '"event":"vfio_pci_liveupdate_retrieve","dev":"[^"]*"' "$1/stage2-events.jsonl" |
	sed 's/.*"dev":"//; s/"$//' | sort -u)
[ -n "$devs" ] || { echo "host-check: no vfio_pci_liveupdate_retrieve in stage 2" >&2; exit 1; }
ndevs=$(grep -c . <<<"$devs")
for dev in $devs; do
	for ev in vfio_pci_liveupdate_retrieve liveupdate_file_retrieve vfio_pci_reset_skipped \
		vfio_pci_liveupdate_finish pci_liveupdate_finish; do
		sel="\"dev\":\"$dev\""
		[ "${ev#liveupdate_}" = "$ev" ] || sel='"session":"vm"'
		lines=$(grep -F "\"event\":\"$ev\"" "$1/stage2-events.jsonl" | grep -F "$sel" || true)
		c=$(grep -c . <<<"$lines" || true)
		want=1
		# one session: each device's file and its DMA buffer's
		[ "$ev" = liveupdate_file_retrieve ] && want=$((2 * ndevs))
		if [ "$c" != "$want" ]; then
			echo "host-check: $dev: $ev $c times in stage 2, not $want" >&2
			bad=1
		elif grep -qv '"pid":0,' <<<"$lines"; then
			echo "host-check: $dev: $ev seen by BPF: the recorder was not late" >&2
			bad=1
		fi
	done
	# lu_vfio's milestones, from the top-level buffer: once each.
	for m in retrieved dma_verified; do
		c=$(grep -F "\"event\":\"marker\",\"dev\":\"$dev\"" "$1/stage2-events.jsonl" |
			grep -cF "\"text\":\"$m dev=$dev" || true)
		if [ "$c" != 1 ]; then
			echo "host-check: $dev: milestone $m $c times in stage 2, not once" >&2
			bad=1
		fi
	done
done
# Device N's DMA buffer, mapped at 0x100000 + N * 0x10000 (lu_vfio.c) before
# the recorder attached: imported, its domain unknown, once.
for i in $(seq 1 "$ndevs"); do
	iova=$((0x100000 + i * 0x10000))
	c=$(grep -F '"event":"iommu_map"' "$1/stage2-events.jsonl" |
		grep -F "\"iova\":\"$iova\"" | grep -cF '"iommu_domain":0,' || true)
	if [ "$c" != 1 ]; then
		echo "host-check: the DMA buffer of device $i (iova $iova) imported $c times in stage 2, not once" >&2
		bad=1
	fi
done
grep -h "imported\|attached in" "$res/lutrace-record.stage2.log" || true
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" "${LUTRACE_BUDGET_MS:-20000}" \
	handover_complete=PASS retrieved_and_finished=PASS no_reset_before_enable=PASS \
	no_iommu_fault=PASS other_opens_blocked=PASS mappings_identical=PASS \
	blackout_budget=PASS stages_contiguous=PASS no_dropped_events=PASS log_intact=PASS || bad=1
[ "$bad" = 0 ] && echo "host-check: the VMM retrieved with the recorder held; every event of it once, from the import"
exit "$bad"
