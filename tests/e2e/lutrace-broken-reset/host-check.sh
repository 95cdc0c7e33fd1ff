#!/usr/bin/env bash
# lutrace verify must name the reset between freeze and first enable.
set -euo pipefail
"$(dirname "$0")/../../vm/expect-verify.sh" "$1" 20000 \
	no_reset_before_enable=FAIL retrieved_and_finished=PASS log_intact=PASS
