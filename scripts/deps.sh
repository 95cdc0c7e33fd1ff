#!/usr/bin/env bash
# Install the Debian (bookworm) packages the project needs. Idempotent: does
# nothing when every package is already installed.
set -euo pipefail

packages=(
	# kernel build
	build-essential bc flex bison libelf-dev libssl-dev dwarves ccache
	rsync python3 git xz-utils
	# VM harness
	qemu-system-x86 busybox-static kexec-tools cpio
	# tracer
	clang llvm libbpf-dev bpftool zlib1g-dev libcriterion-dev pkg-config
	# checks
	shellcheck prometheus
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
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
