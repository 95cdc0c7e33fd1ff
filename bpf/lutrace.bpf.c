// SPDX-License-Identifier: GPL-2.0
/*
 * lutrace BPF side: every Live Update tracepoint of the series, plus the
 * existing kernel events that tell whether DMA kept flowing (IOMMU faults
 * and mappings, PCI resets, bus mastering, the kexec itself).
 *
 * Each tracepoint has a perf (tp/), a tp_btf and a raw_tp program and each
 * kernel function a kprobe and an fentry program; user space autoloads one
 * of each, chosen by probing the running kernel (record/prog_choice.h:
 * perf and kprobes first, which run with preemption off). They share one
 * handler, and all reads go through BPF_CORE_READ so the raw_tp/kprobe
 * flavours (untyped context) are as safe as the BTF-typed ones; the perf
 * flavour reads the tracepoint's record, relocated by CO-RE.
 */
#include "kernel_types.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "lutrace.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Reserve failures: user space reports this in every output. */
__u64 dropped_events = 0;

/* IOMMU map/unmap fire for every DMA mapping in the system. */
const volatile bool trace_iommu_mappings = true;

/*
 * The map and unmap tracepoints do not say which iommu_domain changed, but
 * the functions that fire them take it as their first argument. Their entry
 * probes note the domain for the task, the tracepoint inside reads it, and
 * the exit probes forget it (a kretprobe that missed leaves a stale entry,
 * which the next entry of that task overwrites).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);		/* pid_tgid: one thread */
	__type(value, __u32);		/* iommu_domain number */
} domain_of_task SEC(".maps");

/* Each domain's number, from the first time it is seen until it is freed. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);		/* struct iommu_domain * */
	__type(value, __u32);
} domain_numbers SEC(".maps");

__u32 last_domain_number = 0;

static __always_inline void stamp(struct lutrace_event *e, __u32 id)
{
	e->id = id;
	e->boottime_ns = bpf_ktime_get_boot_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
}

static __always_inline struct lutrace_event *reserve(__u32 id)
{
	struct lutrace_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&dropped_events, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	stamp(e, id);
	return e;
}

static __always_inline void set_device(struct lutrace_event *e,
				       struct device *dev)
{
	/* dev_name(): init_name only before device_add(), the kobject after. */
	const char *name = BPF_CORE_READ(dev, kobj.name);

	if (name)
		bpf_probe_read_kernel_str(e->dev, sizeof(e->dev), name);
}

/* The domain is left to user space: it is the prefix of pci_name(). */
static __always_inline void set_pci_dev(struct lutrace_event *e,
					struct pci_dev *pdev)
{
	if (!pdev)
		return;
	set_device(e, &pdev->dev);
	e->bus = BPF_CORE_READ(pdev, bus, number);
	e->devfn = BPF_CORE_READ(pdev, devfn);
}

/* The same from a tracepoint record: the name and numbers it holds. */
static __always_inline void set_pci_rec(struct lutrace_event *e,
					const char *name, __u8 bus, __u8 devfn)
{
	bpf_probe_read_kernel_str(e->dev, sizeof(e->dev), name);
	e->bus = bus;
	e->devfn = devfn;
}

static __always_inline void set_str(char *dst, __u32 size, const char *src)
{
	if (src)
		bpf_probe_read_kernel_str(dst, size, src);
}

/* ---- handlers, one per event family ---- */

static __always_inline int on_session(__u32 id, const char *session,
				      bool incoming, int ret)
{
	struct lutrace_event *e = reserve(id);

	if (!e)
		return 0;
	set_str(e->session, sizeof(e->session), session);
	e->arg = incoming;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int on_file(__u32 id, const char *session,
				   const char *compatible, __u64 token, int ret)
{
	struct lutrace_event *e = reserve(id);

	if (!e)
		return 0;
	set_str(e->session, sizeof(e->session), session);
	set_str(e->compatible, sizeof(e->compatible), compatible);
	e->token = token;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int on_counts(__u32 id, __u64 num, __u32 nr_sessions,
				     __u32 nr_files, int ret)
{
	struct lutrace_event *e = reserve(id);

	if (!e)
		return 0;
	e->token = num;
	e->nr_sessions = nr_sessions;
	e->nr_files = nr_files;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* Device events: token, ret and the enum argument as each event has them. */
static __always_inline int on_pci(__u32 id, struct pci_dev *pdev, __u64 token,
				  int arg, int ret)
{
	struct lutrace_event *e = reserve(id);

	if (!e)
		return 0;
	set_pci_dev(e, pdev);
	e->token = token;
	e->arg = arg;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* on_pci() from a tracepoint record */
static __always_inline int on_pci_rec(__u32 id, const char *name, __u8 bus,
				      __u8 devfn, __u64 token, int arg, int ret)
{
	struct lutrace_event *e = reserve(id);

	if (!e)
		return 0;
	set_pci_rec(e, name, bus, devfn);
	e->token = token;
	e->arg = arg;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int on_inherit_buses(struct pci_dev *bridge, __u8 primary,
					    __u8 secondary, __u8 subordinate)
{
	struct lutrace_event *e = reserve(LT_EV_PCI_LU_INHERIT_BUSES);

	if (!e)
		return 0;
	set_pci_dev(e, bridge);
	e->bus_primary = primary;
	e->bus_secondary = secondary;
	e->bus_subordinate = subordinate;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline __u32 domain_number(struct iommu_domain *domain)
{
	__u64 key = (__u64)domain;
	__u32 *known = bpf_map_lookup_elem(&domain_numbers, &key);
	__u32 number;

	if (known)
		return *known;
	number = __sync_fetch_and_add(&last_domain_number, 1) + 1;
	/* Another CPU may have numbered it first: its number wins. */
	bpf_map_update_elem(&domain_numbers, &key, &number, BPF_NOEXIST);
	known = bpf_map_lookup_elem(&domain_numbers, &key);
	return known ? *known : number;
}

static __always_inline int enter_domain(struct iommu_domain *domain)
{
	__u64 task = bpf_get_current_pid_tgid();
	__u32 number;

	if (!trace_iommu_mappings || !domain)
		return 0;
	number = domain_number(domain);
	bpf_map_update_elem(&domain_of_task, &task, &number, BPF_ANY);
	return 0;
}

static __always_inline int leave_domain(void)
{
	__u64 task = bpf_get_current_pid_tgid();

	/* Nothing was entered: no map lookup on every DMA unmap for nothing */
	if (!trace_iommu_mappings)
		return 0;
	bpf_map_delete_elem(&domain_of_task, &task);
	return 0;
}

/* A freed domain's address may come back as another domain. */
static __always_inline int forget_domain(struct iommu_domain *domain)
{
	__u64 key = (__u64)domain;

	bpf_map_delete_elem(&domain_numbers, &key);
	return 0;
}

static __always_inline __u32 current_domain(void)
{
	__u64 task = bpf_get_current_pid_tgid();
	__u32 *number = bpf_map_lookup_elem(&domain_of_task, &task);

	return number ? *number : 0;
}

/* @dev, or else @dev_name (a record's), names the device of a fault */
static __always_inline int on_iommu(__u32 id, struct device *dev,
				    const char *dev_name, __u64 iova,
				    __u64 phys, __u64 size, int flags)
{
	struct lutrace_event *e;

	if (id != LT_EV_IOMMU_FAULT && !trace_iommu_mappings)
		return 0;
	e = reserve(id);
	if (!e)
		return 0;
	if (dev)
		set_device(e, dev);
	else if (dev_name)
		set_str(e->dev, sizeof(e->dev), dev_name);
	e->iova = iova;
	e->phys = phys;
	e->size = size;
	e->arg = flags;
	if (id != LT_EV_IOMMU_FAULT)
		e->iommu_domain = current_domain();
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- program pairs ---- */

/* A tracepoint as tp_btf and raw_tp; user space autoloads one. */
#define TP_PAIR(event, call, args...)                                        \
	SEC("tp_btf/" #event)                                                \
	int BPF_PROG(btf_##event, args) { return call; }                     \
	SEC("raw_tp/" #event)                                                \
	int BPF_PROG(raw_##event, args) { return call; }

/* A kernel function as fentry and kprobe; user space autoloads one. */
#define FUNC_PAIR(func, call, args...)                                       \
	SEC("fentry/" #func)                                                 \
	int BPF_PROG(fentry_##func, args) { return call; }                   \
	SEC("kprobe/" #func)                                                 \
	int BPF_KPROBE(kprobe_##func, args) { return call; }

/* A kernel function's exit as fexit and kretprobe; user space autoloads one. */
#define FUNC_EXIT_PAIR(func, call)                                           \
	SEC("fexit/" #func)                                                  \
	int BPF_PROG(fexit_##func) { return call; }                          \
	SEC("kretprobe/" #func)                                              \
	int BPF_KRETPROBE(kretprobe_##func) { return call; }

/* The functions around the map and unmap tracepoints (see domain_of_task). */
#define IOMMU_DOMAIN_FUNC(func)                                              \
	FUNC_PAIR(func, enter_domain(domain), struct iommu_domain *domain)   \
	FUNC_EXIT_PAIR(func, leave_domain())

#define SESSION_TP(event, id)                                                \
	TP_PAIR(event, on_session(id, session, incoming, ret),               \
		const char *session, bool incoming, int ret)
#define FILE_TP(event, id)                                                   \
	TP_PAIR(event, on_file(id, session, compatible, token, ret),         \
		const char *session, const char *compatible, __u64 token,    \
		int ret)
#define PCI_LU_TP(event, id)                                                 \
	TP_PAIR(event, on_pci(id, pdev, 0, 0, ret), struct pci_dev *pdev,    \
		int ret)
/*
 * The flags argument (the fourth) where the kernel has it: its record's
 * flags field says so, and on an older kernel the branch that reads the
 * argument is dead code the verifier never sees.
 */
static __always_inline int lu_flags_known(__u64 flags)
{
	return (int)(flags & 0xffff) | LT_LU_FLAGS_KNOWN;
}

static __always_inline int lu_flags_arg(unsigned long long *ctx)
{
	if (!bpf_core_field_exists(struct trace_event_raw_vfio_pci_liveupdate_class, flags))
		return 0;
	return lu_flags_known(ctx[3]);
}

#define VFIO_LU_TP(event, id)                                                \
	TP_PAIR(event, on_pci(id, pdev, token, lu_flags_arg(ctx), ret),      \
		struct pci_dev *pdev, __u64 token, int ret)
#define PCI_FUNC(func, id, arg)                                              \
	FUNC_PAIR(func, on_pci(id, dev, 0, arg, 0), struct pci_dev *dev)

/* liveupdate: include/trace/events/liveupdate.h */
SESSION_TP(liveupdate_session_create, LT_EV_LU_SESSION_CREATE)
SESSION_TP(liveupdate_session_retrieve, LT_EV_LU_SESSION_RETRIEVE)
SESSION_TP(liveupdate_session_finish, LT_EV_LU_SESSION_FINISH)
SESSION_TP(liveupdate_session_release, LT_EV_LU_SESSION_RELEASE)
FILE_TP(liveupdate_file_preserve, LT_EV_LU_FILE_PRESERVE)
FILE_TP(liveupdate_file_unpreserve, LT_EV_LU_FILE_UNPRESERVE)
FILE_TP(liveupdate_file_freeze, LT_EV_LU_FILE_FREEZE)
FILE_TP(liveupdate_file_unfreeze, LT_EV_LU_FILE_UNFREEZE)
FILE_TP(liveupdate_file_retrieve, LT_EV_LU_FILE_RETRIEVE)
FILE_TP(liveupdate_file_finish, LT_EV_LU_FILE_FINISH)
TP_PAIR(liveupdate_reboot,
	on_counts(LT_EV_LU_REBOOT, 0, nr_sessions, nr_files, ret),
	unsigned int nr_sessions, unsigned int nr_files, int ret)
TP_PAIR(liveupdate_incoming,
	on_counts(LT_EV_LU_INCOMING, liveupdate_num, nr_sessions, 0, ret),
	__u64 liveupdate_num, unsigned int nr_sessions, int ret)

/* pci: include/trace/events/pci_liveupdate.h */
PCI_LU_TP(pci_liveupdate_preserve, LT_EV_PCI_LU_PRESERVE)
PCI_LU_TP(pci_liveupdate_unpreserve, LT_EV_PCI_LU_UNPRESERVE)
PCI_LU_TP(pci_liveupdate_incoming, LT_EV_PCI_LU_INCOMING)
PCI_LU_TP(pci_liveupdate_finish, LT_EV_PCI_LU_FINISH)
TP_PAIR(pci_liveupdate_inherit_buses,
	on_inherit_buses(bridge, primary, secondary, subordinate),
	struct pci_dev *bridge, __u8 primary, __u8 secondary, __u8 subordinate)

/* vfio_pci: drivers/vfio/pci/trace.h */
VFIO_LU_TP(vfio_pci_liveupdate_preserve, LT_EV_VFIO_LU_PRESERVE)
VFIO_LU_TP(vfio_pci_liveupdate_unpreserve, LT_EV_VFIO_LU_UNPRESERVE)
VFIO_LU_TP(vfio_pci_liveupdate_freeze, LT_EV_VFIO_LU_FREEZE)
VFIO_LU_TP(vfio_pci_liveupdate_unfreeze, LT_EV_VFIO_LU_UNFREEZE)
VFIO_LU_TP(vfio_pci_liveupdate_retrieve, LT_EV_VFIO_LU_RETRIEVE)
VFIO_LU_TP(vfio_pci_liveupdate_finish, LT_EV_VFIO_LU_FINISH)
TP_PAIR(vfio_pci_reset_skipped,
	on_pci(LT_EV_VFIO_RESET_SKIPPED, pdev, 0, reason, 0),
	struct pci_dev *pdev, int reason)
TP_PAIR(vfio_pci_open_blocked,
	on_pci(LT_EV_VFIO_OPEN_BLOCKED, pdev, 0, path, 0),
	struct pci_dev *pdev, int path)
TP_PAIR(vfio_pci_reset, on_pci(LT_EV_VFIO_RESET, pdev, 0, site, ret),
	struct pci_dev *pdev, int site, int ret)

/*
 * pci: include/trace/events/pci.h. Where these exist the function probes
 * below are not loaded (prog_choice.h): one event per reset either way.
 */
TP_PAIR(pci_reset, on_pci(LT_EV_PCI_RESET, pdev, 0, op, 0),
	struct pci_dev *pdev, int op)
TP_PAIR(pci_bus_master,
	on_pci(op ? LT_EV_PCI_SET_MASTER : LT_EV_PCI_CLEAR_MASTER, pdev, 0, 0, 0),
	struct pci_dev *pdev, int op)
TP_PAIR(pci_power_state,
	on_pci(LT_EV_PCI_POWER_STATE, pdev, 0, LT_POWER_ARG(from, to), 0),
	struct pci_dev *pdev, int from, int to)

/* iommu: include/trace/events/iommu.h */
TP_PAIR(io_page_fault, on_iommu(LT_EV_IOMMU_FAULT, dev, NULL, iova, 0, 0, flags),
	struct device *dev, unsigned long iova, int flags)
TP_PAIR(map, on_iommu(LT_EV_IOMMU_MAP, NULL, NULL, iova, paddr, size, 0),
	unsigned long iova, phys_addr_t paddr, size_t size)
TP_PAIR(unmap, on_iommu(LT_EV_IOMMU_UNMAP, NULL, NULL, iova, 0, size, 0),
	unsigned long iova, size_t size, size_t unmapped_size)

/*
 * The perf flavour of every tracepoint above, preferred by user space where
 * perf can attach it (record/prog_choice.h). Tracepoints, tp_btf and raw_tp
 * programs run preemptible: a task preempted inside one of them makes every
 * other run of that program on its CPU be skipped until it resumes, which
 * the kernel only counts (recursion_misses). Through perf, a program runs
 * with preemption off: it is skipped only when it interrupts another BPF
 * program on its CPU. Each reads the tracepoint's record, whose layout is
 * the kernel's (kernel_types.h, relocated by CO-RE).
 */
#define REC_STR(rec, field) \
	((const char *)(rec) + ((rec)->__data_loc_##field & 0xffff))
#define PERF_TP(system, event, record, call)                                 \
	SEC("tp/" #system "/" #event)                                        \
	int perf_##event(struct trace_event_raw_##record *rec) { return call; }

#define SESSION_PERF(event, id)                                              \
	PERF_TP(liveupdate, event, liveupdate_session_class,                 \
		on_session(id, REC_STR(rec, session), rec->incoming, rec->ret))
#define FILE_PERF(event, id)                                                 \
	PERF_TP(liveupdate, event, liveupdate_file_class,                    \
		on_file(id, REC_STR(rec, session), REC_STR(rec, compatible), \
			rec->token, rec->ret))
#define PCI_LU_PERF(event, id)                                               \
	PERF_TP(pci, event, pci_liveupdate_dev_class,                        \
		on_pci_rec(id, REC_STR(rec, dev), rec->bus, rec->devfn, 0, 0,\
			   rec->ret))
/* The preserved state's flags, where the kernel's record has them (lu_flags_arg). */
static __always_inline int lu_flags(const struct trace_event_raw_vfio_pci_liveupdate_class *rec)
{
	if (!bpf_core_field_exists(rec->flags))
		return 0;
	return lu_flags_known(rec->flags);
}

#define VFIO_LU_PERF(event, id)                                              \
	PERF_TP(vfio_pci, event, vfio_pci_liveupdate_class,                  \
		on_pci_rec(id, REC_STR(rec, dev), rec->bus, rec->devfn,      \
			   rec->token, lu_flags(rec), rec->ret))

SESSION_PERF(liveupdate_session_create, LT_EV_LU_SESSION_CREATE)
SESSION_PERF(liveupdate_session_retrieve, LT_EV_LU_SESSION_RETRIEVE)
SESSION_PERF(liveupdate_session_finish, LT_EV_LU_SESSION_FINISH)
SESSION_PERF(liveupdate_session_release, LT_EV_LU_SESSION_RELEASE)
FILE_PERF(liveupdate_file_preserve, LT_EV_LU_FILE_PRESERVE)
FILE_PERF(liveupdate_file_unpreserve, LT_EV_LU_FILE_UNPRESERVE)
FILE_PERF(liveupdate_file_freeze, LT_EV_LU_FILE_FREEZE)
FILE_PERF(liveupdate_file_unfreeze, LT_EV_LU_FILE_UNFREEZE)
FILE_PERF(liveupdate_file_retrieve, LT_EV_LU_FILE_RETRIEVE)
FILE_PERF(liveupdate_file_finish, LT_EV_LU_FILE_FINISH)
PERF_TP(liveupdate, liveupdate_reboot, liveupdate_reboot,
	on_counts(LT_EV_LU_REBOOT, 0, rec->nr_sessions, rec->nr_files, rec->ret))
PERF_TP(liveupdate, liveupdate_incoming, liveupdate_incoming,
	on_counts(LT_EV_LU_INCOMING, rec->liveupdate_num, rec->nr_sessions, 0,
		  rec->ret))

PCI_LU_PERF(pci_liveupdate_preserve, LT_EV_PCI_LU_PRESERVE)
PCI_LU_PERF(pci_liveupdate_unpreserve, LT_EV_PCI_LU_UNPRESERVE)
PCI_LU_PERF(pci_liveupdate_incoming, LT_EV_PCI_LU_INCOMING)
PCI_LU_PERF(pci_liveupdate_finish, LT_EV_PCI_LU_FINISH)

SEC("tp/pci/pci_liveupdate_inherit_buses")
int perf_pci_liveupdate_inherit_buses(struct trace_event_raw_pci_liveupdate_inherit_buses *rec)
{
	struct lutrace_event *e = reserve(LT_EV_PCI_LU_INHERIT_BUSES);

	if (!e)
		return 0;
	set_pci_rec(e, REC_STR(rec, dev), rec->bus, rec->devfn);
	e->bus_primary = rec->primary;
	e->bus_secondary = rec->secondary;
	e->bus_subordinate = rec->subordinate;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

VFIO_LU_PERF(vfio_pci_liveupdate_preserve, LT_EV_VFIO_LU_PRESERVE)
VFIO_LU_PERF(vfio_pci_liveupdate_unpreserve, LT_EV_VFIO_LU_UNPRESERVE)
VFIO_LU_PERF(vfio_pci_liveupdate_freeze, LT_EV_VFIO_LU_FREEZE)
VFIO_LU_PERF(vfio_pci_liveupdate_unfreeze, LT_EV_VFIO_LU_UNFREEZE)
VFIO_LU_PERF(vfio_pci_liveupdate_retrieve, LT_EV_VFIO_LU_RETRIEVE)
VFIO_LU_PERF(vfio_pci_liveupdate_finish, LT_EV_VFIO_LU_FINISH)
PERF_TP(vfio_pci, vfio_pci_reset_skipped, vfio_pci_reset_skipped,
	on_pci_rec(LT_EV_VFIO_RESET_SKIPPED, REC_STR(rec, dev), rec->bus,
		   rec->devfn, 0, rec->reason, 0))
PERF_TP(vfio_pci, vfio_pci_open_blocked, vfio_pci_open_blocked,
	on_pci_rec(LT_EV_VFIO_OPEN_BLOCKED, REC_STR(rec, dev), rec->bus,
		   rec->devfn, 0, rec->path, 0))
PERF_TP(vfio_pci, vfio_pci_reset, vfio_pci_reset,
	on_pci_rec(LT_EV_VFIO_RESET, REC_STR(rec, dev), rec->bus, rec->devfn,
		   0, rec->site, rec->ret))

PERF_TP(pci, pci_reset, pci_dev_op_class,
	on_pci_rec(LT_EV_PCI_RESET, REC_STR(rec, dev), rec->bus, rec->devfn, 0,
		   rec->op, 0))
PERF_TP(pci, pci_bus_master, pci_dev_op_class,
	on_pci_rec(rec->op ? LT_EV_PCI_SET_MASTER : LT_EV_PCI_CLEAR_MASTER,
		   REC_STR(rec, dev), rec->bus, rec->devfn, 0, 0, 0))
PERF_TP(pci, pci_power_state, pci_power_class,
	on_pci_rec(LT_EV_PCI_POWER_STATE, REC_STR(rec, dev), rec->bus,
		   rec->devfn, 0, LT_POWER_ARG(rec->from, rec->to), 0))

PERF_TP(iommu, io_page_fault, iommu_error,
	on_iommu(LT_EV_IOMMU_FAULT, NULL, REC_STR(rec, device), rec->iova, 0, 0,
		 rec->flags))
PERF_TP(iommu, map, map,
	on_iommu(LT_EV_IOMMU_MAP, NULL, NULL, rec->iova, rec->paddr, rec->size, 0))
PERF_TP(iommu, unmap, unmap,
	on_iommu(LT_EV_IOMMU_UNMAP, NULL, NULL, rec->iova, 0, rec->size, 0))

/*
 * drivers/iommu/iommu.c: trace_map is in iommu_map_nosync(), which
 * iommu_map() and iommu_map_sg() call (and may have inlined: each is
 * probed); trace_unmap in the static __iommu_unmap() of both unmaps.
 */
IOMMU_DOMAIN_FUNC(iommu_map_nosync)
IOMMU_DOMAIN_FUNC(iommu_map)
IOMMU_DOMAIN_FUNC(iommu_map_sg)
IOMMU_DOMAIN_FUNC(iommu_unmap)
IOMMU_DOMAIN_FUNC(iommu_unmap_fast)
FUNC_PAIR(iommu_domain_free, forget_domain(domain), struct iommu_domain *domain)

/*
 * drivers/pci/access.c: writes of the Command register, whoever makes them
 * (pci_restore_state() and the save before a reset write it whole, bypassing
 * pci_set_master()); vfio-pci passes its user's writes to the user variants.
 */
#define PCI_COMMAND_OFFSET 0x04

static __always_inline int on_config_write(const struct pci_dev *dev, int where,
					   __u32 val, __u64 size, int user)
{
	struct lutrace_event *e;

	if (where != PCI_COMMAND_OFFSET)
		return 0;
	e = reserve(LT_EV_PCI_CONFIG_WRITE);
	if (!e)
		return 0;
	set_pci_dev(e, (struct pci_dev *)dev);
	e->iova = (__u64)where;
	e->size = size;
	e->arg = (int)val;
	e->ret = user;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

#define CONFIG_WRITE(func, type, size, user)                                 \
	FUNC_PAIR(func, on_config_write(dev, where, val, size, user),        \
		  const struct pci_dev *dev, int where, type val)

CONFIG_WRITE(pci_write_config_byte, __u8, 1, 0)
CONFIG_WRITE(pci_write_config_word, __u16, 2, 0)
CONFIG_WRITE(pci_write_config_dword, __u32, 4, 0)
CONFIG_WRITE(pci_user_write_config_byte, __u8, 1, 1)
CONFIG_WRITE(pci_user_write_config_word, __u16, 2, 1)
CONFIG_WRITE(pci_user_write_config_dword, __u32, 4, 1)

/* Kernel functions with no tracepoint before the series' pci events. */
PCI_FUNC(pcie_flr, LT_EV_PCI_RESET, LT_PCI_RESET_FLR)
PCI_FUNC(pci_pm_reset, LT_EV_PCI_RESET, LT_PCI_RESET_PM)
PCI_FUNC(pci_reset_bus, LT_EV_PCI_RESET, LT_PCI_RESET_BUS)
PCI_FUNC(__pci_reset_function_locked, LT_EV_PCI_RESET, LT_PCI_RESET_FUNCTION)
PCI_FUNC(pci_set_master, LT_EV_PCI_SET_MASTER, 0)
PCI_FUNC(pci_clear_master, LT_EV_PCI_CLEAR_MASTER, 0)

SEC("fentry/kernel_kexec")
int BPF_PROG(fentry_kernel_kexec)
{
	return on_counts(LT_EV_KEXEC, 0, 0, 0, 0);
}

SEC("kprobe/kernel_kexec")
int BPF_KPROBE(kprobe_kernel_kexec)
{
	return on_counts(LT_EV_KEXEC, 0, 0, 0, 0);
}
