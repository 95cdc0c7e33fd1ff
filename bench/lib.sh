# shellcheck shell=bash
# Sourced by every bench/NAME.sh (and by bench/run.sh): where results go, how
# many repeats, and one way to write a result row.
#
# A benchmark is an executable bench/NAME.sh (bash, set -euo pipefail). It
# appends one row per figure to the TSV file $BENCH_RESULTS (bench/run.sh
# sets it; run alone it is build/bench/NAME.tsv), tab-separated:
#
#   item  figure  unit  min  median  max  n  target  note
#
# item is the number of the figure in issue 14 (1..7); unit "x" for ratios,
# "ns/event", "s", "MiB", ...; target "OP NUMBER[UNIT]" with OP one of
# <= < >= > (judged on the median: bench/run.sh prints met or missed), or
# "-" for a figure without one; note is free text without tabs, and says
# why and what would fix it when the target is missed. A ratio is measured
# side by side in one run (A and B alternating); an absolute figure only
# goes next to its ratio row.
#
# BENCH_TINY=1 asks for a configuration of seconds (make test runs every
# bench so, to keep it from rotting; 1 repeat is fine): bench_tiny. Else
# RUNS repeats (default 5, at least 5 for RESULTS.md): bench_runs. A bench
# that cannot run here says why and exits 77: bench_skip "needs X".

BENCH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=$(basename "$0" .sh)
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_TOP/build/bench/$BENCH_NAME.tsv}
BENCH_TMP_ROOT=$BENCH_TOP/build/bench/tmp
export BENCH_RESULTS
mkdir -p "$(dirname "$BENCH_RESULTS")"

bench_tiny() {
	[ "${BENCH_TINY:-0}" = 1 ]
}

# Repeats: RUNS, 5 by default, 1 in tiny mode unless RUNS says otherwise.
bench_runs() {
	if bench_tiny; then
		echo "${RUNS:-1}"
	else
		echo "${RUNS:-5}"
	fi
}

bench_log() {
	echo "$BENCH_NAME: $*" >&2
}

# Exit 77: bench/run.sh prints "skipped: REASON" and goes on.
bench_skip() {
	echo "skipped: $*"
	exit 77
}

# bench_need_file PATH WHAT / bench_need_cmd CMD WHAT: skip (77) saying
# "needs WHAT" when PATH is not there or CMD not on PATH.
bench_need_file() {
	[ -e "$1" ] || bench_skip "needs $2 ($1)"
}

bench_need_cmd() {
	command -v "$1" >/dev/null 2>&1 || bench_skip "needs $2 ($1)"
}

# A scratch directory under build/bench/tmp (the caller removes it).
bench_tmpdir() {
	mkdir -p "$BENCH_TMP_ROOT"
	mktemp -d "$BENCH_TMP_ROOT/$BENCH_NAME.XXXXXX"
}

# "min median max n" of the numbers given (tab-separated); the median of an
# even count is the mean of the middle two.
bench_stats() {
	[ $# -gt 0 ] || { echo "bench_stats: no numbers" >&2; return 1; }
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.6g\t%.6g\t%.6g\t%d\n", v[1], m, v[NR], NR
		}'
}

# bench_row ITEM FIGURE UNIT TARGET NOTE VALUE...: the row of the values'
# statistics, appended to $BENCH_RESULTS and echoed to stderr.
bench_row() {
	local item=$1 figure=$2 unit=$3 target=$4 note=$5 stats
	shift 5
	stats=$(bench_stats "$@")
	case "$figure$unit$target$note" in
	*$'\t'* | *$'\n'*) echo "bench_row: a tab or newline in a field of '$figure'" >&2; return 1 ;;
	esac
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$item" "$figure" "$unit" "$stats" "${target:--}" "${note:--}" \
		>>"$BENCH_RESULTS"
	bench_log "$figure: $(cut -f2 <<<"$stats") $unit (min $(cut -f1 <<<"$stats"), max $(cut -f3 <<<"$stats"), n $(cut -f4 <<<"$stats")); target ${target:--}"
}

# bench_ratios "A1 A2 ..." "B1 B2 ...": A_i / B_i, one a line, for the
# alternating runs of one measurement.
bench_ratios() {
	local -a a b
	read -r -a a <<<"$1"
	read -r -a b <<<"$2"
	[ "${#a[@]}" -eq "${#b[@]}" ] || { echo "bench_ratios: ${#a[@]} against ${#b[@]} values" >&2; return 1; }
	paste -d' ' <(printf '%s\n' "${a[@]}") <(printf '%s\n' "${b[@]}") |
		awk '{ printf "%.6g\n", ($2 > 0 ? $1 / $2 : 0) }'
}

# bench_target_met TARGET VALUE: 0 when VALUE meets TARGET ("<= 1.01x",
# "< 5 s", ...), 1 when it misses it, 2 when TARGET is "-" or not of that
# form. The unit after the number is not checked.
bench_target_met() {
	awk -v t="$1" -v v="$2" 'BEGIN {
		if (!match(t, /^ *(<=|>=|<|>) *[-+0-9.eE]+/)) exit 2
		op = t; sub(/^ */, "", op); num = op
		sub(/[-+0-9.eE].*/, "", op); sub(/ *$/, "", op)
		sub(/^(<=|>=|<|>) */, "", num); sub(/[^-+0-9.eE].*/, "", num)
		v += 0; num += 0
		ok = op == "<=" ? v <= num : op == "<" ? v < num : op == ">=" ? v >= num : v > num
		exit ok ? 0 : 1
	}'
}

# bench_time_rss OUT CMD...: runs CMD with its output in OUT and prints
# "SECONDS KIB": wall time and peak RSS (GNU time). CMD's status is ignored
# (lutrace verify exits 1 for a FAIL verdict); a command that could not run
# at all is an error.
bench_time_rss() {
	local out=$1 tf
	shift
	[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (Debian package time; make deps)" >&2; return 1; }
	local start end
	tf=$(mktemp)
	# GNU time's %e has 10 ms steps: the wall time is taken around it.
	start=$(bench_now_ns)
	/usr/bin/time -o "$tf" -f '%M %x' "$@" >"$out" 2>&1 || true
	end=$(bench_now_ns)
	awk -v cmd="$1" -v ns=$((end - start)) '
		/^Command/ { next }
		NF == 2 { if ($2 >= 126) { print "bench: " cmd " did not run (status " $2 ")" > "/dev/stderr"; exit 1 }
			  printf "%.6f %d\n", ns / 1e9, $1; found = 1 }
		END { if (!found) exit 1 }' "$tf" || { rm -f "$tf"; return 1; }
	rm -f "$tf"
}

# Nanoseconds of CLOCK_REALTIME, for timing something side by side.
bench_now_ns() {
	date +%s%N
}

# bench_fields FILE TAG FIELD...: for each line of FILE whose first word is
# TAG, the values of its KEY=VALUE words named by the FIELDs, in that
# order, one line each; FIELD+0 gives a missing one as 0.
bench_fields() {
	local file=$1 tag=$2
	shift 2
	awk -v tag="$tag" -v want="$*" '$1 == tag {
		delete f
		for (i = 2; i <= NF; i++) {
			eq = index($i, "=")
			if (eq) f[substr($i, 1, eq - 1)] = substr($i, eq + 1)
		}
		n = split(want, w, " ")
		line = ""
		for (j = 1; j <= n; j++) {
			k = w[j]
			zero = sub(/\+0$/, "", k)
			v = zero ? f[k] + 0 : f[k]
			line = line (j > 1 ? " " : "") v
		}
		print line
	}' "$file"
}
