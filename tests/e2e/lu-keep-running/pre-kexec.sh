#!/bin/sh
# The VMM starts the transfer and jumps itself (reboot(LINUX_REBOOT_CMD_KEXEC)
# right after reading edu's DMA status): init's own kexec -e would come too
# late, since edu completes a transfer 100 ms after its start. If the VMM
# did not jump, stop here: a later jump would prove nothing.
kill -USR2 "$(cat /tmp/lu_keep.pid)"
sleep 20
echo "not ok - lu_keep did not jump"
cat /results/keep-jump.txt
poweroff -f
