// SPDX-License-Identifier: GPL-2.0
#include "record/tracefs_dir.h"

#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

const char *tracefs_dir(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing",
					    "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < 2; i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s/trace", dirs[i]);
		if (!access(path, R_OK))
			return dirs[i];
	}
	/* An initramfs may not have mounted it yet. */
	if (!access(dirs[0], F_OK) &&
	    !mount("tracefs", dirs[0], "tracefs", 0, NULL))
		return dirs[0];
	return NULL;
}
