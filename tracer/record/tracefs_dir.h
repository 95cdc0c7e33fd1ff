/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_TRACEFS_DIR_H
#define LUTRACE_TRACEFS_DIR_H

/*
 * The mounted tracefs directory (/sys/kernel/tracing, or the debugfs one),
 * mounting tracefs on /sys/kernel/tracing if nothing has: an initramfs may
 * not have. NULL if there is none.
 */
const char *tracefs_dir(void);

#endif
