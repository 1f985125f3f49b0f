/* sim/splice.c - sendfile, splice, tee and copy_file_range (Linux:
 * fs/splice.c, fs/read_write.c).
 *
 * Bytes move between files without a user buffer, through the kernel
 * buffers of struct iobuf (sim/sys_internal.h), with Linux's rules:
 *   - a file spliced into a pipe fills whole slots that are not mergeable
 *     (a later write(2) starts a new slot), the first one from the file
 *     position's offset in its page to the page end, as page-cache pages
 *     are spliced (filemap_splice_read); a device (/dev/zero ...) fills
 *     slots from offset 0 (copy_splice_read);
 *   - pipe to pipe moves whole slots, or splits the first one;
 *   - tee copies slots without consuming them;
 *   - pipe to file (stdout, /dev/null ...) writes what is buffered, up to
 *     the count, waiting only while nothing is buffered;
 *   - sendfile to a file that is not a pipe copies until the count or end
 *     of file (do_splice_direct); to a pipe, what fits (splice_file_to_pipe).
 * Waiting follows sim/wait.h: the call sleeps on the pipes involved and runs
 * again from the start; O_NONBLOCK on the pipe's file or SPLICE_F_NONBLOCK
 * gives EAGAIN instead.  A pending signal ends a wait with -ERESTARTSYS.
 *
 * copy_file_range needs two regular files, the second open for writing;
 * mmsim's root is read-only, so it fails as Linux fails for the same
 * descriptors (EBADF, EINVAL, EISDIR, EXDEV never).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pipe.h"
#include "sim/sys_internal.h"


#define SPLICE_F_ALL_ (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)
#define MAX_RW_COUNT 0x7ffff000ULL
#define DIRECT_CHUNK (16 * PIPE_PAGE) /* do_splice_direct's internal pipe */

static bool is_pipe(const struct file *f)
{
	return file_is_pipe(f);
}

/* FMODE_READ / FMODE_WRITE of F. */
static bool readable(const struct file *f)
{
	if (f->kind == FILE_STDOUT || f->kind == FILE_STDERR || f->kind == FILE_PIPE_W)
		return false;
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(const struct file *f)
{
	if (f->kind == FILE_STDOUT || f->kind == FILE_STDERR || f->kind == FILE_PIPE_W)
		return true;
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* FMODE_PREAD/FMODE_PWRITE: positioned I/O (not pipes, stdout/stderr,
 * which the guest sees as FIFOs). */
static bool seekable(const struct file *f)
{
	if (is_pipe(f) || f->kind == FILE_STDOUT || f->kind == FILE_STDERR)
		return false;
	return f->kind != FILE_STDIN || f->vf;
}

/* F has a splice_read: a file whose bytes can be read into pages. */
static bool can_splice_read(const struct file *f)
{
	return !is_pipe(f) && f->kind != FILE_DIR && readable(f);
}

static bool signal_pending(const struct task *t)
{
	return (t->sigpending & ~t->sigmask) != 0;
}

/* Linux's wait_for_space: room in P for a splice.  Returns 0, -EPIPE
 * (SIGPIPE sent), -EAGAIN, -ERESTARTSYS or -ERESTARTNOINTR (T sleeps). */
static long wait_for_space(struct sim *s, struct task *t, struct pipe_inode *p, bool nonblock)
{
	if (p->readers <= 0) {
		send_signal(s, t, SIGPIPE);
		return -EPIPE;
	}
	if (!pipe_full(p))
		return 0;
	if (nonblock)
		return -EAGAIN;
	if (signal_pending(t))
		return -ERESTARTSYS;
	return pipe_wait(t, p, "pipe_wait_writable");
}

/* Linux's ipipe_prep: data in P, or no writer left (0 either way).
 * Returns 0, -EAGAIN, -ERESTARTSYS or -ERESTARTNOINTR (T sleeps). */
static long wait_for_data(struct task *t, struct pipe_inode *p, bool nonblock)
{
	if (p->head != p->tail || p->writers <= 0)
		return 0;
	if (signal_pending(t))
		return -ERESTARTSYS;
	if (nonblock)
		return -EAGAIN;
	return pipe_wait(t, p, "pipe_wait_readable");
}

/* Linux's ipipe_prep + opipe_prep for pipe to pipe: data in IP (or no
 * writer left), then room in OP (or no reader left: the caller raises
 * SIGPIPE).  Returns 0, -EAGAIN, -ERESTARTSYS or -ERESTARTNOINTR. */
static long pipe_pair_prep(struct task *t, struct pipe_inode *ip, struct pipe_inode *op, bool nonblock)
{
	long rc = wait_for_data(t, ip, nonblock);
	if (rc || op->readers <= 0 || !pipe_full(op))
		return rc;
	if (nonblock)
		return -EAGAIN;
	if (signal_pending(t))
		return -ERESTARTSYS;
	return pipe_wait(t, op, "pipe_wait_writable");
}

/* Append N bytes of SRC to P as fresh, unmergeable slots, the first one
 * starting at offset ALIGN of its page.  The caller checked they fit. */
static void pipe_add_pages(struct pipe_inode *p, const uint8_t *src, size_t n, size_t align)
{
	while (n > 0) {
		size_t chunk = PIPE_PAGE - align < n ? PIPE_PAGE - align : n;
		memcpy(pipe_page(p, p->head) + align, src, chunk);
		*pipe_slot(p, p->head) = (struct pipe_buffer){ .offset = (uint32_t)align, .len = (uint32_t)chunk };
		p->head++;
		p->len += chunk;
		src += chunk;
		n -= chunk;
		align = 0;
	}
	p->events++;
}

/* Linux's splice_file_to_pipe: up to LEN bytes of IN at *POS into pipe P,
 * as many as its free slots hold.  Returns bytes, 0 at end of file, or
 * -errno / -ERESTARTNOINTR. */
static long splice_file_to_pipe(struct sim *s, struct task *t, struct file *in, struct pipe_inode *p, uint64_t *pos,
				uint64_t len, bool nonblock)
{
	long rc = wait_for_space(s, t, p, nonblock);
	if (rc)
		return rc;
	/* page-cache pages keep the file's page offsets; devices fill from 0 */
	size_t align = in->kind == FILE_REG || in->kind == FILE_STDIN ? (size_t)(*pos % PIPE_PAGE) : 0;
	uint64_t fit = (uint64_t)(p->nr_slots - pipe_occupancy(p)) * PIPE_PAGE - align;
	if (len > fit)
		len = fit;
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	struct iobuf io = iob_kernel(buf);
	long n = file_read(s, t, in, &io, len, pos);
	if (n > 0)
		pipe_add_pages(p, buf, (size_t)n, align);
	free(buf);
	return n;
}

/* Linux's splice_from_pipe into a file that is not a pipe: what P holds,
 * up to LEN bytes, written to OUT.  Returns bytes, 0 when no writer is
 * left, or -errno / -ERESTARTNOINTR. */
static long splice_pipe_to_file(struct sim *s, struct task *t, struct pipe_inode *p, struct file *out, uint64_t len,
				bool nonblock)
{
	if (signal_pending(t))
		return -ERESTARTSYS;
	long rc = wait_for_data(t, p, nonblock);
	if (rc)
		return rc;
	uint64_t done = 0;
	while (done < len && p->head != p->tail) {
		struct pipe_buffer *b = pipe_slot(p, p->tail);
		size_t n = b->len < len - done ? b->len : (size_t)(len - done);
		struct iobuf io = iob_kernel(pipe_page(p, p->tail) + b->offset);
		long w = file_write(s, t, out, &io, n);
		if (w <= 0) {
			if (!done)
				return w;
			break;
		}
		b->offset += (uint32_t)w;
		b->len -= (uint32_t)w;
		p->len -= (size_t)w;
		done += (uint64_t)w;
		if (b->len == 0)
			p->tail++;
		if ((size_t)w < n)
			break;
	}
	p->events++;
	return (long)done;
}

/* Linux's splice_pipe_to_pipe: move up to LEN bytes of slots from IP to
 * OP.  Returns bytes, 0 (IP empty, no writer), or -errno /
 * -ERESTARTNOINTR. */
static long splice_pipe_to_pipe(struct sim *s, struct task *t, struct pipe_inode *ip, struct pipe_inode *op,
				uint64_t len, bool nonblock)
{
	long rc = pipe_pair_prep(t, ip, op, nonblock);
	if (rc)
		return rc;
	uint64_t done = 0;
	for (;;) {
		if (op->readers <= 0) {
			send_signal(s, t, SIGPIPE);
			return done ? (long)done : -EPIPE;
		}
		if (ip->head == ip->tail || pipe_full(op))
			break;
		struct pipe_buffer *ib = pipe_slot(ip, ip->tail), *ob = pipe_slot(op, op->head);
		uint32_t n = len - done >= ib->len ? ib->len : (uint32_t)(len - done);
		memcpy(pipe_page(op, op->head) + ib->offset, pipe_page(ip, ip->tail) + ib->offset, n);
		*ob = (struct pipe_buffer){ .offset = ib->offset, .len = n, .can_merge = n == ib->len && ib->can_merge };
		op->head++;
		ib->offset += n;
		ib->len -= n;
		if (ib->len == 0)
			ip->tail++;
		ip->len -= n;
		op->len += n;
		done += n;
		if (done == len)
			break;
	}
	ip->events++;
	op->events++;
	return (long)done;
}

/* Linux's link_pipe (tee): copy up to LEN bytes of IP's slots to OP
 * without consuming them.  Returns bytes, 0, or -errno / -ERESTARTNOINTR. */
static long link_pipe(struct sim *s, struct task *t, struct pipe_inode *ip, struct pipe_inode *op, uint64_t len,
		      bool nonblock)
{
	long rc = pipe_pair_prep(t, ip, op, nonblock);
	if (rc)
		return rc;
	uint64_t done = 0;
	for (uint32_t i = ip->tail; i != ip->head && done < len; i++) {
		if (op->readers <= 0) {
			send_signal(s, t, SIGPIPE);
			return done ? (long)done : -EPIPE;
		}
		if (pipe_full(op))
			break;
		const struct pipe_buffer *ib = pipe_slot(ip, i);
		uint32_t n = len - done >= ib->len ? ib->len : (uint32_t)(len - done);
		memcpy(pipe_page(op, op->head) + ib->offset, pipe_page(ip, i) + ib->offset, n);
		*pipe_slot(op, op->head) = (struct pipe_buffer){ .offset = ib->offset, .len = n };
		op->head++;
		op->len += n;
		done += n;
	}
	if (done)
		op->events++;
	return (long)done;
}

/* Linux's do_splice_direct: copy up to LEN bytes of IN at *POS to OUT (not
 * a pipe) until the count or end of file.  Returns bytes or -errno. */
static long splice_direct(struct sim *s, struct task *t, struct file *in, uint64_t *pos, struct file *out,
			  uint64_t len)
{
	uint8_t *buf = malloc(DIRECT_CHUNK);
	if (!buf)
		return -ENOMEM;
	struct iobuf io = iob_kernel(buf);
	uint64_t done = 0;
	long ret = 0;
	while (done < len) {
		uint64_t want = len - done < DIRECT_CHUNK ? len - done : DIRECT_CHUNK;
		uint64_t at = *pos;
		long n = file_read(s, t, in, &io, want, &at);
		if (n <= 0) {
			ret = n;
			break;
		}
		long w = file_write(s, t, out, &io, (uint64_t)n);
		if (w <= 0) {
			ret = w;
			break;
		}
		*pos += (uint64_t)w;
		done += (uint64_t)w;
		if (w < n)
			break;
	}
	free(buf);
	return done ? (long)done : ret;
}

/* The user loff_t at UOFF (0: none) into *OFF; Linux copies it before
 * any other check.  Returns 0 or -EFAULT. */
static long get_loff(struct task *t, uint64_t uoff, int64_t *off)
{
	*off = 0;
	return uoff && copy_from_user(t->eng, off, uoff, 8) ? -EFAULT : 0;
}

/* The position a transfer on F starts at: the user's OFF when one was
 * given (F must allow positioned I/O, else NOT_SEEKABLE; OFF must not be
 * negative, else -EINVAL), F's own offset otherwise.  Returns 0 or -errno. */
static long splice_pos(const struct file *f, uint64_t uoff, int64_t off, long not_seekable, uint64_t *pos)
{
	if (!uoff) {
		*pos = f->pos;
		return 0;
	}
	if (!seekable(f))
		return not_seekable;
	if (off < 0)
		return -EINVAL;
	*pos = (uint64_t)off;
	return 0;
}

/* After a transfer of RET bytes (RET > 0) that left F at POS: store POS in
 * the user's loff_t at UOFF, or as F's own offset.  Returns RET, or -EFAULT. */
static long put_pos(struct task *t, struct file *f, uint64_t uoff, uint64_t pos, long ret)
{
	if (ret <= 0)
		return ret;
	if (!uoff) {
		f->pos = pos;
		return ret;
	}
	int64_t off = (int64_t)pos;
	return copy_to_user(t->eng, uoff, &off, 8) ? -EFAULT : ret;
}

/* sendfile(out_fd, in_fd, loff_t *offset, count) */
SYSCALL_DEFINE(sendfile)
{
	uint64_t count = a[3] > MAX_RW_COUNT ? MAX_RW_COUNT : a[3], pos;
	int64_t off;
	long rc = get_loff(t, a[2], &off);
	if (rc)
		return rc;
	struct file *in = fget(t, (long)(int)a[1]);
	if (!in || !readable(in))
		return -EBADF;
	rc = splice_pos(in, a[2], off, -ESPIPE, &pos);
	if (rc)
		return rc;
	struct file *out = fget(t, (long)(int)a[0]);
	if (!out || !writable(out))
		return -EBADF;
	if (!can_splice_read(in))
		return -EINVAL;
	long ret;
	if (is_pipe(out)) {
		ret = splice_file_to_pipe(s, t, in, out->pipe, &pos, count, out->flags & O_NONBLOCK);
	} else {
		if (out->flags & O_APPEND)
			return -EINVAL;
		ret = splice_direct(s, t, in, &pos, out, count);
	}
	return put_pos(t, in, a[2], pos, ret);
}

/* splice(fd_in, loff_t *off_in, fd_out, loff_t *off_out, len, flags) */
SYSCALL_DEFINE(splice)
{
	uint64_t len = a[4] > MAX_RW_COUNT ? MAX_RW_COUNT : a[4], pos;
	unsigned flags = (unsigned)a[5];
	int64_t off_in, off_out;
	long rc;
	if (!len)
		return 0;
	if (flags & ~(unsigned)SPLICE_F_ALL_)
		return -EINVAL;
	struct file *in = fget(t, (long)(int)a[0]), *out = fget(t, (long)(int)a[2]);
	if (!in || !out)
		return -EBADF;
	bool ipipe = is_pipe(in), opipe = is_pipe(out);
	if ((ipipe && a[1]) || (opipe && a[3]))
		return -ESPIPE;
	if ((rc = get_loff(t, a[3], &off_out)) || (rc = get_loff(t, a[1], &off_in)))
		return rc;
	if (!readable(in) || !writable(out))
		return -EBADF;
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	if (ipipe && opipe) {
		if (in->pipe == out->pipe)
			return -EINVAL;
		nonblock |= ((in->flags | out->flags) & O_NONBLOCK) != 0;
		return splice_pipe_to_pipe(s, t, in->pipe, out->pipe, len, nonblock);
	}
	if (ipipe) {
		if ((rc = splice_pos(out, a[3], off_out, -EINVAL, &pos)))
			return rc;
		if (out->flags & O_APPEND)
			return -EINVAL;
		nonblock |= (in->flags & O_NONBLOCK) != 0;
		long ret = splice_pipe_to_file(s, t, in->pipe, out, len, nonblock);
		return put_pos(t, out, a[3], pos + (uint64_t)(ret > 0 ? ret : 0), ret);
	}
	if (opipe) {
		if ((rc = splice_pos(in, a[1], off_in, -EINVAL, &pos)))
			return rc;
		if (!can_splice_read(in))
			return -EINVAL;
		nonblock |= (out->flags & O_NONBLOCK) != 0;
		long ret = splice_file_to_pipe(s, t, in, out->pipe, &pos, len, nonblock);
		return put_pos(t, in, a[1], pos, ret);
	}
	return -EINVAL;
}

/* tee(fd_in, fd_out, len, flags) */
SYSCALL_DEFINE(tee)
{
	uint64_t len = a[2] > MAX_RW_COUNT ? MAX_RW_COUNT : a[2];
	unsigned flags = (unsigned)a[3];
	if (flags & ~(unsigned)SPLICE_F_ALL_)
		return -EINVAL;
	if (!len)
		return 0;
	struct file *in = fget(t, (long)(int)a[0]), *out = fget(t, (long)(int)a[1]);
	if (!in || !out)
		return -EBADF;
	if (!readable(in) || !writable(out))
		return -EBADF;
	if (!is_pipe(in) || !is_pipe(out) || in->pipe == out->pipe)
		return -EINVAL;
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
	return link_pipe(s, t, in->pipe, out->pipe, len, nonblock);
}

/* copy_file_range(fd_in, loff_t *off_in, fd_out, loff_t *off_out, len, flags) */
SYSCALL_DEFINE(copy_file_range)
{
	(void)s;
	if (a[5])
		return -EINVAL;
	struct file *in = fget(t, (long)(int)a[0]), *out = fget(t, (long)(int)a[2]);
	if (!in || !out)
		return -EBADF;
	/* generic_file_rw_checks */
	if (in->kind == FILE_DIR || out->kind == FILE_DIR)
		return -EISDIR;
	bool in_reg = in->kind == FILE_REG || (in->kind == FILE_STDIN && in->vf);
	if (!in_reg || out->kind != FILE_REG)
		return -EINVAL;
	/* a regular file of the read-only root is never open for writing */
	return -EBADF;
}
