/* sim/pipe.h - anonymous pipes between guest processes (Linux: fs/pipe.c).
 *
 * A pipe is Linux's ring of page-sized buffers (slots): 16 by default
 * (64 KiB), a power of two set with fcntl(F_SETPIPE_SZ).  Each slot holds
 * OFFSET..OFFSET+LEN of its page.  A write first merges the part of its
 * count below a page multiple (count % 4096) into the last slot if it fits
 * there, then fills whole new slots; a read empties slots from the tail.
 * So the byte counts of partial and refused writes are Linux's, including
 * PIPE_BUF atomicity (a write of at most 4096 bytes needs room in the last
 * slot or a free slot) and "full" meaning no free slot.  The rules per
 * call:
 *   - read returns what is buffered (up to the count), 0 at end of file
 *     (empty, no writer left), -EAGAIN if empty and O_NONBLOCK; otherwise
 *     it sleeps until a writer writes or the last writer closes;
 *   - write with no reader raises SIGPIPE and fails with EPIPE; a write of
 *     at most PIPE_BUF (4096) bytes is atomic (all or nothing); a blocking
 *     write returns only when every byte is in the pipe (or a signal
 *     interrupts it after some bytes: that count); a non-blocking one
 *     writes what fits and returns -EAGAIN if nothing does.
 * A call that must sleep puts the task in BLOCK_IO on the pipe's event
 * counter (sim/wait.h) and returns -ERESTARTNOINTR, so the call runs again
 * when the pipe has changed; a blocking write keeps the bytes it already
 * wrote in task->io_done across those re-executions.
 *
 * Named pipes (FIFOs, Linux's fifo_open) are the same pipe reached through
 * an S_IFIFO inode on a tmpfs (mknod, sim/sys_namei.c): the first open
 * gives the inode a pipe with no reader and no writer, the last close of an
 * end frees it (and whatever it still held).  The open rules:
 *   - O_RDONLY counts itself a reader, then sleeps until a writer opens
 *     (the pipe's w_counter moves) unless there is one; with O_NONBLOCK it
 *     returns at once (read then gives 0 until a writer writes);
 *   - O_WRONLY with O_NONBLOCK and no reader fails with ENXIO; otherwise it
 *     counts itself a writer and sleeps until a reader opens (r_counter);
 *   - O_RDWR is both at once and never sleeps.
 * A sleeping open is task->fifo_opening (its file, counted but not yet a
 * descriptor) and runs again when woken; a signal handler or the task's
 * exit undoes it (fifo_open_abort), as Linux's err_rd/err_wr do.  Both
 * ends asleep forever is a deadlock, as for any other sleep (sim/sched.c).
 */
#ifndef MMSIM_SIM_PIPE_H
#define MMSIM_SIM_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PIPE_MAX_SIZE_ROOT (1UL << 31) /* round_pipe_size's limit */

#define PIPE_PAGE 4096u

struct sim;
struct task;
struct file;
struct iobuf;
struct vfs_file;

struct pipe_buffer {
	uint32_t offset, len;   /* bytes OFFSET..OFFSET+LEN of the slot's page */
	bool can_merge;         /* a write may append to it (PIPE_BUF_FLAG_CAN_MERGE:
				   written by write(2), not spliced in) */
};

struct pipe_inode {
	uint8_t *pages;         /* nr_slots pages, slot i at pages + i * 4096 */
	struct pipe_buffer *bufs;
	uint32_t head, tail;    /* slots in use: tail..head-1 (mod 2^32) */
	uint32_t nr_slots;      /* a power of two; F_GETPIPE_SZ = nr_slots * 4096 */
	size_t len;             /* bytes buffered (FIONREAD) */
	int readers, writers;
	uint64_t events;        /* moves on every read, write, close and resize:
				   what sleepers wait on (sim/wait.h) */
	uint64_t ino;           /* pipefs inode number (fstat, pipe:[INO]) */
	uint64_t r_counter, w_counter; /* opens of a read / write end so far
				   (a FIFO open sleeps until one moves) */
	struct pipe_inode **i_pipe; /* a FIFO's: its inode's pointer to it,
				   cleared when the pipe is freed */
};

/* A new pipe with one reader and one writer, or NULL. */
struct pipe_inode *pipe_create(void);
/* One more reader (WRITER false) or writer: an open of /proc/PID/fd/N. */
void pipe_get(struct pipe_inode *p, bool writer);
/* Drop one reader (WRITER false) or writer; the last frees the pipe. */
void pipe_release(struct pipe_inode *p, bool writer);
/* read(2) of pipe file F into IO: bytes, 0 at EOF, -EAGAIN, -EFAULT or
 * -ERESTARTNOINTR (T sleeps). */
long pipe_read(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len);
/* write(2) to pipe file F from IO: bytes, -EPIPE (SIGPIPE sent), -EAGAIN,
 * -EFAULT or -ERESTARTNOINTR (T sleeps). */
long pipe_write(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len);
/* Sleep until P changes (BLOCK_IO, shown as WCHAN).  Returns
 * -ERESTARTNOINTR, or -ENOMEM. */
long pipe_wait(struct task *t, struct pipe_inode *p, const char *wchan);
/* Linux's poll mask (POLLIN|POLLRDNORM, POLLOUT|POLLWRNORM, POLLHUP,
 * POLLERR) of pipe file F: its read end, its write end or both. */
int pipe_poll(const struct file *f);
/* Drop F's reader and/or writer count (fput of a pipe end). */
void pipe_release_file(struct file *f);

/* fifo.c: open(2) of the FIFO VF (an S_IFIFO tmpfs file; its reference is
 * taken over, and dropped on failure) with FLAGS by T.  Returns 0 and *OUT,
 * -ENXIO (O_WRONLY|O_NONBLOCK, no reader), -EINVAL (access mode 3),
 * -ENOMEM, or -ERESTARTNOINTR: T sleeps in task->fifo_opening. */
long fifo_open(struct task *t, struct vfs_file *vf, int flags, struct file **out);
/* The re-execution of T's sleeping FIFO open: 0 and *OUT once the other
 * end has opened, else -ERESTARTNOINTR (T sleeps again) or -ENOMEM. */
long fifo_open_resume(struct task *t, struct file **out);
/* Undo T's sleeping FIFO open, if any (a handler interrupts it, T exits). */
void fifo_open_abort(struct task *t);
/* The capacity in bytes (F_GETPIPE_SZ). */
size_t pipe_size(const struct pipe_inode *p);
/* fcntl F_SETPIPE_SZ: resize P to hold at least ARG bytes (rounded up to
 * a power-of-two number of pages).  Returns the new size, or -EINVAL (too
 * large), -EBUSY (the buffered bytes do not fit), -ENOMEM. */
long pipe_set_size(struct pipe_inode *p, uint64_t arg);

/* Slots in use. */
static inline uint32_t pipe_occupancy(const struct pipe_inode *p)
{
	return p->head - p->tail;
}

/* No free slot (Linux's pipe_full). */
static inline bool pipe_full(const struct pipe_inode *p)
{
	return pipe_occupancy(p) >= p->nr_slots;
}

/* Slot number I (mod the ring size) and its page. */
static inline struct pipe_buffer *pipe_slot(const struct pipe_inode *p, uint32_t i)
{
	return &p->bufs[i & (p->nr_slots - 1)];
}

static inline uint8_t *pipe_page(const struct pipe_inode *p, uint32_t i)
{
	return p->pages + (size_t)(i & (p->nr_slots - 1)) * PIPE_PAGE;
}

#endif
