# shellcheck shell=sh
# What the systemd guest's stages ask of systemd. Sourced.

# The recorder of stage $1 has attached: its unit said so, 60 s at most.
recorder_attached() {
	i=0
	while ! journal_says lutrace-record.service "recording stage $1 "; do
		i=$((i + 1))
		[ $i -le 60 ] || return 1
		sleep 1
	done
}

# Unit $1 said $2 in this boot's journal.
journal_says() {
	journalctl -b --no-pager -o cat -u "$1" | grep -qF "$2"
}

# Unit $1 finished starting and did not fail.
unit_succeeded() {
	[ "$(systemctl show -P ActiveState "$1")" = active ] && [ "$(systemctl show -P Result "$1")" = success ]
}

# The main process of the VMM's unit has argv[0] $1.
vmm_argv0_is() {
	pid=$(systemctl show -P MainPID lutrace-test-vmm.service)
	[ "$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 1)" = "$1" ]
}

# No unit has failed in this boot; the list and the journal are kept in
# /results either way.
no_failed_units() {
	systemctl --failed --no-legend --plain >"/results/failed.stage$LUTRACE_STAGE" 2>&1 || true
	journalctl -b --no-pager >"/results/journal.stage$LUTRACE_STAGE" 2>&1 || true
	check "no failed unit: $(tr '\n' ' ' <"/results/failed.stage$LUTRACE_STAGE")" \
		[ ! -s "/results/failed.stage$LUTRACE_STAGE" ]
}
