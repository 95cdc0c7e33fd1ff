// SPDX-License-Identifier: GPL-2.0
#include "record/pci_name.h"

#include <stdio.h>

uint32_t pci_name_domain(const char *name)
{
	unsigned int domain, bus, slot, fn;
	char tail;

	if (sscanf(name, "%x:%x:%x.%x%c", &domain, &bus, &slot, &fn, &tail) != 4)
		return 0;
	return domain;
}
