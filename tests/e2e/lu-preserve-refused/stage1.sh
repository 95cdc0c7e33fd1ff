#!/bin/sh
# What cannot be preserved safely is refused at preserve, and the device
# stays usable: a file never bound to an iommufd (its device was never set
# up by vfio-pci), and a device behind a PCIe-to-PCI bridge, whose DMA
# carries the bridge's requester ID. A bound device on a root port is then
# preserved and crosses the kexec. Run with -T bridge -n 2.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../vm/guest-lib.sh disable=SC1091
. /lutrace/guest-lib.sh

devs=$(vfio_edu_devices)
port=$(echo "$devs" | tr ' ' '\n' | grep ':00\.0$' | head -n 1)
aliased=$(echo "$devs" | tr ' ' '\n' | grep -v ':00\.0$' | head -n 1)
check "a device on a root port: $port" [ -n "$port" ]
check "a device behind the bridge: $aliased" [ -n "$aliased" ]
bridge=$(basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$aliased")")")
check "$aliased sits behind a PCIe-to-PCI bridge" \
	[ "$(cat "/sys/bus/pci/devices/$bridge/class")" = 0x060400 ]
endpoints=0
for d in "/sys/kernel/iommu_groups/$(iommu_group "$aliased")/devices/"*; do
	case $(cat "$d/class") in 0x0604*) ;; *) endpoints=$((endpoints + 1)) ;; esac
done
check "$aliased is alone in its IOMMU group but for bridges" [ "$endpoints" = 1 ]
echo 1 >/sys/kernel/tracing/events/vfio_pci/vfio_pci_liveupdate_preserve/enable
check "an unbound file of $port is refused with EINVAL" lu_vfio expect-unpreservable --unbound EINVAL "$port"
check "$aliased, aliased by its bridge, is refused with EINVAL" lu_vfio expect-unpreservable EINVAL "$aliased"
trace=/sys/kernel/tracing/trace
check "the refusals were traced" [ "$(grep -c 'vfio_pci_liveupdate_preserve: .* ret=-22' "$trace")" = 2 ]
check "$port, bound, is preserved" lu_vfio preserve --dma lu "$port"
echo "$port" >/results/port
checks_done
