#!/usr/bin/env bash
# On the host: a good live update passes every assertion of the example
# rule file (tests/rules/demo.rules) beside the built-in rules, in the text,
# TAP and JUnit verdicts alike. The guest runs lutrace-live-update's stages.
set -euo pipefail
here=$(dirname "$0")
"$here/../../vm/expect-rules.sh" "$1" "$here/../../rules/demo.rules" \
	"${LUTRACE_BUDGET_MS:-20000}" \
	freeze_in_kexec=PASS freeze_before_reboot_done=PASS no_reset_while_handed_over=PASS \
	no_pci_reset_before_enable=PASS no_reset_on_01=PASS retrieve_to_enable=PASS \
	freeze_to_retrieve=PASS one_reboot_per_stage=PASS no_failed_reboot=PASS one_kexec=PASS \
	retrieved_after_kexec=PASS each_retrieved_once=PASS dma_verified_first=PASS \
	retrieved_marker_after=PASS no_fault_at_all=PASS no_dmar_fault=PASS \
	handover_complete=PASS no_reset_before_enable=PASS
