/* sim/sched.c - the deterministic round-robin scheduler.
 *
 * Tasks run in pid order, each for up to cfg.quantum guest instructions
 * (less when --max-insns is near).  A slice also ends at a syscall that
 * blocks, yields, forks a vfork child, execs or exits.  Blocked tasks are
 * woken here: a sleeper when simulated time reaches its wake time, a pipe
 * reader/writer when the pipe changed; wait4 and vfork parents are woken by
 * do_exit/exec directly.  When nothing can run but some task sleeps, time
 * jumps to the earliest wake time (idle time, no instructions).  A task
 * stopped by a job-control signal (task->stopped) is never picked, whatever
 * its state, until SIGCONT.  When nothing can run and nothing sleeps with a
 * finite wake time, every process is blocked or stopped for good: the run
 * stops with "deadlock: ..." (exit status 125, RUN_EXIT_DEADLOCK), naming
 * the stopped processes, if any, since nothing is left to send them
 * SIGCONT.
 *
 * Signals (sim/signal.c): before every slice do_signal() delivers what is
 * pending (default actions, or a handler's frame); a slice that a syscall
 * ended only for that (task_must_stop sees an unblocked pending signal or
 * rt_sigreturn's state) continues with the rest of its budget.  ITIMER_REAL
 * timers fire at the top of each round (SIGALRM), and a task's slice is cut
 * to end when its own timer expires; sleepers count timers as wake times.
 * A fault (ENGINE_FAULT/ENGINE_SIGNAL) runs the guest's handler if one is
 * installed and the signal is not blocked; otherwise the report is printed
 * and the task dies (force_sig_fault).
 *
 * Nothing here depends on the host: the order of events is a function of
 * the program, its input, the configuration and the seed only.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mmu/memory.h"
#include "sim/pipe.h"
#include "sim/report.h"
#include "sim/sys_internal.h"

/* Make T runnable if what it waits for happened. */
static void try_wake(struct sim *s, struct task *t)
{
	if (t->state != TASK_INTERRUPTIBLE)
		return;
	if (t->block == BLOCK_SLEEP && sim_now_ns(s) >= t->wake_time) {
		t->state = TASK_RUNNING;
		t->block = BLOCK_NONE;
	} else if (t->block == BLOCK_SIGNAL && t->wake_time != UINT64_MAX && sim_now_ns(s) >= t->wake_time) {
		t->state = TASK_RUNNING; /* rt_sigtimedwait's timeout */
		t->block = BLOCK_NONE;
	} else if (t->block == BLOCK_PIPE && ((struct pipe_inode *)t->wait_obj)->ver != t->wait_ver) {
		t->state = TASK_RUNNING;
		t->block = BLOCK_NONE;
		t->wait_obj = NULL;
	}
}

/* Free tasks that were reaped (EXIT_DEAD). */
static void free_dead(struct sim *s)
{
	struct list_head *pos, *n;
	list_for_each_safe(pos, n, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state == EXIT_DEAD && t != s->procs->current)
			task_free(s, t);
	}
}

/* The next runnable task after pid LAST in round-robin order, or NULL. */
static struct task *pick_next(struct sim *s, int last)
{
	struct task *first = NULL, *after = NULL;
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		try_wake(s, t);
		if (t->state != TASK_RUNNING || !t->eng || t->stopped)
			continue;
		if (!first)
			first = t;
		if (!after && t->pid > last)
			after = t;
	}
	return after ? after : first;
}

/* Earliest finite wake time of a sleeper, or UINT64_MAX. */
static uint64_t next_wake(struct sim *s)
{
	uint64_t w = UINT64_MAX;
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state == TASK_INTERRUPTIBLE && (t->block == BLOCK_SLEEP || t->block == BLOCK_SIGNAL) &&
		    t->wake_time < w)
			w = t->wake_time;
	}
	uint64_t it = next_itimer(s);
	return it < w ? it : w;
}

static void stop_run(struct sim *s, const char *why)
{
	s->procs->stop = true;
	snprintf(s->procs->stop_reason, sizeof(s->procs->stop_reason), "%s", why);
}

/* The deadlock message: every live task blocked, or stopped (named). */
static void stop_deadlock(struct sim *s)
{
	char msg[320];
	size_t n = 0;
	int nstopped = 0;
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state >= EXIT_ZOMBIE || !t->stopped)
			continue;
		if (n == 0)
			n = (size_t)snprintf(msg, sizeof(msg), "deadlock: every process is stopped or blocked; stopped:");
		if (n < sizeof(msg)) {
			const char *name = sigabbrev_np(t->stop_code);
			n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s pid %d (%s) by SIG%s", nstopped ? "," : "",
					      t->pid, t->comm, name ? name : "?");
		}
		nstopped++;
	}
	if (!nstopped) {
		stop_run(s, "deadlock: every process is blocked");
		return;
	}
	if (n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, "; nothing can send SIGCONT");
	stop_run(s, msg);
}

static void report_fault(void *eng)
{
	engine_report_fault(eng, stderr);
}

/* Handle the end of T's slice. */
static void after_slice(struct sim *s, struct task *t, enum engine_stop why, struct engine *eng)
{
	struct proc_table *pt = s->procs;
	if (t->mm_to_drop) {
		task_mmput(s, t->mm_to_drop);
		t->mm_to_drop = NULL;
	}
	task_sync_counters(s, t);
	switch (why) {
	case ENGINE_BUDGET:
		if (t->state == TASK_RUNNING)
			t->nivcsw++;
		break;
	case ENGINE_SYSCALL:
		break;
	case ENGINE_FAULT:
	case ENGINE_SIGNAL:
		if (eng == t->eng && t->state < EXIT_ZOMBIE) {
			const struct engine_fault *f = engine_fault(eng);
			struct ksiginfo si = { .signo = f->signo, .code = f->si_code, .addr = f->addr };
			bool trap = f->signo == SIGILL || f->signo == SIGFPE || f->signo == SIGTRAP || f->si_code == 0x80;
			if (trap) {
				/* hook_intr: error_code is the vector, si_addr the instruction */
				si.trapno = f->error_code;
				si.addr = f->signo == SIGSEGV ? 0 : f->rip;
			} else if (f->kind == EFAULT_NON_CANONICAL) {
				si.trapno = 13; /* #GP */
				si.code = 0x80;
				si.addr = 0;
			} else {
				si.trapno = 14; /* #PF */
				si.error_code = f->error_code;
				si.cr2 = f->addr;
			}
			progress_clear(s->procs);
			force_sig_fault(s, t, &si, report_fault, eng);
		}
		break;
	case ENGINE_ERROR: {
		char msg[300];
		snprintf(msg, sizeof(msg), "pid %d: emulator error: %s", t->pid,
			 eng == t->eng ? engine_error(eng) : "engine replaced");
		stop_run(s, msg);
		break;
	}
	}
	t->need_resched = false;
	(void)pt;
}

/* Run T for up to BUDGET instructions.  Pending signals are delivered
 * before each return to user mode (do_signal); a slice that a syscall
 * stopped only so that a signal could be delivered (or rt_sigreturn's
 * registers applied) goes on with the rest of the budget. */
static void run_task(struct sim *s, struct task *t, uint64_t budget)
{
	if (t->itimer_real) {
		/* end the slice when T's own ITIMER_REAL expires */
		uint64_t now = sim_now_ns(s);
		if (t->itimer_real > now && t->itimer_real - now < budget)
			budget = t->itimer_real - now;
	}
	for (int round = 0; round < 64 && budget > 0; round++) {
		do_signal(s, t);
		if (t->state != TASK_RUNNING || !t->eng || t->stopped) {
			if (t->mm_to_drop) { /* killed before it ran: no slice to wait for */
				task_mmput(s, t->mm_to_drop);
				t->mm_to_drop = NULL;
			}
			return;
		}
		trace_set_clock(s->trace, s->insns, t->pid);
		task_snap_counters(t);
		struct engine *eng = t->eng;
		uint64_t retired = 0;
		enum engine_stop why = engine_run(eng, budget, &retired);
		bool resched = t->need_resched;
		after_slice(s, t, why, eng);
		budget = retired < budget ? budget - retired : 0;
		if (why != ENGINE_SYSCALL || resched || t->state != TASK_RUNNING || t->stopped || t->eng != eng)
			break;
	}
}

int schedule_loop(struct sim *s)
{
	struct proc_table *pt = s->procs;
	int last = 0;
	while (!pt->init_exited && !pt->stop) {
		free_dead(s);
		uint64_t budget = s->cfg.quantum ? s->cfg.quantum : 100000;
		if (s->cfg.max_insns) {
			if (s->insns >= s->cfg.max_insns) {
				char msg[128];
				snprintf(msg, sizeof(msg), "instruction limit reached (--max-insns %llu)",
					 (unsigned long long)s->cfg.max_insns);
				stop_run(s, msg);
				break;
			}
			if (s->cfg.max_insns - s->insns < budget)
				budget = s->cfg.max_insns - s->insns;
		}
		run_itimers(s, sim_now_ns(s));
		struct task *t = pick_next(s, last);
		if (!t) {
			uint64_t w = next_wake(s);
			if (w == UINT64_MAX) {
				stop_deadlock(s);
				break;
			}
			uint64_t now = sim_now_ns(s);
			if (w > now)
				pt->idle_ns += w - now;
			continue;
		}
		if (pt->current != t) {
			pt->ctx_switches++;
			struct trace_event ev = trace_event_init(TEV_SCHED);
			ev.value = t->pid;
			trace_emit(s->trace, &ev);
		}
		pt->current = t;
		last = t->pid;
		run_task(s, t, budget);
		if (pt->progress)
			pt->progress(s, pt->progress_ctx);
	}
	pt->current = NULL;
	free_dead(s);
	return pt->stop ? -1 : 0;
}
