# shellcheck shell=sh
# Helpers shared by the scenario scripts that run in the guest (busybox sh).
# Source it: . /lutrace/guest-lib.sh

# Print the value of word $1=VALUE on the kernel command line.
cmdline_word() {
	# shellcheck disable=SC2013 # the command line is one line of words
	for w in $(cat /proc/cmdline); do
		case "$w" in "$1="*) echo "${w#*=}"; return 0 ;; esac
	done
	return 1
}

# Load the same kernel and initramfs for stage $1 with kexec_file_load (KHO
# needs it). The command line is this one with lutrace.stage=$1, plus any
# words a scenario wrote to /tmp/stage$1.cmdline.
kexec_load_stage() {
	append=""
	# shellcheck disable=SC2013
	for w in $(cat /proc/cmdline); do
		case "$w" in lutrace.stage=*) ;; *) append="$append $w" ;; esac
	done
	[ -f "/tmp/stage$1.cmdline" ] && append="$append $(cat "/tmp/stage$1.cmdline")"
	kexec -s -l /boot/bzImage --initrd=/boot/initramfs.cpio.gz --append="$append lutrace.stage=$1"
}

# Load stage $1 and expect the kexec reboot to refuse with EBUSY (a freeze
# refused): this kernel keeps running. Leaves tracefs' trace in
# /results/freeze-trace.txt for the caller's checks.
kexec_expect_freeze_refused() {
	check "kexec loaded" kexec_load_stage "$1"
	if kexec -e >/tmp/kexec-e.log 2>&1; then kexec_rc=0; else kexec_rc=$?; fi
	cat /tmp/kexec-e.log
	check "kexec -e refused (exit $kexec_rc)" [ "$kexec_rc" != 0 ]
	check "the kexec reboot failed with EBUSY" grep -q "Device or resource busy" /tmp/kexec-e.log
	cp /sys/kernel/tracing/trace /results/freeze-trace.txt
}

# Write line $1 to the host's clock port, if the run has one (init's
# lutrace.clock=): the host stamps it as it arrives. Closing a serial
# port waits until what was written has gone out.
clock_line() {
	[ -z "${LUTRACE_CLOCK:-}" ] || echo "$1" >"$LUTRACE_CLOCK"
}

EDU_VENDOR=0x1234
EDU_DEVICE=0x11e8

# Print the BDF of every QEMU edu device, one per line, in bus order.
edu_devices() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$EDU_VENDOR" ] &&
			[ "$(cat "$d/device")" = "$EDU_DEVICE" ] && basename "$d"
	done
	return 0
}

# The PCI devices with vendor $1 and device $2 (0x-prefixed, as in sysfs).
pci_devices_with_id() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ] && basename "$d"
	done
	return 0
}

# Bind one device to vfio-pci (through driver_override, so no other driver
# can take it) and wait for its cdev to appear.
bind_vfio() {
	bdf=$1
	dev=/sys/bus/pci/devices/$bdf
	if [ -e "$dev/driver" ]; then
		[ "$(basename "$(readlink "$dev/driver")")" = vfio-pci ] && return 0
		echo "$bdf" >"$dev/driver/unbind"
	fi
	echo vfio-pci >"$dev/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe
	i=0
	while ! ls "$dev/vfio-dev" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 50 ] && { echo "bind_vfio: $bdf has no vfio cdev" >&2; return 1; }
		sleep 0.1
	done
}

# Bind every edu device to vfio-pci and print their BDFs, space-separated.
vfio_edu_devices() {
	for bdf in $(edu_devices); do
		bind_vfio "$bdf" >&2 || return 1
		printf '%s ' "$bdf"
	done
}

# The IOMMU group number of a device.
iommu_group() {
	basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"
}

# The number of devices in IOMMU group $1.
group_size() {
	n=0
	for _ in "/sys/kernel/iommu_groups/$1/devices/"*; do n=$((n + 1)); done
	echo "$n"
}

# Print a check result line and remember failures; finish with checks_done.
CHECK_FAILED=0
check() {
	what=$1
	shift
	if "$@"; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		CHECK_FAILED=1
	fi
}

checks_done() {
	[ "$CHECK_FAILED" = 0 ]
}

# True when the kernel log has a line containing $1.
kernel_logged() {
	dmesg | grep -qF "$1"
}

# Start "lutrace record" in the background on /run/lutrace, and return at
# once: nothing has to wait for it (a VMM retrieving its devices meanwhile
# is in the log through the boot-time import). Its start-up runs at
# SCHED_IDLE (--idle-start) unless the command line says lutrace.idle_start=0.
# With LUTRACE_HOLD_RECORDER=1 it is held, stopped before it even runs,
# until lutrace_release: a test's recorder that attaches as late as can be.
# Its log goes to /results/lutrace-record.stage$LUTRACE_STAGE.log.
lutrace_launch() {
	mkdir -p /run/lutrace
	log=/results/lutrace-record.stage${LUTRACE_STAGE:-1}.log
	idle=--idle-start
	[ "$(cmdline_word lutrace.idle_start)" = 0 ] && idle=""
	if [ "${LUTRACE_HOLD_RECORDER:-0}" = 1 ]; then
		# shellcheck disable=SC2016 # $$ is the held shell's own pid
		sh -c 'kill -STOP $$; exec "$@"' held lutrace record -v $idle \
			--state-dir /run/lutrace >"$log" 2>&1 &
	else
		lutrace record -v $idle --state-dir /run/lutrace >"$log" 2>&1 &
	fi
	echo $! >/run/lutrace/record.pid
}

# Let a recorder held by lutrace_launch go; nothing when none is held.
lutrace_release() {
	[ "${LUTRACE_HOLD_RECORDER:-0}" = 1 ] || return 0
	kill -CONT "$(cat /run/lutrace/record.pid)"
}

# Wait until the recorder has attached (it says so on stderr), 30 s at most.
lutrace_wait_attached() {
	log=/results/lutrace-record.stage${LUTRACE_STAGE:-1}.log
	i=0
	while ! grep -qs "lutrace: recording stage" "$log"; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$(cat /run/lutrace/record.pid)" 2>/dev/null; then
			echo "lutrace_wait_attached: recorder did not attach:" >&2
			cat "$log" >&2
			return 1
		fi
		sleep 0.1
	done
}

# Start the recorder and wait until it has attached: for a stage that
# wants every event from BPF itself (stage 1, before preserving).
lutrace_start() {
	lutrace_launch && lutrace_wait_attached
}

# Stop the recorder (it writes a last anchor and the drop count) and copy the
# flight log to /results/flight.log.
lutrace_stop() {
	pid=$(cat /run/lutrace/record.pid)
	kill -INT "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "lutrace_stop: recorder $pid did not exit" >&2; return 1; }
		sleep 0.1
	done
	cp /run/lutrace/flight.log /results/flight.log
}

# Ask for the words stage 2's command line needs so that lutrace can import
# the events that fire before user space (incoming devices at enumeration,
# bus inheritance, LUO finding its data) and before it attached (what the
# VMM did meanwhile: every event of the series, the IOMMU mappings).
lutrace_want_boot_events() {
	# trace_event= compares event names whole: no patterns inside a system.
	echo "trace_event=liveupdate:*,pci:pci_liveupdate_preserve,pci:pci_liveupdate_unpreserve,pci:pci_liveupdate_incoming,pci:pci_liveupdate_finish,pci:pci_liveupdate_inherit_buses,pci:pci_reset,pci:pci_bus_master,vfio_pci:*,iommu:map,iommu:unmap,iommu:io_page_fault trace_clock=boot" >>/tmp/stage2.cmdline
}

# Copy what libtraceevent needs to read this kernel's ring buffer into $1,
# laid out like tracefs: events/header_page, the format of each SYSTEM/EVENT
# given (and its system's enable file), and each CPU's raw pages, read from per_cpu/cpuN/trace_pipe_raw
# (which empties the buffer; a read of an empty one waits, hence timeout).
# tests/unit/tracefs/ holds such a copy.
dump_tracefs_raw() {
	dst=$1
	shift
	t=/sys/kernel/tracing
	mkdir -p "$dst/events"
	cp "$t/events/header_page" "$t/events/header_event" "$t/trace_clock" "$dst/events/"
	mv "$dst/events/trace_clock" "$dst/trace_clock"
	for ev in "$@"; do
		mkdir -p "$dst/events/$ev"
		cp "$t/events/$ev/format" "$dst/events/$ev/format"
		# as in tracefs, a system has an enable file (ftrace has none)
		if [ -f "$t/events/${ev%/*}/enable" ]; then
			cp "$t/events/${ev%/*}/enable" "$dst/events/${ev%/*}/enable"
		fi
	done
	for c in "$t"/per_cpu/cpu*; do
		mkdir -p "$dst/per_cpu/${c##*/}"
		timeout 2 cat "$c/trace_pipe_raw" >"$dst/per_cpu/${c##*/}/trace_pipe_raw" || true
	done
}
