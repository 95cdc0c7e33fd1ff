#!/usr/bin/env bash
# Install the Debian (bookworm) packages the project needs. Idempotent: does
# nothing when every package is already installed.
set -euo pipefail

packages=(
	# kernel build
	build-essential bc flex bison libelf-dev libssl-dev dwarves ccache
	rsync python3 git xz-utils
	# make kernel-deb: kbuild's bindeb-pkg checks its build dependencies
	dpkg-dev debhelper kmod libdw-dev
	# VM harness
	qemu-system-x86 busybox-static kexec-tools cpio
	# tracer
	clang llvm libbpf-dev bpftool zlib1g-dev libcriterion-dev pkg-config
	libtracefs-dev libtraceevent-dev
	# libFuzzer and the sanitizer runtimes for clang (make fuzz)
	libclang-rt-14-dev
	# xmllint: the unit tests validate verify --junit against tests/schema
	libxml2-utils
	# make bench: /usr/bin/time for peak RSS; bpftrace, the tracer lutrace is
	# measured against (bench/tracer-cost.sh, bench/footprint.sh)
	time bpftrace
	# checks; debootstrap makes the fresh-machine test's root
	shellcheck prometheus debootstrap
	# make test: a real node_exporter + Prometheus on loopback, and the HTML
	# report in a headless browser (dashboards/prom_live_test.py, tests/html_report_test.py)
	prometheus-node-exporter chromium
	# make test: the installed man page rendered, the units verified
	# (the Debian package is built and checked in the fresh-machine root)
	groff-base systemd
)

# One dpkg-query for all: a package it does not know is simply not listed.
mapfile -t installed < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null |
	awk '$NF == "installed" && $(NF - 1) == "ok" { print $1 }')
missing=()
for p in "${packages[@]}"; do
	printf '%s\n' "${installed[@]}" | grep -qxF "$p" || missing+=("$p")
done

if [ "${1:-}" = "--check" ]; then
	[ "${#missing[@]}" -eq 0 ] && exit 0
	echo "missing packages: ${missing[*]}" >&2
	exit 1
fi

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install: ${missing[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: installing ${missing[*]}"
# A third-party source that is unreachable must not stop the Debian ones.
apt-get update -q || echo "deps: apt-get update reported errors; continuing" >&2
apt-get install -y -q --no-install-recommends "${missing[@]}"
