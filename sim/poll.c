/* sim/poll.c - poll, ppoll, select and pselect6 (Linux: fs/select.c).
 *
 * Readiness is each file's poll mask, as Linux's f_op->poll gives it: a
 * pipe's read end is readable when it holds bytes and hung up (POLLHUP)
 * when no writer is left; its write end is writable when it has room and
 * in error (POLLERR) when no reader is left; every other file mmsim has
 * (regular files, directories, /dev devices, the stdin file, the host's
 * stdout/stderr) is always ready for both (DEFAULT_POLLMASK).  No guest
 * descriptor is a terminal.
 *
 * poll reports POLLERR and POLLHUP whatever was asked, POLLNVAL for a
 * descriptor that is not open (counted as ready), and ignores negative fds.
 * select fails with EBADF if a set names a descriptor that is not open.
 *
 * Sleeping: when nothing is ready and the timeout has not passed, the task
 * sleeps in BLOCK_IO on every pipe it polled (sim/wait.h) until one changes
 * or the timeout (simulated time) passes, then the call runs again from
 * the start and looks anew.  The deadline is fixed by the first execution
 * (task->wake_time), so re-executions do not extend it.  A signal ends the
 * sleep: with a handler the call fails with EINTR, without one it restarts
 * (Linux's ERESTARTNOHAND).  select, pselect6 and ppoll write the time
 * left back to the caller's timeout on return, as Linux does; poll does
 * not.  ppoll and pselect6 install their signal mask for the call.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sim/pipe.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"

#define DEFAULT_POLLMASK (POLLIN_ | POLLOUT_ | POLLRDNORM_ | POLLWRNORM_)
#define POLLIN_SET (POLLRDNORM_ | POLLRDBAND_ | POLLIN_ | POLLHUP_ | POLLERR_)
#define POLLOUT_SET (POLLWRBAND_ | POLLWRNORM_ | POLLOUT_ | POLLERR_)
#define POLLEX_SET POLLPRI_
#define NSEC_PER_SEC 1000000000ULL

struct pollfd64 {
	int32_t fd;
	int16_t events, revents;
};

/* Linux's vfs_poll: the readiness mask of F. */
static int file_poll(const struct file *f)
{
	return file_is_pipe(f) ? pipe_poll(f) : DEFAULT_POLLMASK;
}

/* Add the event counter of F, if it has one, to T's wait set.  Returns 0
 * or -ENOMEM. */
static int file_poll_wait(struct task *t, const struct file *f)
{
	if (file_is_pipe(f))
		return task_wait_on(t, &f->pipe->events);
	return 0;
}

/* The absolute deadline of a timeout of NS nanoseconds from now (NS ==
 * UINT64_MAX: none); a re-execution keeps the first one. */
static uint64_t poll_deadline(struct sim *s, struct task *t, uint64_t ns)
{
	if (t->restarting)
		return t->wake_time;
	if (ns == UINT64_MAX)
		return UINT64_MAX;
	uint64_t now = sim_now_ns(s);
	return ns > UINT64_MAX - 1 - now ? UINT64_MAX - 1 : now + ns;
}

/* A struct timespec (TIMEVAL false) or timeval at user U as nanoseconds.
 * Returns 0, -EFAULT or -EINVAL (negative, or fraction out of range). */
static long get_timeout(struct task *t, uint64_t u, bool timeval, uint64_t *ns)
{
	int64_t ts[2];
	if (copy_from_user(t->eng, ts, u, sizeof(ts)))
		return -EFAULT;
	int64_t frac_max = timeval ? 1000000 : (int64_t)NSEC_PER_SEC;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= frac_max)
		return -EINVAL;
	uint64_t frac = timeval ? (uint64_t)ts[1] * 1000 : (uint64_t)ts[1];
	if ((uint64_t)ts[0] >= (UINT64_MAX - frac) / NSEC_PER_SEC / 2)
		*ns = UINT64_MAX - 2; /* far enough: never */
	else
		*ns = (uint64_t)ts[0] * NSEC_PER_SEC + frac;
	return 0;
}

/* Linux's poll_select_finish: write the time left until DEADLINE to the
 * user timeout U (none for a zero timeout, ZERO).  Returns RET, or -EFAULT
 * if the write fails and RET is not an error already. */
static long put_time_left(struct sim *s, struct task *t, uint64_t u, bool timeval, bool zero, uint64_t deadline,
			  long ret)
{
	if (!u || zero || deadline == UINT64_MAX)
		return ret;
	uint64_t now = sim_now_ns(s), left = deadline > now ? deadline - now : 0;
	int64_t ts[2] = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
	if (timeval)
		ts[1] /= 1000;
	if (copy_to_user(t->eng, u, ts, sizeof(ts)) && ret >= 0)
		return -EFAULT;
	return ret;
}

/* One pass of poll over P[0..N): fill revents.  Returns the number of
 * entries with events. */
static long poll_scan(struct task *t, struct pollfd64 *p, uint64_t n)
{
	long count = 0;
	for (uint64_t i = 0; i < n; i++) {
		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		struct file *f = fget(t, p[i].fd);
		int mask = f ? file_poll(f) & ((uint16_t)p[i].events | POLLERR_ | POLLHUP_) : POLLNVAL_;
		p[i].revents = (int16_t)mask;
		if (mask)
			count++;
	}
	return count;
}

/* Sleep on the files of P[0..N) until one changes or DEADLINE.  Returns
 * -ERESTARTNOINTR, or -ENOMEM. */
static long poll_sleep(struct task *t, const struct pollfd64 *p, uint64_t n, uint64_t deadline)
{
	for (uint64_t i = 0; i < n; i++) {
		struct file *f = p[i].fd < 0 ? NULL : fget(t, p[i].fd);
		if (f && file_poll_wait(t, f)) {
			task_wake(t);
			return -ENOMEM;
		}
	}
	task_sleep(t, BLOCK_IO, deadline, "do_sys_poll");
	return -ERESTARTNOINTR;
}

/* poll and ppoll: UFDS[0..N) with a timeout of NS (UINT64_MAX: none).
 * Returns the ready count, 0 on timeout, -errno or -ERESTARTNOINTR. */
static long do_sys_poll(struct sim *s, struct task *t, uint64_t ufds, uint64_t n, uint64_t ns, uint64_t *deadline)
{
	if (n > t->signal->rlim[RLIMIT_NOFILE].cur)
		return -EINVAL;
	*deadline = poll_deadline(s, t, ns);
	struct pollfd64 *p = n ? malloc(n * sizeof(*p)) : NULL;
	if (n && !p)
		return -ENOMEM;
	long ret;
	if (n && copy_from_user(t->eng, p, ufds, n * sizeof(*p))) {
		ret = -EFAULT;
		goto out;
	}
	ret = poll_scan(t, p, n);
	if (ret == 0 && sim_now_ns(s) < *deadline) {
		ret = poll_sleep(t, p, n, *deadline);
		goto out;
	}
	/* only revents is written back, as Linux does */
	for (uint64_t i = 0; i < n; i++)
		if (copy_to_user(t->eng, ufds + i * sizeof(*p) + 6, &p[i].revents, 2)) {
			ret = -EFAULT;
			break;
		}
out:
	free(p);
	return ret;
}

SYSCALL_DEFINE(poll)
{
	int ms = (int)a[2];
	uint64_t deadline;
	return do_sys_poll(s, t, a[0], a[1], ms < 0 ? UINT64_MAX : (uint64_t)ms * 1000000ULL, &deadline);
}

/* ppoll(fds, nfds, tsp, sigmask, sigsetsize) */
SYSCALL_DEFINE(ppoll)
{
	uint64_t ns = UINT64_MAX, deadline;
	if (a[2]) {
		long rc = get_timeout(t, a[2], false, &ns);
		if (rc)
			return rc;
	}
	long rc = set_user_sigmask(t, a[3], a[4]);
	if (rc)
		return rc;
	long ret = do_sys_poll(s, t, a[0], a[1], ns, &deadline);
	bool sleeping = ret == -ERESTARTNOINTR;
	restore_saved_sigmask_unless(t, sleeping);
	return put_time_left(s, t, a[2], false, ns == 0, deadline, ret);
}

/* --- select --- */

struct fdsets {
	uint64_t *in, *out, *ex;    /* requested */
	uint64_t *rin, *rout, *rex; /* results */
	size_t words;
};

static bool fdset_test(const uint64_t *set, int fd)
{
	return set && (set[fd / 64] >> (fd % 64)) & 1;
}

/* One pass of select over fds 0..N-1.  Returns the number of bits set in
 * the result sets, or -EBADF. */
static long select_scan(struct task *t, struct fdsets *fs, int n)
{
	long count = 0;
	memset(fs->rin, 0, fs->words * 8);
	memset(fs->rout, 0, fs->words * 8);
	memset(fs->rex, 0, fs->words * 8);
	for (int fd = 0; fd < n; fd++) {
		bool want_in = fdset_test(fs->in, fd), want_out = fdset_test(fs->out, fd);
		bool want_ex = fdset_test(fs->ex, fd);
		if (!want_in && !want_out && !want_ex)
			continue;
		struct file *f = fget(t, fd);
		if (!f)
			return -EBADF;
		int mask = file_poll(f);
		uint64_t bit = 1ULL << (fd % 64);
		if (want_in && (mask & POLLIN_SET)) {
			fs->rin[fd / 64] |= bit;
			count++;
		}
		if (want_out && (mask & POLLOUT_SET)) {
			fs->rout[fd / 64] |= bit;
			count++;
		}
		if (want_ex && (mask & POLLEX_SET)) {
			fs->rex[fd / 64] |= bit;
			count++;
		}
	}
	return count;
}

/* Sleep on the files named in the sets until one changes or DEADLINE.
 * Returns -ERESTARTNOINTR, or -ENOMEM. */
static long select_sleep(struct task *t, const struct fdsets *fs, int n, uint64_t deadline)
{
	for (int fd = 0; fd < n; fd++) {
		if (!fdset_test(fs->in, fd) && !fdset_test(fs->out, fd) && !fdset_test(fs->ex, fd))
			continue;
		if (file_poll_wait(t, fget(t, fd))) {
			task_wake(t);
			return -ENOMEM;
		}
	}
	task_sleep(t, BLOCK_IO, deadline, "do_select");
	return -ERESTARTNOINTR;
}

/* select and pselect6: sets at UIN/UOUT/UEX (0: none) for fds below N,
 * timeout NS (UINT64_MAX: none).  Returns the number of ready bits, 0 on
 * timeout, -errno or -ERESTARTNOINTR. */
static long core_sys_select(struct sim *s, struct task *t, long n, uint64_t uin, uint64_t uout, uint64_t uex,
			    uint64_t ns, uint64_t *deadline)
{
	if ((int)n < 0)
		return -EINVAL;
	if (n > (long)t->files->max_fds)
		n = (long)t->files->max_fds; /* the descriptor table's size, as Linux */
	*deadline = poll_deadline(s, t, ns);
	struct fdsets fs = { .words = ((size_t)n + 63) / 64 };
	size_t bytes = fs.words * 8;
	uint64_t *mem = calloc(6 * fs.words + 1, 8);
	if (!mem)
		return -ENOMEM;
	fs.rin = mem;
	fs.rout = mem + fs.words;
	fs.rex = mem + 2 * fs.words;
	long ret = 0;
	uint64_t user[3] = { uin, uout, uex };
	uint64_t **req[3] = { &fs.in, &fs.out, &fs.ex };
	for (int i = 0; i < 3; i++) {
		if (!user[i])
			continue;
		*req[i] = mem + (3 + i) * fs.words;
		if (bytes && copy_from_user(t->eng, *req[i], user[i], bytes)) {
			ret = -EFAULT;
			goto out;
		}
	}
	ret = select_scan(t, &fs, (int)n);
	if (ret == 0 && sim_now_ns(s) < *deadline) {
		ret = select_sleep(t, &fs, (int)n, *deadline);
		goto out;
	}
	if (ret < 0)
		goto out;
	uint64_t *res[3] = { fs.rin, fs.rout, fs.rex };
	for (int i = 0; i < 3; i++)
		if (user[i] && bytes && copy_to_user(t->eng, user[i], res[i], bytes)) {
			ret = -EFAULT;
			break;
		}
out:
	free(mem);
	return ret;
}

/* select(nfds, readfds, writefds, exceptfds, struct timeval *timeout) */
SYSCALL_DEFINE(select)
{
	uint64_t ns = UINT64_MAX, deadline;
	if (a[4]) {
		long rc = get_timeout(t, a[4], true, &ns);
		if (rc)
			return rc;
	}
	long ret = core_sys_select(s, t, (long)a[0], a[1], a[2], a[3], ns, &deadline);
	return put_time_left(s, t, a[4], true, ns == 0, deadline, ret);
}

/* pselect6(nfds, readfds, writefds, exceptfds, struct timespec *timeout,
 * { const sigset_t *ss; size_t ss_len; } *sig) */
SYSCALL_DEFINE(pselect6)
{
	uint64_t ns = UINT64_MAX, deadline;
	if (a[4]) {
		long rc = get_timeout(t, a[4], false, &ns);
		if (rc)
			return rc;
	}
	if (a[5]) {
		uint64_t sig[2];
		if (copy_from_user(t->eng, sig, a[5], sizeof(sig)))
			return -EFAULT;
		long rc = set_user_sigmask(t, sig[0], sig[1]);
		if (rc)
			return rc;
	}
	long ret = core_sys_select(s, t, (long)a[0], a[1], a[2], a[3], ns, &deadline);
	restore_saved_sigmask_unless(t, ret == -ERESTARTNOINTR);
	return put_time_left(s, t, a[4], false, ns == 0, deadline, ret);
}
