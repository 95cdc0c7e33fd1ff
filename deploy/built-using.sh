#!/usr/bin/env bash
# The Built-Using field of the lutrace package: the source package and
# version of every static library the static lutrace links (those
# pkg-config names for it, libc and libm), as "src (= version), ...".
set -euo pipefail

libs=$(pkg-config --static --libs libbpf libtracefs libtraceevent)
mapfile -t archives < <(for flag in $libs -lc -lm; do
	case "$flag" in
	-l*) realpath "$(gcc -print-file-name="lib${flag#-l}.a")" ;;
	esac
done)
mapfile -t packages < <(dpkg-query -S "${archives[@]}" | sed 's/:.*//' | sort -u)
dpkg-query -W -f='${source:Package} (= ${source:Version})\n' "${packages[@]}" |
	sort -u | paste -sd, - | sed 's/,/, /g'
