/* sim/pipe.c - anonymous pipes (see sim/pipe.h). */
#include "sim/pipe.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>

#include "sim/sys_internal.h"

struct pipe_inode *pipe_create(void)
{
	struct pipe_inode *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->buf = malloc(PIPE_CAPACITY);
	if (!p->buf) {
		free(p);
		return NULL;
	}
	p->readers = p->writers = 1;
	return p;
}

void pipe_open(struct pipe_inode *p, bool writer)
{
	if (writer)
		p->writers++;
	else
		p->readers++;
	p->ver++;
}

void pipe_release(struct pipe_inode *p, bool writer)
{
	if (writer)
		p->writers--;
	else
		p->readers--;
	p->ver++;
	if (p->readers <= 0 && p->writers <= 0) {
		free(p->buf);
		free(p);
	}
}

static long pipe_block(struct task *t, struct pipe_inode *p)
{
	t->state = TASK_INTERRUPTIBLE;
	t->block = BLOCK_PIPE;
	t->wait_obj = p;
	t->wait_ver = p->ver;
	return -ERESTARTNOINTR;
}

long pipe_read(struct sim *s, struct task *t, struct pipe_inode *p, uint64_t ubuf, uint64_t len)
{
	(void)s;
	if (len == 0)
		return 0;
	if (p->len == 0)
		return p->writers > 0 ? pipe_block(t, p) : 0;
	uint64_t n = p->len < len ? p->len : len, done = 0;
	while (done < n) {
		size_t chunk = PIPE_CAPACITY - p->head;
		if (chunk > n - done)
			chunk = (size_t)(n - done);
		if (copy_to_user(t->eng, ubuf + done, p->buf + p->head, chunk))
			return done ? (long)done : -EFAULT;
		p->head = (p->head + chunk) % PIPE_CAPACITY;
		p->len -= chunk;
		done += chunk;
	}
	p->ver++;
	return (long)done;
}

long pipe_write(struct sim *s, struct task *t, struct pipe_inode *p, uint64_t ubuf, uint64_t len)
{
	if (p->readers <= 0) {
		send_signal(s, t, SIGPIPE);
		return -EPIPE;
	}
	if (len == 0)
		return 0;
	if (p->len == PIPE_CAPACITY)
		return pipe_block(t, p);
	uint64_t space = PIPE_CAPACITY - p->len, n = space < len ? space : len, done = 0;
	while (done < n) {
		size_t tail = (p->head + p->len) % PIPE_CAPACITY;
		size_t chunk = PIPE_CAPACITY - tail;
		if (chunk > n - done)
			chunk = (size_t)(n - done);
		if (copy_from_user(t->eng, p->buf + tail, ubuf + done, chunk))
			return done ? (long)done : -EFAULT;
		p->len += chunk;
		done += chunk;
	}
	p->ver++;
	return (long)done;
}

int pipe_poll(const struct pipe_inode *p, bool writer)
{
	if (writer)
		return p->readers <= 0 ? 0x8 /* POLLERR */ : (p->len < PIPE_CAPACITY ? 0x4 : 0);
	if (p->len > 0)
		return 0x1; /* POLLIN */
	return p->writers <= 0 ? 0x10 /* POLLHUP */ : 0;
}

static long do_pipe2(struct sim *s, struct task *t, uint64_t ufds, long flags)
{
	if (flags & ~(long)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	struct pipe_inode *p = pipe_create();
	if (!p)
		return -ENFILE;
	struct file *r = file_alloc(FILE_PIPE_R, O_RDONLY, NULL);
	struct file *w = file_alloc(FILE_PIPE_W, O_WRONLY, NULL);
	int fds[2] = { -1, -1 };
	if (!r || !w) {
		free(r);
		free(w);
		free(p->buf);
		free(p);
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
