/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUTRACE_LOG_TRANSPORT_H
#define LUTRACE_LOG_TRANSPORT_H

/*
 * Where the flight log lives while lutrace records.
 *
 * file: the log file itself, appended to.
 * luo:  a memfd preserved in lutrace's own LUO session, so the log crosses
 *       the kexec with no disk, up to the last record before the jump. The
 *       memfd is sized up front (it cannot grow once preserved) and copied
 *       to the log file once a second and at exit, so the file is never
 *       more than a second behind. At start, a memfd that came across the
 *       kexec (the previous stage's log) replaces the file, its session is
 *       finished, and the new memfd starts from that file.
 * auto: luo when /dev/liveupdate exists, else file.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What the LUO mode does to the world outside the process: the ioctls of
 * luo_session.h, the /dev/liveupdate check and the save of the retrieved
 * log. log_transport_open uses log_transport_luo_ops; tests give their own.
 */
struct log_transport_ops {
	bool (*luo_present)(void);
	int (*retrieve_session)(unsigned int wait_ms, const char *name);
	int (*retrieve_fd)(int session, unsigned long long token);
	int (*finish_session)(int session);
	int (*create_session)(unsigned int wait_ms, const char *name);
	int (*preserve_fd)(int session, int fd, unsigned long long token);
	/* log_save_used */
	int (*save_used)(int fd, const char *path, char *err, size_t errlen);
};

extern const struct log_transport_ops log_transport_luo_ops;

enum log_transport_mode {
	TRANSPORT_AUTO,
	TRANSPORT_FILE,
	TRANSPORT_LUO,
};

struct log_transport {
	enum log_transport_mode mode;	/* FILE or LUO once open */
	const char *path;
	int fd;			/* what the log writer writes to */
	uint64_t capacity;	/* 0 for a file */
	uint64_t used;		/* bytes of log in fd when it was opened */
	int session;		/* LUO session keeping fd preserved, or -1 */
	int file_fd;		/* the mirror file in LUO mode, or -1 */
	uint64_t synced;	/* bytes of fd already in the file */
	bool imported;		/* a previous stage's memfd was taken over */
	/* Said on stderr by the caller when not empty: how it degraded. */
	char note[512];
	const struct log_transport_ops *ops;
};

int log_transport_open(struct log_transport *t, const char *path,
		       enum log_transport_mode mode, uint64_t luo_bytes,
		       char *err, size_t errlen);
/* The same, through ops instead of the real LUO. */
int log_transport_open_with(struct log_transport *t, const char *path,
			    enum log_transport_mode mode, uint64_t luo_bytes,
			    const struct log_transport_ops *ops, char *err,
			    size_t errlen);
/* Copies fd[synced, upto) to the file (LUO mode; no-op for a file). */
int log_transport_sync(struct log_transport *t, uint64_t upto);
/* Final sync, then closes all; the LUO session is released. */
int log_transport_close(struct log_transport *t, uint64_t upto);

/* The used part of a log held in fd, written to path by temp and rename. */
int log_save_used(int fd, const char *path, char *err, size_t errlen);

#endif
