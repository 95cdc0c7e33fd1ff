// SPDX-License-Identifier: GPL-2.0
#include "record/log_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/log_format.h"
#include "output/atomic_file.h"
#include "record/luo_session.h"

#define LUO_OPEN_WAIT_MS 5000

/* Copies [from, to) of src into dst at the same offsets. */
static int copy_range(int src, int dst, uint64_t from, uint64_t to)
{
	uint8_t buf[64 * 1024];

	while (from < to) {
		size_t want = to - from < sizeof(buf) ? (size_t)(to - from) : sizeof(buf);
		ssize_t n = pread(src, buf, want, (off_t)from), w;

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		w = pwrite(dst, buf, (size_t)n, (off_t)from);
		if (w < 0)
			return -errno;
		/* A short write sets no errno: it is a failure all the same. */
		if (w != n)
			return -EIO;
		from += (uint64_t)n;
	}
	return 0;
}

/*
 * The log in fd, without the zeros after it. Only the part before the first
 * hole is read: a fresh memfd's pages are holes until written, and reading
 * them through a shared mapping would allocate every one of them.
 */
static uint64_t used_length(int fd)
{
	struct stat st;
	uint8_t *map;
	uint64_t used;
	off_t data;

	if (fstat(fd, &st) || st.st_size == 0)
		return 0;
	data = lseek(fd, 0, SEEK_HOLE);
	if (data < 0 || data > st.st_size)
		data = st.st_size;
	if (data == 0)
		return 0;
	map = mmap(NULL, (size_t)data, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return (uint64_t)data;
	used = lt_log_used_length(map, (size_t)data);
	munmap(map, (size_t)data);
	return used;
}

int log_save_used(int fd, const char *path, char *err, size_t errlen)
{
	struct atomic_file af;
	int out = atomic_file_open(&af, path, err, errlen), ret;

	if (out < 0)
		return -1;
	ret = copy_range(fd, out, 0, used_length(fd));
	if (ret) {
		snprintf(err, errlen, "saving the log to %s: %s", path, strerror(-ret));
		atomic_file_abort(&af);
		return -1;
	}
	return atomic_file_commit(&af, err, errlen);
}

static bool luo_present(void)
{
	return !access("/dev/liveupdate", F_OK);
}

const struct log_transport_ops log_transport_luo_ops = {
	.luo_present = luo_present,
	.retrieve_session = luo_retrieve_session,
	.retrieve_fd = luo_retrieve_fd,
	.finish_session = luo_finish_session,
	.create_session = luo_create_session,
	.preserve_fd = luo_preserve_fd,
	.save_used = log_save_used,
};

/*
 * Stage k+1: the log that came across in lutrace's session becomes the
 * file. When it cannot be saved (a full disk) the retrieved memfd, its
 * only copy, is kept as t->fd: start_memfd goes on in it.
 */
static int import_incoming(struct log_transport *t, char *err, size_t errlen)
{
	int session = t->ops->retrieve_session(LUO_OPEN_WAIT_MS, LUTRACE_LUO_SESSION);
	char why[256] = "";
	int memfd, ret;

	if (session == -ENOENT)
		return 0;
	if (session < 0) {
		snprintf(err, errlen, "retrieving LUO session '%s': %s",
			 LUTRACE_LUO_SESSION, strerror(-session));
		return -1;
	}
	memfd = t->ops->retrieve_fd(session, LUTRACE_LUO_TOKEN);
	if (memfd < 0) {
		snprintf(err, errlen, "retrieving the flight log from LUO session '%s': %s",
			 LUTRACE_LUO_SESSION, strerror(-memfd));
		close(session);
		return -1;
	}
	if (t->ops->save_used(memfd, t->path, why, sizeof(why))) {
		t->fd = memfd;
		snprintf(t->note, sizeof(t->note),
			 "%s: the log that crossed the kexec is kept in the memfd it came in, this stage goes on in it, and the file gets it whole at the next copy",
			 why);
	} else {
		close(memfd);
		t->imported = true;
	}
	ret = t->ops->finish_session(session);
	close(session);
	if (ret < 0 && t->imported) {
		snprintf(err, errlen, "finishing LUO session '%s': %s",
			 LUTRACE_LUO_SESSION, strerror(-ret));
		return -1;
	}
	/* The memfd is ours either way; failing now would close the only copy. */
	return 0;
}

/* The incoming memfd kept by import_incoming, grown to luo_bytes. */
static int continue_kept_memfd(struct log_transport *t, uint64_t luo_bytes)
{
	struct stat st;

	if (fstat(t->fd, &st))
		return -errno;
	if ((uint64_t)st.st_size < luo_bytes && ftruncate(t->fd, (off_t)luo_bytes))
		return -errno;
	t->capacity = (uint64_t)st.st_size > luo_bytes ? (uint64_t)st.st_size : luo_bytes;
	t->used = used_length(t->fd);
	t->synced = 0;	/* the file has an older copy at most */
	return 0;
}

/* A new memfd of luo_bytes holding the file's log so far. */
static int fill_new_memfd(struct log_transport *t, uint64_t luo_bytes, char *err,
			  size_t errlen)
{
	struct stat st;
	int ret;

	t->fd = memfd_create("lutrace-flight-log", MFD_CLOEXEC);
	if (t->fd < 0 || fstat(t->file_fd, &st)) {
		snprintf(err, errlen, "%s: %s", t->fd < 0 ? "memfd" : t->path,
			 strerror(errno));
		return -1;
	}
	if ((uint64_t)st.st_size + 4096 > luo_bytes) {
		snprintf(err, errlen, "%s holds %lld bytes, more than the LUO log size allows",
			 t->path, (long long)st.st_size);
		return -1;
	}
	ret = ftruncate(t->fd, (off_t)luo_bytes) ? -errno :
	      copy_range(t->file_fd, t->fd, 0, (uint64_t)st.st_size);
	if (ret) {
		snprintf(err, errlen, "copying %s into the LUO memfd: %s", t->path,
			 strerror(-ret));
		return -1;
	}
	t->synced = t->used = used_length(t->fd);
	t->capacity = luo_bytes;
	return 0;
}

/* The memfd the log is written to, preserved in lutrace's session. */
static int start_memfd(struct log_transport *t, uint64_t luo_bytes, char *err,
		       size_t errlen)
{
	int ret;

	t->file_fd = open(t->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (t->file_fd < 0) {
		snprintf(err, errlen, "%s: %s%s", t->path, strerror(errno),
			 t->fd >= 0 ? " (the log that crossed the kexec is lost when lutrace exits)" : "");
		return -1;
	}
	if (t->fd >= 0) {
		ret = continue_kept_memfd(t, luo_bytes);
		if (ret) {
			snprintf(err, errlen, "growing the LUO memfd that came across: %s",
				 strerror(-ret));
			return -1;
		}
	} else if (fill_new_memfd(t, luo_bytes, err, errlen)) {
		return -1;
	}
	t->session = t->ops->create_session(LUO_OPEN_WAIT_MS, LUTRACE_LUO_SESSION);
	ret = t->session < 0 ? t->session :
	      t->ops->preserve_fd(t->session, t->fd, LUTRACE_LUO_TOKEN);
	if (ret) {
		snprintf(err, errlen, "keeping the flight log in LUO session '%s': %s",
			 LUTRACE_LUO_SESSION, strerror(-ret));
		return -1;
	}
	return 0;
}

static void close_fds(struct log_transport *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->file_fd >= 0)
		close(t->file_fd);
	if (t->session >= 0)
		close(t->session);
	t->fd = t->file_fd = t->session = -1;
}

int log_transport_open(struct log_transport *t, const char *path,
		       enum log_transport_mode mode, uint64_t luo_bytes,
		       char *err, size_t errlen)
{
	return log_transport_open_with(t, path, mode, luo_bytes,
				       &log_transport_luo_ops, err, errlen);
}

int log_transport_open_with(struct log_transport *t, const char *path,
			    enum log_transport_mode mode, uint64_t luo_bytes,
			    const struct log_transport_ops *ops, char *err,
			    size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
	t->ops = ops;
	t->fd = t->file_fd = t->session = -1;
	if (mode == TRANSPORT_AUTO)
		mode = ops->luo_present() ? TRANSPORT_LUO : TRANSPORT_FILE;
	t->mode = mode;
	if (mode == TRANSPORT_FILE) {
		t->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (t->fd >= 0) {
			t->used = used_length(t->fd);
			return 0;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!ops->luo_present()) {
		snprintf(err, errlen, "/dev/liveupdate: %s: this kernel has no Live Update Orchestrator (CONFIG_LIVEUPDATE); use --transport file",
			 strerror(ENOENT));
		return -1;
	}
	if (import_incoming(t, err, errlen) || start_memfd(t, luo_bytes, err, errlen)) {
		close_fds(t);
		return -1;
	}
	return 0;
}

int log_transport_sync(struct log_transport *t, uint64_t upto)
{
	int ret;

	if (t->mode != TRANSPORT_LUO || upto <= t->synced)
		return 0;
	ret = copy_range(t->fd, t->file_fd, t->synced, upto);
	if (!ret)
		t->synced = upto;
	return ret;
}

int log_transport_close(struct log_transport *t, uint64_t upto)
{
	int ret = log_transport_sync(t, upto);

	close_fds(t);
	return ret;
}
