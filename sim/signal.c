/* sim/signal.c - signals as Linux x86-64 delivers them (kernel/signal.c,
 * arch/x86/kernel/signal.c).
 *
 * Generation (send_signal_info, Linux's prepare_signal + __send_signal): a
 * signal whose action is "ignore" and that is not blocked is discarded;
 * otherwise it becomes pending and its siginfo is queued (struct sigqueue,
 * from the "sigqueue" slab cache).  A standard signal (1..31) that is
 * already pending is not queued again; a real-time one (SIGRTMIN 32 ..
 * SIGRTMAX 64) queues one instance per generation, each with its own
 * siginfo.  Queued signals of the user (uid 0: every task) are limited by
 * the target's RLIMIT_SIGPENDING: past it rt_sigqueueinfo, tkill and
 * tgkill of a real-time signal fail with EAGAIN, while kill() and the
 * kernel's own signals still set the pending bit without a siginfo (the
 * handler then sees SI_USER from pid 0, as Linux's "lost info").  A
 * pending, unblocked signal wakes a task sleeping interruptibly (wait4,
 * pipe, nanosleep, sigsuspend).
 *
 * A default-fatal, unblocked signal (complete_signal's group-exit path)
 * does not kill the target inside the sender's call: it marks it dying
 * (task->fatal_sig, SIGKILL pending, as Linux's SIGNAL_GROUP_EXIT), wakes
 * it from any sleep, stop or vfork wait, and the target dies of the signal
 * in do_signal() when it next runs; signals sent to a dying task are
 * dropped.  So, as on Linux, the sender goes on (a shell's kill; wait $!
 * finds the child still alive, sleeps, and reaps it when it dies), and a
 * task that signals itself dies before returning to user mode.
 *
 * Job control (kernel/signal.c do_signal_stop, prepare_signal): a stop
 * signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) whose action is the default
 * stops the task: task->stopped, which the scheduler skips.  An unblocked
 * one stops it at generation (the target is not running then, or is the
 * sender, whose slice ends after the kill: the same points at which Linux
 * stops it); one that was blocked stops it when do_signal dequeues it.  A
 * stopped task stays inside its sleep, if it was in one: after SIGCONT a
 * nanosleep or rt_sigtimedwait goes on to its original deadline and
 * wait4/pipes/sigsuspend carry on, as on Linux 6.x (checked natively).
 * SIGTSTP, SIGTTIN and SIGTTOU are discarded in an orphaned process group
 * (pid 1 counts as the child of the shell that ran mmsim: its group is not
 * orphaned).  Generating any stop signal discards a pending SIGCONT;
 * generating SIGCONT, even blocked, ignored or handled, discards pending
 * stop signals and resumes a stopped task; then SIGCONT itself is
 * discarded (default action) or delivered to its handler.  Each stop and
 * continue sends the parent SIGCHLD with CLD_STOPPED / CLD_CONTINUED unless
 * its SIGCHLD action has SA_NOCLDSTOP, wakes a parent in wait4/waitid, and
 * is reported once by wait4(WUNTRACED) / wait4(WCONTINUED) / waitid
 * (sys_proc.c).  SIGKILL ends a stopped task; another fatal signal stays
 * pending until SIGCONT (a stopped task "wants" only SIGKILL).
 *
 * Delivery (do_signal) happens "on return to user mode": the scheduler
 * calls it before every slice, and task_must_stop() ends a slice right after
 * any syscall that leaves an unblocked signal pending (kill to self,
 * sigprocmask unblocking one, a child's exit), so a handler runs before the
 * next user instruction.  Asynchronous signals from other tasks arrive at
 * the target's next slice boundary; faults go through force_sig_fault().
 * All delivery points depend on guest instruction counts only.
 *
 * A handler gets an rt_sigframe on the user stack (or the sigaltstack):
 *   frame + 0    pretcode (sa_restorer; SA_RESTORER is required on x86-64)
 *   frame + 8    struct ucontext: uc_flags, uc_link, uc_stack,
 *                uc_mcontext (struct sigcontext, 256 bytes), uc_sigmask
 *   frame + 312  struct siginfo (128 bytes, written for SA_SIGINFO)
 * and above it, 64-byte aligned, the 512-byte FXSAVE image of the x87/SSE
 * state that uc_mcontext.fpstate points to (the layout Linux uses on a CPU
 * without XSAVE; uc_flags has no UC_FP_XSTATE).  RSP = frame, 16-byte
 * aligned minus 8 as on entry to a function; RDI = signo, RSI = &info,
 * RDX = &uc, RAX = 0; the handler starts with a reset FPU.  rt_sigreturn
 * reads everything back from the frame (the guest may have changed it) and
 * validates it: an unreadable frame or fpstate, a misaligned fpstate, or
 * CS/SS other than the user selectors give SIGSEGV.
 *
 * System call restart: a syscall that would sleep returns a restart code.
 * If it sleeps, it runs again when woken (sim/syscall.h protocol).  If a
 * signal is pending when it would sleep, the task stays at the SYSCALL
 * instruction with t->restart_code set, and do_signal decides as Linux's
 * handle_signal: -ERESTARTSYS restarts with SA_RESTART and fails with EINTR
 * without it, -ERESTARTNOHAND and -ERESTART_RESTARTBLOCK give EINTR when a
 * handler runs, and every code restarts when no handler runs.  nanosleep
 * (which sleeps past its SYSCALL) returns EINTR with the remaining time.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "mm/mm_types.h"
#include "mm/slab.h"
#include "sim/pipe.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"

#define SIGBIT(sig) (1ULL << ((sig) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SYNCHRONOUS_MASK \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE) | SIGBIT(SIGSYS))
#define SIG_DFL_ 0
#define SIG_IGN_ 1

#define SA_NOCLDSTOP_ 0x00000001ULL
#define SA_NOCLDWAIT_ 0x00000002ULL
#define SA_SIGINFO_ 0x00000004ULL
#define SA_RESTORER_ 0x04000000ULL
#define SA_ONSTACK_ 0x08000000ULL
#define SA_RESTART_ 0x10000000ULL
#define SA_NODEFER_ 0x40000000ULL
#define SA_RESETHAND_ 0x80000000ULL

#define SS_ONSTACK_ 1
#define SS_DISABLE_ 2
#define SS_AUTODISARM_ (1U << 31)
#define MINSIGSTKSZ_ 2048

#define SI_USER_ 0
#define SI_KERNEL_ 0x80
#define SI_QUEUE_ (-1)
#define SI_TKILL_ (-6)
#define CLD_STOPPED_ 5
#define CLD_CONTINUED_ 6
#define SIGRTMIN_ 32 /* the kernel's; libcs reserve the first few */
#define STOP_MASK (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

/* x86-64 user segment selectors (__USER_CS, __USER_DS) */
#define USER_CS 0x33
#define USER_SS 0x2b

/* struct rt_sigframe offsets (arch/x86/include/asm/sigframe.h) */
#define FRAME_UC 8
#define UC_STACK (FRAME_UC + 16)
#define UC_MCONTEXT (FRAME_UC + 40)
#define UC_SIGMASK (FRAME_UC + 296)
#define FRAME_INFO 312
#define FRAME_SIZE 440
#define FPSTATE_SIZE 512
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

/* struct sigcontext, in u64 slots from uc_mcontext */
enum sc_slot {
	SC_R8, SC_R9, SC_R10, SC_R11, SC_R12, SC_R13, SC_R14, SC_R15, SC_RDI, SC_RSI, SC_RBP, SC_RBX,
	SC_RDX, SC_RAX, SC_RCX, SC_RSP, SC_RIP, SC_EFLAGS, SC_SEGS, SC_ERR, SC_TRAPNO, SC_OLDMASK,
	SC_CR2, SC_FPSTATE, SC__COUNT
};
static const enum engine_reg sc_regs[SC_EFLAGS + 1] = {
	EREG_R8,  EREG_R9,  EREG_R10, EREG_R11, EREG_R12, EREG_R13, EREG_R14, EREG_R15, EREG_RDI,
	EREG_RSI, EREG_RBP, EREG_RBX, EREG_RDX, EREG_RAX, EREG_RCX, EREG_RSP, EREG_RIP, EREG_EFLAGS,
};

/* RFLAGS bits sigreturn takes from the frame (FIX_EFLAGS) */
#define FIX_EFLAGS 0x50dd5ULL /* AC|OF|DF|TF|SF|ZF|AF|PF|CF|RF */
#define EFLAGS_TF 0x100ULL
#define EFLAGS_DF 0x400ULL
#define EFLAGS_RF 0x10000ULL

_Static_assert(sizeof(((struct sigreturn_state *)0)->r) == sizeof(struct engine_regs), "register layout");

static bool sig_default_ignore(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static bool sig_default_stop(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* The action for SIG is "ignore" (explicitly or by default). */
static bool sig_ignored(const struct task *t, int sig)
{
	uint64_t h = t->sighand->action[sig].handler;
	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	return h == SIG_IGN_ || (h == SIG_DFL_ && sig_default_ignore(sig));
}

/* The action for SIG is the default "stop". */
static bool sig_stops(const struct task *t, int sig)
{
	return sig_default_stop(sig) && (sig == SIGSTOP || t->sighand->action[sig].handler == SIG_DFL_);
}

static bool sig_has_handler(const struct task *t, int sig)
{
	return t->sighand->action[sig].handler > SIG_IGN_;
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

/* Wake T from an interruptible sleep for a signal (signal_wake_up). */
static void signal_wake(struct sim *s, struct task *t)
{
	if (t->state != TASK_INTERRUPTIBLE || t->block == BLOCK_VFORK || t->block == BLOCK_PAGEIO)
		return;
	if (t->block == BLOCK_SLEEP && sim_now_ns(s) < t->wake_time)
		t->sleep_interrupted = true;
	task_wake(t);
}

/* --- the pending queue --- */

/* Drop the pending signals of MASK and their queued siginfo. */
static void flush_sigqueue_mask(struct sim *s, struct task *t, uint64_t mask)
{
	struct list_head *pos, *n;
	if (!(t->sigpending & mask))
		return;
	t->sigpending &= ~mask;
	list_for_each_safe(pos, n, &t->sigqueue) {
		struct sigqueue *q = list_entry(pos, struct sigqueue, list);
		if (!(SIGBIT(q->info.signo) & mask))
			continue;
		list_del(&q->list);
		kmem_cache_free(s->mem, s->procs->sigqueue_cachep, q);
		s->procs->nr_sigqueue--;
	}
}

void flush_signals(struct sim *s, struct task *t)
{
	flush_sigqueue_mask(s, t, ~0ULL);
}

/* Make SIG pending for T with INFO (__send_signal's queueing).  Returns 0,
 * or -EAGAIN when a real-time signal not sent by kill() finds the queue
 * full (RLIMIT_SIGPENDING of T, or no memory for the sigqueue). */
static int enqueue_signal(struct sim *s, struct task *t, int sig, const struct ksiginfo *info)
{
	struct proc_table *pt = s->procs;
	if (sig < SIGRTMIN_ && (t->sigpending & SIGBIT(sig)))
		return 0; /* legacy_queue: a standard signal is pending once */
	/* kill() and the kernel's standard signals never fail */
	bool override = sig < SIGRTMIN_ && info->code >= 0;
	struct sigqueue *q = NULL;
	if (override || pt->nr_sigqueue < t->signal->rlim[RLIMIT_SIGPENDING].cur)
		q = kmem_cache_zalloc(s->mem, pt->sigqueue_cachep, GFP_KERNEL);
	if (q) {
		q->info = *info;
		q->info.signo = sig;
		list_add_tail(&q->list, &t->sigqueue);
		pt->nr_sigqueue++;
	} else if (sig >= SIGRTMIN_ && info->code != SI_USER_) {
		trace_signal(s, t, sig, "overflow_fail");
		return -EAGAIN;
	} else {
		trace_signal(s, t, sig, "lose_info");
	}
	t->sigpending |= SIGBIT(sig);
	return 0;
}

/* Take the oldest instance of the pending SIG off T's queue into INFO
 * (collect_signal); the bit stays while another instance is queued. */
static void dequeue_signal(struct sim *s, struct task *t, int sig, struct ksiginfo *info)
{
	struct sigqueue *first = NULL;
	bool more = false;
	struct list_head *pos;
	list_for_each(pos, &t->sigqueue) {
		struct sigqueue *q = list_entry(pos, struct sigqueue, list);
		if (q->info.signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = q;
	}
	if (first) {
		*info = first->info;
		list_del(&first->list);
		kmem_cache_free(s->mem, s->procs->sigqueue_cachep, first);
		s->procs->nr_sigqueue--;
	} else {
		/* its siginfo was lost to a full queue */
		*info = (struct ksiginfo){ .signo = sig, .code = SI_USER_ };
	}
	if (!more)
		t->sigpending &= ~SIGBIT(sig);
}

/* --- job control --- */

/* Tell T's parent that T stopped or continued (do_notify_parent_cldstop):
 * SIGCHLD with WHY unless the parent set SA_NOCLDSTOP, and a wake-up for
 * wait4/waitid. */
static void notify_parent_cldstop(struct sim *s, struct task *t, int why, int status)
{
	struct task *p = t->parent;
	if (!p || p->state >= EXIT_ZOMBIE)
		return;
	if (!(p->sighand->action[SIGCHLD].flags & SA_NOCLDSTOP_)) {
		struct ksiginfo si = {
			.signo = SIGCHLD,
			.code = why,
			.pid = t->pid,
			.status = status,
			.utime = (t->insns + t->c_insns) / 10000000ULL, /* USER_HZ ticks */
		};
		group_send_sig_info(s, p, SIGCHLD, &si);
	}
	wake_up_parent(t);
}

/* Stop T for SIG (do_signal_stop): off the run queue until SIGCONT. */
static void do_signal_stop(struct sim *s, struct task *t, int sig)
{
	t->stopped = true;
	t->stop_code = sig;
	t->stop_unreported = true;
	t->continued = false;
	t->nvcsw++;
	trace_signal(s, t, sig, "stop");
	notify_parent_cldstop(s, t, CLD_STOPPED_, sig);
}

/* Process group PGRP has no member whose parent is in another group of
 * the same session (will_become_orphaned_pgrp).  mmsim's pid 1 counts as
 * the child of the shell that started the run. */
static bool pgrp_orphaned(struct sim *s, int pgrp)
{
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *p = list_entry(pos, struct task, tasks);
		if (p->pgid != pgrp || p->state >= EXIT_ZOMBIE)
			continue;
		if (!p->parent) {
			if (p == s->procs->init)
				return false;
			continue;
		}
		if (p->parent->pgid != pgrp && p->parent->sid == p->sid)
			return false;
	}
	return true;
}

/* The side effects of generating SIG whatever its action (prepare_signal):
 * a stop signal discards a pending SIGCONT; SIGCONT discards pending stop
 * signals and resumes a stopped T. */
static void prepare_signal(struct sim *s, struct task *t, int sig)
{
	if (sig_default_stop(sig)) {
		flush_sigqueue_mask(s, t, SIGBIT(SIGCONT));
		return;
	}
	if (sig != SIGCONT)
		return;
	flush_sigqueue_mask(s, t, STOP_MASK);
	if (!t->stopped)
		return;
	t->stopped = false;
	t->stop_unreported = false;
	t->continued = true;
	trace_signal(s, t, SIGCONT, "continue");
	notify_parent_cldstop(s, t, CLD_CONTINUED_, SIGCONT);
	/* signals that came during the stop (a SIGTERM waiting for SIGCONT)
	 * are handled now, not at the end of the sleep T stopped in */
	if (t->sigpending & ~t->sigmask)
		signal_wake(s, t);
}

/* SIG is fatal to T (complete_signal's group-exit path): T leaves any
 * sleep, stop or vfork wait and dies of SIG when do_signal() next runs for
 * it, before any user instruction. */
static void signal_group_exit(struct sim *s, struct task *t, int sig)
{
	/* every thread of the group gets SIGKILL (complete_signal) */
	struct task *th = t;
	do {
		if (th->state < EXIT_ZOMBIE) {
			th->fatal_sig = sig;
			th->sigpending |= SIGBIT(SIGKILL); /* ends the slice of a self-kill */
			th->stopped = false;
			if (th->state == TASK_INTERRUPTIBLE)
				task_wake(th);
		}
		th = list_entry(th->thread_group.next, struct task, thread_group);
	} while (th != t);
	trace_signal(s, t, sig, "fatal");
}

void send_sigkill_noalloc(struct sim *s, struct task *t)
{
	if (t->state >= EXIT_ZOMBIE || t->fatal_sig)
		return;
	prepare_signal(s, t, SIGKILL);
	signal_group_exit(s, t, SIGKILL);
}

/* Generate SIG for T (send_signal_locked).  Returns 0, or -EAGAIN when a
 * real-time signal cannot be queued (enqueue_signal). */
static int send_signal_locked(struct sim *s, struct task *t, int sig, const struct ksiginfo *info)
{
	struct ksiginfo kernel = { .signo = sig, .code = SI_KERNEL_ };
	if (sig <= 0 || sig >= TASK_NSIG || t->state >= EXIT_ZOMBIE)
		return 0;
	if (t->fatal_sig)
		return 0; /* dying: nothing to do (prepare_signal) */
	if (!info)
		info = &kernel;
	prepare_signal(s, t, sig);
	bool blocked = (t->sigmask & SIGBIT(sig)) && !(SIGBIT(sig) & UNBLOCKABLE);
	bool waited = t->state == TASK_INTERRUPTIBLE && t->block == BLOCK_SIGNAL && (t->sigwait_set & SIGBIT(sig));
	if (!blocked && !waited) {
		if (sig_ignored(t, sig)) {
			trace_signal(s, t, sig, "ignored");
			return 0; /* discarded at generation, as Linux does */
		}
		if (sig_stops(t, sig)) {
			if (sig != SIGSTOP && pgrp_orphaned(s, t->pgid))
				trace_signal(s, t, sig, "ignored (orphaned process group)");
			else if (!t->stopped)
				do_signal_stop(s, t, sig);
			return 0;
		}
	}
	int rc = enqueue_signal(s, t, sig, info);
	if (rc)
		return rc;
	if (waited) {
		signal_wake(s, t);
		return 0;
	}
	if (blocked)
		return 0;
	if (!sig_has_handler(t, sig) && !sig_stops(t, sig)) {
		/* default action: terminate (complete_signal's fatal path); a
		 * stopped task "wants" only SIGKILL: another fatal signal waits,
		 * pending, for SIGCONT (wants_signal) */
		if (t->stopped && sig != SIGKILL)
			return 0;
		flush_sigqueue_mask(s, t, SIGBIT(sig));
		signal_group_exit(s, t, sig);
		return 0;
	}
	signal_wake(s, t);
	return 0;
}

void send_signal_info(struct sim *s, struct task *t, int sig, const struct ksiginfo *info)
{
	(void)send_signal_locked(s, t, sig, info);
}

/* Does T take SIG now (wants_signal): not blocked, not exiting. */
static bool wants_signal(const struct task *t, int sig)
{
	return t->state < EXIT_ZOMBIE && !t->fatal_sig && !(t->sigmask & SIGBIT(sig) & ~UNBLOCKABLE);
}

/* The thread of T's group that takes a process-directed SIG
 * (complete_signal): T if it wants it, else the next thread after
 * signal->curr_target (in tid order, round robin) that does, else T. */
static struct task *pick_signal_target(struct task *t, int sig)
{
	if (wants_signal(t, sig) || list_empty(&t->thread_group))
		return t;
	struct task *leader = t->group_leader, *th = leader, *first = NULL, *after = NULL;
	do {
		if (wants_signal(th, sig)) {
			if (!first)
				first = th;
			if (!after && (uint64_t)th->pid > t->signal->curr_target)
				after = th;
		}
		th = list_entry(th->thread_group.next, struct task, thread_group);
	} while (th != leader);
	struct task *pick = after ? after : first;
	if (!pick)
		return t;
	t->signal->curr_target = (uint64_t)pick->pid;
	return pick;
}

static int group_send_sig_locked(struct sim *s, struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig > 0 && sig < TASK_NSIG)
		t = pick_signal_target(t, sig);
	return send_signal_locked(s, t, sig, info);
}

void group_send_sig_info(struct sim *s, struct task *t, int sig, const struct ksiginfo *info)
{
	(void)group_send_sig_locked(s, t, sig, info);
}

void send_signal(struct sim *s, struct task *t, int sig)
{
	send_signal_info(s, t, sig, NULL);
}

bool force_sig_fault(struct sim *s, struct task *t, const struct ksiginfo *info, void (*report)(void *ctx), void *ctx)
{
	int sig = info->signo;
	if (t->state >= EXIT_ZOMBIE)
		return true;
	if (sig_has_handler(t, sig) && !(t->sigmask & SIGBIT(sig))) {
		(void)enqueue_signal(s, t, sig, info);
		return false;
	}
	/* Blocked or ignored: Linux resets the action to SIG_DFL and unblocks. */
	if (report)
		report(ctx);
	trace_signal(s, t, sig, "terminate");
	do_group_exit(s, t, sig);
	return true;
}

/* --- the signal frame --- */

static void put64(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;
	memcpy(&v, b + off, 8);
	return v;
}

/* The user's struct siginfo (128 bytes) for K, by si_code class. */
static void siginfo_to_user(const struct ksiginfo *k, uint8_t b[128])
{
	memset(b, 0, 128);
	put32(b, 0, (uint32_t)k->signo);
	put32(b, 4, (uint32_t)k->errno_);
	put32(b, 8, (uint32_t)k->code);
	bool kernel = k->code > 0 && k->code != SI_KERNEL_;
	if (k->signo == SIGCHLD && kernel) {
		put32(b, 16, (uint32_t)k->pid);
		put32(b, 20, k->uid);
		put32(b, 24, (uint32_t)k->status);
		put64(b, 32, k->utime);
		put64(b, 40, k->stime);
	} else if ((SIGBIT(k->signo) & SYNCHRONOUS_MASK) && (kernel || k->code == SI_KERNEL_)) {
		put64(b, 16, k->addr);
	} else {
		put32(b, 16, (uint32_t)k->pid);
		put32(b, 20, k->uid);
		put64(b, 24, k->value); /* si_value (rt_sigqueueinfo; 0 for kill) */
	}
}

/* sp lies on T's alternate stack (the stack grows down, so the top is in). */
static bool on_sig_stack(const struct task *t, uint64_t sp)
{
	if (t->sas_ss_flags & SS_AUTODISARM_)
		return false;
	return sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size;
}

static uint32_t sas_ss_flags(const struct task *t, uint64_t sp)
{
	if (!t->sas_ss_size)
		return SS_DISABLE_;
	return on_sig_stack(t, sp) ? SS_ONSTACK_ : 0;
}

/* Apply the restart decision for a handler with flags SA_FLAGS to REGS:
 * EINTR (RAX = -EINTR, RIP past the SYSCALL, RCX/R11 as SYSCALL leaves
 * them) or restart (RIP stays on the SYSCALL, RAX the syscall number). */
static void syscall_restart_for_handler(struct sim *s, struct task *t, struct engine_regs *r, uint64_t sa_flags)
{
	if (t->restart_code) {
		bool eintr = t->restart_code == ERESTARTNOHAND || t->restart_code == ERESTART_RESTARTBLOCK ||
			     (t->restart_code == ERESTARTSYS && !(sa_flags & SA_RESTART_));
		if (eintr) {
			r->r[EREG_RAX] = (uint64_t)-EINTR;
			r->r[EREG_RIP] += 2;
			r->r[EREG_RCX] = r->r[EREG_RIP];
			r->r[EREG_R11] = r->r[EREG_EFLAGS];
			t->in_restart = false;
		}
		t->restart_code = 0;
	}
	if (t->sleep_interrupted) {
		/* nanosleep and friends slept past their SYSCALL: EINTR, and the
		 * time left for nanosleep's rem argument */
		t->sleep_interrupted = false;
		uint64_t now = sim_now_ns(s);
		if (now < t->wake_time) {
			r->r[EREG_RAX] = (uint64_t)-EINTR;
			if (t->sleep_rem) {
				uint64_t left = t->wake_time - now;
				int64_t ts[2] = { (int64_t)(left / 1000000000ULL), (int64_t)(left % 1000000000ULL) };
				(void)copy_to_user(t->eng, t->sleep_rem, ts, sizeof(ts));
			}
		}
		t->sleep_rem = 0;
	}
}

/* Build the rt_sigframe for SIG (action KA, info INFO) and enter the
 * handler.  Returns 0, or -EFAULT when the frame cannot be written (no
 * SA_RESTORER, unwritable stack, alternate stack overflow). */
static int setup_rt_frame(struct sim *s, struct task *t, int sig, const struct ksiginfo *info,
			  const struct k_sigaction *ka)
{
	struct engine *e = t->eng;
	struct engine_regs r;
	uint8_t frame[FRAME_SIZE], fx[FPSTATE_SIZE];

	engine_regs_read(e, &r);
	syscall_restart_for_handler(s, t, &r, ka->flags);
	if (!(ka->flags & SA_RESTORER_))
		return -EFAULT; /* "x86-64 should always use SA_RESTORER" */

	uint64_t usp = r.r[EREG_RSP];
	bool nested_altstack = on_sig_stack(t, usp), entering_altstack = false;
	uint64_t sp = usp - 128; /* the red zone */
	if ((ka->flags & SA_ONSTACK_) && sas_ss_flags(t, sp) == 0) {
		sp = t->sas_ss_sp + t->sas_ss_size;
		entering_altstack = true;
	}
	uint64_t fp = (sp - FPSTATE_SIZE) & ~63ULL;
	uint64_t fa = ((fp - FRAME_SIZE) & ~15ULL) - 8;
	if ((nested_altstack || entering_altstack) && !(fa > t->sas_ss_sp && fa - t->sas_ss_sp <= t->sas_ss_size))
		return -EFAULT; /* would overflow the alternate stack */
	if (fa >= TASK_SIZE_MAX || fp >= TASK_SIZE_MAX)
		return -EFAULT;

	memset(frame, 0, sizeof(frame));
	put64(frame, 0, ka->restorer);
	put64(frame, FRAME_UC, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
	put64(frame, FRAME_UC + 8, 0); /* uc_link */
	put64(frame, UC_STACK, t->sas_ss_sp);
	put32(frame, UC_STACK + 8, sas_ss_flags(t, usp) | (t->sas_ss_flags & SS_AUTODISARM_));
	put64(frame, UC_STACK + 16, t->sas_ss_size);
	for (int i = 0; i <= SC_EFLAGS; i++)
		put64(frame, UC_MCONTEXT + 8 * (size_t)i, r.r[sc_regs[i]]);
	uint16_t segs[4] = { USER_CS, 0, 0, USER_SS }; /* cs, gs, fs, ss */
	memcpy(frame + UC_MCONTEXT + 8 * SC_SEGS, segs, 8);
	put64(frame, UC_MCONTEXT + 8 * SC_ERR, info->error_code);
	put64(frame, UC_MCONTEXT + 8 * SC_TRAPNO, info->trapno);
	uint64_t oldmask = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
	put64(frame, UC_MCONTEXT + 8 * SC_OLDMASK, oldmask);
	put64(frame, UC_MCONTEXT + 8 * SC_CR2, info->cr2);
	put64(frame, UC_MCONTEXT + 8 * SC_FPSTATE, fp);
	put64(frame, UC_SIGMASK, oldmask);
	if (ka->flags & SA_SIGINFO_)
		siginfo_to_user(info, frame + FRAME_INFO);
	engine_fxsave(e, fx);
	if (copy_to_user(e, fp, fx, sizeof(fx)) || copy_to_user(e, fa, frame, (ka->flags & SA_SIGINFO_) ? FRAME_SIZE : FRAME_INFO))
		return -EFAULT;
	if (t->sas_ss_flags & SS_AUTODISARM_) {
		t->sas_ss_sp = 0;
		t->sas_ss_size = 0;
		t->sas_ss_flags = 0;
	}

	r.r[EREG_RDI] = (uint64_t)sig;
	r.r[EREG_RSI] = fa + FRAME_INFO;
	r.r[EREG_RDX] = fa + FRAME_UC;
	r.r[EREG_RAX] = 0;
	r.r[EREG_RSP] = fa;
	r.r[EREG_RIP] = ka->handler;
	r.r[EREG_EFLAGS] &= ~(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
	engine_regs_write(e, &r);
	engine_fpu_init(e);

	/* signal_delivered(): block sa_mask and (unless SA_NODEFER) SIG */
	uint64_t blocked = t->sigmask | ka->mask;
	if (!(ka->flags & SA_NODEFER_))
		blocked |= SIGBIT(sig);
	t->sigmask = blocked & ~UNBLOCKABLE;
	t->restore_sigmask = false;
	t->in_restart = false;
	fifo_open_abort(t); /* an interrupted FIFO open ends (Linux's err_rd, err_wr) */
	t->nsignals++;
	trace_signal(s, t, sig, "handler");
	return 0;
}

/* force_sigsegv(): the frame for SIG could not be built. */
static void force_sigsegv(struct sim *s, struct task *t, int sig)
{
	if (sig == SIGSEGV || !sig_has_handler(t, SIGSEGV) || (t->sigmask & SIGBIT(SIGSEGV))) {
		fprintf(stderr, "mmsim: pid %d (%s) killed by SIGSEGV: cannot build the frame for signal %d\n", t->pid,
			t->comm, sig);
		trace_signal(s, t, SIGSEGV, "terminate");
		do_group_exit(s, t, SIGSEGV);
		return;
	}
	struct ksiginfo si = { .signo = SIGSEGV, .code = SI_KERNEL_ };
	(void)enqueue_signal(s, t, SIGSEGV, &si);
}

/* The next signal to deliver out of READY: synchronous ones first, then
 * the lowest number (next_signal()). */
static int next_signal(uint64_t ready)
{
	uint64_t sync = ready & SYNCHRONOUS_MASK;
	uint64_t m = sync ? sync : ready;
	return __builtin_ctzll(m) + 1;
}

/* Load the registers rt_sigreturn took from the frame. */
static void apply_sigreturn(struct task *t)
{
	struct engine_regs r;
	t->notify_resume = false;
	if (!t->eng)
		return;
	memcpy(r.r, t->sigreturn.r, sizeof(r.r));
	engine_regs_write(t->eng, &r);
	if (t->sigreturn.fx_valid)
		engine_fxrstor(t->eng, t->sigreturn.fx);
	else
		engine_fpu_init(t->eng);
}

void do_signal(struct sim *s, struct task *t)
{
	if (t->notify_resume)
		apply_sigreturn(t);
	if (t->fatal_sig && t->state < EXIT_ZOMBIE) {
		/* a fatal signal came while T slept, was stopped or ran */
		trace_signal(s, t, t->fatal_sig, "terminate");
		do_group_exit(s, t, t->fatal_sig);
		return;
	}
	if (!t->eng || t->state != TASK_RUNNING || t->stopped)
		return;
	if (t->in_restart && !t->restart_code)
		return; /* the interrupted call runs again first (it may complete) */
	bool delivered = false;
	for (int guard = 0; guard < 4 * TASK_NSIG && t->state == TASK_RUNNING && !t->stopped; guard++) {
		uint64_t ready = t->sigpending & ~t->sigmask;
		if (!ready)
			break;
		int sig = next_signal(ready);
		struct ksiginfo info;
		dequeue_signal(s, t, sig, &info);
		struct k_sigaction ka = t->sighand->action[sig];
		if (ka.handler == SIG_IGN_)
			continue;
		if (ka.handler == SIG_DFL_) {
			if (sig_default_ignore(sig))
				continue;
			if (sig_default_stop(sig)) {
				/* a stop signal that was blocked, now unblocked */
				if (sig != SIGSTOP && pgrp_orphaned(s, t->pgid))
					continue;
				do_signal_stop(s, t, sig);
				break;
			}
			trace_signal(s, t, sig, "terminate");
			do_group_exit(s, t, sig);
			return;
		}
		if (ka.flags & SA_RESETHAND_) {
			t->sighand->action[sig].handler = SIG_DFL_;
			sighand_changed(s->procs, t->sighand);
		}
		if (setup_rt_frame(s, t, sig, &info, &ka) != 0) {
			force_sigsegv(s, t, sig);
			continue;
		}
		delivered = true;
	}
	if (!delivered && t->restart_code) {
		/* no handler ran: the call restarts (restore the mask it replaced) */
		t->restart_code = 0;
		if (t->restore_sigmask) {
			t->sigmask = t->saved_sigmask;
			t->restore_sigmask = false;
		}
	}
	if (!delivered)
		t->sleep_interrupted = false;
}

/* --- timers --- */

void run_itimers(struct sim *s, uint64_t now)
{
	struct list_head *pos, *n;
	list_for_each_safe(pos, n, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state >= EXIT_ZOMBIE || !t->itimer_real || now < t->itimer_real)
			continue;
		if (t->itimer_interval) {
			t->itimer_real += t->itimer_interval;
			if (t->itimer_real <= now)
				t->itimer_real = now + t->itimer_interval;
		} else {
			t->itimer_real = 0;
		}
		struct ksiginfo si = { .signo = SIGALRM, .code = SI_KERNEL_ };
		group_send_sig_info(s, t, SIGALRM, &si);
	}
}


/* --- system calls --- */

/* kill() semantics for one target: permission is always granted (the
 * guest runs as root). */
static long kill_one(struct sim *s, struct task *t, struct task *p, int sig, int code)
{
	if (p->state >= EXIT_ZOMBIE && code != SI_TKILL_ && !thread_group_empty(p)) {
		/* a zombie leader: the process lives on in its other threads */
		struct list_head *pos;
		list_for_each(pos, &p->thread_group) {
			struct task *o = list_entry(pos, struct task, thread_group);
			if (o->state < EXIT_ZOMBIE) {
				p = o;
				break;
			}
		}
	}
	if (p->state >= EXIT_ZOMBIE)
		return 0;
	if (sig) {
		struct ksiginfo si = { .signo = sig, .code = code, .pid = t->tgid, .uid = 0 };
		if (code == SI_TKILL_)
			return send_signal_locked(s, p, sig, &si);
		return group_send_sig_locked(s, p, sig, &si);
	}
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
		if (!p || p->state == EXIT_DEAD || (p->state == EXIT_ZOMBIE && p != p->group_leader))
			return -ESRCH;
		return kill_one(s, t, p, sig, SI_USER_);
	}
	int pgid = pid == 0 ? t->pgid : -pid;
	/* Signal everyone first, self last, so T stays valid while iterating. */
	list_for_each_safe(pos, n, &s->procs->tasks) {
		struct task *p = list_entry(pos, struct task, tasks);
		if (p->tgid == t->tgid || p != p->group_leader || (p->state >= EXIT_ZOMBIE && thread_group_empty(p)))
			continue; /* one signal per process */
		if (pid == -1 ? p->pid != 1 : p->pgid == pgid) {
			found++;
			kill_one(s, t, p, sig, SI_USER_);
		}
	}
	if (pid == -1 ? false : t->pgid == pgid) {
		found++;
		kill_one(s, t, t, sig, SI_USER_);
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
	return kill_one(s, t, p, sig, SI_TKILL_);
}

SYSCALL_DEFINE(tgkill)
{
	int tgid = (int)a[0], tid = (int)a[1], sig = (int)a[2];
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig >= TASK_NSIG)
		return -EINVAL;
	struct task *p = find_task_by_pid(s, tid);
	if (!p || p->state >= EXIT_ZOMBIE || p->tgid != tgid)
		return -ESRCH;
	return kill_one(s, t, p, sig, SI_TKILL_);
}

/* rt_sigqueueinfo / rt_tgsigqueueinfo for PID with the user's siginfo at
 * UINFO (do_rt_sigqueueinfo): the caller may not pose as the kernel or
 * kill() (si_code >= 0 or SI_TKILL) except towards itself.  Returns 0,
 * -EFAULT, -EPERM, -EINVAL, -ESRCH, or -EAGAIN (queue full). */
static long do_rt_sigqueueinfo(struct sim *s, struct task *t, int pid, int sig, uint64_t uinfo)
{
	uint8_t b[128];
	struct ksiginfo si;
	if (copy_from_user(t->eng, b, uinfo, sizeof(b)))
		return -EFAULT;
	memset(&si, 0, sizeof(si));
	memcpy(&si.errno_, b + 4, 4);
	memcpy(&si.code, b + 8, 4);
	memcpy(&si.pid, b + 16, 4);
	memcpy(&si.uid, b + 20, 4);
	memcpy(&si.value, b + 24, 8);
	si.signo = sig;
	if ((si.code >= 0 || si.code == SI_TKILL_) && pid != t->pid)
		return -EPERM;
	struct task *p = pid > 0 ? find_task_by_pid(s, pid) : NULL;
	if (!p || p->state >= EXIT_ZOMBIE)
		return -ESRCH;
	if (sig < 0 || sig >= TASK_NSIG)
		return -EINVAL;
	return sig ? send_signal_locked(s, p, sig, &si) : 0;
}

SYSCALL_DEFINE(rt_sigqueueinfo)
{
	return do_rt_sigqueueinfo(s, t, (int)a[0], (int)a[1], a[2]);
}

SYSCALL_DEFINE(rt_tgsigqueueinfo)
{
	int tgid = (int)a[0], tid = (int)a[1];
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct task *p = find_task_by_pid(s, tid);
	if (!p || p->state >= EXIT_ZOMBIE || p->tgid != tgid)
		return -ESRCH;
	return do_rt_sigqueueinfo(s, t, tid, (int)a[2], a[3]);
}

SYSCALL_DEFINE(rt_sigaction)
{
	int sig = (int)a[0];
	struct k_sigaction act, old;
	if (a[3] != 8)
		return -EINVAL;
	if (sig < 1 || sig >= TASK_NSIG)
		return -EINVAL;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	old = t->sighand->action[sig];
	if (a[1]) {
		if (copy_from_user(t->eng, &act, a[1], sizeof(act)))
			return -EFAULT;
		act.mask &= ~UNBLOCKABLE;
	}
	if (a[2] && copy_to_user(t->eng, a[2], &old, sizeof(old)))
		return -EFAULT;
	if (a[1]) {
		t->sighand->action[sig] = act;
		sighand_changed(s->procs, t->sighand);
		/* POSIX: setting a pending signal's action to ignore discards it */
		if (sig_ignored(t, sig))
			flush_sigqueue_mask(s, t, SIGBIT(sig));
	}
	return 0;
}

SYSCALL_DEFINE(rt_sigprocmask)
{
	(void)s;
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
	/* A signal this unblocked is delivered before the call returns to
	 * user mode (task_must_stop sees it). */
	return 0;
}

SYSCALL_DEFINE(rt_sigpending)
{
	(void)s;
	if (a[1] > 8)
		return -EINVAL;
	uint64_t set = t->sigpending & t->sigmask;
	return copy_to_user(t->eng, a[0], &set, (size_t)a[1]) ? -EFAULT : 0;
}

/* One sigreturn went wrong: "badframe" -> SIGSEGV. */
static long bad_frame(struct sim *s, struct task *t, uint64_t frame, const char *why)
{
	struct ksiginfo si = { .signo = SIGSEGV, .code = SI_KERNEL_ };
	if (!sig_has_handler(t, SIGSEGV) || (t->sigmask & SIGBIT(SIGSEGV)))
		fprintf(stderr, "mmsim: pid %d (%s) killed by SIGSEGV: rt_sigreturn: %s (frame at 0x%llx)\n", t->pid,
			t->comm, why, (unsigned long long)frame);
	force_sig_fault(s, t, &si, NULL, NULL);
	return -EFAULT;
}

/* sigaltstack's work for NEW (NULL: query) at user stack pointer SP;
 * OLD gets the previous setting.  Returns 0 or -EPERM/-EINVAL/-ENOMEM. */
static long do_sigaltstack(struct task *t, const uint8_t *nw, uint8_t old[24], uint64_t sp)
{
	if (old) {
		memset(old, 0, 24);
		put64(old, 0, t->sas_ss_sp);
		put32(old, 8, sas_ss_flags(t, sp) | (t->sas_ss_flags & SS_AUTODISARM_));
		put64(old, 16, t->sas_ss_size);
	}
	if (!nw)
		return 0;
	uint64_t ss_sp = get64(nw, 0), ss_size = get64(nw, 16);
	uint32_t flags;
	memcpy(&flags, nw + 8, 4);
	if (on_sig_stack(t, sp))
		return -EPERM;
	uint32_t mode = flags & ~SS_AUTODISARM_;
	if (mode != SS_DISABLE_ && mode != SS_ONSTACK_ && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE_) {
		t->sas_ss_sp = 0;
		t->sas_ss_size = 0;
		t->sas_ss_flags = 0;
		return 0;
	}
	if (ss_size < MINSIGSTKSZ_)
		return -ENOMEM;
	t->sas_ss_sp = ss_sp;
	t->sas_ss_size = ss_size;
	t->sas_ss_flags = flags & SS_AUTODISARM_;
	return 0;
}

SYSCALL_DEFINE(rt_sigreturn)
{
	(void)a;
	struct engine *e = t->eng;
	uint8_t frame[FRAME_SIZE];
	uint64_t usp = engine_reg_read(e, EREG_RSP);
	uint64_t fa = usp - 8; /* the handler's RET popped pretcode */
	if (copy_from_user(e, frame, fa, FRAME_INFO))
		return bad_frame(s, t, fa, "frame not readable");
	uint16_t segs[4];
	memcpy(segs, frame + UC_MCONTEXT + 8 * SC_SEGS, 8);
	uint64_t uc_flags = get64(frame, FRAME_UC);
	if ((segs[0] | 3) != USER_CS || ((uc_flags & UC_STRICT_RESTORE_SS) && (segs[3] | 3) != USER_SS))
		return bad_frame(s, t, fa, "bad CS/SS in the sigcontext");
	struct sigreturn_state *st = &t->sigreturn;
	struct engine_regs r;
	engine_regs_read(e, &r);
	uint64_t eflags = r.r[EREG_EFLAGS];
	for (int i = 0; i <= SC_EFLAGS; i++)
		r.r[sc_regs[i]] = get64(frame, UC_MCONTEXT + 8 * (size_t)i);
	r.r[EREG_EFLAGS] = (eflags & ~FIX_EFLAGS) | (r.r[EREG_EFLAGS] & FIX_EFLAGS) | 0x2;
	uint64_t fp = get64(frame, UC_MCONTEXT + 8 * SC_FPSTATE);
	st->fx_valid = fp != 0;
	if (fp) {
		if (fp & 15)
			return bad_frame(s, t, fa, "misaligned fpstate");
		if (copy_from_user(e, st->fx, fp, FPSTATE_SIZE))
			return bad_frame(s, t, fa, "fpstate not readable");
	}
	memcpy(st->r, r.r, sizeof(st->r));
	t->sigmask = get64(frame, UC_SIGMASK) & ~UNBLOCKABLE;
	(void)do_sigaltstack(t, frame + UC_STACK, NULL, r.r[EREG_RSP]); /* errors ignored, as Linux */
	t->notify_resume = true;
	t->in_restart = false;
	t->restart_code = 0;
	return (long)r.r[EREG_RAX];
}

SYSCALL_DEFINE(sigaltstack)
{
	(void)s;
	uint8_t nw[24], old[24];
	uint64_t sp = engine_reg_read(t->eng, EREG_RSP);
	if (a[0] && copy_from_user(t->eng, nw, a[0], sizeof(nw)))
		return -EFAULT;
	long rc = do_sigaltstack(t, a[0] ? nw : NULL, old, sp);
	if (rc)
		return rc;
	if (a[1] && copy_to_user(t->eng, a[1], old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* Sleep until a signal arrives (BLOCK_SIGNAL, no timeout). */
static void sleep_for_signal(struct task *t)
{
	task_sleep(t, BLOCK_SIGNAL, UINT64_MAX, NULL);
}

long set_user_sigmask(struct task *t, uint64_t umask, uint64_t sigsetsize)
{
	uint64_t mask;
	if (!umask)
		return 0;
	if (sigsetsize != 8)
		return -EINVAL;
	if (copy_from_user(t->eng, &mask, umask, 8))
		return -EFAULT;
	if (!t->restore_sigmask) {
		t->saved_sigmask = t->sigmask;
		t->restore_sigmask = true;
	}
	t->sigmask = mask & ~UNBLOCKABLE;
	return 0;
}

void restore_saved_sigmask_unless(struct task *t, bool interrupted)
{
	if (interrupted || !t->restore_sigmask)
		return;
	t->sigmask = t->saved_sigmask;
	t->restore_sigmask = false;
}

SYSCALL_DEFINE(rt_sigsuspend)
{
	(void)s;
	if (a[1] != 8)
		return -EINVAL;
	if (!a[0])
		return -EFAULT;
	long rc = set_user_sigmask(t, a[0], a[1]);
	if (rc)
		return rc;
	if (!(t->sigpending & ~t->sigmask))
		sleep_for_signal(t);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE(pause)
{
	(void)s;
	(void)a;
	if (!(t->sigpending & ~t->sigmask))
		sleep_for_signal(t);
	return -ERESTARTNOHAND;
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize): take a pending signal of
 * SET; the signals of SET are unblocked while waiting; another signal
 * interrupts with EINTR; a timeout gives EAGAIN. */
SYSCALL_DEFINE(rt_sigtimedwait)
{
	uint64_t set;
	if (a[3] != 8)
		return -EINVAL;
	if (copy_from_user(t->eng, &set, a[0], 8))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	uint64_t deadline = UINT64_MAX;
	if (a[2]) {
		int64_t ts[2];
		if (copy_from_user(t->eng, ts, a[2], sizeof(ts)))
			return -EFAULT;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
			return -EINVAL;
		/* the deadline is fixed by the first call, not by re-executions */
		deadline = t->restarting ? t->wake_time
					 : sim_now_ns(s) + (uint64_t)ts[0] * 1000000000ULL + (uint64_t)ts[1];
	}
	t->sigwait_set = 0;
	uint64_t ready = t->sigpending & set;
	if (ready) {
		int sig = next_signal(ready);
		struct ksiginfo info;
		dequeue_signal(s, t, sig, &info);
		if (a[1]) {
			uint8_t b[128];
			siginfo_to_user(&info, b);
			if (copy_to_user(t->eng, a[1], b, sizeof(b)))
				return -EFAULT;
		}
		return sig;
	}
	if (t->sigpending & ~t->sigmask)
		return -EINTR;
	if (sim_now_ns(s) >= deadline)
		return -EAGAIN;
	t->sigwait_set = set;
	task_sleep(t, BLOCK_SIGNAL, deadline, NULL);
	return -ERESTARTNOINTR;
}

/* --- ITIMER_REAL, alarm --- */

#define ITIMER_REAL_ 0

static void ns_to_timeval(uint64_t ns, int64_t tv[2])
{
	tv[0] = (int64_t)(ns / 1000000000ULL);
	tv[1] = (int64_t)(ns % 1000000000ULL / 1000);
}

/* Current setting of T's ITIMER_REAL as struct itimerval {interval, value}. */
static void itimer_get(struct sim *s, struct task *t, int64_t v[4])
{
	uint64_t now = sim_now_ns(s);
	uint64_t left = t->itimer_real > now ? t->itimer_real - now : (t->itimer_real ? 1000 : 0);
	ns_to_timeval(t->itimer_interval, v);
	ns_to_timeval(left, v + 2);
}

SYSCALL_DEFINE(getitimer)
{
	int64_t v[4];
	if ((int)a[0] != ITIMER_REAL_)
		return -EINVAL; /* ITIMER_VIRTUAL / ITIMER_PROF are not modelled */
	itimer_get(s, t, v);
	return copy_to_user(t->eng, a[1], v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(setitimer)
{
	int64_t nv[4], old[4];
	if ((int)a[0] != ITIMER_REAL_)
		return -EINVAL; /* ITIMER_VIRTUAL / ITIMER_PROF are not modelled */
	if (a[1]) {
		if (copy_from_user(t->eng, nv, a[1], sizeof(nv)))
			return -EFAULT;
		if (nv[0] < 0 || nv[1] < 0 || nv[1] >= 1000000 || nv[2] < 0 || nv[3] < 0 || nv[3] >= 1000000)
			return -EINVAL;
	}
	itimer_get(s, t, old);
	if (a[2] && copy_to_user(t->eng, a[2], old, sizeof(old)))
		return -EFAULT;
	if (a[1]) {
		uint64_t value = (uint64_t)nv[2] * 1000000000ULL + (uint64_t)nv[3] * 1000ULL;
		t->itimer_interval = (uint64_t)nv[0] * 1000000000ULL + (uint64_t)nv[1] * 1000ULL;
		t->itimer_real = value ? sim_now_ns(s) + value : 0;
	}
	return 0;
}

SYSCALL_DEFINE(alarm)
{
	int64_t old[4];
	itimer_get(s, t, old);
	long ret = (long)old[2];
	if ((!old[2] && old[3]) || old[3] >= 500000)
		ret++; /* alarm_setitimer's rounding */
	t->itimer_interval = 0;
	t->itimer_real = (uint32_t)a[0] ? sim_now_ns(s) + (uint64_t)(uint32_t)a[0] * 1000000000ULL : 0;
	return ret;
}
