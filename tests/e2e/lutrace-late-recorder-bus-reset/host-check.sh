#!/usr/bin/env bash
# lutrace-late-recorder-reset's checks, for a reset of kind secondary_bus.
set -euo pipefail
LUTRACE_EXPECT_RESET_KIND=secondary_bus exec "$(dirname "$0")/../lutrace-late-recorder-reset/host-check.sh" "$@"
