/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_PCI_NAME_H
#define LUTRACE_PCI_NAME_H

#include <stdint.h>

/*
 * The PCI domain of a device named as pci_name() does ("0000:01:00.0"),
 * or 0 for any other name. BPF leaves the domain out because reading it is
 * architecture specific; the name always has it.
 */
uint32_t pci_name_domain(const char *name);

#endif
