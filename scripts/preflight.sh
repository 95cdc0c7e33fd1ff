#!/usr/bin/env bash
# Check, in seconds and before any long build, that this machine can do what
# was asked of make; install missing Debian packages first (scripts/deps.sh).
# Every problem found is listed with what to do about it; exit status 1 if
# there is any.
#
#   preflight.sh [GOAL...]
#
# GOALs are make's: tracer and test-unit need the tracer's toolchain (fuzz
# also clang's libFuzzer); kernel also needs the cache's disk space and the
# kernel source; demo and the VM
# goals also need QEMU and memory; test needs all of that, debootstrap,
# Prometheus, node_exporter, chromium, groff and systemd-analyze.
# No goal means make's default, demo.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
[ $# -gt 0 ] || set -- demo

need_tracer=0 need_fuzz=0 need_kernel=0 need_vm=0 need_fresh=0
for goal in "$@"; do
	case "$goal" in
	tracer | test-unit | test-bpf | shellcheck | fuzz-seeds | bench) need_tracer=1 ;;
	fuzz | fuzz-build) need_tracer=1 need_fuzz=1 ;;
	kernel | kernel-export) need_kernel=1 ;;
	demo | initramfs | guest-progs | all) need_tracer=1 need_kernel=1 need_vm=1 ;;
	test) need_tracer=1 need_fuzz=1 need_kernel=1 need_vm=1 need_fresh=1 ;;
	esac
done

problems=()
problem() { problems+=("$*"); }

"$top/scripts/deps.sh" || problem "could not install the Debian packages above (scripts/deps.sh; needs root and Debian's mirror)"

# Tools by the name the build calls them, whatever package brought them.
tools=()
[ "$need_tracer" = 1 ] && tools+=(gcc make pkg-config clang llvm-strip bpftool shellcheck promtool xmllint)
[ "$need_kernel" = 1 ] && tools+=(gcc make git xz flock bc flex bison pahole ccache rsync apt-get dpkg-deb)
[ "$need_vm" = 1 ] && tools+=(qemu-system-x86_64 busybox cpio gzip)
# make test also runs a real node_exporter + Prometheus and a headless browser,
# renders the installed man page and verifies the systemd units.
[ "$need_fresh" = 1 ] && tools+=(debootstrap prometheus prometheus-node-exporter chromium groff systemd-analyze)
for t in $(printf '%s\n' "${tools[@]}" | sort -u); do
	command -v "$t" >/dev/null 2>&1 || problem "$t not found on PATH"
done
if [ "$need_vm" = 1 ] && ! command -v kexec >/dev/null 2>&1 && [ ! -x /usr/sbin/kexec ]; then
	problem "kexec not found (Debian package kexec-tools)"
fi

# lutrace links statically: every library pkg-config names needs its .a.
if [ "$need_tracer" = 1 ] && command -v pkg-config >/dev/null 2>&1; then
	for pc in libbpf:libbpf-dev libtracefs:libtracefs-dev libtraceevent:libtraceevent-dev; do
		if ! libs=$(pkg-config --static --libs "${pc%%:*}" 2>/dev/null) || [ -z "$libs" ]; then
			problem "pkg-config knows no ${pc%%:*} (Debian package ${pc#*:})"
			continue
		fi
		for flag in $libs; do
			case "$flag" in
			-l*)
				a=$(gcc -print-file-name="lib${flag#-l}.a")
				{ [ "${a#/}" != "$a" ] && [ -f "$a" ]; } ||
					problem "no static lib${flag#-l}.a for the static lutrace (pkg-config --static --libs ${pc%%:*} says $flag)"
				;;
			esac
		done
	done
fi

# make fuzz links clang's libFuzzer runtime, which clang itself does not bring.
if [ "$need_fuzz" = 1 ] && command -v clang >/dev/null 2>&1 &&
	[ ! -f "$(clang --print-runtime-dir)/libclang_rt.fuzzer-x86_64.a" ]; then
	problem "no libFuzzer runtime for clang in $(clang --print-runtime-dir) (Debian package libclang-rt-14-dev)"
fi

if [ "$need_kernel" = 1 ]; then
	if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
		problem "cannot write the cache $cache (set LUTRACE_CACHE to a writable directory)"
	else
		# A guest build from nothing needs ~8 GB (source tree, objects, ccache).
		want_gb=10
		[ -f "$cache/build/guest/lutrace.built" ] && want_gb=1
		free_kb=$(df -Pk "$cache" | awk 'NR == 2 { print $4 }')
		if [ "$free_kb" -lt $((want_gb * 1024 * 1024)) ]; then
			problem "$((free_kb / 1024 / 1024)) GB free under $cache; the kernel build needs $want_gb GB"
		fi
		# The one check that asks the network; pointless once packages failed.
		if [ "${#problems[@]}" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
			"$top/kernel/scripts/fetch-source.sh" --probe >/dev/null ||
				problem "the Linux 7.2 source is neither cached under $cache/src nor offered by the mirror (see fetch-source's message above)"
		fi
	fi
fi

if [ "$need_vm" = 1 ]; then
	avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	[ "$avail_kb" -ge $((3 * 1024 * 1024)) ] ||
		problem "$((avail_kb / 1024)) MB of memory available; the 2 GB guest needs 3 GB"
fi

if [ "${#problems[@]}" -gt 0 ]; then
	echo "preflight: this machine cannot run 'make $*' yet:" >&2
	printf '  - %s\n' "${problems[@]}" >&2
	exit 1
fi
