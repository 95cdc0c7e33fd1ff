#!/usr/bin/env bash
# The fresh-machine test: in a minimal Debian bookworm root that has nothing
# but make, a copy of this checkout must install what it needs by itself
# (make deps) and then build lutrace and pass its unit tests. Before that,
# with no package source reachable, make must fail in seconds, saying why.
#
#   fresh-machine.sh
#
# The pristine root is made once with debootstrap and kept under
# $LUTRACE_CACHE/fresh-root/<key>, where the key covers everything that
# decides its contents (suite, variant, packages, sources); a change makes a
# new root. Each run works on an overlay of it, thrown away afterwards, so
# the root stays pristine. Downloaded .debs are kept beside it and reused:
# every run still installs every package from nothing.
#
# FRESH_DROP_PACKAGE=NAME removes NAME from scripts/deps.sh in the copy, to
# show that the test fails when a dependency is missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=bookworm
variant=minbase
include="make"
budget_fail_s=60

[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "fresh-machine: debootstrap not found (make deps)" >&2; exit 1; }

sources="deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main"
key=$(printf '%s\n' "$suite" "$variant" "$include" "$sources" | sha256sum | cut -c1-12)
base=$cache/fresh-root
pristine=$base/$suite-$key
mkdir -p "$base/archives/partial"

if [ ! -f "$pristine/.complete" ]; then
	rm -rf "$base/$suite-$key.new"
	echo "fresh-machine: debootstrap $variant $suite (+$include) into $pristine"
	start=$(date +%s)
	debootstrap --variant="$variant" --include="$include" --cache-dir="$base/archives" \
		"$suite" "$base/$suite-$key.new" "$mirror" >"$base/debootstrap.log" 2>&1 || {
		tail -n 20 "$base/debootstrap.log" >&2
		echo "fresh-machine: debootstrap failed (log: $base/debootstrap.log)" >&2
		exit 1
	}
	printf '%s\n' "$sources" >"$base/$suite-$key.new/etc/apt/sources.list"
	rm -f "$base/$suite-$key.new"/var/cache/apt/archives/*.deb
	touch "$base/$suite-$key.new/.complete"
	rm -rf "$pristine"
	mv "$base/$suite-$key.new" "$pristine"
	echo "fresh-machine: root made in $(($(date +%s) - start)) s"
	# Older roots are of no further use.
	find "$base" -mindepth 1 -maxdepth 1 -name "$suite-*" ! -name "$suite-$key" -exec rm -rf {} +
fi

run=$(mktemp -d "$base/run.XXXXXX")
root=$run/merged
mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${mounts[$i]}" 2>/dev/null || true
	done
	rm -rf "$run"
}
trap cleanup EXIT
mkdir -p "$run/upper" "$run/work" "$root"
mount -t overlay overlay -o "lowerdir=$pristine,upperdir=$run/upper,workdir=$run/work" "$root"
mounts+=("$root")
for fs in proc dev; do
	case "$fs" in
	proc) mount -t proc proc "$root/proc" ;;
	dev) mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" ;;
	esac
	mounts+=("$root/$fs")
done
mount --bind "$base/archives" "$root/var/cache/apt/archives"
mounts+=("$root/var/cache/apt/archives")
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

# The checkout as it is on disk (tracked and new files, nothing ignored):
# in CI that is exactly a clean clone.
mkdir -p "$root/src/lutrace"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	cpio -0 -pdm --quiet "$root/src/lutrace")
if [ -n "${FRESH_DROP_PACKAGE:-}" ]; then
	sed -i -E "s/(^|[[:space:]])${FRESH_DROP_PACKAGE}([[:space:]]|$)/\1\2/" "$root/src/lutrace/scripts/deps.sh"
	echo "fresh-machine: dropped $FRESH_DROP_PACKAGE from the copy's scripts/deps.sh"
fi

in_root() {
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 TERM=dumb chroot "$root" /bin/bash -c "cd /src/lutrace && $1"
}

# 1. Nothing installable: make must stop before building anything, fast,
# and say what is missing.
printf 'Dir::Etc::sourcelist "/dev/null";\nDir::Etc::sourceparts "/nonexistent";\n' >"$root/etc/apt/no-sources.conf"
start=$(date +%s)
status=0
in_root "APT_CONFIG=/etc/apt/no-sources.conf make demo" >"$run/no-packages.log" 2>&1 || status=$?
took=$(($(date +%s) - start))
cat "$run/no-packages.log"
if [ "$status" -eq 0 ]; then
	echo "fresh-machine: make demo succeeded with no package source" >&2
	exit 1
fi
grep -q "^preflight: this machine cannot run 'make demo' yet:" "$run/no-packages.log" || {
	echo "fresh-machine: make demo failed without preflight's explanation" >&2
	exit 1
}
if [ -e "$root/src/lutrace/build/kernel" ] || [ -e "$root/var/cache/lutrace/linux" ]; then
	echo "fresh-machine: make demo started building before its checks passed" >&2
	exit 1
fi
[ "$took" -le "$budget_fail_s" ] || {
	echo "fresh-machine: make demo took ${took}s to fail (budget ${budget_fail_s}s)" >&2
	exit 1
}
echo "fresh-machine: with no package source, make demo failed in ${took}s and said why"

# 2. The real thing: from nothing to lutrace's unit tests.
start=$(date +%s)
status=0
in_root "make deps && make tracer test-unit" >"$run/build.log" 2>&1 || status=$?
took=$(($(date +%s) - start))
if [ "$status" -ne 0 ]; then
	tail -n 40 "$run/build.log" >&2
	echo "fresh-machine: make deps tracer test-unit failed (exit $status) after ${took}s" >&2
	exit 1
fi
synthesis=$(grep -a 'Synthesis:' "$run/build.log" | tail -n 1)
case "$synthesis" in
*"Failing: 0 | Crashing: 0"*) ;;
*) echo "fresh-machine: no clean Criterion synthesis: ${synthesis:-none}" >&2; exit 1 ;;
esac
[ -x "$root/src/lutrace/build/lutrace" ] || { echo "fresh-machine: no build/lutrace" >&2; exit 1; }
file_out=$(in_root "build/lutrace --help >/dev/null && echo runs") || true
[ "$file_out" = runs ] || { echo "fresh-machine: build/lutrace does not run in the root" >&2; exit 1; }
echo "fresh-machine: from nothing to passing unit tests in ${took}s: $synthesis"
