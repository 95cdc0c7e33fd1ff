#!/usr/bin/env bash
# make install and make uninstall: with DESTDIR, exactly the files the
# deployment needs, with their modes, under PREFIX (/usr/local by default);
# the installed lutrace runs; the man page renders without a groff warning;
# the units and the report script name the paths of the install, again
# after PREFIX changed; uninstall takes every file and lutrace's own
# directories away.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install-check: $*" >&2; exit 1; }

expected='755 usr/local/bin/lutrace
644 usr/local/share/man/man8/lutrace.8
755 usr/local/libexec/lutrace/lutrace-report
644 usr/local/lib/systemd/system/lutrace-record.service
644 usr/local/lib/systemd/system/lutrace-report.service
644 usr/local/lib/systemd/system/lutrace-vmm-pre.target
644 usr/local/lib/systemd/system/lutrace-vmm-retrieved.target
644 usr/local/share/lutrace/alerts/lutrace.rules.yml
644 usr/local/share/lutrace/grafana/lutrace.json
644 usr/local/share/lutrace/grafana/provisioning/dashboards/lutrace.yml
644 usr/local/share/lutrace/grafana/provisioning/datasources/lutrace.yml'

dest=$tmp/dest
make -s install DESTDIR="$dest"
got=$(cd "$dest" && find . ! -type d -printf '%m %P\n' | sort)
if [ "$got" != "$(sort <<<"$expected")" ]; then
	diff -u <(sort <<<"$expected") <(echo "$got") >&2 || true
	fail "make install DESTDIR=... installed other files than expected (- missing, + unexpected)"
fi
echo "install-check: make install: the $(wc -l <<<"$got") expected files"

bin=$dest/usr/local/bin/lutrace
version=$(sed -n 's/^#define LUTRACE_VERSION "\(.*\)"$/\1/p' tracer/output/json_writer.h)
[ "$("$bin" --version)" = "lutrace $version" ] || fail "the installed lutrace --version does not say lutrace $version"
"$bin" --help | grep -q '^  record ' || fail "the installed lutrace --help lists no record command"
"$bin" verify --list >/dev/null || fail "the installed lutrace verify --list failed"

man=$dest/usr/local/share/man/man8/lutrace.8
warnings=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
[ -z "$warnings" ] || { echo "$warnings" >&2; fail "the installed man page renders with warnings"; }
groff -man -Tutf8 "$man" 2>/dev/null | grep -Eq '^ +lutrace +. +trace a Live Update' ||
	fail "the installed man page does not render its NAME"
echo "install-check: the installed lutrace runs, its man page renders without warnings"

units=$dest/usr/local/lib/systemd/system
grep -qx 'ExecStart=@/usr/local/bin/lutrace @lutrace record .*' "$units/lutrace-record.service" ||
	fail "lutrace-record.service does not start /usr/local/bin/lutrace"
grep -qx 'ExecStart=/usr/local/libexec/lutrace/lutrace-report' "$units/lutrace-report.service" ||
	fail "lutrace-report.service does not start /usr/local/libexec/lutrace/lutrace-report"
grep -qxF "lutrace=\${LUTRACE:-/usr/local/bin/lutrace}" "$dest/usr/local/libexec/lutrace/lutrace-report" ||
	fail "lutrace-report does not run /usr/local/bin/lutrace"
! grep -rq '@[a-z]*dir@' "$dest" || fail "a placeholder was left in an installed file"
make -s install DESTDIR="$tmp/opt" PREFIX=/opt/lt
grep -q '^ExecStart=@/opt/lt/bin/lutrace ' "$tmp/opt/opt/lt/lib/systemd/system/lutrace-record.service" ||
	fail "after PREFIX changed, the installed unit still names the old path"
echo "install-check: the units and the report script name the install's paths"

make -s uninstall DESTDIR="$dest"
left=$(cd "$dest" && find . ! -type d -printf '%P\n'; find . -type d -name '*lutrace*' -printf '%P\n')
[ -z "$left" ] || { echo "$left" >&2; fail "make uninstall left these behind"; }
echo "install-check: make uninstall removed every file and lutrace's directories"
