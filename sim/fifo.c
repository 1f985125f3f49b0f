/* sim/fifo.c - opening named pipes (Linux: fs/pipe.c's fifo_open and
 * wait_for_partner; the rules are in sim/pipe.h).
 *
 * A FIFO is an S_IFIFO inode on a tmpfs (sim/tmpfs.h) whose `pipe` is the
 * pipe its open ends share, or NULL while none is open.  Each end is a
 * struct file of kind FILE_PIPE_R, FILE_PIPE_W or FILE_PIPE_RW holding the
 * pipe (one reader and/or writer count) and the inode's vfs_file (so fstat
 * and /proc/PID/fd see the inode, and the inode outlives an unlink while
 * open).
 *
 * Linux counts a blocking opener as a reader (writer) before it sleeps, so
 * a writer opening meanwhile finds a reader and does not block, and it
 * sleeps until the partner counter (w_counter for a reader) moves: an open
 * of the other end, even one closed at once, wakes it.  Here the sleeping
 * open keeps its file in task->fifo_opening with the counter value it saw
 * (task->fifo_seen); the system call runs again when woken (the restart
 * protocol, sim/syscall.c) and fifo_open_resume finishes it.  A signal
 * handler that interrupts it, or the task's exit, ends it with
 * fifo_open_abort: the count is dropped, as Linux's err_rd/err_wr.
 */
#include "sim/pipe.h"

#include <fcntl.h>
#include <stdlib.h>

#include "sim/sys_internal.h"
#include "sim/tmpfs.h"
#include "sim/wait.h"

/* Sleep T until *COUNTER moves, with F as its open in progress.  Returns
 * -ERESTARTNOINTR, or -ENOMEM (the open is undone). */
static long wait_for_partner(struct task *t, struct file *f, const uint64_t *counter)
{
	t->fifo_opening = f;
	t->fifo_seen = *counter;
	if (task_wait_on(t, counter)) {
		fifo_open_abort(t);
		return -ENOMEM;
	}
	task_sleep(t, BLOCK_IO, UINT64_MAX, "wait_for_partner");
	return -ERESTARTNOINTR;
}

/* The counter an open of F's kind waits on: the other end's. */
static const uint64_t *partner_counter(const struct file *f)
{
	return f->kind == FILE_PIPE_R ? &f->pipe->w_counter : &f->pipe->r_counter;
}

long fifo_open(struct task *t, struct vfs_file *vf, int flags, struct file **out)
{
	struct tmpfs_inode *i = vf->tmp;
	struct pipe_inode *p = i->pipe;
	int acc = flags & O_ACCMODE;
	enum file_kind kind = acc == O_RDONLY ? FILE_PIPE_R : acc == O_WRONLY ? FILE_PIPE_W : FILE_PIPE_RW;
	long rc = 0;

	if (acc == O_ACCMODE)
		rc = -EINVAL; /* neither FMODE_READ nor FMODE_WRITE */
	else if (acc == O_WRONLY && (flags & O_NONBLOCK) && (!p || p->readers <= 0))
		rc = -ENXIO;
	if (rc) {
		vfs_file_put(vf);
		return rc;
	}
	struct file *f = file_alloc(kind, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC), vf);
	if (!f) {
		vfs_file_put(vf);
		return -ENOMEM;
	}
	if (!p) {
		p = pipe_create();
		if (!p) {
			fput(f);
			return -ENFILE;
		}
		p->readers = p->writers = 0;
		p->r_counter = p->w_counter = 0;
		p->ino = i->ino;
		p->i_pipe = &i->pipe;
		i->pipe = p;
	}
	f->pipe = p;
	if (kind != FILE_PIPE_W) {
		p->r_counter++;
		p->readers++;
	}
	if (kind != FILE_PIPE_R) {
		p->w_counter++;
		p->writers++;
	}
	p->events++;
	if (kind == FILE_PIPE_R && p->writers <= 0) {
		if (!(flags & O_NONBLOCK))
			return wait_for_partner(t, f, &p->w_counter);
		f->f_version = p->w_counter;
	}
	if (kind == FILE_PIPE_W && p->readers <= 0)
		return wait_for_partner(t, f, &p->r_counter);
	*out = f;
	return 0;
}

long fifo_open_resume(struct task *t, struct file **out)
{
	struct file *f = t->fifo_opening;
	const uint64_t *counter = partner_counter(f);
	if (*counter == t->fifo_seen) {
		if (task_wait_on(t, counter)) {
			fifo_open_abort(t);
			return -ENOMEM;
		}
		task_sleep(t, BLOCK_IO, UINT64_MAX, "wait_for_partner");
		return -ERESTARTNOINTR;
	}
	t->fifo_opening = NULL;
	*out = f;
	return 0;
}

void fifo_open_abort(struct task *t)
{
	struct file *f = t->fifo_opening;
	if (!f)
		return;
	t->fifo_opening = NULL;
	fput(f);
}
