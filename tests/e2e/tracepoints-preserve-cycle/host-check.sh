#!/usr/bin/env bash
# On the host: the event formats lutrace's unit tests parse (the copy in
# tests/unit/tracefs/, raw pages included) are this kernel's. Event ids are
# given out at boot, so the ID lines may differ; nothing else may.
set -euo pipefail
got=$1/results/tracefs
want=$(dirname "$0")/../../unit/tracefs
[ -d "$got/events" ] || { echo "no $got/events: the guest dumped no formats" >&2; exit 1; }
bad=0
for f in "$want"/events/header_page "$want"/events/*/*/format; do
	rel=${f#"$want"/}
	if [ ! -f "$got/$rel" ]; then
		echo "$rel: in tests/unit/tracefs but not in this kernel" >&2
		bad=1
	elif ! diff -u <(grep -v '^ID:' "$f") <(grep -v '^ID:' "$got/$rel") >&2; then
		echo "$rel: this kernel's format differs from tests/unit/tracefs/$rel; capture the fixtures again (tests/unit/tracefs/README)" >&2
		bad=1
	fi
done
[ "$bad" = 0 ] && echo "host-check: $(find "$want/events" -name format | wc -l) event formats match tests/unit/tracefs"
exit "$bad"
