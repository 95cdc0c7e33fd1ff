#!/usr/bin/env bash
# On the host: the example rule file names the reset that
# lutrace-broken-reset's stage 2 does through sysfs, after the kexec and
# before the first enable (a PCI-level reset only), and the assertions the
# reset does not touch still pass.
set -euo pipefail
here=$(dirname "$0")
"$here/../../vm/expect-rules.sh" "$1" "$here/../../rules/demo.rules" 20000 \
	no_pci_reset_before_enable=FAIL no_reset_before_enable=FAIL \
	retrieved_after_kexec=PASS each_retrieved_once=PASS one_reboot_per_stage=PASS \
	freeze_before_reboot_done=PASS no_failed_reboot=PASS
