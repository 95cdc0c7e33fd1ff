#!/bin/sh
# The freeze's events fire inside kexec -e, after this script: keep a reader
# on trace_pipe, which the four second freeze delay lets copy them to the
# results share before the jump.
cat /sys/kernel/tracing/trace_pipe >/results/freeze-trace.txt &
