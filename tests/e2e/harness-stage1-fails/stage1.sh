#!/bin/sh
# Harness self-test: stage 1 fails, so there is no kexec and no stage 2;
# run-scenario.sh must report both.
echo "failing on purpose"
exit 3
