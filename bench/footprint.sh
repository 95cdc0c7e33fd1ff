#!/usr/bin/env bash
# Issue 14, item 6: lutrace's footprint against bpftrace recording the same
# tracepoints. On the host: the size of build/lutrace (static, with debug
# information) against Debian's bpftrace with the shared libraries it
# loads (ldd) and alone. In one VM boot (scenario bench-footprint, 2 edu
# devices): start-to-attached (lutrace's "recording stage" line; bpftrace's
# last perf event fd, one per tracepoint), and VmHWM and VmRSS while
# recording, after a loop of 1000 session cycles went through the tracer;
# RUNS rounds, the two alternating. lutrace records as in
# bench/tracer-cost.sh (--transport file --no-import); bpftrace counts
# each event in a map, from the host directory the bench shares with the
# guest (run-scenario.sh -s).
#
# BENCH_TINY=1: the sizes only (the host, no VM).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$BENCH_TOP"

runs=$(bench_runs)
# Tiny mode keeps to its own directory: a full run may be using this one.
out=build/bench/$BENCH_NAME
bench_tiny && out=build/bench-tiny/$BENCH_NAME
mkdir -p "$out"
share=$out/share

make -s build/lutrace >&2
mib() { awk -v b="$1" 'BEGIN { printf "%.2f\n", b / 1048576 }'; }
lutrace_bytes=$(stat -c %s build/lutrace)
bench_row 6 "lutrace binary size" MiB - "build/lutrace, static (glibc, libbpf, libelf, zlib, libtracefs, libtraceevent, the BPF object), with debug information" \
	"$(mib "$lutrace_bytes")"
have_bpftrace=0
if [ -x /usr/bin/bpftrace ]; then
	have_bpftrace=1
	# The program, every library ldd lists and the loader, as copy-dynamic.sh copies them.
	bpftrace_bytes=$({ echo /usr/bin/bpftrace; ldd /usr/bin/bpftrace | awk '/=> \//{print $3} /^\s*\/lib/{print $1}'; } |
		sort -u | xargs stat -L -c %s | awk '{ n += $1 } END { print n }')
	bench_row 6 "bpftrace size with its shared libraries" MiB - \
		"Debian's /usr/bin/bpftrace and every library ldd lists, with the loader (libLLVM, libclang, libz3, ICU, ...)" \
		"$(mib "$bpftrace_bytes")"
	bench_row 6 "bpftrace binary alone" MiB - "/usr/bin/bpftrace, dynamic" "$(mib "$(stat -c %s /usr/bin/bpftrace)")"
	bench_row 6 "size: lutrace / bpftrace with libraries" x - "what each needs on the machine to run" \
		"$(awk -v a="$lutrace_bytes" -v b="$bpftrace_bytes" 'BEGIN { printf "%.4f\n", a / b }')"
else
	bench_log "no /usr/bin/bpftrace (Debian package bpftrace): lutrace's figures only"
fi
bench_tiny && exit 0

bench_need_file build/kernel/bzImage "a guest kernel (make kernel)"
bench_need_cmd qemu-system-x86_64 "QEMU (make deps)"
make -s initramfs >&2
if [ "$have_bpftrace" = 1 ]; then
	rm -rf "$share"
	tests/vm/copy-dynamic.sh /usr/bin/bpftrace "$share/bpftrace" /usr/bin/bpftrace
fi
vm=(tests/vm/run-scenario.sh)
[ -z "${BENCH_VM_LOCK:-}" ] || vm=(flock "$BENCH_VM_LOCK" "${vm[@]}")
share_arg=()
[ "$have_bpftrace" = 0 ] || share_arg=(-s "$share")
if ! "${vm[@]}" -n 2 -t 3000 "${share_arg[@]}" -a "lutrace.bench_rounds=$runs" \
	bench-footprint "$out/vm" >"$out/vm.log" 2>&1; then
	bench_log "the VM run failed: see $out/vm.log"
	tail -n 30 "$out/vm.log" >&2
	exit 1
fi
results=$out/footprint.txt
cp "$out/vm/results/footprint.txt" "$results"

# The values of field $2 of tracer $1's runs, divided by $3, in round order.
field_of() {
	bench_fields "$results" foot tracer round "$2" |
		awk -v t="$1" -v d="$3" '$1 == t { printf "%d %.6g\n", $2, $3 / d }' | sort -n | cut -d' ' -f2
}

declare -A unit_of=([attach_ms]=s [hwm_kb]=MiB [rss_kb]=MiB) div_of=([attach_ms]=1000 [hwm_kb]=1024 [rss_kb]=1024)
declare -A what=([attach_ms]="start to attached" [hwm_kb]="VmHWM while recording" [rss_kb]="VmRSS while recording")
tracers=(lutrace)
[ "$have_bpftrace" = 0 ] || tracers+=(bpftrace)
for k in attach_ms hwm_kb rss_kb; do
	for t in "${tracers[@]}"; do
		mapfile -t v < <(field_of "$t" "$k" "${div_of[$k]}")
		[ "${#v[@]}" -gt 0 ] || { bench_log "no $t runs in $results"; exit 1; }
		bench_row 6 "${what[$k]}: $t" "${unit_of[$k]}" - \
			"in the guest under TCG, $t on the series' and the IOMMU's tracepoints" "${v[@]}"
	done
	if [ "$have_bpftrace" = 1 ]; then
		mapfile -t ratios < <(bench_ratios "$(field_of lutrace "$k" 1 | paste -sd' ')" \
			"$(field_of bpftrace "$k" 1 | paste -sd' ')")
		bench_row 6 "${what[$k]}: lutrace / bpftrace" x - "per round, side by side in one boot" "${ratios[@]}"
	fi
done
