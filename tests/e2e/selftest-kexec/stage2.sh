#!/bin/sh
# The kexec selftest's stage 2 on its devices; then, on the first of them
# (finished, so it opens normally), the uapi selftest with an incoming
# session: vfio-uapi-incoming, whose device is never bound. Its cases must
# run, not skip, and the session closed when the test exits must give the
# device up.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

# shellcheck disable=SC2046
set -- $(vfio_edu_devices)
for incoming; do :; done
for bdf; do
	[ "$bdf" = "$incoming" ] && continue
	check "vfio_pci_liveupdate_kexec_test --stage 2 $bdf" vfio_pci_liveupdate_kexec_test --stage 2 "$bdf"
done

log=/tmp/uapi-incoming.log
check "vfio_pci_liveupdate_uapi_test $1 with incoming session vfio-uapi-incoming" \
	sh -c "VFIO_LIVEUPDATE_INCOMING_SESSION=vfio-uapi-incoming vfio_pci_liveupdate_uapi_test $1 >$log 2>&1"
cat "$log"
check "the incoming session's cases ran" grep -q '^ok [0-9]* vfio_pci_liveupdate_incoming\.finish_before_device_set_up$' "$log"
check "none of them skipped" sh -c "! grep -q '^ok [0-9]* vfio_pci_liveupdate_incoming\..*# SKIP' $log"
check "closing vfio-uapi-incoming gave $incoming up" lu_vfio expect-open ok "$incoming"
checks_done
