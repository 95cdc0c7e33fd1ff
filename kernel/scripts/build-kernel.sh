#!/usr/bin/env bash
# Build the patched kernel out of tree, with ccache, for one config variant.
#
#   build-kernel.sh VARIANT [TARGET...]
#
# VARIANT names kernel/configs/VARIANT.variant, a list of fragments merged in
# order onto x86_64_defconfig, or onto the config target named by a
# "# base: TARGET" line in the file (e.g. tinyconfig for a small variant),
# or onto the config file $KERNEL_BASE_CONFIG names for "# base:
# $KERNEL_BASE_CONFIG" (a host's own config, host.variant).
# Output goes to $LUTRACE_CACHE/build/VARIANT.
# When the tree, the resulting .config and this script are unchanged since the
# last successful build, kbuild is not run at all.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${LUTRACE_CACHE:-/var/cache/lutrace}
tree=$cache/linux
variant=${1:?usage: build-kernel.sh VARIANT [TARGET...]}
shift
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(bzImage)

list=$top/kernel/configs/$variant.variant
[ -f "$list" ] || { echo "build-kernel: no such variant: $list" >&2; exit 1; }
mapfile -t fragments < <(grep -v '^#' "$list" | sed '/^$/d; s|^|'"$top"'/kernel/configs/|')
base=$(sed -n 's/^# base:[[:space:]]*//p' "$list" | tail -n 1)
base=${base:-x86_64_defconfig}
# "# seed: VARIANT": start from a copy of that variant's build, so that only
# what differs is compiled. "# notrace: FILE...": build FILE with NOTRACE.
seed=$(sed -n 's/^# seed:[[:space:]]*//p' "$list" | tail -n 1)
read -r -a notrace <<<"$(sed -n 's/^# notrace:[[:space:]]*//p' "$list" | tr '\n' ' ')"

out=$cache/build/$variant
mkdir -p "$out" "$cache/ccache"
export CCACHE_DIR=$cache/ccache CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-12G}
export KBUILD_BUILD_USER=lutrace KBUILD_BUILD_HOST=lutrace
# One kernel build at a time on this machine (2 cores): every build, from any
# checkout, serializes on this lock.
exec 9>"$cache/kernel.lock"
if ! flock -n 9; then
	echo "build-kernel: waiting for another kernel build to finish" >&2
	flock 9
fi

kmake() { make -s -C "$tree" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }

"$here/prepare-tree.sh"

kbuild_vars=()
for f in "${notrace[@]}"; do
	[ -f "$tree/$f" ] || { echo "build-kernel: $variant: no such file to build with NOTRACE: $f" >&2; exit 1; }
	kbuild_vars+=("CFLAGS_$(basename "$f" .c).o=-DNOTRACE")
done
if [ -n "$seed" ] && [ ! -f "$out/.config" ]; then
	if [ -f "$cache/build/$seed/lutrace.built" ]; then
		echo "build-kernel: $variant starts from a copy of the $seed build" >&2
		# Whole or not at all: a copy cut short must not look like a build.
		rm -rf "$out.seed"
		cp -a "$cache/build/$seed" "$out.seed"
		rm -f "$out.seed/lutrace.built"
		rm -rf "$out"
		mv "$out.seed" "$out"
	fi
fi

# Generate the config beside the live one; replace it only when it differs,
# so an unchanged config never makes kbuild recompile anything.
new=$out/lutrace.config.new
# shellcheck disable=SC2016 # the literal words of the "# base:" line
if [ "$base" = '$KERNEL_BASE_CONFIG' ]; then
	# A config file, not a make target: the host's own, given by the caller.
	if [ ! -r "${KERNEL_BASE_CONFIG:-}" ]; then
		echo "build-kernel: $variant starts from a config file: set KERNEL_BASE_CONFIG (e.g. /boot/config-\$(uname -r))" >&2
		exit 1
	fi
	cp "$KERNEL_BASE_CONFIG" "$new"
else
	KCONFIG_CONFIG=$new kmake "$base" >/dev/null
fi
KCONFIG_CONFIG=$new "$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$new" "${fragments[@]}" >/dev/null
KCONFIG_CONFIG=$new kmake olddefconfig >/dev/null
rm -f "$new.old"

# Every line of every fragment must have stuck.
missing=0
for f in "${fragments[@]}"; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$new" || { echo "build-kernel: $line did not stick (got: $(grep -E "^(# )?${line%%=*}[= ]" "$new" || echo absent))" >&2; missing=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$new" && { echo "build-kernel: $sym should be off but is $(grep "^$sym=" "$new")" >&2; missing=1; } ;;
		esac
	done <"$f"
done
if [ "$missing" -ne 0 ]; then
	echo "build-kernel: config fragments for '$variant' do not apply to this tree" >&2
	exit 1
fi

if ! cmp -s "$new" "$out/.config"; then
	mv "$new" "$out/.config"
else
	rm -f "$new"
fi

key=$(printf '%s\n' "$(git -C "$tree" rev-parse HEAD)" "${targets[*]}" "${kbuild_vars[*]}" |
	cat - "$out/.config" "$0" | sha256sum | cut -d' ' -f1)
if [ -f "$out/lutrace.built" ] && [ "$(cat "$out/lutrace.built")" = "$key" ]; then
	echo "build-kernel: $variant is up to date" >&2
	exit 0
fi

rm -f "$out/lutrace.built"
start=$(date +%s)
# The object count of the last complete build of this variant, if any: the
# denominator of the progress lines.
known=$(cat "$out/lutrace.objects" 2>/dev/null || true)
if [ -n "$known" ]; then
	echo "build-kernel: building $variant (${targets[*]}) in $out" >&2
else
	echo "build-kernel: building $variant (${targets[*]}) in $out from nothing;" \
		"on 2 cores that takes 15-25 minutes (about 1950 objects for the guest);" \
		"a progress line follows every minute" >&2
fi
touch "$out/lutrace.build-start"
kmake -j"$(nproc)" "${kbuild_vars[@]}" "${targets[@]}" &
kbuild=$!
"$here/build-progress.sh" "$out" "$variant" "$start" "$known" &
ticker=$!
status=0
wait "$kbuild" || status=$?
kill "$ticker" 2>/dev/null || true
wait "$ticker" 2>/dev/null || true
if [ "$status" -ne 0 ]; then
	echo "build-kernel: $variant failed after $(( $(date +%s) - start )) s (make exit $status)" >&2
	exit "$status"
fi
find "$out" -name '*.o' | wc -l >"$out/lutrace.objects"
echo "$key" >"$out/lutrace.built"
echo "build-kernel: $variant built in $(( $(date +%s) - start )) s" >&2
