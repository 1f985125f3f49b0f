/* sim/pipe.h - anonymous pipes between guest processes (Linux: fs/pipe.c).
 *
 * A pipe is a 64 KiB ring (Linux's default pipe capacity).  A read of an
 * empty pipe with writers, or a write to a full pipe with readers, blocks
 * the task (BLOCK_PIPE) and returns -ERESTARTNOINTR so the call runs again
 * once the pipe has changed (its version moved).  Writing with no reader
 * raises SIGPIPE and fails with EPIPE.  Partial writes are returned as
 * such (callers loop, as they must on Linux for writes above PIPE_BUF).
 */
#ifndef MMSIM_SIM_PIPE_H
#define MMSIM_SIM_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PIPE_CAPACITY 65536

struct sim;
struct task;

struct pipe_inode {
	uint8_t *buf;
	size_t head, len;       /* read position and bytes buffered */
	int readers, writers;
	uint64_t ver;           /* bumped by every read, write and close */
	uint64_t ino;           /* pipefs inode number (fstat, pipe:[INO]) */
};

/* A new pipe with one reader and one writer, or NULL. */
struct pipe_inode *pipe_create(void);
/* Open one more reader (WRITER false) or writer of P: a new open file
 * description on the same pipe, as opening /proc/PID/fd/N does. */
void pipe_open(struct pipe_inode *p, bool writer);
/* Drop one reader (WRITER false) or writer; the last frees the pipe. */
void pipe_release(struct pipe_inode *p, bool writer);
/* Bytes read into user UBUF, 0 at EOF, -EFAULT or -ERESTARTNOINTR. */
long pipe_read(struct sim *s, struct task *t, struct pipe_inode *p, uint64_t ubuf, uint64_t len);
/* Bytes written, -EPIPE (SIGPIPE sent), -EFAULT or -ERESTARTNOINTR. */
long pipe_write(struct sim *s, struct task *t, struct pipe_inode *p, uint64_t ubuf, uint64_t len);
/* poll revents for the read (WRITER false) or write end. */
int pipe_poll(const struct pipe_inode *p, bool writer);

#endif
