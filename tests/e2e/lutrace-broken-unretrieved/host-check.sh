#!/usr/bin/env bash
# lutrace verify must name the devices that were never retrieved. (Their
# normal open afterwards resets them, which no_reset_before_enable may also
# report: the run is broken either way; this names the cause.)
set -euo pipefail
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" 20000 \
	retrieved_and_finished=FAIL log_intact=PASS
