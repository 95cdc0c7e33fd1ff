// SPDX-License-Identifier: GPL-2.0
#include "log/event_names.h"

#include <stdio.h>
#include <string.h>

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
	[LT_EV_DMAR_FAULT] = "dmar_fault",
	[LT_EV_PCI_POWER_STATE] = "pci_power_state",
	[LT_EV_PCI_CONFIG_WRITE] = "pci_config_write",
	[LT_EV_MARKER] = "marker",
	[LT_EV_OPEN_ATTEMPT] = "open_attempt",
	[LT_EV_RECORDER_ATTACHED] = "recorder_attached",
	[LT_EV_DMA_IN_FLIGHT] = "dma_in_flight",
	[LT_EV_DMA_CHECK] = "dma_check",
};

const char *event_name(unsigned int id)
{
	return id < LT_EV_MAX && names[id] ? names[id] : "unknown";
}

struct name_table {
	const char *const *names;
	size_t n;
};

#define TABLE(...) { (const char *const[]){ __VA_ARGS__ },                  \
		     sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *) }

/* The kernel's __print_symbolic names, indexed by their ABI values. */
static const struct name_table reset_sites =
	TABLE("enable", "disable", "ioctl", "hot_reset", "freeze", "config_flr", "power_d0");
static const struct name_table open_paths = TABLE("cdev", "group");
static const struct name_table skip_reasons =
	TABLE("liveupdate", "freeze_no_reset", "keep_running");
static const struct name_table pci_reset_kinds = TABLE("flr", "pm", "bus", "function",
						     "secondary_bus", "link_down");
/* enum lutrace_boot_traced, bit by bit */
static const struct name_table boot_traced_kinds =
	TABLE("vfio_reset", "pci_reset", "bus_master", "iommu_fault", "power_state");
/* pci_power_t */
static const struct name_table power_states = TABLE("D0", "D1", "D2", "D3hot", "D3cold");
/* enum lutrace_lu_flags, bit by bit (the kernel's __print_flags names) */
static const struct name_table lu_flag_names =
	TABLE("reset_done", "noiommu", "keep_running");

static const char *name_of(const struct name_table *t, int v)
{
	return v >= 0 && (size_t)v < t->n && t->names[v] ? t->names[v] : "unknown";
}

static int value_of(const struct name_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->names[i] && !strcmp(t->names[i], name))
			return (int)i;
	return -1;
}

const char *reset_site_name(int site) { return name_of(&reset_sites, site); }
const char *open_path_name(int path) { return name_of(&open_paths, path); }
const char *skip_reason_name(int reason) { return name_of(&skip_reasons, reason); }
const char *pci_reset_kind_name(int kind) { return name_of(&pci_reset_kinds, kind); }
const char *power_state_name(int state) { return name_of(&power_states, state); }
int reset_site_value(const char *name) { return value_of(&reset_sites, name); }
int open_path_value(const char *name) { return value_of(&open_paths, name); }
int skip_reason_value(const char *name) { return value_of(&skip_reasons, name); }

/* enum lutrace_boot_traced, bit by bit: the tracepoints of each kind */
static const struct name_table boot_traced_events =
	TABLE("vfio_pci:vfio_pci_reset", "pci:pci_reset", "pci:pci_bus_master",
	      "iommu:io_page_fault", "pci:pci_power_state");

static void join_bits(const struct name_table *t, uint32_t bits, const char *none,
		      char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->n && len; i++) {
		int n;

		if (!(bits & (1u << i)))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", t->names[i]);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
	if (!used)
		snprintf(buf, len, "%s", none);
}

void lu_flags_text(int32_t arg, char *buf, size_t len)
{
	if (!(arg & LT_LU_FLAGS_KNOWN))
		snprintf(buf, len, "unknown");
	else
		join_bits(&lu_flag_names, (uint32_t)arg & ~(uint32_t)LT_LU_FLAGS_KNOWN,
			  "none", buf, len);
}

void boot_traced_text(uint32_t bits, char *buf, size_t len)
{
	join_bits(&boot_traced_kinds, bits, "none", buf, len);
}

void boot_traced_events_text(uint32_t bits, char *buf, size_t len)
{
	join_bits(&boot_traced_events, bits, "", buf, len);
}

const char *boot_traced_event(unsigned int bit)
{
	return bit < boot_traced_events.n ? boot_traced_events.names[bit] : NULL;
}

bool event_is_series_tracepoint(unsigned int id)
{
	return (id >= LT_EV_LU_SESSION_CREATE && id <= LT_EV_LU_INCOMING) ||
	       (id >= LT_EV_PCI_LU_PRESERVE && id <= LT_EV_PCI_LU_INHERIT_BUSES) ||
	       (id >= LT_EV_VFIO_LU_PRESERVE && id <= LT_EV_VFIO_RESET);
}

bool event_is_marker(unsigned int id)
{
	return id == LT_EV_MARKER || id == LT_EV_OPEN_ATTEMPT ||
	       id == LT_EV_DMA_IN_FLIGHT || id == LT_EV_DMA_CHECK;
}

bool event_is_imported(unsigned int id)
{
	return event_is_series_tracepoint(id) || id == LT_EV_IOMMU_MAP ||
	       id == LT_EV_IOMMU_UNMAP || id == LT_EV_IOMMU_FAULT || id == LT_EV_PCI_RESET ||
	       id == LT_EV_PCI_SET_MASTER || id == LT_EV_PCI_CLEAR_MASTER ||
	       id == LT_EV_PCI_POWER_STATE || event_is_marker(id);
}

unsigned int event_id_by_name(const char *name)
{
	struct name_table all = { names, LT_EV_MAX };
	int id = value_of(&all, name);

	return id < 0 ? LT_EV_NONE : (unsigned int)id;
}

/* "iommu_domain=N " when the recorder knew the domain, else "". */
static const char *iommu_domain_text(const struct lt_event *e, char *buf,
				     size_t len)
{
	if (!e->iommu_domain)
		return "";
	snprintf(buf, len, "iommu_domain=%u ", e->iommu_domain);
	return buf;
}

void event_format_detail(const struct lt_event *e, char *buf, size_t len)
{
	unsigned long long token = e->token;
	char domain[32];

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
	case LT_EV_VFIO_LU_PRESERVE ... LT_EV_VFIO_LU_FINISH: {
		char flags[64];

		lu_flags_text(e->arg, flags, sizeof(flags));
		snprintf(buf, len, "token=%llu ret=%d flags=%s", token, e->ret, flags);
		break;
	}
	case LT_EV_PCI_POWER_STATE:
		snprintf(buf, len, "from=%s to=%s", power_state_name(LT_POWER_FROM(e->arg)),
			 power_state_name(LT_POWER_TO(e->arg)));
		break;
	case LT_EV_PCI_CONFIG_WRITE:
		snprintf(buf, len, "%s where=0x%llx size=%llu value=0x%x (bus master %s)",
			 e->ret ? "user" : "kernel", (unsigned long long)e->iova,
			 (unsigned long long)e->size, (unsigned int)e->arg,
			 e->arg & 0x4 ? "on" : "off");
		break;
	case LT_EV_DMA_IN_FLIGHT:
		snprintf(buf, len, "%s", e->text);
		break;
	case LT_EV_DMA_CHECK:
		snprintf(buf, len, "landed=%d %s", e->arg, e->text);
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
	case LT_EV_DMAR_FAULT:
		snprintf(buf, len, "addr=0x%llx reason=0x%02x %s",
			 (unsigned long long)e->iova, (unsigned int)e->arg, e->text);
		break;
	case LT_EV_IOMMU_MAP:
		snprintf(buf, len, "%siova=0x%llx phys=0x%llx size=%llu",
			 iommu_domain_text(e, domain, sizeof(domain)),
			 (unsigned long long)e->iova, (unsigned long long)e->phys,
			 (unsigned long long)e->size);
		break;
	case LT_EV_IOMMU_UNMAP:
		snprintf(buf, len, "%siova=0x%llx size=%llu",
			 iommu_domain_text(e, domain, sizeof(domain)),
			 (unsigned long long)e->iova, (unsigned long long)e->size);
		break;
	case LT_EV_MARKER:
		snprintf(buf, len, "%s", e->text);
		break;
	case LT_EV_RECORDER_ATTACHED: {
		char kinds[64];

		boot_traced_text((uint32_t)e->arg, kinds, sizeof(kinds));
		snprintf(buf, len, "boot_traced=%s", kinds);
		break;
	}
	default:
		snprintf(buf, len, "%s", "");
	}
}
