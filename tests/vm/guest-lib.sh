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
# needs it); no initramfs when the run has none (the systemd guest boots its
# root from 9p). The command line is this one with lutrace.stage=$1, plus any
# words a scenario wrote to /tmp/stage$1.cmdline.
kexec_load_stage() {
	append=""
	# shellcheck disable=SC2013
	for w in $(cat /proc/cmdline); do
		case "$w" in lutrace.stage=*) ;; *) append="$append $w" ;; esac
	done
	[ -f "/tmp/stage$1.cmdline" ] && append="$append $(cat "/tmp/stage$1.cmdline")"
	if [ -f /boot/initramfs.cpio.gz ]; then
		kexec -s -l /boot/bzImage --initrd=/boot/initramfs.cpio.gz --append="$append lutrace.stage=$1"
	else
		kexec -s -l /boot/bzImage --append="$append lutrace.stage=$1"
	fi
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
	echo "trace_event=liveupdate:*,pci:pci_liveupdate_preserve,pci:pci_liveupdate_unpreserve,pci:pci_liveupdate_incoming,pci:pci_liveupdate_finish,pci:pci_liveupdate_inherit_buses,pci:pci_reset,pci:pci_bus_master,pci:pci_power_state,vfio_pci:*,iommu:map,iommu:unmap,iommu:io_page_fault trace_clock=boot" >>/tmp/stage2.cmdline
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

# ---- The tracer benches (tests/e2e/bench-*, bench/tracer-cost.sh etc.) ----
# Each tracer is started with bench_tracer_start TRACER and stopped with
# bench_tracer_stop TRACER PID, which prints "recorded=N lost=N other=N":
# the events it holds of process PID (lu_loop's), those it counted as lost,
# and those it holds of other processes (all for ftrace and bpftrace, which
# are not told a pid: other=0). TRACER is none, ftrace (the events enabled
# in tracefs' top-level buffer, default size, nothing reading; with
# BENCH_FTRACE_READERS=1 one cat of each CPU's trace_pipe_raw into /tmp
# consumes it as trace-cmd would), lutrace (record --transport file
# --no-import into /tmp, default ring buffer) or bpftrace (from the host
# share, counting each event into a map, printed at exit).

BENCH_T=/sys/kernel/tracing
# The tracepoints lutrace attaches to, as tracefs patterns.
BENCH_EVENT_PATTERNS="liveupdate/* vfio_pci/* pci/pci_liveupdate_* pci/pci_reset pci/pci_bus_master iommu/map iommu/unmap iommu/io_page_fault"
# bpftrace from the share run-scenario.sh -s gives (bench/tracer-cost.sh
# lays it out: the program, its libraries and loader at their host paths).
BENCH_BPFTRACE_ROOT=/share/bpftrace

# Every tracepoint of BENCH_EVENT_PATTERNS this kernel has, as SYSTEM/EVENT.
bench_events() {
	for _bp in $BENCH_EVENT_PATTERNS; do
		for _bd in $BENCH_T/events/$_bp; do
			[ -f "$_bd/format" ] && echo "${_bd#"$BENCH_T"/events/}"
		done
	done
	return 0
}

# The words of $1 rotated left by $2 places: each round starts elsewhere.
bench_rotate() {
	echo "$1" | awk -v k="$2" '{ for (i = 0; i < NF; i++) printf "%s%s", $((i + k) % NF + 1), (i < NF - 1 ? " " : "\n") }'
}

# Sum of field $1 ("entries", "overrun", ...) of every CPU's tracefs stats.
bench_ftrace_stat() {
	cat $BENCH_T/per_cpu/cpu*/stats | awk -v f="$1:" '
		{ line = $0; sub(/^ */, "", line) }
		index(line, f) == 1 { sub(/.*: */, "", line); n += line }
		END { print n + 0 }'
}

bench_ftrace_start() {
	echo 0 >$BENCH_T/tracing_on
	echo >$BENCH_T/trace
	for _be in $(bench_events); do echo 1 >"$BENCH_T/events/$_be/enable"; done
	if [ "${BENCH_FTRACE_READERS:-0}" = 1 ]; then
		: >/tmp/bench-ftrace.pids
		for _bc in "$BENCH_T"/per_cpu/cpu*; do
			cat "$_bc/trace_pipe_raw" >"/tmp/bench-ftrace.${_bc##*/}.raw" &
			echo $! >>/tmp/bench-ftrace.pids
		done
	fi
	echo 1 >$BENCH_T/tracing_on
}

# What ftrace holds (entries still in the buffer, and read events: what
# readers took), what it lost (overrun: overwritten; dropped events: a full
# buffer in non-overwrite mode); then the events are disabled again.
bench_ftrace_stop() {
	echo 0 >$BENCH_T/tracing_on
	if [ -f /tmp/bench-ftrace.pids ]; then
		# A reader gets a page once it is full: what is left stays in
		# the buffer and counts as entries.
		# shellcheck disable=SC2046 # one pid a line
		kill $(cat /tmp/bench-ftrace.pids) 2>/dev/null || true
		rm -f /tmp/bench-ftrace.pids /tmp/bench-ftrace.*.raw
	fi
	_bheld=$(($(bench_ftrace_stat entries) + $(bench_ftrace_stat "read events")))
	_blost=$(($(bench_ftrace_stat overrun) + $(bench_ftrace_stat "dropped events")))
	for _be in $(bench_events); do echo 0 >"$BENCH_T/events/$_be/enable"; done
	echo >$BENCH_T/trace
	echo "recorded=$_bheld lost=$_blost other=0"
}

# Start lutrace record into /tmp/bench-lutrace.log and wait until it attached.
bench_lutrace_start() {
	rm -f /tmp/bench-lutrace.log
	lutrace record --transport file --no-import -o /tmp/bench-lutrace.log \
		>/tmp/bench-lutrace.err 2>&1 &
	echo $! >/tmp/bench-lutrace.pid
	_bi=0
	while ! grep -qs "lutrace: recording stage" /tmp/bench-lutrace.err; do
		_bi=$((_bi + 1))
		if [ $_bi -gt 600 ] || ! kill -0 "$(cat /tmp/bench-lutrace.pid)" 2>/dev/null; then
			echo "bench_lutrace_start: lutrace did not attach:" >&2
			cat /tmp/bench-lutrace.err >&2
			return 1
		fi
		sleep 0.1
	done
}

# Stop it and count, from its own report, the events of pid $1, the others,
# and the events it counted as lost (the lost object of its summary:
# ring_buffer, log_full, short_sample, prog_recursion); kmsg_lost= is its kmsg_overrun,
# /dev/kmsg records (not events) overwritten before it read them. missed=
# is the kernel's own count, read before the stop, of the runs of its BPF
# programs it skipped (recursion_misses in the fdinfo of each program fd
# lutrace holds): since tracepoints are preemptible, a program preempted
# on a CPU makes the next hit of it there a miss, an event never seen.
# stopped= is why it says it stopped (SIGINT, or what failed).
bench_lutrace_stop() {
	_bmissed=$(bench_prog_misses "$(cat /tmp/bench-lutrace.pid)")
	bench_stop_pid "$(cat /tmp/bench-lutrace.pid)" lutrace || return 1
	# Why it stopped, from its last word: SIGINT, or what failed (its
	# stderr is then kept in /results).
	_bwhy=$(sed -n 's/^lutrace: recording stopped: //p' /tmp/bench-lutrace.err | head -n 1 | tr -c 'A-Za-z0-9\n' _)
	[ "$_bwhy" = SIGINT ] || cp /tmp/bench-lutrace.err "/results/bench-lutrace-$1.err"
	lutrace -j report /tmp/bench-lutrace.log >/tmp/bench-lutrace.json || true
	awk -v pid="\"pid\":$1," '
		/"type":"event"/ { if (index($0, pid)) mine++
			else if ($0 !~ /"event":"(marker|recorder_attached|open_attempt)"/) other++ }
		/"type":"summary"/ { s = $0; sub(/.*"lost":\{/, "", s); sub(/\}.*/, "", s)
			n = split(s, kv, ","); for (i = 1; i <= n; i++) { split(kv[i], p, ":"); gsub(/"/, "", p[1]); lost[p[1]] = p[2] } }
		END { printf "recorded=%d lost=%d other=%d kmsg_lost=%d missed=%d stopped=%s\n", mine,
			lost["ring_buffer"] + lost["log_full"] + lost["short_sample"] + lost["prog_recursion"], other, lost["kmsg_overrun"], missed,
			why == "" ? "unsaid" : why }' \
		missed="$_bmissed" why="$_bwhy" /tmp/bench-lutrace.json
	rm -f /tmp/bench-lutrace.json
}

# The recursion_misses of every BPF program process $1 holds, summed.
bench_prog_misses() {
	cat "/proc/$1/fdinfo/"* 2>/dev/null | awk '/^recursion_misses:/ { n += $2 } END { print n + 0 }'
}

bench_have_bpftrace() {
	[ -x "$BENCH_BPFTRACE_ROOT/usr/bin/bpftrace" ]
}

# Start bpftrace counting every event of bench_events into a map keyed by
# probe and wait until it attached: one perf event fd per tracepoint (it
# has no BEGIN probe, which would need uprobes on a binary run by the
# loader). Its output goes to /tmp/bench-bpftrace.out.
bench_bpftrace_start() {
	_bprobes=$(bench_events | sed 's,^,tracepoint:,; s,/,:,' | paste -sd, -)
	_bwant=$(bench_events | wc -l)
	_broot=$BENCH_BPFTRACE_ROOT
	# Run by the share's loader, with the share's libraries.
	"$_broot/lib64/ld-linux-x86-64.so.2" --library-path "$_broot/lib/x86_64-linux-gnu:$_broot/usr/lib/x86_64-linux-gnu" \
		"$_broot/usr/bin/bpftrace" -e "$_bprobes { @[probe] = count(); }" >/tmp/bench-bpftrace.out 2>&1 &
	echo $! >/tmp/bench-bpftrace.pid
	_bi=0
	while [ "$(bench_perf_fds "$(cat /tmp/bench-bpftrace.pid)")" -lt "$_bwant" ]; do
		_bi=$((_bi + 1))
		if [ $_bi -gt 1200 ] || ! kill -0 "$(cat /tmp/bench-bpftrace.pid)" 2>/dev/null; then
			echo "bench_bpftrace_start: bpftrace did not attach $_bwant probes:" >&2
			cat /tmp/bench-bpftrace.out >&2
			return 1
		fi
		sleep 0.1
	done
}

# The perf event fds process $1 holds.
bench_perf_fds() {
	_bn=0
	for _bf in "/proc/$1/fd/"*; do
		case "$(readlink "$_bf" 2>/dev/null)" in *perf_event*) _bn=$((_bn + 1)) ;; esac
	done
	echo "$_bn"
}

# Stop it (it prints its map at exit) and sum the counts; missed= as for
# lutrace.
bench_bpftrace_stop() {
	_bmissed=$(bench_prog_misses "$(cat /tmp/bench-bpftrace.pid)")
	bench_stop_pid "$(cat /tmp/bench-bpftrace.pid)" bpftrace || return 1
	awk -v missed="$_bmissed" '/^@\[/ { n += $NF }
		END { printf "recorded=%d lost=0 other=0 missed=%d\n", n, missed }' /tmp/bench-bpftrace.out
}

bench_tracer_start() {
	case "$1" in
	none) ;;
	ftrace) bench_ftrace_start ;;
	lutrace) bench_lutrace_start ;;
	bpftrace) bench_bpftrace_start ;;
	*) echo "bench_tracer_start: no tracer $1" >&2; return 1 ;;
	esac
}

bench_tracer_stop() {
	case "$1" in
	none) echo "recorded=0 lost=0 other=0" ;;
	ftrace) bench_ftrace_stop ;;
	lutrace) bench_lutrace_stop "$2" ;;
	bpftrace) bench_bpftrace_stop ;;
	esac
}

# The state letter of process $1 (R, S, T, Z, ...), empty when it is gone.
bench_proc_state() {
	awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true
}

# SIGINT to process $1 (tracer $2) and wait for it to exit, 120 s at most.
# Run in a command substitution, the caller's child becomes a zombie the
# caller reaps later: that counts as exited.
bench_stop_pid() {
	kill -INT "$1"
	_bi=0
	while [ -n "$(bench_proc_state "$1")" ] && [ "$(bench_proc_state "$1")" != Z ]; do
		_bi=$((_bi + 1))
		[ $_bi -gt 1200 ] && { echo "bench: $2 ($1) did not exit on SIGINT" >&2; return 1; }
		sleep 0.1
	done
}

# Wait until process $1 is stopped (or gone), 600 s at most.
bench_wait_stopped() {
	_bi=0
	while [ -n "$(bench_proc_state "$1")" ] && [ "$(bench_proc_state "$1")" != T ]; do
		_bi=$((_bi + 1))
		[ $_bi -gt 6000 ] && { echo "bench: lu_loop ($1) did not stop" >&2; return 1; }
		sleep 0.1
	done
}

# bench_run TRACER LU_LOOP_ARGS...: lu_loop --stop with those arguments,
# tracer TRACER started once its devices are open and stopped once its
# loop is done, before they are closed: only the loop's events are traced.
# Prints "tracer=TRACER", lu_loop's result line and what the tracer saw.
# BENCH_SETTLE_S=N waits N seconds between the loop's end and the stop.
bench_run() {
	_bt=$1
	shift
	lu_loop --stop "$@" >/tmp/bench-loop.out 2>&1 &
	_blp=$!
	bench_wait_stopped "$_blp" || return 1
	if ! bench_tracer_start "$_bt"; then
		kill -KILL "$_blp"
		return 1
	fi
	kill -CONT "$_blp"
	bench_wait_stopped "$_blp" || return 1
	[ "${BENCH_SETTLE_S:-0}" = 0 ] || sleep "$BENCH_SETTLE_S"
	_bseen=$(bench_tracer_stop "$_bt" "$_blp") || return 1
	kill -CONT "$_blp"
	wait "$_blp" || { echo "bench: lu_loop $* failed:" >&2; cat /tmp/bench-loop.out >&2; return 1; }
	_bline=$(grep '^lu_loop: ' /tmp/bench-loop.out | tail -n 1)
	echo "tracer=$_bt ${_bline#lu_loop: } $_bseen"
}

# The value of word KEY=VALUE $1 in line $2.
bench_field() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}
