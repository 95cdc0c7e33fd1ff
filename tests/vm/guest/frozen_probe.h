/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Try every path to a device between its Live Update freeze and the kexec,
 * as a second VMM thread could, and write down what each one gave.
 */
#ifndef LUTRACE_GUEST_FROZEN_PROBE_H
#define LUTRACE_GUEST_FROZEN_PROBE_H

#include "edu.h"

/* What edu's liveness register (BAR0 + 4) reads after the probe armed it. */
#define FROZEN_PROBE_LIVENESS	0xffffffffu

/*
 * Fork a process that arms an ioeventfd and a BAR0 mapping on @bound (an
 * open, bound edu), waits for the reboot freeze to complete (through a
 * tracefs instance of its own), then tries every user path to @bound,
 * several times over, and writes one "op=NAME want=ERRNO got=ERRNO[,ERRNO...]" line each
 * to @out, synced before the kexec ends it. Returns 0 once the process
 * runs and has armed everything, 1 after printing what failed.
 */
int frozen_probe_start(struct edu *bound, const char *out);

#endif
