#!/bin/sh
# lu-incoming-corrupt: one stage per way the old kernel can hand over state
# the new one must not trust. Stage N checks how the new kernel treated
# corruption N-1 (it boots, says why in one log line, refuses the state with
# the errno kernel/interface.md promises, no warning, and the devices then
# open, reset and DMA like any device), then preserves the devices again and
# applies corruption N before the next kexec. The test knobs need
# CONFIG_LIVEUPDATE_TEST.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
PCI_KNOB=/sys/module/pci_liveupdate/parameters/test_corrupt
VFIO_KNOB=/sys/module/vfio_pci/parameters/liveupdate_test_corrupt
LUO_KNOB=/sys/module/liveupdate/parameters/test_unknown_handler
LAST=9
stage=$LUTRACE_STAGE
session=c$stage
prev=c$((stage - 1))

devs=$(vfio_edu_devices)
# shellcheck disable=SC2086
set -- $devs
[ $# -ge 2 ] || { echo "not ok - lu-incoming-corrupt needs two devices, has: $devs"; exit 1; }
first=$1
second=$2
echo 1 >"$T/events/liveupdate/enable"
echo 1 >"$T/events/vfio_pci/enable"
echo 1 >"$T/events/pci/enable"

# Corruption N: "knob value", and what stage N+1 must find.
corruption() {
	case $1 in
	1) echo "$PCI_KNOB order" ;;
	2) echo "$PCI_KNOB duplicate" ;;
	3) echo "$PCI_KNOB reserved" ;;
	4) echo "$PCI_KNOB count" ;;
	5) echo "$PCI_KNOB size" ;;
	6) echo "$VFIO_KNOB flags" ;;
	7) echo "$VFIO_KNOB reserved" ;;
	8) echo "$VFIO_KNOB bdf=$second" ;;
	9) echo "$LUO_KNOB vfio-pci-v3" ;;
	esac
}

# The log line that says why corruption N was refused.
refusal_line() {
	case $1 in
	1 | 2) echo "is out of order or listed twice" ;;
	3) echo "has unknown fields set" ;;
	4) echo "devices but has room for" ;;
	5) echo "claims room for 4294967295 devices" ;;
	6) echo "unknown preserved state (flags 0x8001" ;;
	7) echo "unknown preserved state (flags 0x1, reserved 0x1)" ;;
	8) echo "$second: Live Update: not preserved by the previous kernel" ;;
	9) echo "No registered handler for compatible 'test-unknown-handler'" ;;
	esac
}

# Each device's first enable after the refusal reset it; none was skipped.
reset_as_new() {
	cp "$T/trace" "/results/trace.stage$stage.txt"
	for bdf in $devs; do
		check "$bdf: its first enable reset it" \
			grep -q "vfio_pci_reset: dev=$bdf .* site=enable" "/results/trace.stage$stage.txt"
		check "$bdf: no reset was skipped" \
			sh -c "! grep -q 'vfio_pci_reset_skipped: dev=$bdf' /results/trace.stage$stage.txt"
	done
}

verify_refused() {
	n=$1
	echo "# corruption $n: $(corruption "$n")"
	case $n in
	[1-5])
		check "the table was ignored as a whole" \
			kernel_logged "ignoring the previous kernel's preserved devices"
		check "no bridge kept the previous kernel's bus numbers" \
			sh -c "! dmesg | grep -q 'keeping bus numbers'"
		# shellcheck disable=SC2086
		check "no device is held as incoming" lu_vfio expect-open ok $devs
		# shellcheck disable=SC2086
		check "retrieve refuses, closing gives up" lu_vfio expect-refused --dma ENODEV "$prev" $devs
		;;
	[67])
		# shellcheck disable=SC2086
		check "retrieve refuses the state, closing gives up" \
			lu_vfio expect-refused --dma EINVAL "$prev" $devs
		;;
	8)
		check "retrieving a device that was not preserved refuses" \
			lu_vfio expect-refused --dma ENODEV "$prev" "$first"
		check "$first, preserved but named by no state, was retired" \
			kernel_logged "$first: Live Update: no driver took this device over"
		# shellcheck disable=SC2086
		check "both devices open afresh" lu_vfio use --dma $devs
		;;
	9)
		# shellcheck disable=SC2086
		check "until LUO is opened, the devices wait for their session" lu_vfio expect-open busy $devs
		check "the sessions cannot be used" lu_vfio expect-luo-error EIO
		check "LUO said so" kernel_logged "cannot use the sessions of the previous kernel"
		for bdf in $devs; do
			check "$bdf: retired with a log line" \
				kernel_logged "$bdf: Live Update: no driver took this device over"
		done
		# shellcheck disable=SC2086
		check "the devices open afresh and DMA" lu_vfio use --dma $devs
		;;
	esac
	reset_as_new
	[ "$n" = 9 ] && check "pci_liveupdate_finish ret=-ECANCELED traced" \
		grep -q "pci_liveupdate_finish: dev=$first .* ret=-125" "/results/trace.stage$stage.txt"
	# Said at enumeration for the table, at retrieve or at the first open
	# of /dev/liveupdate for the rest.
	check "the kernel said why: $(refusal_line "$n")" kernel_logged "$(refusal_line "$n")"
	check "no kernel warning" sh -c "! dmesg | grep -qE 'WARNING:|BUG:|cut here'"
}

apply_corruption() {
	n=$1
	# shellcheck disable=SC2046
	set -- $(corruption "$n")
	knob=$1
	value=$2
	preserved=$devs
	[ "$n" = 8 ] && preserved=$first
	# shellcheck disable=SC2086
	check "devices preserved in $session" lu_vfio preserve --dma "$session" $preserved
	check "corruption $n armed: $value > $knob" sh -c "echo '$value' >'$knob'"
}

[ "$stage" -gt 1 ] && verify_refused $((stage - 1))
[ "$stage" -le "$LAST" ] && apply_corruption "$stage"
checks_done
