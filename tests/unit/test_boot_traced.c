// SPDX-License-Identifier: GPL-2.0
/* Which evidence a stage has from boot: trace_event= as the kernel reads it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "log/log_format.h"
#include "record/boot_traced.h"
#include "record/tracefs_import.h"

Test(boot_traced, trace_event_items_as_the_kernel_reads_them)
{
	static const struct {
		const char *cmdline, *system, *event;
		bool enabled;
	} cases[] = {
		{ "console=ttyS0 trace_event=pci:pci_reset", "pci", "pci_reset", true },
		{ "trace_event=pci:pci_reset", "pci", "pci_bus_master", false },
		{ "trace_event=pci:*", "pci", "pci_bus_master", true },
		{ "trace_event=pci:", "pci", "pci_reset", true },
		{ "trace_event=*:pci_reset", "pci", "pci_reset", true },
		{ "trace_event=:pci_reset", "pci", "pci_reset", true },
		/* a bare name is a system or an event */
		{ "trace_event=pci", "pci", "pci_reset", true },
		{ "trace_event=pci_reset", "pci", "pci_reset", true },
		{ "trace_event=pci_re", "pci", "pci_reset", false },
		/* names compared whole: no patterns within one */
		{ "trace_event=pci:pci_*", "pci", "pci_reset", false },
		{ "trace_event=!pci:pci_reset", "pci", "pci_reset", false },
		{ "trace_event=vfio_pci:*,pci:pci_reset trace_clock=boot", "pci", "pci_reset", true },
		/* every trace_event= counts, not only the last */
		{ "trace_event=pci:pci_reset quiet trace_event=vfio_pci:*", "pci", "pci_reset", true },
		{ "trace_event=pci:pci_reset:mod:foo", "pci", "pci_reset", true },
		{ "xtrace_event=pci:pci_reset", "pci", "pci_reset", false },
		{ "trace_event=", "pci", "pci_reset", false },
		{ "", "pci", "pci_reset", false },
		{ "trace_event=iommu:map pci:pci_reset", "pci", "pci_reset", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(cmdline_enables_event(cases[i].cmdline, cases[i].system,
						   cases[i].event),
			     cases[i].enabled, "case %zu: \"%s\" %s:%s", i, cases[i].cmdline,
			     cases[i].system, cases[i].event);
}

static void write_enable(const char *dir, const char *event, const char *value)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p %s/events/%s", dir, event);
	cr_assert_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/events/%s/enable", dir, event);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(value, f);
	fclose(f);
}

/* Named at boot and still enabled: nothing before the attach is missing. */
Test(boot_traced, a_kind_counts_when_named_at_boot_and_still_enabled)
{
	char dir[] = "/tmp/lutrace-boot-traced-XXXXXX", cmd[600];

	cr_assert_not_null(mkdtemp(dir));
	write_enable(dir, "vfio_pci/vfio_pci_reset", "1\n");
	write_enable(dir, "pci/pci_reset", "1\n");
	write_enable(dir, "pci/pci_bus_master", "0\n");	/* disabled since */
	write_enable(dir, "iommu/io_page_fault", "1\n");	/* enabled by hand */
	cr_assert_eq(boot_traced_kinds("trace_event=vfio_pci:*,pci:pci_reset,pci:pci_bus_master", dir),
		     LT_BOOT_VFIO_RESETS | LT_BOOT_PCI_RESETS);
	cr_assert_eq(boot_traced_kinds("", dir), 0);
	write_enable(dir, "pci/pci_bus_master", "1\n");
	cr_assert_eq(boot_traced_kinds(LUTRACE_BOOT_CMDLINE, dir),
		     LT_BOOT_ALL & ~LT_BOOT_POWER_STATE, "pci_power_state has no enable file");
	write_enable(dir, "pci/pci_power_state", "1\n");
	cr_assert_eq(boot_traced_kinds(LUTRACE_BOOT_CMDLINE, dir), LT_BOOT_ALL,
		     "the command line lutrace asks for has every kind");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
