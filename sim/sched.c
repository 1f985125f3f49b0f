/* sim/sched.c - the deterministic round-robin scheduler.
 *
 * Tasks run in pid order, each for up to cfg.quantum guest instructions
 * (less when --max-insns is near).  A slice also ends at a syscall that
 * blocks, yields, forks a vfork child, execs or exits.  Blocked tasks are
 * woken here (sim/wait.h): a sleeper when simulated time reaches its
 * timeout, a task in pipe I/O, poll or select when an object of its wait
 * set changed; wait4 and vfork parents are woken by do_exit/exec directly.
 * When nothing can run but a timeout or an ITIMER_REAL timer is pending,
 * time jumps to the earliest (idle time, no instructions); a periodic timer
 * that fired while nothing could run and woke nobody is not a reason to
 * jump again.  A task stopped by a job-control signal (task->stopped) is
 * never picked, whatever its state, until SIGCONT.  When nothing can run
 * and nothing is pending, every process is blocked or stopped for good:
 * the run stops with "deadlock: ..." (exit status 125, RUN_EXIT_DEADLOCK),
 * naming what each blocked task waits in (its wchan) and the stopped
 * processes, since nothing is left to send them SIGCONT.  So a run in
 * which no task can make progress never spins.
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

#include "mm/page_pcp.h"
#include "mm/vmscan.h"
#include "mmu/memory.h"
#include "mmu/smp.h"
#include "sim/report.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"

/* Make T runnable if its timeout passed or what it waits for changed
 * (sim/wait.h); wait4 and vfork sleepers are woken by their events. */
static void try_wake(struct sim *s, struct task *t)
{
	if (t->state == TASK_INTERRUPTIBLE && task_wait_done(t, sim_now_ns(s)))
		task_wake(t);
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
		if (t->state != TASK_RUNNING || !t->eng || t->stopped || t->sched_picked)
			continue;
		if (!first)
			first = t;
		if (!after && t->pid > last)
			after = t;
	}
	return after ? after : first;
}

/* Earliest finite timeout of a sleeper, or UINT64_MAX. */
static uint64_t next_wake(struct sim *s)
{
	uint64_t w = UINT64_MAX;
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state == TASK_INTERRUPTIBLE && !t->stopped &&
		    (t->block == BLOCK_SLEEP || t->block == BLOCK_SIGNAL || t->block == BLOCK_IO ||
		     t->block == BLOCK_PAGEIO || t->block == BLOCK_FUTEX) && t->wake_time < w)
			w = t->wake_time;
	}
	return w;
}

/* When nothing can run: the time of the next event that could wake a task,
 * or UINT64_MAX (a deadlock).  Events are sleepers' timeouts and
 * ITIMER_REAL timers.  A timer that fired while every task slept (IDLE:
 * nothing ran since) and woke nobody changed nothing that could ever wake
 * anyone, and firing it again would not either: such timers are marked
 * and skipped, so a periodic timer whose SIGALRM is blocked or ignored
 * cannot keep a dead run jumping through time forever. */
static uint64_t next_idle_event(struct sim *s, bool idle)
{
	uint64_t w = next_wake(s);
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (idle && t->itimer_real && t->itimer_interval && t->itimer_idle_fired)
			continue;
		if (t->state < EXIT_ZOMBIE && t->itimer_real && t->itimer_real <= w)
			w = t->itimer_real;
	}
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state < EXIT_ZOMBIE && t->itimer_real == w && t->itimer_interval)
			t->itimer_idle_fired = true; /* fires at W; if it wakes nobody, skip it next time */
	}
	return w;
}

/* A task ran: every timer may matter again. */
static void clear_idle_fired(struct sim *s)
{
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks)
		list_entry(pos, struct task, tasks)->itimer_idle_fired = false;
}

static void stop_run(struct sim *s, const char *why)
{
	s->procs->stop = true;
	snprintf(s->procs->stop_reason, sizeof(s->procs->stop_reason), "%s", why);
}

/* Append to MSG (size LEN, N used) the tasks that are stopped (STOPPED)
 * or blocked (!STOPPED): " pid 2 (cat) in pipe_read, ...".  Returns the
 * new length and the number of tasks in *COUNT. */
static size_t list_stuck(struct sim *s, char *msg, size_t len, size_t n, bool stopped, int *count)
{
	struct list_head *pos;
	*count = 0;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state >= EXIT_ZOMBIE || t->stopped != stopped)
			continue;
		if (n < len) {
			const char *name = sigabbrev_np(t->stop_code);
			if (stopped)
				n += (size_t)snprintf(msg + n, len - n, "%s pid %d (%s) by SIG%s", *count ? "," : "",
						      t->pid, t->comm, name ? name : "?");
			else
				n += (size_t)snprintf(msg + n, len - n, "%s pid %d (%s) in %s", *count ? "," : "",
						      t->pid, t->comm, task_wchan(t));
		}
		(*count)++;
	}
	return n;
}

/* End the run as a deadlock: every live task is blocked with no timeout,
 * or stopped.  The message names each task and what it waits in (its
 * wchan), and the stopped ones, which nothing is left to continue. */
static void stop_deadlock(struct sim *s)
{
	char msg[sizeof(s->procs->stop_reason)];
	int nstopped, nblocked;
	size_t n = (size_t)snprintf(msg, sizeof(msg), "deadlock: every process is stopped or blocked; stopped:");
	n = list_stuck(s, msg, sizeof(msg), n, true, &nstopped);
	if (!nstopped) {
		n = (size_t)snprintf(msg, sizeof(msg), "deadlock: every process is blocked:");
		list_stuck(s, msg, sizeof(msg), n, false, &nblocked);
		stop_run(s, msg);
		return;
	}
	if (n < sizeof(msg))
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "; nothing can send SIGCONT");
	size_t before = n;
	if (n < sizeof(msg))
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "; blocked:");
	list_stuck(s, msg, sizeof(msg), n, false, &nblocked);
	if (!nblocked)
		msg[before] = '\0';
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
			/* an OOM victim's failed allocation: it dies of the SIGKILL
			 * it already got, without a fault report */
			force_sig_fault(s, t, &si, t->oom_victim ? NULL : report_fault, eng);
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
	/* A swap-in read in the slice: sleep through the simulated I/O. */
	if (eng == t->eng && t->state == TASK_RUNNING) {
		uint64_t io = engine_take_io_wait(eng);
		if (io)
			task_sleep(t, BLOCK_PAGEIO, sim_now_ns(s) + io, NULL);
	}
	t->need_resched = false;
	if (t->mm_to_drop) {
		/* T died in this slice (a fault's signal, the OOM killer): its
		 * memory goes back now, not when the run is torn down */
		task_mmput(s, t->mm_to_drop);
		t->mm_to_drop = NULL;
	}
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

/* Is the run over?  Pid 1 has exited and, in a multi-program run, every
 * other program too (their children may live on: they are killed with
 * the rest, as when init dies). */
static bool run_over(struct sim *s)
{
	struct proc_table *pt = s->procs;
	if (!pt->init_exited)
		return false;
	for (int i = 0; i < pt->nr_programs; i++) {
		struct task *t = find_task_by_pid(s, pt->programs[i]);
		if (t && t->state < EXIT_ZOMBIE)
			return false;
	}
	return true;
}

static int schedule_loop_smp(struct sim *s);

/* The instructions the next slice may run: the quantum, less when
 * --max-insns is near.  Returns 0 (and stops the run) at the limit. */
static uint64_t slice_budget(struct sim *s)
{
	uint64_t budget = s->cfg.quantum ? s->cfg.quantum : 100000;
	if (!s->cfg.max_insns)
		return budget;
	if (s->insns >= s->cfg.max_insns) {
		char msg[128];
		snprintf(msg, sizeof(msg), "instruction limit reached (--max-insns %llu)",
			 (unsigned long long)s->cfg.max_insns);
		stop_run(s, msg);
		return 0;
	}
	return s->cfg.max_insns - s->insns < budget ? s->cfg.max_insns - s->insns : budget;
}

int schedule_loop(struct sim *s)
{
	struct proc_table *pt = s->procs;
	if (s->smp)
		return schedule_loop_smp(s);
	int last = 0;
	bool idle = false; /* nothing has run since the last idle jump */
	while (!run_over(s) && !pt->stop) {
		free_dead(s);
		uint64_t budget = slice_budget(s);
		if (!budget)
			break;
		run_itimers(s, sim_now_ns(s));
		struct task *t = pick_next(s, last);
		if (!t) {
			uint64_t w = next_idle_event(s, idle);
			if (w == UINT64_MAX) {
				stop_deadlock(s);
				break;
			}
			idle = true;
			uint64_t now = sim_now_ns(s);
			if (w > now)
				pt->idle_ns += w - now;
			continue;
		}
		if (idle)
			clear_idle_fired(s);
		idle = false;
		if (pt->current != t) {
			pt->ctx_switches++;
			struct trace_event ev = trace_event_init(TEV_SCHED);
			ev.value = t->pid;
			trace_emit(s->trace, &ev);
		}
		pt->current = t;
		last = t->pid;
		run_task(s, t, budget);
		/* kswapd: a kernel thread that runs between guest slices. */
		if (kswapd_pending(s->mem, sim_now_ns(s)))
			kswapd_run(s->mem, sim_now_ns(s));
		if (pt->progress)
			pt->progress(s, pt->progress_ctx);
	}
	pt->current = NULL;
	free_dead(s);
	return pt->stop ? -1 : 0;
}

/* ---- several CPUs ----
 *
 * A round picks up to one runnable task per CPU in round-robin pid order
 * (a task goes back to the CPU it last ran on when that CPU is free, else
 * to the lowest free CPU), then runs the CPUs' slices one after another in
 * CPU order.  Each CPU has its own clock within the round: during CPU i's
 * slice simulated time is the round's start plus what CPU i has used in
 * the round (instructions, and IPI time), so the CPUs run "at the same
 * time"; the round ends when the busiest CPU's time is over, and the next
 * starts there.  A CPU with no task is idle in lazy TLB mode.  Since the
 * order of the slices is fixed, every run is reproducible; a task woken by
 * another CPU's task runs from the next round on.
 */

/* Point the machine at CPU I: its MMU serves s->mmu and the engines. */
static void set_this_cpu(struct sim *s, int i)
{
	s->smp->this_cpu = i;
	s->mmu = s->smp->cpu[i].mmu;
	memsys_set_this_cpu(s->mem, i); /* per-CPU page lists (mm/page_pcp.h) */
}

/* Choose the tasks of the next round into ON_CPU[] (NULL: idle).  Returns
 * how many were chosen. */
static int pick_round(struct sim *s, int *last, struct task **on_cpu)
{
	int n = s->smp->nr_cpus, k = 0;
	struct task *picked[SMP_MAX_CPUS];
	for (; k < n; k++) {
		struct task *t = pick_next(s, *last);
		if (!t)
			break;
		t->sched_picked = true;
		picked[k] = t;
		*last = t->pid;
	}
	for (int i = 0; i < n; i++)
		on_cpu[i] = NULL;
	for (int j = 0; j < k; j++) /* back where its TLB entries are */
		if (!on_cpu[picked[j]->cpu]) {
			on_cpu[picked[j]->cpu] = picked[j];
			picked[j] = NULL;
		}
	for (int j = 0, i = 0; j < k; j++) {
		if (!picked[j])
			continue;
		while (on_cpu[i])
			i++;
		on_cpu[i] = picked[j];
	}
	for (int i = 0; i < n; i++)
		if (on_cpu[i])
			on_cpu[i]->sched_picked = false;
	return k;
}

/* End the round: charge IPI time, advance the clock by the busiest CPU. */
static void end_round(struct sim *s)
{
	struct proc_table *pt = s->procs;
	uint64_t max = 0;
	for (int i = 0; i < s->smp->nr_cpus; i++) {
		struct sched_cpu *c = &pt->cpu[i];
		c->round_ns += s->smp->cpu[i].stall_ns;
		s->smp->cpu[i].stall_ns = 0;
		c->busy_ns += c->round_ns;
		if (c->round_ns > max)
			max = c->round_ns;
		c->round_ns = 0;
	}
	pt->round_base += max;
	set_this_cpu(s, 0);
}

/* Run CPU I's slice of the round for T. */
static void run_on_cpu(struct sim *s, int i, struct task *t, uint64_t budget)
{
	struct proc_table *pt = s->procs;
	struct sched_cpu *c = &pt->cpu[i];
	set_this_cpu(s, i);
	pt->slice_insns0 = s->insns;
	if (c->curr != t) {
		pt->ctx_switches++;
		c->ctx_switches++;
		struct trace_event ev = trace_event_init(TEV_SCHED);
		ev.value = t->pid;
		trace_emit(s->trace, &ev);
	}
	c->curr = t;
	c->slices++;
	t->cpu = i;
	pt->current = t;
	run_task(s, t, budget);
	uint64_t used = s->insns - pt->slice_insns0;
	c->insns += used;
	c->round_ns += used;
	pt->slice_insns0 = s->insns;
}

static int schedule_loop_smp(struct sim *s)
{
	struct proc_table *pt = s->procs;
	int last = 0;
	bool idle = false;
	struct task *on_cpu[SMP_MAX_CPUS];
	pt->slice_insns0 = s->insns;
	set_this_cpu(s, 0);
	while (!run_over(s) && !pt->stop) {
		free_dead(s);
		run_itimers(s, sim_now_ns(s));
		if (!pick_round(s, &last, on_cpu)) {
			uint64_t w = next_idle_event(s, idle);
			if (w == UINT64_MAX) {
				stop_deadlock(s);
				break;
			}
			idle = true;
			uint64_t now = sim_now_ns(s);
			if (w > now) {
				pt->idle_ns += w - now;
				pt->round_base += w - now;
			}
			for (int i = 0; i < s->smp->nr_cpus; i++)
				smp_enter_lazy(s->smp, i);
			continue;
		}
		if (idle)
			clear_idle_fired(s);
		idle = false;
		for (int i = 0; i < s->smp->nr_cpus && !run_over(s) && !pt->stop; i++) {
			struct task *t = on_cpu[i];
			uint64_t budget = slice_budget(s);
			if (!budget)
				break;
			/* an earlier CPU's task may have put T to sleep or killed it */
			if (!t || t->state != TASK_RUNNING || !t->eng || t->stopped) {
				pt->cpu[i].idle_slices++;
				smp_enter_lazy(s->smp, i);
				continue;
			}
			run_on_cpu(s, i, t, budget);
			if (pt->progress)
				pt->progress(s, pt->progress_ctx);
		}
		end_round(s);
		/* kswapd: a kernel thread that runs between rounds (on CPU 0) */
		if (kswapd_pending(s->mem, sim_now_ns(s)))
			kswapd_run(s->mem, sim_now_ns(s));
	}
	pt->current = NULL;
	free_dead(s);
	return pt->stop ? -1 : 0;
}
