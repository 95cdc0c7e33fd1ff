#!/usr/bin/env bash
# Boot the guest under QEMU (q35, TCG, emulated VT-d) with N edu devices, run
# a scenario's stage 1, kexec, stage 2, and check what came back.
#
#   run-scenario.sh [-n DEVICES] [-T TOPOLOGY] [-t TIMEOUT_S] [-a EXTRA_CMDLINE] [-m MEM]
#                   [-x QEMU_DEVICE]... [-d QEMU_DEVICE]... [-c CLOCK_LOG] [-s SHARE_DIR]
#                   [-r ROOT_DIR] [-N] [-E EDU_PROPERTIES] SCENARIO OUTDIR
#
# TOPOLOGY: rootport (default: each edu device alone behind its own PCIe root
# port) or switch (all edu devices behind one PCIe switch: root port ->
# upstream port -> one downstream port each, so their bus numbers come from
# bridge programming the kernel does), or bridge (the first edu device behind
# its own root port, the others behind one conventional PCI bridge, where
# they share an IOMMU group). -x adds a QEMU device of another kind (e.g.
# e1000e, which has a PM capability edu lacks) behind a root port of its own;
# -d adds one on no bus that a -x device names (nvme-subsys for SR-IOV nvme).
# -c gives the guest a second serial port (ttyS1, named to it by the word
# lutrace.clock=/dev/ttyS1) wired to a pipe on the host, and CLOCK_LOG gets
# each line the guest writes there as "EPOCH_SECONDS LINE", stamped by the
# host as the line arrives: a clock outside the guest and outside lutrace
# (the guest writes "freeze" before its kexec, lu_vfio "retrieve" at its
# first retrieve; bench/observer-effect.sh).
# -s shares host directory SHARE_DIR read-only with the guest, which mounts
# it at /share (told by the word lutrace.share=1): what a bench needs in the
# guest that the initramfs should not carry (bpftrace and its libraries,
# bench/tracer-cost.sh).
# -r boots no initramfs but host directory ROOT_DIR, writable, as the root
# file system over virtio-9p (owners and modes kept: QEMU runs as root), with
# systemd's status of every unit on the console: the systemd guest
# (tests/vm/run-systemd-scenario.sh), whose test units run the stages.
# -N: no emulated IOMMU (no VT-d, no intel_iommu=on), with vfio's unsafe
# no-IOMMU mode enabled instead, so that edu devices bind to vfio-pci and
# DMA to physical addresses (the keep-running scenarios). -E adds QEMU
# properties to every edu device (e.g. dma_mask=0xffffffff: edu clamps DMA
# addresses to 28 bits by default, and physical addresses go higher).
# Needs build/kernel/bzImage and build/vm/initramfs.cpio.gz (make initramfs).
# OUTDIR receives serial.log, results/ (each stage's log, exit status,
# timing) and summary.txt; a scenario's host-check.sh, if it has one, then
# judges OUTDIR on the host (its output: OUTDIR/host-check.log). Exit status 0 only when every stage the scenario
# has ran and exited 0 and the guest powered off by itself.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
devices=2 topology=rootport timeout_s=600 extra="" mem=2G clock_log="" share="" rootdir=""
iommu=1 edu_props=""
others=() busless=()
usage="usage: $0 [-n DEVICES] [-T rootport|switch|bridge] [-t TIMEOUT_S] [-a CMDLINE] [-m MEM] [-x QEMU_DEVICE]... [-d QEMU_DEVICE]... [-c CLOCK_LOG] [-s SHARE_DIR] [-r ROOT_DIR] [-N] [-E EDU_PROPERTIES] SCENARIO OUTDIR"
while getopts "n:T:t:a:m:x:d:c:s:r:NE:" opt; do
	case "$opt" in
	n) devices=$OPTARG ;;
	T) topology=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	a) extra=$OPTARG ;;
	m) mem=$OPTARG ;;
	x) others+=("$OPTARG") ;;
	d) busless+=("$OPTARG") ;;
	c) clock_log=$OPTARG ;;
	s) share=$OPTARG ;;
	r) rootdir=$OPTARG ;;
	N) iommu=0 ;;
	E) edu_props=,$OPTARG ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
[ -z "$clock_log" ] || extra="$extra lutrace.clock=/dev/ttyS1"
[ -z "$share" ] || extra="$extra lutrace.share=1"
scenario=$1 out=$2
scen_dir=$top/tests/e2e/$scenario
kernel=${KERNEL_IMAGE:-$top/build/kernel/bzImage}
initrd=${INITRAMFS:-$top/build/vm/initramfs.cpio.gz}
[ -z "$rootdir" ] || initrd=""

[ -d "$scen_dir" ] || { echo "run-scenario: no scenario $scen_dir" >&2; exit 2; }
for f in "$kernel" ${initrd:+"$initrd"}; do
	[ -f "$f" ] || { echo "run-scenario: missing $f (make kernel initramfs)" >&2; exit 2; }
done
[ -z "$rootdir" ] || [ -d "$rootdir" ] || { echo "run-scenario: no root directory $rootdir" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out/results" "$out/boot"
# The guest kexecs the very same kernel and initramfs from this read-only share.
cp "$kernel" "$out/boot/bzImage"
[ -z "$initrd" ] || cp "$initrd" "$out/boot/initramfs.cpio.gz"

# thread=single: with multi-threaded TCG, a vCPU can run a stale translated
# block holding the int3 of a finished text_poke_bp() (static key flips,
# tracepoint enables) and oops in the int3 handler; seen at boot on
# "sched_clock: Marking stable". One TCG thread for both vCPUs removes the race.
# no_timer_check: on a loaded host a TCG guest can miss the timer interrupt
# during the IO-APIC check and panic ("timer doesn't work through
# Interrupt-remapped IO-APIC"); the kernel parameter exists for VMs.
# shellcheck disable=SC2054 # commas belong to QEMU option values
qemu=(qemu-system-x86_64 -machine q35 -accel tcg,thread=single -cpu max -smp 2 -m "$mem")
if [ "$iommu" = 1 ]; then
	qemu+=(-device intel-iommu)
	extra="intel_iommu=on $extra"
else
	extra="vfio.enable_unsafe_noiommu_mode=1 $extra"
fi
# shellcheck disable=SC2054 # commas belong to QEMU option values
qemu+=(-display none -no-reboot -monitor "unix:$out/monitor.sock,server=on,wait=off"
	-serial "file:$out/serial.log"
	-fsdev "local,id=results,path=$out/results,security_model=none"
	-device virtio-9p-pci,fsdev=results,mount_tag=results
	-fsdev "local,id=boot,path=$out/boot,security_model=none,readonly=on"
	-device virtio-9p-pci,fsdev=boot,mount_tag=boot
	-kernel "$kernel")
if [ -n "$rootdir" ]; then
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	qemu+=(-fsdev "local,id=root,path=$rootdir,security_model=passthrough,multidevs=remap"
		-device virtio-9p-pci,fsdev=root,mount_tag=root)
	# cache=mmap: journald and others map their files shared and writable.
	extra="root=root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=mmap rw systemd.show_status=1 $extra"
else
	qemu+=(-initrd "$initrd")
fi
qemu+=(-append "console=ttyS0 panic=-1 no_timer_check kho=on liveupdate=on lutrace.scenario=$scenario lutrace.stage=1 $extra")
case "$topology" in
rootport)
	for i in $(seq 1 "$devices"); do
		qemu+=(-device "pcie-root-port,id=rp$i,bus=pcie.0,chassis=$i,slot=$i"
			-device "edu,bus=rp$i$edu_props")
	done
	;;
switch)
	qemu+=(-device "pcie-root-port,id=rp0,bus=pcie.0,chassis=100,slot=100"
		-device "x3130-upstream,id=up0,bus=rp0")
	for i in $(seq 1 "$devices"); do
		qemu+=(-device "xio3130-downstream,id=dn$i,bus=up0,chassis=$((100 + i)),slot=$i"
			-device "edu,bus=dn$i$edu_props")
	done
	;;
bridge)
	qemu+=(-device "pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=1" -device "edu,bus=rp1$edu_props"
		-device "pcie-pci-bridge,id=br0,bus=pcie.0")
	for i in $(seq 2 "$devices"); do
		qemu+=(-device "edu,bus=br0,addr=$i$edu_props")
	done
	;;
*)
	echo "run-scenario: unknown topology '$topology' (rootport, switch or bridge)" >&2
	exit 2
	;;
esac
# Devices on no PCI bus that -x devices refer to (-d nvme-subsys,id=S).
for dev in "${busless[@]}"; do
	qemu+=(-device "$dev")
done
# Devices other than edu (-x e1000e, say), each on a root port of its own.
for i in "${!others[@]}"; do
	qemu+=(-device "pcie-root-port,id=rpx$i,bus=pcie.0,chassis=$((200 + i)),slot=$((200 + i))"
		-device "${others[$i]},bus=rpx$i")
done
if [ -n "$share" ]; then
	[ -d "$share" ] || { echo "run-scenario: no directory $share to share" >&2; exit 2; }
	# shellcheck disable=SC2054 # commas belong to QEMU option values
	qemu+=(-fsdev "local,id=share,path=$share,security_model=none,readonly=on"
		-device virtio-9p-pci,fsdev=share,mount_tag=share)
fi
# QEMU opens PATH.in and PATH.out read-write, so neither end waits for the other.
clock_reader=""
if [ -n "$clock_log" ]; then
	mkfifo "$out/clock.in" "$out/clock.out"
	qemu+=(-serial "pipe:$out/clock")
	: >"$clock_log"
	# EPOCHREALTIME: no fork between a line's arrival and its stamp.
	while IFS= read -r line; do
		echo "$EPOCHREALTIME ${line%$'\r'}" >>"$clock_log"
	done <>"$out/clock.out" &
	clock_reader=$!
fi
printf '%q ' "${qemu[@]}" >"$out/qemu.cmd"

start=$(date +%s.%N)
set +e
"${qemu[@]}" </dev/null >"$out/qemu.out" 2>&1 &
qemu_pid=$!
# A run past its time is a hang: first ask QEMU what its vCPUs are doing
# (hang-registers.txt, its summary among the problems), then stop it.
(
	for _ in $(seq "$timeout_s"); do
		kill -0 "$qemu_pid" 2>/dev/null || exit 0
		sleep 1
	done
	: >"$out/timed-out"
	timeout 30 "$top/tests/vm/qemu-hang-dump.py" "$out/monitor.sock" \
		"${LUTRACE_CACHE:-/var/cache/lutrace}/build/guest/System.map" >"$out/hang-registers.txt" 2>&1
	kill "$qemu_pid" 2>/dev/null
	sleep 10
	kill -9 "$qemu_pid" 2>/dev/null
) &
watchdog=$!
wait "$qemu_pid"
qemu_rc=$?
wait "$watchdog"
[ -f "$out/timed-out" ] && qemu_rc=124
set -e
if [ -n "$clock_reader" ]; then
	kill "$clock_reader"
	wait "$clock_reader" 2>/dev/null || true
fi
wall=$(echo "$(date +%s.%N) - $start" | bc)

stages=(1)
while [ -x "$scen_dir/stage$((${#stages[@]} + 1)).sh" ]; do
	stages+=($((${#stages[@]} + 1)))
done

problems=()
if [ "$qemu_rc" -eq 124 ]; then
	problems+=("timeout after ${timeout_s}s (hang): last console line: $(grep -v '^\s*$' "$out/serial.log" 2>/dev/null | tail -n 1 | cut -c1-200)")
	problems+=("vCPUs at the hang: $(sed -n 's/^summary: //p' "$out/hang-registers.txt" 2>/dev/null) (all registers: $out/hang-registers.txt)")
fi
[ "$qemu_rc" -ne 0 ] && [ "$qemu_rc" -ne 124 ] && problems+=("qemu exited $qemu_rc: $(tail -n 3 "$out/qemu.out" | tr '\n' ' ')")
grep -q "Kernel panic" "$out/serial.log" 2>/dev/null && problems+=("kernel panic: $(grep -m1 'Kernel panic' "$out/serial.log")")
for s in "${stages[@]}"; do
	rcf=$out/results/stage$s.rc
	if [ ! -f "$rcf" ]; then
		problems+=("stage $s did not run to the end")
	elif [ "$(cat "$rcf")" != 0 ]; then
		problems+=("stage $s exited $(cat "$rcf")")
	fi
done

{
	echo "scenario=$scenario devices=$devices topology=$topology wall_s=$wall qemu_rc=$qemu_rc"
	[ -f "$out/results/timing" ] && sed 's/^/timing /' "$out/results/timing"
} >"$out/summary.txt"

# A scenario may judge its results on the host too (e.g. lutrace verify).
if [ "${#problems[@]}" -eq 0 ] && [ -x "$scen_dir/host-check.sh" ]; then
	if ! "$scen_dir/host-check.sh" "$out" >"$out/host-check.log" 2>&1; then
		problems+=("host check failed: $(tail -n 20 "$out/host-check.log")")
	fi
fi

if [ "${#problems[@]}" -gt 0 ]; then
	{
		echo "run-scenario: $scenario FAILED:"
		printf '  - %s\n' "${problems[@]}"
		for s in "${stages[@]}"; do
			if [ -f "$out/results/stage$s.log" ]; then
				echo "--- stage $s log (tail) ---"
				tail -n 30 "$out/results/stage$s.log"
			fi
		done
		echo "--- serial log (tail) ---"
		tail -n 40 "$out/serial.log" 2>/dev/null || echo "(no serial log)"
		# Again last: a log shown by its tail (make test, CI) still says why.
		echo "run-scenario: $scenario FAILED:"
		printf '  - %s\n' "${problems[@]}"
	} >&2
	exit 1
fi
echo "run-scenario: $scenario passed in ${wall%.*}s wall ($devices devices, $topology)"
