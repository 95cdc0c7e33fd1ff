#!/bin/sh
# Never reached: stage 1 fails on purpose.
exit 0
