#!/bin/sh
# Harness self-test: the kernel panics in stage 1; run-scenario.sh must say so.
echo c >/proc/sysrq-trigger
