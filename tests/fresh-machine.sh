#!/usr/bin/env bash
# The fresh-machine test: in a minimal Debian bookworm root that has nothing
# but make, a copy of this checkout must install what it needs by itself
# (make deps) and then build lutrace and pass its unit tests. Before that,
# with no package source reachable, make must fail in seconds, saying why.
#
#   fresh-machine.sh
#
# The root, made once and used through a throw-away overlay:
# tests/bookworm-root.sh.
#
# FRESH_DROP_PACKAGE=NAME removes NAME from scripts/deps.sh in the copy, to
# show that the test fails when a dependency is missing.
set -euo pipefail

# shellcheck source=tests/bookworm-root.sh
. "$(dirname "$0")/bookworm-root.sh"
budget_fail_s=60

root_prepare
root_enter
root_copy_checkout
if [ -n "${FRESH_DROP_PACKAGE:-}" ]; then
	sed -i -E "s/(^|[[:space:]])${FRESH_DROP_PACKAGE}([[:space:]]|$)/\1\2/" "$root/src/lutrace/scripts/deps.sh"
	echo "fresh-machine: dropped $FRESH_DROP_PACKAGE from the copy's scripts/deps.sh"
fi

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
