#!/bin/sh
# Harness self-test: stage 1 never ends; run-scenario.sh must time out.
while :; do sleep 60; done
