/* sim/pipe.c - anonymous pipes (see sim/pipe.h). */
#include "sim/pipe.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sys_internal.h"
#include "sim/wait.h"

#define PIPE_DEF_SLOTS 16u

/* Slots and pages for NR slots, into *BUFS and *PAGES.  Returns 0 or -ENOMEM. */
static int pipe_alloc_ring(uint32_t nr, struct pipe_buffer **bufs, uint8_t **pages)
{
	*bufs = calloc(nr, sizeof(**bufs));
	*pages = malloc((size_t)nr * PIPE_PAGE);
	if (!*bufs || !*pages) {
		free(*bufs);
		free(*pages);
		return -ENOMEM;
	}
	return 0;
}

struct pipe_inode *pipe_create(void)
{
	struct pipe_inode *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (pipe_alloc_ring(PIPE_DEF_SLOTS, &p->bufs, &p->pages)) {
		free(p);
		return NULL;
	}
	p->nr_slots = PIPE_DEF_SLOTS;
	p->readers = p->writers = 1;
	p->r_counter = p->w_counter = 1; /* get_pipe_inode's */
	return p;
}

void pipe_get(struct pipe_inode *p, bool writer)
{
	if (writer)
		p->writers++;
	else
		p->readers++;
	p->events++;
}

void pipe_release(struct pipe_inode *p, bool writer)
{
	if (writer)
		p->writers--;
	else
		p->readers--;
	p->events++;
	if (p->readers <= 0 && p->writers <= 0) {
		if (p->i_pipe)
			*p->i_pipe = NULL; /* a FIFO's inode: the next open makes a new pipe */
		free(p->bufs);
		free(p->pages);
		free(p);
	}
}

/* Sleep until P changes (BLOCK_IO in WCHAN).  Returns -ERESTARTNOINTR, or
 * -ENOMEM if the wait set cannot grow. */
long pipe_wait(struct task *t, struct pipe_inode *p, const char *wchan)
{
	if (task_wait_on(t, &p->events))
		return -ENOMEM;
	task_sleep(t, BLOCK_IO, UINT64_MAX, wchan);
	return -ERESTARTNOINTR;
}

static bool signal_pending(const struct task *t)
{
	return (t->sigpending & ~t->sigmask) != 0;
}

/* Linux's pipe_read: empty slots from the tail into X, up to LEN bytes. */
static long do_pipe_read(struct task *t, struct file *f, const struct iobuf *x, uint64_t len)
{
	struct pipe_inode *p = f->pipe;
	if (len == 0)
		return 0;
	if (p->head == p->tail) {
		if (p->writers <= 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		return pipe_wait(t, p, "pipe_read");
	}
	uint64_t done = 0;
	while (done < len && p->tail != p->head) {
		struct pipe_buffer *b = pipe_slot(p, p->tail);
		size_t n = b->len < len - done ? b->len : (size_t)(len - done);
		if (iob_copy_to(x, done, pipe_page(p, p->tail) + b->offset, n)) {
			if (!done)
				return -EFAULT;
			break;
		}
		b->offset += (uint32_t)n;
		b->len -= (uint32_t)n;
		p->len -= n;
		done += n;
		if (b->len == 0)
			p->tail++;
	}
	p->events++;
	return (long)done;
}

/* Linux's pipe_write: merge COUNT % 4096 bytes into the last slot if they
 * fit there, then fill new slots; sleep (blocking) or stop (O_NONBLOCK)
 * when the ring is full.  DONE bytes were written by earlier executions
 * of this call. */
static long do_pipe_write(struct sim *s, struct task *t, struct file *f, const struct iobuf *x, uint64_t len,
			  uint64_t done)
{
	struct pipe_inode *p = f->pipe;
	if (p->readers <= 0) {
		send_signal(s, t, SIGPIPE);
		return done ? (long)done : -EPIPE;
	}
	size_t chars = len & (PIPE_PAGE - 1);
	if (done == 0 && chars && p->head != p->tail) {
		struct pipe_buffer *b = pipe_slot(p, p->head - 1);
		size_t off = b->offset + b->len;
		if (b->can_merge && off + chars <= PIPE_PAGE) {
			if (iob_copy_from(x, 0, pipe_page(p, p->head - 1) + off, chars))
				return -EFAULT;
			b->len += (uint32_t)chars;
			p->len += chars;
			p->events++;
			done = chars;
		}
	}
	for (;;) {
		if (done == len)
			return (long)len;
		if (p->readers <= 0) {
			send_signal(s, t, SIGPIPE);
			return done ? (long)done : -EPIPE;
		}
		if (!pipe_full(p)) {
			size_t n = len - done < PIPE_PAGE ? (size_t)(len - done) : PIPE_PAGE;
			if (iob_copy_from(x, done, pipe_page(p, p->head), n))
				return done ? (long)done : -EFAULT;
			*pipe_slot(p, p->head) = (struct pipe_buffer){ .offset = 0, .len = (uint32_t)n, .can_merge = true };
			p->head++;
			p->len += n;
			p->events++;
			done += n;
			continue;
		}
		if (f->flags & O_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		if (done && signal_pending(t))
			return (long)done;
		t->io_done = done;
		return pipe_wait(t, p, "pipe_write");
	}
}

long pipe_read(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len)
{
	(void)s;
	return do_pipe_read(t, f, io, len);
}

long pipe_write(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len)
{
	uint64_t done = t->restarting && t->io_done <= len ? t->io_done : 0;
	t->io_done = 0;
	return do_pipe_write(s, t, f, io, len, done);
}

void pipe_release_file(struct file *f)
{
	if (f->kind == FILE_PIPE_RW)
		pipe_release(f->pipe, false); /* the writer count keeps the pipe */
	pipe_release(f->pipe, f->kind != FILE_PIPE_R);
}

int pipe_poll(const struct file *f)
{
	const struct pipe_inode *p = f->pipe;
	int mask = 0;
	if (f->kind != FILE_PIPE_R) {
		if (!pipe_full(p))
			mask |= POLLOUT_ | POLLWRNORM_;
		if (p->readers <= 0)
			mask |= POLLERR_;
	}
	if (f->kind != FILE_PIPE_W) {
		if (p->head != p->tail)
			mask |= POLLIN_ | POLLRDNORM_;
		/* a FIFO reader opened O_NONBLOCK sees no hang-up before a writer came */
		if (p->writers <= 0 && f->f_version != p->w_counter)
			mask |= POLLHUP_;
	}
	return mask;
}

size_t pipe_size(const struct pipe_inode *p)
{
	return (size_t)p->nr_slots * PIPE_PAGE;
}

long pipe_set_size(struct pipe_inode *p, uint64_t arg)
{
	if (arg > PIPE_MAX_SIZE_ROOT)
		return -EINVAL;
	uint32_t nr = 1;
	while ((uint64_t)nr * PIPE_PAGE < arg)
		nr <<= 1;
	if (nr < pipe_occupancy(p))
		return -EBUSY;
	if (nr != p->nr_slots) {
		struct pipe_buffer *bufs;
		uint8_t *pages;
		if (pipe_alloc_ring(nr, &bufs, &pages))
			return -ENOMEM;
		/* Linux's pipe_resize_ring: the slots in use move to 0.. */
		uint32_t n = pipe_occupancy(p);
		for (uint32_t i = 0; i < n; i++) {
			bufs[i] = *pipe_slot(p, p->tail + i);
			memcpy(pages + (size_t)i * PIPE_PAGE, pipe_page(p, p->tail + i), PIPE_PAGE);
		}
		free(p->bufs);
		free(p->pages);
		p->bufs = bufs;
		p->pages = pages;
		p->tail = 0;
		p->head = n;
		p->nr_slots = nr;
		p->events++;
	}
	return (long)pipe_size(p);
}

static long do_pipe2(struct sim *s, struct task *t, uint64_t ufds, long flags)
{
	if (flags & ~(long)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	struct pipe_inode *p = pipe_create();
	if (!p)
		return -ENFILE;
	int fl = (int)(flags & (O_NONBLOCK | O_DIRECT));
	struct file *r = file_alloc(FILE_PIPE_R, O_RDONLY | fl, NULL);
	struct file *w = file_alloc(FILE_PIPE_W, O_WRONLY | fl, NULL);
	int fds[2] = { -1, -1 };
	if (!r || !w) {
		free(r);
		free(w);
		pipe_release(p, false);
		pipe_release(p, true);
		return -ENFILE;
	}
	p->ino = s->procs->next_pipe_ino++;
	r->pipe = w->pipe = p;
	fds[0] = fd_install(t, r, 0);
	if (fds[0] < 0) {
		fput(r);
		fput(w);
		return -EMFILE;
	}
	fds[1] = fd_install(t, w, 0);
	if (fds[1] < 0) {
		t->files->fd[fds[0]] = NULL;
		fput(r);
		fput(w);
		return -EMFILE;
	}
	if (copy_to_user(t->eng, ufds, fds, sizeof(fds))) {
		t->files->fd[fds[0]] = t->files->fd[fds[1]] = NULL;
		fput(r);
		fput(w);
		return -EFAULT;
	}
	if (flags & O_CLOEXEC)
		t->files->cloexec[fds[0]] = t->files->cloexec[fds[1]] = 1;
	return 0;
}

SYSCALL_DEFINE(pipe)
{
	return do_pipe2(s, t, a[0], 0);
}

SYSCALL_DEFINE(pipe2)
{
	return do_pipe2(s, t, a[0], (long)a[1]);
}
