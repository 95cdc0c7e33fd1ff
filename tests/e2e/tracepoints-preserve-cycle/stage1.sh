#!/bin/sh
# The series' tracepoints (kernel/interface.md) exist with the promised
# fields, store no pointers, and fire with the right values, in order, during
# one preserve/unpreserve cycle of a vfio-pci device file.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
SESSION=tp-cycle
TOKEN=1

bdf=$(edu_devices | head -n 1)
check "an edu device to preserve" [ -n "$bdf" ]
check "$bdf bound to vfio-pci" bind_vfio "$bdf"

# Every event of the interface, with its system.
events="
liveupdate/liveupdate_session_create liveupdate/liveupdate_session_retrieve
liveupdate/liveupdate_session_finish liveupdate/liveupdate_session_release
liveupdate/liveupdate_file_preserve liveupdate/liveupdate_file_unpreserve
liveupdate/liveupdate_file_freeze liveupdate/liveupdate_file_unfreeze
liveupdate/liveupdate_file_retrieve liveupdate/liveupdate_file_finish
liveupdate/liveupdate_reboot liveupdate/liveupdate_incoming
pci/pci_liveupdate_preserve pci/pci_liveupdate_unpreserve pci/pci_liveupdate_incoming
pci/pci_liveupdate_finish pci/pci_liveupdate_inherit_buses
vfio_pci/vfio_pci_liveupdate_preserve vfio_pci/vfio_pci_liveupdate_unpreserve
vfio_pci/vfio_pci_liveupdate_freeze vfio_pci/vfio_pci_liveupdate_unfreeze
vfio_pci/vfio_pci_liveupdate_retrieve vfio_pci/vfio_pci_liveupdate_finish
vfio_pci/vfio_pci_reset_skipped vfio_pci/vfio_pci_open_blocked vfio_pci/vfio_pci_reset
"

# No field may be a pointer: names are __data_loc strings, the rest scalars.
no_pointer_fields() {
	! grep -E '^\s*field:' "$T/events/$1/format" | grep -v 'common_' | grep -q '\*'
}
has_fields() {
	ev=$1
	shift
	for f in "$@"; do
		grep -qE "field:.*[ ]$f;" "$T/events/$ev/format" || { echo "  $ev has no field $f" >&2; return 1; }
	done
}
for ev in $events; do
	check "event $ev exists" [ -f "$T/events/$ev/format" ]
	[ -f "$T/events/$ev/format" ] || continue
	check "event $ev stores no pointer" no_pointer_fields "$ev"
	case "$ev" in
	liveupdate/liveupdate_session_*) check "$ev fields" has_fields "$ev" session incoming ret ;;
	liveupdate/liveupdate_file_*) check "$ev fields" has_fields "$ev" session compatible token ret ;;
	liveupdate/liveupdate_reboot) check "$ev fields" has_fields "$ev" nr_sessions nr_files ret ;;
	liveupdate/liveupdate_incoming) check "$ev fields" has_fields "$ev" liveupdate_num nr_sessions ret ;;
	pci/pci_liveupdate_inherit_buses) check "$ev fields" has_fields "$ev" dev domain bus devfn primary secondary subordinate ;;
	pci/*) check "$ev fields" has_fields "$ev" dev domain bus devfn ret ;;
	vfio_pci/vfio_pci_liveupdate_*) check "$ev fields" has_fields "$ev" dev domain bus devfn token ret ;;
	vfio_pci/vfio_pci_reset_skipped) check "$ev fields" has_fields "$ev" dev domain bus devfn reason ;;
	vfio_pci/vfio_pci_open_blocked) check "$ev fields" has_fields "$ev" dev domain bus devfn path ;;
	vfio_pci/vfio_pci_reset) check "$ev fields" has_fields "$ev" dev domain bus devfn site ret ;;
	esac
done

for sys in liveupdate vfio_pci; do echo 1 >"$T/events/$sys/enable"; done
for ev in "$T"/events/pci/pci_liveupdate_*; do echo 1 >"$ev/enable"; done
echo boot >"$T/trace_clock"
echo >"$T/trace"
# Preserve with token 1, close the session (unpreserve), preserve and close
# again; the checks below look at the first cycle.
check "preserve/unpreserve cycle of $bdf" lu_vfio preserve --close "$SESSION" "$bdf"
echo "lutrace: cycle_done dev=$bdf session=$SESSION token=$TOKEN" >"$T/trace_marker"
echo 0 >"$T/tracing_on"
cp "$T/trace" /results/trace.txt
cat "$T/trace"
# The formats and raw pages of this kernel, for tests/unit/tracefs/ and for
# host-check.sh, which compares that copy's formats with these.
# shellcheck disable=SC2086 # $events is a list of words
dump_tracefs_raw /results/tracefs $events ftrace/print

# Identity fields as the kernel prints them: 0000:01:00.0 -> bus=01 devfn=00.
bus=$(echo "$bdf" | cut -d: -f2)
slotfn=$(echo "$bdf" | cut -d: -f3)
devfn=$(printf '%02x' $(( (0x${slotfn%.*} << 3) | ${slotfn#*.} )))
id="dev=$bdf domain=0000 bus=$bus devfn=$devfn"

# line_of NAME REGEX: line number of the first NAME event matching REGEX.
line_of() {
	grep -n " $1: " /results/trace.txt | grep -E "$2" | head -n 1 | cut -d: -f1
}
# Events come in phases; within a phase the order is the implementation's,
# across phases it is the lifecycle's. after MIN NAME REGEX: the event is
# there, later than line MIN; its line goes to $at.
after() {
	at=$(line_of "$2" "$3")
	[ -n "$at" ] || { echo "  no $2 matching: $3" >&2; return 1; }
	[ "$at" -gt "$1" ] || { echo "  $2 at line $at, not after line $1" >&2; return 1; }
}
phase() {
	min=$1 top=$1
	shift
	while [ $# -ge 2 ]; do
		check "$1" after "$min" "$1" "$2" && [ "$at" -gt "$top" ] && top=$at
		shift 2
	done
	phase_end=$top
}
file_re="session=$SESSION compatible=vfio-pci[^ ]* token=$TOKEN ret=0"
phase 0 vfio_pci_reset "$id site=enable"
phase "$phase_end" liveupdate_session_create "session=$SESSION incoming=0 ret=0"
phase "$phase_end" \
	pci_liveupdate_preserve "$id ret=0" \
	vfio_pci_liveupdate_preserve "$id token=$TOKEN ret=0" \
	liveupdate_file_preserve "$file_re"
phase "$phase_end" \
	pci_liveupdate_unpreserve "$id ret=0" \
	vfio_pci_liveupdate_unpreserve "$id token=$TOKEN ret=0" \
	liveupdate_file_unpreserve "$file_re"
phase "$phase_end" liveupdate_session_release "session=$SESSION incoming=0 ret=0"
phase "$phase_end" vfio_pci_reset "$id site=disable"
checks_done
