#!/usr/bin/env bash
# What the guest recorded at the jump and after it (results/keep-jump.txt,
# results/keep-land.txt) and what the old kernel said at its kexec shutdown
# (the serial console): run-scenario.sh runs this with OUTDIR.
set -euo pipefail
out=$1 fail=0
scenario=$(basename "$(dirname "$0")")
jump=$out/results/keep-jump.txt land=$out/results/keep-land.txt
value() { sed -n "s/^$2=//p" "$1" | tail -n 1; }
say() {
	if [ "$1" = ok ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi
}

if [ ! -s "$jump" ] || [ ! -s "$land" ]; then
	echo "not ok - no keep-jump.txt or keep-land.txt in $out/results"
	exit 1
fi
busy=$(value "$jump" busy) status=$(value "$jump" status)
[ "$busy" = 1 ] && r=ok || r=fail
say "$r" "edu's DMA command register at the jump: $status (bit 0: the transfer was in flight)"
landed=$(value "$land" landed) zeros=$(value "$land" zeros) cmd=$(value "$land" command)
before=$(value "$land" dst_phys_before) after=$(value "$land" dst_phys_after)
if [ "$scenario" = lu-keep-running ]; then
	[ "$landed" = 1 ] && r=ok || r=fail
	say "$r" "stage 2 found the pattern in the preserved memfd (landed=$landed)"
	[ "$before" = "$after" ] && r=ok || r=fail
	say "$r" "at the same physical address across the kexec ($before, $after)"
	grep -q "Live Update: leaving bus mastering on across the kexec" "$out/serial.log" && r=ok || r=fail
	say "$r" "the old kernel's kexec shutdown left bus mastering on"
	[ $((cmd & 4)) -ne 0 ] && r=ok || r=fail
	say "$r" "bus mastering still on at the first enable (Command $cmd)"
else
	[ "$zeros" = 1 ] && r=ok || r=fail
	say "$r" "control: the in-flight transfer did not land (page still zeros: $zeros)"
	grep -q "leaving bus mastering on" "$out/serial.log" && r=fail || r=ok
	say "$r" "control: no device was left bus mastering at the kexec"
fi
# lutrace's word on it: dma_kept_running passes on the device left running
# and fails on the control, whose DMA in flight was stopped at freeze. With
# no IOMMU nothing is mapped, so mappings_identical has nothing to compare;
# no other open is attempted.
if [ "$scenario" = lu-keep-running ]; then
	want=PASS
else
	want=FAIL
fi
if "$(dirname "$0")/../../vm/expect-verify.sh" "$out" "${LUTRACE_BUDGET_MS:-60000}" \
	dma_kept_running=$want mappings_identical=NOT_EXERCISED \
	other_opens_blocked=NOT_EXERCISED handover_complete=PASS \
	retrieved_and_finished=PASS no_reset_before_enable=PASS no_dropped_events=PASS; then
	say ok "lutrace verify: dma_kept_running $want"
else
	say fail "lutrace verify: dma_kept_running $want"
fi
exit "$fail"
