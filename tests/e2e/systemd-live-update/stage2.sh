#!/bin/sh
# The systemd guest, stage 2, after `systemctl kexec`: the recorder's unit
# took the log over, the restore unit retrieved the devices, and
# lutrace-report.service (which this boot's driver is ordered after) judged
# the update. Its files go to /results for host-check.sh.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh
# shellcheck source-path=SCRIPTDIR source=systemd-lib.sh disable=SC1091
. "$(dirname "$0")/systemd-lib.sh"

journalctl -b --no-pager -u lutrace-test-restore.service -u lutrace-report.service | sed 's/^/unit: /'
check "the stage-1 log crossed the kexec" journal_says lutrace-record.service "took over the flight log"
check "the recorder attached (stage 2)" recorder_attached 2
check "the restore unit retrieved the devices" unit_succeeded lutrace-test-restore.service
check "lutrace-report.service passed" unit_succeeded lutrace-report.service
cp /var/lib/lutrace/last-update.log /results/flight.log
cp /var/lib/lutrace/last-update.verify /results/last-update.verify
cp /var/lib/prometheus/node-exporter/lutrace.prom /results/lutrace.prom
no_failed_units
checks_done
