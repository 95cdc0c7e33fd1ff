// SPDX-License-Identifier: GPL-2.0
#include "event_names.h"

#include <stdio.h>

static const char *const names[LT_EV_MAX] = {
	[LT_EV_LU_SESSION_CREATE] = "liveupdate_session_create",
	[LT_EV_LU_SESSION_RETRIEVE] = "liveupdate_session_retrieve",
	[LT_EV_LU_SESSION_FINISH] = "liveupdate_session_finish",
	[LT_EV_LU_SESSION_RELEASE] = "liveupdate_session_release",
	[LT_EV_LU_FILE_PRESERVE] = "liveupdate_file_preserve",
	[LT_EV_LU_FILE_UNPRESERVE] = "liveupdate_file_unpreserve",
	[LT_EV_LU_FILE_FREEZE] = "liveupdate_file_freeze",
	[LT_EV_LU_FILE_UNFREEZE] = "liveupdate_file_unfreeze",
	[LT_EV_LU_FILE_RETRIEVE] = "liveupdate_file_retrieve",
	[LT_EV_LU_FILE_FINISH] = "liveupdate_file_finish",
	[LT_EV_LU_REBOOT] = "liveupdate_reboot",
	[LT_EV_LU_INCOMING] = "liveupdate_incoming",
	[LT_EV_PCI_LU_PRESERVE] = "pci_liveupdate_preserve",
	[LT_EV_PCI_LU_UNPRESERVE] = "pci_liveupdate_unpreserve",
	[LT_EV_PCI_LU_INCOMING] = "pci_liveupdate_incoming",
	[LT_EV_PCI_LU_FINISH] = "pci_liveupdate_finish",
	[LT_EV_PCI_LU_INHERIT_BUSES] = "pci_liveupdate_inherit_buses",
	[LT_EV_VFIO_LU_PRESERVE] = "vfio_pci_liveupdate_preserve",
	[LT_EV_VFIO_LU_UNPRESERVE] = "vfio_pci_liveupdate_unpreserve",
	[LT_EV_VFIO_LU_FREEZE] = "vfio_pci_liveupdate_freeze",
	[LT_EV_VFIO_LU_UNFREEZE] = "vfio_pci_liveupdate_unfreeze",
	[LT_EV_VFIO_LU_RETRIEVE] = "vfio_pci_liveupdate_retrieve",
	[LT_EV_VFIO_LU_FINISH] = "vfio_pci_liveupdate_finish",
	[LT_EV_VFIO_RESET_SKIPPED] = "vfio_pci_reset_skipped",
	[LT_EV_VFIO_OPEN_BLOCKED] = "vfio_pci_open_blocked",
	[LT_EV_VFIO_RESET] = "vfio_pci_reset",
	[LT_EV_IOMMU_FAULT] = "io_page_fault",
	[LT_EV_IOMMU_MAP] = "iommu_map",
	[LT_EV_IOMMU_UNMAP] = "iommu_unmap",
	[LT_EV_PCI_RESET] = "pci_reset",
	[LT_EV_PCI_SET_MASTER] = "pci_set_master",
	[LT_EV_PCI_CLEAR_MASTER] = "pci_clear_master",
	[LT_EV_KEXEC] = "kernel_kexec",
	[LT_EV_MARKER] = "marker",
	[LT_EV_OPEN_ATTEMPT] = "open_attempt",
};

const char *event_name(unsigned int id)
{
	return id < LT_EV_MAX && names[id] ? names[id] : "unknown";
}

static const char *pick(const char *const *table, size_t n, int v)
{
	return v >= 0 && (size_t)v < n && table[v] ? table[v] : "unknown";
}

#define PICK(table, v) pick(table, sizeof(table) / sizeof(table[0]), v)

const char *reset_site_name(int site)
{
	static const char *const t[] = { "enable", "disable", "ioctl",
					 "hot_reset", "freeze" };
	return PICK(t, site);
}

const char *open_path_name(int path)
{
	static const char *const t[] = { "cdev", "group" };
	return PICK(t, path);
}

const char *skip_reason_name(int reason)
{
	static const char *const t[] = { "liveupdate" };
	return PICK(t, reason);
}

const char *pci_reset_kind_name(int kind)
{
	static const char *const t[] = { "flr", "pm", "bus", "function" };
	return PICK(t, kind);
}

void event_format_detail(const struct lt_event *e, char *buf, size_t len)
{
	unsigned long long token = e->token;

	switch (e->id) {
	case LT_EV_LU_SESSION_CREATE ... LT_EV_LU_SESSION_RELEASE:
		snprintf(buf, len, "session=%s incoming=%d ret=%d",
			 e->session, e->arg, e->ret);
		break;
	case LT_EV_LU_FILE_PRESERVE ... LT_EV_LU_FILE_FINISH:
		snprintf(buf, len, "session=%s compatible=%s token=%llu ret=%d",
			 e->session, e->compatible, token, e->ret);
		break;
	case LT_EV_LU_REBOOT:
		snprintf(buf, len, "sessions=%u files=%u ret=%d",
			 e->nr_sessions, e->nr_files, e->ret);
		break;
	case LT_EV_LU_INCOMING:
		snprintf(buf, len, "liveupdate_num=%llu sessions=%u ret=%d",
			 token, e->nr_sessions, e->ret);
		break;
	case LT_EV_PCI_LU_INHERIT_BUSES:
		snprintf(buf, len, "primary=%02x secondary=%02x subordinate=%02x",
			 e->bus_primary, e->bus_secondary, e->bus_subordinate);
		break;
	case LT_EV_PCI_LU_PRESERVE ... LT_EV_PCI_LU_FINISH:
		snprintf(buf, len, "ret=%d", e->ret);
		break;
	case LT_EV_VFIO_LU_PRESERVE ... LT_EV_VFIO_LU_FINISH:
		snprintf(buf, len, "token=%llu ret=%d", token, e->ret);
		break;
	case LT_EV_VFIO_RESET_SKIPPED:
		snprintf(buf, len, "reason=%s", skip_reason_name(e->arg));
		break;
	case LT_EV_VFIO_OPEN_BLOCKED:
	case LT_EV_OPEN_ATTEMPT:
		snprintf(buf, len, "path=%s", open_path_name(e->arg));
		break;
	case LT_EV_VFIO_RESET:
		snprintf(buf, len, "site=%s ret=%d", reset_site_name(e->arg), e->ret);
		break;
	case LT_EV_PCI_RESET:
		snprintf(buf, len, "kind=%s", pci_reset_kind_name(e->arg));
		break;
	case LT_EV_IOMMU_FAULT:
		snprintf(buf, len, "iova=0x%llx flags=0x%x",
			 (unsigned long long)e->iova, (unsigned int)e->arg);
		break;
	case LT_EV_IOMMU_MAP:
		snprintf(buf, len, "iova=0x%llx phys=0x%llx size=%llu",
			 (unsigned long long)e->iova, (unsigned long long)e->phys,
			 (unsigned long long)e->size);
		break;
	case LT_EV_IOMMU_UNMAP:
		snprintf(buf, len, "iova=0x%llx size=%llu",
			 (unsigned long long)e->iova, (unsigned long long)e->size);
		break;
	case LT_EV_MARKER:
		snprintf(buf, len, "%s", e->text);
		break;
	default:
		snprintf(buf, len, "%s", "");
	}
}
