// SPDX-License-Identifier: GPL-2.0
#include "output/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int atomic_file_open(struct atomic_file *af, const char *path, char *err,
		     size_t errlen)
{
	snprintf(af->path, sizeof(af->path), "%s", path);
	snprintf(af->tmp, sizeof(af->tmp), "%s.tmp", path);
	af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (af->fd < 0) {
		snprintf(err, errlen, "%s: %s", af->tmp, strerror(errno));
		return -1;
	}
	return af->fd;
}

int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen)
{
	int ret = fsync(af->fd) ? -errno : 0;

	if (close(af->fd) && !ret)
		ret = -errno;
	af->fd = -1;
	if (!ret && rename(af->tmp, af->path))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "writing %s: %s", af->path, strerror(-ret));
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	af->fd = -1;
	unlink(af->tmp);
}

/* 0, or -errno (-EIO for a write that wrote nothing and said nothing). */
static int write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int atomic_file_write(const char *path, const char *text, size_t len,
		      char *err, size_t errlen)
{
	struct atomic_file af;
	int ret;

	if (atomic_file_open(&af, path, err, errlen) < 0)
		return -1;
	ret = write_all(af.fd, text, len);
	if (ret) {
		snprintf(err, errlen, "%s: %s", af.tmp, strerror(-ret));
		atomic_file_abort(&af);
		return -1;
	}
	return atomic_file_commit(&af, err, errlen);
}
