#!/bin/sh
# SR-IOV and a user's FLR, on QEMU's nvme (edu has neither capability):
# a VF is not preserved (EINVAL), nor is a PF with VFs enabled (EINVAL: its VFs would keep
# running on a PF handed to a new kernel); one whose user enables VFs after
# preserving it is refused by its freeze (EBUSY) and the kexec aborted, the
# edu device unfrozen. An FLR the user asks for through the PCIe Device
# Control register is traced as vfio_pci_reset site=config_flr. Run with
#   -n 1 -a vfio_pci.enable_sriov=1 -d nvme-subsys,id=lusub,nqn=lutrace
#   -x nvme,serial=lu0,subsys=lusub,sriov_max_vfs=1,sriov_vq_flexible=2,sriov_vi_flexible=1
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

T=/sys/kernel/tracing
edu=$(vfio_edu_devices | tr -d ' ')
pf=$(pci_devices_with_id 0x1b36 0x0010 | head -n 1)
sys=/sys/bus/pci/devices/$pf
check "an edu device: $edu" [ -n "$edu" ]
check "an nvme PF: $pf" [ -n "$pf" ]
check "$pf offers VFs" [ "$(cat "$sys/sriov_totalvfs")" -ge 1 ]
check "$pf bound to vfio-pci" bind_vfio "$pf"
echo 1 >"$T/events/vfio_pci/enable"

check "an FLR through $pf's PCIe Device Control" vfio_config_flr "$pf"
check "the FLR traced as a reset at site config_flr" \
	grep -q "vfio_pci_reset: dev=$pf .* site=config_flr ret=0" "$T/trace"

# No driver probes the VFs: QEMU keeps them offline, an nvme probe would wait.
echo 0 >"$sys/sriov_drivers_autoprobe"
check "one VF enabled on $pf" sh -c "echo 1 >$sys/sriov_numvfs"
check "$pf has a VF" [ -e "$sys/virtfn0" ]
vf=$(basename "$(readlink "$sys/virtfn0")")
# Alone in its IOMMU group, so only its being a VF can refuse it
check "VF $vf alone in IOMMU group $(iommu_group "$vf")" [ "$(group_size "$(iommu_group "$vf")")" = 1 ]
check "VF $vf bound to vfio-pci" bind_vfio "$vf"
check "VF $vf cannot be preserved" lu_vfio expect-unpreservable --vf EINVAL "$vf"
check "$pf with a VF enabled cannot be preserved" lu_vfio expect-unpreservable --other EINVAL "$pf"
check "VFs disabled" sh -c "echo 0 >$sys/sriov_numvfs"

check "$edu and $pf preserved" lu_vfio preserve --other vfs "$edu" "$pf"
check "a VF enabled on preserved $pf" sh -c "echo 1 >$sys/sriov_numvfs"
kexec_expect_freeze_refused 2
check "$edu froze" grep -q "vfio_pci_liveupdate_freeze: dev=$edu .* ret=0" /results/freeze-trace.txt
check "$pf's freeze refused with EBUSY" grep -q "vfio_pci_liveupdate_freeze: dev=$pf .* ret=-16" /results/freeze-trace.txt
check "$edu was unfrozen" grep -q "vfio_pci_liveupdate_unfreeze: dev=$edu .* ret=0" /results/freeze-trace.txt
check "$pf's VF is still there" [ -e "$sys/virtfn0" ]
check "VFs disabled for the next kexec" sh -c "echo 0 >$sys/sriov_numvfs"
echo "$edu $pf" >/results/devs
checks_done
