#!/usr/bin/env bash
# shellcheck disable=SC2154 # top, run and root come from tests/bookworm-root.sh
# The Debian package in the fresh-machine test's bookworm root (nothing but
# make; tests/bookworm-root.sh): `make deb` installs its Build-Depends
# itself (debian/control must name them all) and builds it; lintian finds
# no error or warning; dpkg -i installs it (lutrace runs, the units pass
# systemd-analyze verify where they are installed and are enabled, the
# installed report script judges a generated Live Update); dpkg -r and
# dpkg -P then leave the root as it was before dpkg -i, file for file.
#
#   deb-package.sh
set -euo pipefail

# shellcheck source=tests/bookworm-root.sh
. "$(dirname "$0")/bookworm-root.sh"

fail() { echo "deb-package: $*" >&2; exit 1; }
step() { echo "deb-package: $*"; }

root_prepare
root_enter
root_copy_checkout

start=$(date +%s)
in_root "make deb" >"$run/deb.log" 2>&1 || { tail -n 40 "$run/deb.log" >&2; fail "make deb failed"; }
step "make deb from nothing in $(($(date +%s) - start)) s"
deb=build/deb/lutrace_$(sed -n '1s/^lutrace (\([^)]*\)).*/\1/p' "$top/debian/changelog")_amd64.deb
[ -f "$root/src/lutrace/$deb" ] || fail "no $deb"

# lintian, and systemd so that installing the package enables its units
# (deb-systemd-helper) and removing it must undo that.
start=$(date +%s)
in_root "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends lintian systemd" \
	>"$run/apt.log" 2>&1 || { tail -n 20 "$run/apt.log" >&2; fail "could not install lintian and systemd"; }
step "lintian and systemd installed in $(($(date +%s) - start)) s"
status=0
in_root "lintian -EI --pedantic --show-overrides ${deb%.deb}.changes" >"$run/lintian.log" 2>&1 || true
cat "$run/lintian.log"
in_root "lintian --fail-on error,warning ${deb%.deb}.changes" >/dev/null 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "lintian found errors or warnings (exit $status)"
! grep -q '^[EW]: ' "$run/lintian.log" || fail "lintian found errors or warnings"

# Everything in the root but what dpkg keeps about packages, the test's own
# files, /run (a tmpfs on a host, where systemd-analyze leaves a marker)
# and the mounts (-xdev).
listing() {
	in_root "find / -xdev \\( -path /src -o -path /tmp -o -path /run -o -path /var/lib/dpkg \\
		-o -path /var/log -o -path /var/cache/debconf \\) -prune -o -print" | sort
}
# The host a report writes into: node_exporter's textfile directory exists.
in_root "mkdir -p /var/lib/prometheus/node-exporter"
listing >"$run/before"

in_root "dpkg -i $deb" >"$run/dpkg-i.log" 2>&1 || { cat "$run/dpkg-i.log" >&2; fail "dpkg -i failed"; }
in_root "/usr/bin/lutrace --version" | grep -qx "lutrace [0-9.]*" || fail "the installed lutrace does not run"
for link in sysinit.target.wants/lutrace-record.service lutrace-record.service.wants/lutrace-report.service; do
	[ -L "$root/etc/systemd/system/$link" ] || fail "dpkg -i did not enable /etc/systemd/system/$link"
done
in_root "systemd-analyze verify --man=no /lib/systemd/system/lutrace-*" >"$run/verify.log" 2>&1 ||
	{ cat "$run/verify.log" >&2; fail "the installed units fail systemd-analyze verify"; }
[ ! -s "$run/verify.log" ] || { cat "$run/verify.log" >&2; fail "systemd-analyze verify complains about the installed units"; }
# (--man=no: the man page is checked by units-check.sh; man would leave
# the page in its cache here.)
step "installed: lutrace runs, units enabled and verified"

# The installed report, on a generated good Live Update of two devices
# (bench/gen_flight: stage 2's boot id is 0x20 repeated), with the file
# written every half second as the recorder's copy is.
in_root "make -s PREFLIGHT= build/bench/gen_flight &&
	mkdir -p /run/lutrace && build/bench/gen_flight 1000 2 /run/lutrace/flight.log >/dev/null" ||
	fail "could not generate a flight log"
in_root "(for _ in \$(seq 20); do touch /run/lutrace/flight.log; sleep 0.5; done) &
	LUTRACE_BOOT_ID=$(printf '20%.0s' {1..16}) LUTRACE_BUDGET_MS=20000 LUTRACE_REPORT_WAIT_S=30 \
	/usr/libexec/lutrace/lutrace-report" >"$run/report.log" 2>&1 ||
	{ cat "$run/report.log" >&2; fail "the installed lutrace-report failed on a good log"; }
grep -q '^lutrace_verify_failed_rules 0$' "$root/var/lib/prometheus/node-exporter/lutrace.prom" ||
	fail "the report wrote no passing lutrace.prom"
[ -s "$root/var/lib/lutrace/last-update.verify" ] || fail "the report kept no verdict"
in_root "rm -rf /run/lutrace"
step "installed report: $(tail -n 1 "$run/report.log")"

in_root "dpkg -r lutrace" >"$run/dpkg-r.log" 2>&1 || { cat "$run/dpkg-r.log" >&2; fail "dpkg -r failed"; }
[ ! -e "$root/usr/bin/lutrace" ] || fail "dpkg -r left /usr/bin/lutrace"
in_root "dpkg -P lutrace" >"$run/dpkg-p.log" 2>&1 || { cat "$run/dpkg-p.log" >&2; fail "dpkg -P failed"; }
in_root "! dpkg -s lutrace >/dev/null 2>&1" || fail "lutrace still known to dpkg after purge"
listing >"$run/after"
if ! diff -u "$run/before" "$run/after" >"$run/left.diff"; then
	cat "$run/left.diff" >&2
	fail "install and purge changed the root (- gone, + left behind)"
fi
step "dpkg -i, -r and -P: nothing left behind"
