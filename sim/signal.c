/* sim/signal.c - signals: kill/tkill/tgkill, rt_sigaction, rt_sigprocmask.
 *
 * Dispositions and masks are recorded exactly as Linux keeps them, and the
 * default actions are honoured: SIGCHLD, SIGURG, SIGWINCH and SIGCONT are
 * ignored; every other signal terminates the process (wait status = signal
 * number).  Job-control stops (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) are not
 * modelled: the signal is discarded.  A blocked signal stays pending until
 * it is unblocked.  Guest signal handlers are not run yet: a signal whose
 * default action is to terminate terminates even when a handler is
 * installed, and one that is ignored by default stays pending.
 */
#include <signal.h>
#include <string.h>

#include "sim/sys_internal.h"

#define SIGBIT(sig) (1ULL << ((sig) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SIG_DFL_ 0
#define SIG_IGN_ 1

static bool sig_default_ignore(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static bool sig_default_stop(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void trace_signal(struct sim *s, struct task *t, int sig, const char *what)
{
	struct trace_event ev = trace_event_init(TEV_SIGNAL);
	ev.value = sig;
	ev.detail = what;
	ev.pid = t->pid;
	ev.time = s->insns;
	ev.flags = TRACE_EV_HAS_TIME;
	trace_emit(s->trace, &ev);
}

/* Act on SIG for T now: terminate, ignore, or leave pending. */
static void deliver(struct sim *s, struct task *t, int sig)
{
	uint64_t handler = t->sigaction[sig].handler;
	t->sigpending &= ~SIGBIT(sig);
	if (sig != SIGKILL && handler == SIG_IGN_) {
		trace_signal(s, t, sig, "ignored");
		return;
	}
	if (sig_default_stop(sig) && sig != SIGKILL) {
		trace_signal(s, t, sig, "stop (not modelled)");
		return;
	}
	if (sig_default_ignore(sig)) {
		if (handler != SIG_DFL_)
			t->sigpending |= SIGBIT(sig); /* for a handler we do not run */
		trace_signal(s, t, sig, "ignored by default");
		return;
	}
	trace_signal(s, t, sig, handler == SIG_DFL_ ? "terminate" : "terminate (handler not run)");
	do_exit(s, t, sig);
}

void send_signal(struct sim *s, struct task *t, int sig)
{
	if (sig <= 0 || sig >= TASK_NSIG || t->state >= EXIT_ZOMBIE)
		return;
	if (sig != SIGKILL && t->sigaction[sig].handler == SIG_IGN_)
		return; /* discarded at generation, as Linux does */
	t->sigpending |= SIGBIT(sig);
	if (t->state == TASK_INTERRUPTIBLE && t->block == BLOCK_SIGNAL) {
		t->state = TASK_RUNNING; /* rt_sigsuspend/pause look at it again */
		t->block = BLOCK_NONE;
	}
	if ((t->sigmask & SIGBIT(sig)) && !(SIGBIT(sig) & UNBLOCKABLE))
		return;
	/* A sleeping task is interrupted by a signal that will act on it. */
	deliver(s, t, sig);
}

/* Deliver everything pending and no longer blocked. */
static void deliver_unblocked(struct sim *s, struct task *t)
{
	for (int sig = 1; sig < TASK_NSIG && t->state < EXIT_ZOMBIE; sig++)
		if ((t->sigpending & SIGBIT(sig)) && !(t->sigmask & SIGBIT(sig)) &&
		    t->sigaction[sig].handler == SIG_DFL_ && !sig_default_ignore(sig))
			deliver(s, t, sig);
}

/* kill() semantics for one target: permission is always granted (the
 * guest runs as root). */
static long kill_one(struct sim *s, struct task *t, int sig)
{
	if (t->state >= EXIT_ZOMBIE)
		return 0;
	if (sig)
		send_signal(s, t, sig);
	return 0;
}

SYSCALL_DEFINE(kill)
{
	int pid = (int)a[0], sig = (int)a[1];
	long found = 0;
	struct list_head *pos, *n;
	if (sig < 0 || sig >= TASK_NSIG)
		return -EINVAL;
	if (pid > 0) {
		struct task *p = find_task_by_pid(s, pid);
		if (!p || p->state == EXIT_DEAD)
			return -ESRCH;
		return kill_one(s, p, sig);
	}
	int pgid = pid == 0 ? t->pgid : -pid;
	/* Signal everyone first, self last, so T stays valid while iterating. */
	list_for_each_safe(pos, n, &s->procs->tasks) {
		struct task *p = list_entry(pos, struct task, tasks);
		if (p == t || p->state >= EXIT_ZOMBIE)
			continue;
		if (pid == -1 ? p->pid != 1 : p->pgid == pgid) {
			found++;
			kill_one(s, p, sig);
		}
	}
	if (pid == -1 ? false : t->pgid == pgid) {
		found++;
		kill_one(s, t, sig);
	}
	return found ? 0 : -ESRCH;
}

SYSCALL_DEFINE(tkill)
{
	int tid = (int)a[0], sig = (int)a[1];
	if (tid <= 0 || sig < 0 || sig >= TASK_NSIG)
		return -EINVAL;
	struct task *p = find_task_by_pid(s, tid);
	if (!p || p->state >= EXIT_ZOMBIE)
		return -ESRCH;
	(void)t;
	return kill_one(s, p, sig);
}

SYSCALL_DEFINE(tgkill)
{
	int tgid = (int)a[0], tid = (int)a[1], sig = (int)a[2];
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig >= TASK_NSIG)
		return -EINVAL;
	if (tgid != tid)
		return -ESRCH; /* single-threaded processes: tid == tgid */
	uint64_t b[6] = { (uint64_t)tid, (uint64_t)sig, 0, 0, 0, 0 };
	return sys_tkill(s, t, b);
}

SYSCALL_DEFINE(rt_sigaction)
{
	(void)s;
	int sig = (int)a[0];
	struct k_sigaction act, old;
	if (a[3] != 8)
		return -EINVAL;
	if (sig < 1 || sig >= TASK_NSIG)
		return -EINVAL;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	old = t->sigaction[sig];
	if (a[1]) {
		if (copy_from_user(t->eng, &act, a[1], sizeof(act)))
			return -EFAULT;
		act.mask &= ~UNBLOCKABLE;
	}
	if (a[2] && copy_to_user(t->eng, a[2], &old, sizeof(old)))
		return -EFAULT;
	if (a[1]) {
		t->sigaction[sig] = act;
		if (act.handler == SIG_IGN_ || (act.handler == SIG_DFL_ && sig_default_ignore(sig)))
			t->sigpending &= ~SIGBIT(sig);
	}
	return 0;
}

SYSCALL_DEFINE(rt_sigprocmask)
{
	int how = (int)a[0];
	uint64_t set, old = t->sigmask;
	if (a[3] != 8)
		return -EINVAL;
	if (a[1]) {
		if (copy_from_user(t->eng, &set, a[1], 8))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK: t->sigmask |= set; break;
		case SIG_UNBLOCK: t->sigmask &= ~set; break;
		case SIG_SETMASK: t->sigmask = set; break;
		default: return -EINVAL;
		}
		t->sigmask &= ~UNBLOCKABLE;
	}
	if (a[2] && copy_to_user(t->eng, a[2], &old, 8)) {
		t->sigmask = old;
		return -EFAULT;
	}
	deliver_unblocked(s, t);
	return 0;
}

SYSCALL_DEFINE(rt_sigreturn)
{
	/* No handler is ever entered, so no frame can be returned from. */
	send_signal(s, t, SIGSEGV);
	(void)a;
	return -EFAULT;
}

SYSCALL_DEFINE(sigaltstack)
{
	(void)s;
	struct {
		uint64_t sp;
		int32_t flags, pad;
		uint64_t size;
	} old = { 0, 2 /* SS_DISABLE */, 0, 0 };
	if (a[1] && copy_to_user(t->eng, a[1], &old, sizeof(old)))
		return -EFAULT;
	if (a[0]) {
		if (copy_from_user(t->eng, &old, a[0], sizeof(old)))
			return -EFAULT;
	}
	return 0;
}

/* Wait for a signal with MASK blocked.  A pending signal that MASK lets
 * through ends the wait with EINTR; one with a handler counts as handled
 * (handlers are not run, see the top of this file). */
static long suspend(struct task *t, uint64_t mask)
{
	uint64_t ready = t->sigpending & ~(mask & ~UNBLOCKABLE);
	if (ready) {
		for (int sig = 1; sig < TASK_NSIG; sig++)
			if ((ready & SIGBIT(sig)) && t->sigaction[sig].handler > SIG_IGN_)
				t->sigpending &= ~SIGBIT(sig);
		return -EINTR;
	}
	t->state = TASK_INTERRUPTIBLE;
	t->block = BLOCK_SIGNAL;
	return -ERESTARTNOINTR;
}

SYSCALL_DEFINE(rt_sigsuspend)
{
	(void)s;
	uint64_t mask;
	if (a[1] != 8)
		return -EINVAL;
	if (copy_from_user(t->eng, &mask, a[0], 8))
		return -EFAULT;
	return suspend(t, mask);
}

SYSCALL_DEFINE(pause)
{
	(void)s;
	(void)a;
	return suspend(t, t->sigmask);
}
