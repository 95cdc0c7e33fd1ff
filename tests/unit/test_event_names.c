// SPDX-License-Identifier: GPL-2.0
/*
 * The tracer's names for the kernel's __print_symbolic values must be the
 * ones kernel/interface.md gives, value for value: a site or reason the
 * kernel adds and the tracer does not know would print as "unknown" and be
 * matched by no verify rule.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/event_names.h"

#define MAX_VALUES 16

struct abi_list {
	const char *names[MAX_VALUES];
	int n;
};

static char *read_interface(void)
{
	const char *path = getenv("LUTRACE_INTERFACE") ? getenv("LUTRACE_INTERFACE") :
							   "kernel/interface.md";
	FILE *f = fopen(path, "r");
	static char buf[1 << 17];
	size_t n;

	cr_assert_not_null(f, "cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/*
 * interface.md lists an enumeration as "- LABEL: 0 `name` (...), 1 `name`
 * ...", up to the next line that starts a new item: parse "N `name`" pairs.
 */
static struct abi_list abi_values(const char *doc, const char *label)
{
	struct abi_list l = { 0 };
	const char *p = strstr(doc, label), *end;

	cr_assert_not_null(p, "interface.md has no \"%s\" list", label);
	end = strstr(p + 1, "\n- ");
	end = end ? end : p + strlen(p);
	for (p += strlen(label); p < end; p++) {
		int v, len;
		char name[64];

		if (sscanf(p, "%d `%63[a-z0-9_]`%n", &v, name, &len) == 2 && v >= 0 &&
		    v < MAX_VALUES && (p == doc || p[-1] == ' ' || p[-1] == '\n')) {
			cr_assert_null(l.names[v], "%s: value %d listed twice", label, v);
			l.names[v] = strdup(name);
			l.n = v + 1 > l.n ? v + 1 : l.n;
			p += len - 1;
		}
	}
	cr_assert_gt(l.n, 0, "no values under \"%s\"", label);
	return l;
}

static void check_table(const char *label, const char *(*name_of)(int))
{
	struct abi_list l = abi_values(read_interface(), label);

	for (int v = 0; v < l.n; v++) {
		cr_assert_not_null(l.names[v], "%s: value %d missing from interface.md", label, v);
		cr_expect_str_eq(name_of(v), l.names[v], "%s %d", label, v);
		free((void *)l.names[v]);
	}
	cr_expect_str_eq(name_of(l.n), "unknown", "%s: the tracer knows a value %d the kernel has not",
			 label, l.n);
}

Test(event_names, reset_sites_match_the_kernel_abi)
{
	check_table("- reset `site`:", reset_site_name);
}

Test(event_names, reset_skip_reasons_match_the_kernel_abi)
{
	check_table("- reset skip `reason`:", skip_reason_name);
}

Test(event_names, open_paths_match_the_kernel_abi)
{
	check_table("- open `path`:", open_path_name);
}

Test(event_names, pci_reset_kinds_match_the_kernel_abi)
{
	check_table("- `pci_reset` `op` (`enum pci_reset_trace_kind`, printed as `kind`):",
		    pci_reset_kind_name);
}
