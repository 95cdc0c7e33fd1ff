#!/bin/sh
# Start an unawaited DMA on every held device, wait until the holder says it
# started them all, record how many, and let /init jump (edu runs a transfer
# 100 ms after its start, so they are in flight across the handover).
n=$(wc -w </tmp/held-devices)
kill -USR2 "$(cat /tmp/lu_vfio.busy.pid)"
i=0
while [ "$(grep -c 'lutrace: dma_in_flight' /sys/kernel/tracing/trace)" -lt "$n" ] && [ $i -lt 40 ]; do
	i=$((i + 1))
	sleep 0.05
done
grep -c 'lutrace: dma_in_flight' /sys/kernel/tracing/trace >/results/dma-in-flight.count
echo "in-flight DMA started on $(cat /results/dma-in-flight.count) of $n held devices"
