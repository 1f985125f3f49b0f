/* sim/process.c - the process table: allocating, finding, exiting and
 * freeing tasks.
 *
 * Kernel objects are simulated: a task's struct task lives in the
 * "task_struct" slab cache, its descriptor table in "files_cache", and its
 * 16 KiB kernel stack is an order-2 page block counted in
 * NR_KERNEL_STACK_KB, as on x86-64 Linux (THREAD_SIZE).  So a fork really
 * costs simulated memory and /proc/slabinfo and /proc/meminfo show it.
 *
 * Every process that ever existed gets a struct proc_record (pid order,
 * since pids only grow) that exit fills in for the run summary.
 */
#include "sim/process.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mmu/memory.h"
#include "mmu/mmu.h"
#include "mmu/smp.h"
#include "sim/pipe.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"
#include "sim/vfs.h"

#define THREAD_SIZE_ORDER 2 /* 16 KiB kernel stacks */

/* Drop one user of MM whose engine is gone (the last user's notifier,
 * which pointed at that engine, is cleared first). */
void task_mmput(struct sim *s, struct mm_struct *mm)
{
	bool last = mm->mm_users <= 1;
	if (last)
		mm->notifier = NULL;
	mmput(s->mem, mm);
	if (last && s->smp)
		smp_drop_mm(s->smp, mm);
}

/* Find the cache NAME or create it.  Returns NULL with ERR. */
static struct kmem_cache *cache_get(struct memsys *m, const char *name, unsigned size, char *err, size_t errlen)
{
	struct kmem_cache *c = kmem_cache_find(m, name);
	if (c)
		return c;
	return kmem_cache_create(m, name, size, 64, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL, err, errlen);
}

int proc_table_init(struct sim *s, char *err, size_t errlen)
{
	struct proc_table *pt = calloc(1, sizeof(*pt));
	if (!pt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	INIT_LIST_HEAD(&pt->tasks);
	INIT_LIST_HEAD(&pt->futex_queue);
	pt->max_procs = s->cfg.max_procs > 0 ? s->cfg.max_procs : MMSIM_DEFAULT_MAX_PROCS;
	pt->next_pid = 1;
	pt->next_pipe_ino = 16384; /* pipefs inode numbers, after the stdio "pipes" (2, 3) */
	pt->stdout_fd = 1;
	pt->stderr_fd = 2;
	pt->task_cachep = cache_get(s->mem, "task_struct", sizeof(struct task), err, errlen);
	if (!pt->task_cachep)
		goto err;
	pt->files_cachep = cache_get(s->mem, "files_cache", sizeof(struct files_struct), err, errlen);
	if (!pt->files_cachep)
		goto err;
	pt->sigqueue_cachep = cache_get(s->mem, "sigqueue", sizeof(struct sigqueue), err, errlen);
	if (!pt->sigqueue_cachep)
		goto err;
	pt->fs_cachep = cache_get(s->mem, "fs_cache", sizeof(struct fs_struct), err, errlen);
	pt->sighand_cachep = cache_get(s->mem, "sighand_cache", sizeof(struct sighand_struct), err, errlen);
	pt->signal_cachep = cache_get(s->mem, "signal_cache", sizeof(struct signal_struct), err, errlen);
	if (!pt->fs_cachep || !pt->sighand_cachep || !pt->signal_cachep)
		goto err;
	s->procs = pt;
	return 0;
err:
	free(pt);
	return -1;
}

/* Add the record for a new task. */
static int record_add(struct proc_table *pt, const struct task *t)
{
	if (pt->nr_records == pt->cap_records) {
		int cap = pt->cap_records ? pt->cap_records * 2 : 16;
		struct proc_record *r = realloc(pt->records, (size_t)cap * sizeof(*r));
		if (!r)
			return -1;
		pt->records = r;
		pt->cap_records = cap;
	}
	struct proc_record *r = &pt->records[pt->nr_records++];
	memset(r, 0, sizeof(*r));
	r->pid = t->pid;
	r->ppid = t->ppid;
	r->tgid = t->tgid;
	r->exit_code = -1;
	memcpy(r->comm, t->comm, sizeof(r->comm));
	return 0;
}

static struct proc_record *record_of(struct proc_table *pt, int pid)
{
	int lo = 0, hi = pt->nr_records - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (pt->records[mid].pid == pid)
			return &pt->records[mid];
		if (pt->records[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* Copy T's current counters into its record. */
static void record_update(struct proc_table *pt, const struct task *t)
{
	struct proc_record *r = record_of(pt, t->pid);
	if (!r)
		return;
	memcpy(r->comm, t->comm, sizeof(r->comm));
	r->ppid = t->ppid;
	r->tgid = t->tgid;
	r->exit_code = t->state >= EXIT_ZOMBIE ? t->exit_code : -1;
	r->min_flt = t->min_flt;
	r->maj_flt = t->maj_flt;
	r->cow_faults = t->cow_faults;
	r->hiwater_rss_kb = t->hiwater_rss_kb;
	r->insns = t->insns;
}

/* The per-process objects of a new task T: a files_struct, fs_struct,
 * sighand_struct and signal_struct of its own, each a slab object, with
 * PARENT's cwd, umask, handlers and limits (fork copies them; CLONE_*
 * sharing replaces them in copy_process).  Returns 0 or -1 (out of
 * simulated memory; what was taken is left on T for task_free). */
static int task_alloc_shared(struct sim *s, struct task *t, const struct task *parent)
{
	struct proc_table *pt = s->procs;
	t->files = kmem_cache_zalloc(s->mem, pt->files_cachep, GFP_KERNEL);
	t->fs = kmem_cache_zalloc(s->mem, pt->fs_cachep, GFP_KERNEL);
	t->sighand = kmem_cache_zalloc(s->mem, pt->sighand_cachep, GFP_KERNEL);
	t->signal = kmem_cache_zalloc(s->mem, pt->signal_cachep, GFP_KERNEL);
	if (!t->files || !t->fs || !t->sighand || !t->signal)
		return -1;
	files_init(t->files);
	t->files->count = 1;
	t->fs->users = 1;
	t->sighand->count = 1;
	sighand_changed(pt, t->sighand);
	t->signal->count = 1;
	t->signal->live = 1;
	strcpy(t->fs->cwd, "/");
	if (parent) {
		*t->fs = *parent->fs;
		t->fs->users = 1;
		memcpy(t->sighand->action, parent->sighand->action, sizeof(t->sighand->action));
		sighand_changed(pt, t->sighand);
		memcpy(t->signal->rlim, parent->signal->rlim, sizeof(t->signal->rlim));
	}
	return 0;
}

struct task *task_alloc(struct sim *s, struct task *parent, int *errp)
{
	struct proc_table *pt = s->procs;
	struct task *t;
	struct page *stack;

	if (pt->nr_tasks >= pt->max_procs) {
		pt->forks_refused++;
		*errp = -EAGAIN;
		return NULL;
	}
	t = kmem_cache_zalloc(s->mem, pt->task_cachep, GFP_KERNEL);
	if (!t)
		goto nomem;
	INIT_LIST_HEAD(&t->sigqueue);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_group);
	INIT_LIST_HEAD(&t->futex_node);
	stack = alloc_pages(s->mem, GFP_KERNEL | __GFP_NOWARN, THREAD_SIZE_ORDER);
	if (!stack) {
		kmem_cache_free(s->mem, pt->task_cachep, t);
		goto nomem;
	}
	t->kstack_pfn = page_to_pfn(s->mem, stack);
	mod_node_page_state(s->mem, stack->node, NR_KERNEL_STACK_KB, 4 << THREAD_SIZE_ORDER);
	list_add_tail(&t->tasks, &pt->tasks);
	pt->nr_tasks++;
	t->state = EXIT_DEAD;
	if (task_alloc_shared(s, t, parent)) {
		task_free(s, t);
		goto nomem;
	}
	t->pid = pt->next_pid++;
	t->tgid = t->pid;
	t->group_leader = t;
	t->state = TASK_RUNNING;
	t->start_time = s->insns;
	if (parent) {
		t->parent = parent;
		t->ppid = parent->pid;
		t->pgid = parent->pgid;
		t->sid = parent->sid;
		memcpy(t->comm, parent->comm, sizeof(t->comm));
		memcpy(t->exe, parent->exe, sizeof(t->exe));
		t->exe_file = parent->exe_file;
		if (t->exe_file)
			vfs_file_get(t->exe_file);
		/* the alternate signal stack is inherited (copy_process) */
		t->sas_ss_sp = parent->sas_ss_sp;
		t->sas_ss_size = parent->sas_ss_size;
		t->sas_ss_flags = parent->sas_ss_flags;
		list_add_tail(&t->sibling, &parent->children);
	} else {
		t->pgid = t->sid = t->pid;
		pt->init = t;
	}
	if (record_add(pt, t) != 0) {
		t->state = EXIT_DEAD;
		task_free(s, t);
		goto nomem;
	}
	return t;
nomem:
	*errp = -ENOMEM;
	return NULL;
}

struct task *find_task_by_pid(struct sim *s, int pid)
{
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->pid == pid)
			return t;
	}
	return NULL;
}

/* T's files_struct: one user less; the last returns it to its cache. */
static void task_drop_files(struct sim *s, struct task *t)
{
	if (!t->files)
		return;
	if (--t->files->count == 0) {
		files_release(t->files);
		kmem_cache_free(s->mem, s->procs->files_cachep, t->files);
	}
	t->files = NULL;
}

/* Drop T's references to its fs_struct, sighand_struct and signal_struct. */
static void task_drop_shared(struct sim *s, struct task *t)
{
	struct proc_table *pt = s->procs;
	if (t->fs && --t->fs->users == 0)
		kmem_cache_free(s->mem, pt->fs_cachep, t->fs);
	if (t->sighand && --t->sighand->count == 0)
		kmem_cache_free(s->mem, pt->sighand_cachep, t->sighand);
	if (t->signal && --t->signal->count == 0)
		kmem_cache_free(s->mem, pt->signal_cachep, t->signal);
	t->fs = NULL;
	t->sighand = NULL;
	t->signal = NULL;
}

void task_free(struct sim *s, struct task *t)
{
	struct proc_table *pt = s->procs;
	if (pt->current == t)
		pt->current = NULL;
	for (int i = 0; i < (int)(sizeof(pt->cpu) / sizeof(pt->cpu[0])); i++)
		if (pt->cpu[i].curr == t)
			pt->cpu[i].curr = NULL;
	if (pt->init == t)
		pt->init = NULL;
	list_del(&t->tasks);
	list_del(&t->sibling);
	list_del(&t->thread_group);
	pt->nr_tasks--;
	flush_signals(s, t);
	futex_unqueue(s, t);
	task_wait_free(t);
	fifo_open_abort(t);
	task_drop_files(s, t);
	if (t->eng)
		engine_destroy(t->eng);
	if (t->mm)
		task_mmput(s, t->mm);
	if (t->mm_to_drop)
		task_mmput(s, t->mm_to_drop);
	if (t->exe_file)
		vfs_file_put(t->exe_file);
	task_drop_shared(s, t);
	struct page *stack = pfn_to_page(s->mem, t->kstack_pfn);
	mod_node_page_state(s->mem, stack->node, NR_KERNEL_STACK_KB, -(4 << THREAD_SIZE_ORDER));
	__free_pages(s->mem, stack, THREAD_SIZE_ORDER);
	kmem_cache_free(s->mem, pt->task_cachep, t);
}

void task_update_rss(struct sim *s, struct task *t)
{
	(void)s;
	struct mm_struct *mm = t->mm;
	if (!mm)
		return;
	unsigned long rss = mm->rss_anon + mm->rss_file + mm->rss_shmem;
	unsigned long hw = mm->hiwater_rss > rss ? mm->hiwater_rss : rss;
	uint64_t kb = (uint64_t)hw << (PAGE_SHIFT - 10);
	if (kb > t->hiwater_rss_kb)
		t->hiwater_rss_kb = kb;
}

/* Fold the fault counters T's mm gained since the last snapshot into T
 * (the fault path counts per mm, mmu/memory.c), then take a new snapshot
 * and refresh the peak RSS. */
void task_sync_counters(struct sim *s, struct task *t)
{
	struct mm_struct *mm = t->mm;
	if (!mm)
		return;
	t->min_flt += mm->min_flt - t->snap_min;
	t->maj_flt += mm->maj_flt - t->snap_maj;
	t->cow_faults += mm->faults.cow - t->snap_cow;
	task_snap_counters(t);
	task_update_rss(s, t);
}

void task_snap_counters(struct task *t)
{
	if (!t->mm)
		return;
	t->snap_min = t->mm->min_flt;
	t->snap_maj = t->mm->maj_flt;
	t->snap_cow = t->mm->faults.cow;
}

/* Release T's address space and engine (exit, or the old image of exec). */
static void task_drop_mm(struct sim *s, struct task *t)
{
	task_sync_counters(s, t);
	if (t->eng) {
		engine_destroy(t->eng); /* deferred if T's slice is running */
		t->eng = NULL;
	}
	if (t->mm) {
		if (t->mm_to_drop)
			task_mmput(s, t->mm_to_drop);
		if (s->procs->current == t) {
			/* its engine may still be inside the slice: mmput after it */
			t->mm_to_drop = t->mm;
		} else {
			task_mmput(s, t->mm);
		}
		t->mm = NULL;
	}
}

static void wake_parent(struct task *parent, struct task *child);

void wake_up_parent(struct task *t)
{
	wake_parent(t->parent, t);
}

/* Wake PARENT if it waits for this vfork child, and every thread of
 * PARENT's group that sleeps in wait4/waitid (signal->wait_chldexit). */
static void wake_parent(struct task *parent, struct task *child)
{
	if (!parent)
		return;
	if (parent->state == TASK_INTERRUPTIBLE && parent->block == BLOCK_VFORK && child->vfork_child)
		task_wake(parent);
	struct task *th = parent;
	do {
		if (th->state == TASK_INTERRUPTIBLE && th->block == BLOCK_WAIT)
			task_wake(th);
		th = list_entry(th->thread_group.next, struct task, thread_group);
	} while (th != parent);
}

void vfork_release(struct sim *s, struct task *t)
{
	(void)s;
	if (!t->vfork_child)
		return;
	wake_parent(t->parent, t);
	t->vfork_child = false;
}

/* The thread that takes over T's children when T exits
 * (find_new_reaper): another live thread of T's group, else init (NULL
 * when init itself is exiting). */
static struct task *find_new_reaper(struct proc_table *pt, struct task *t)
{
	struct list_head *pos;
	list_for_each(pos, &t->thread_group) {
		struct task *o = list_entry(pos, struct task, thread_group);
		if (o->state < EXIT_ZOMBIE)
			return o;
	}
	return pt->init && pt->init->tgid != t->tgid ? pt->init : NULL;
}

/* Reparent T's children to REAPER (NULL: orphans). */
static void forget_original_parent(struct task *t, struct task *reaper)
{
	struct list_head *pos, *n;
	list_for_each_safe(pos, n, &t->children) {
		struct task *c = list_entry(pos, struct task, sibling);
		list_del(&c->sibling);
		INIT_LIST_HEAD(&c->sibling);
		if (reaper) {
			c->parent = reaper;
			c->ppid = reaper->tgid;
			list_add_tail(&c->sibling, &reaper->children);
			if (c->state == EXIT_ZOMBIE && thread_group_empty(c))
				wake_parent(reaper, c);
		} else {
			c->parent = NULL;
			c->ppid = 0;
		}
		/* the threads of that child follow their leader's parent */
		struct list_head *tp;
		list_for_each(tp, &c->thread_group) {
			struct task *th = list_entry(tp, struct task, thread_group);
			th->parent = c->parent;
			th->ppid = c->ppid;
		}
	}
}

/* The whole thread group of LEADER has exited: report the process to its
 * parent (do_notify_parent), or end the run for init. */
static void exit_notify(struct sim *s, struct task *leader)
{
	struct proc_table *pt = s->procs;
	int code = leader->signal->group_exit ? leader->signal->group_exit_code : leader->exit_code;
	leader->exit_code = code;
	record_update(pt, leader);
	if (leader == pt->init) {
		pt->init_exited = true;
		pt->init_exit_code = code;
		return;
	}
	struct task *p = leader->parent;
	if (leader->vfork_child)
		vfork_release(s, leader);
	if (!p) {
		leader->state = EXIT_DEAD; /* nobody will reap it */
		return;
	}
	/* SIGCHLD: SIG_IGN or SA_NOCLDWAIT means the child is reaped at once
	 * (do_notify_parent); otherwise the parent gets SIGCHLD (ignored by
	 * default) with the child's pid and status, then is woken. */
	const struct k_sigaction *sa = &p->sighand->action[SIGCHLD];
	bool autoreap = sa->handler == 1 || (sa->flags & 2 /* SA_NOCLDWAIT */);
	bool killed = (code & 0x7f) != 0;
	struct ksiginfo si = {
		.signo = SIGCHLD,
		.code = killed ? 2 /* CLD_KILLED */ : 1 /* CLD_EXITED */,
		.pid = leader->pid,
		.status = killed ? (code & 0x7f) : ((code >> 8) & 0xff),
		.utime = (leader->insns + leader->signal->insns + leader->c_insns) / 10000000ULL, /* USER_HZ ticks */
	};
	if (!autoreap || sa->handler > 1)
		group_send_sig_info(s, p, SIGCHLD, &si);
	if (autoreap)
		leader->state = EXIT_DEAD;
	wake_parent(p, leader);
}

/* Add what thread T counted to its group's totals of exited threads. */
static void fold_thread_counters(struct task *t)
{
	struct signal_struct *sig = t->signal;
	sig->min_flt += t->min_flt;
	sig->maj_flt += t->maj_flt;
	sig->cow_faults += t->cow_faults;
	sig->insns += t->insns;
	sig->nvcsw += t->nvcsw;
	sig->nivcsw += t->nivcsw;
}

/* One thread ends (do_exit): the robust futexes it held and its
 * clear_child_tid word are released while it still has its mm, then its
 * mm, engine and files go.  A thread other than the leader is released at
 * once (nobody waits for it); the leader stays a zombie until the last
 * thread of its group has exited, and only then is the process reported
 * to its parent (delay_group_leader). */
void do_exit(struct sim *s, struct task *t, int code)
{
	struct proc_table *pt = s->procs;
	if (t->state >= EXIT_ZOMBIE)
		return;
	t->exit_code = code;
	t->stopped = false; /* SIGKILL ends a stop too */
	t->stop_unreported = false;
	t->continued = false;
	exit_mm_release(s, t);
	flush_signals(s, t);
	task_drop_mm(s, t);
	fifo_open_abort(t);
	task_drop_files(s, t);
	t->need_resched = true;

	struct trace_event ev = trace_event_init(TEV_EXIT);
	ev.value = code;
	trace_emit(s->trace, &ev);

	struct task *leader = t->group_leader;
	bool group_dead = --t->signal->live == 0;
	forget_original_parent(t, group_dead ? (pt->init && pt->init->tgid != t->tgid ? pt->init : NULL)
					     : find_new_reaper(pt, t));
	t->block = BLOCK_NONE;
	if (t != leader) {
		t->state = EXIT_DEAD; /* release_task: a thread reaps itself */
		record_update(pt, t);
		fold_thread_counters(t);
		if (group_dead && leader->state == EXIT_ZOMBIE)
			exit_notify(s, leader);
		return;
	}
	t->state = EXIT_ZOMBIE;
	record_update(pt, t);
	if (group_dead)
		exit_notify(s, t);
}

void do_group_exit(struct sim *s, struct task *t, int code)
{
	struct signal_struct *sig = t->signal;
	if (t->state >= EXIT_ZOMBIE)
		return;
	if (sig->group_exit) {
		code = sig->group_exit_code;
	} else {
		sig->group_exit = true;
		sig->group_exit_code = code;
	}
	/* zap_other_threads: none of them runs again */
	struct list_head *pos, *n;
	list_for_each_safe(pos, n, &t->thread_group) {
		struct task *o = list_entry(pos, struct task, thread_group);
		if (o != t && o->state < EXIT_ZOMBIE)
			do_exit(s, o, code);
	}
	do_exit(s, t, code);
}

/* Fold CHILD's counters into PARENT's children totals (on reap). */
void thread_group_totals(const struct task *t, struct task_totals *out)
{
	const struct signal_struct *sig = t->signal;
	*out = (struct task_totals){ sig->min_flt, sig->maj_flt, sig->cow_faults, sig->insns, sig->nvcsw, sig->nivcsw };
	const struct task *th = t;
	do {
		if (th->state != EXIT_DEAD || th == th->group_leader) {
			out->min_flt += th->min_flt;
			out->maj_flt += th->maj_flt;
			out->cow_faults += th->cow_faults;
			out->insns += th->insns;
			out->nvcsw += th->nvcsw;
			out->nivcsw += th->nivcsw;
		}
		th = list_entry(th->thread_group.next, struct task, thread_group);
	} while (th != t);
}

void task_reap(struct sim *s, struct task *parent, struct task *child)
{
	struct task_totals tt;
	thread_group_totals(child, &tt);
	parent->c_min_flt += tt.min_flt + child->c_min_flt;
	parent->c_maj_flt += tt.maj_flt + child->c_maj_flt;
	parent->c_insns += tt.insns + child->c_insns;
	uint64_t rss = child->hiwater_rss_kb > child->c_hiwater_rss_kb ? child->hiwater_rss_kb
									: child->c_hiwater_rss_kb;
	if (rss > parent->c_hiwater_rss_kb)
		parent->c_hiwater_rss_kb = rss;
	child->state = EXIT_DEAD;
	(void)s;
}

void proc_table_destroy(struct sim *s)
{
	struct proc_table *pt = s->procs;
	if (!pt)
		return;
	while (!list_empty(&pt->tasks)) {
		struct task *t = list_first_entry(&pt->tasks, struct task, tasks);
		if (t->state < EXIT_ZOMBIE)
			record_update(pt, t);
		task_free(s, t);
	}
	if (pt->stdin_file)
		vfs_file_put(pt->stdin_file);
	vfs_destroy(pt->vfs);
	free(pt->records);
	free(pt);
	s->procs = NULL;
}

/* Record of PID (for the summary), or NULL. */
const struct proc_record *proc_record_of(struct sim *s, int pid)
{
	return record_of(s->procs, pid);
}

/* Where a sleeping T waits, by the name of the Linux function that shows
 * in /proc/PID/wchan for the same sleep. */
const char *task_wchan(const struct task *t)
{
	switch (t->block) {
	case BLOCK_WAIT: return "do_wait";
	case BLOCK_SLEEP: return "hrtimer_nanosleep";
	case BLOCK_PAGEIO: return "swap_readpage";
	case BLOCK_VFORK: return "wait_for_vfork_done";
	case BLOCK_IO: return t->wait_wchan ? t->wait_wchan : "do_sys_poll";
	case BLOCK_SIGNAL: return t->sigwait_set ? "do_sigtimedwait" : "sigsuspend";
	case BLOCK_FUTEX: return "futex_wait_queue";
	default: return "?";
	}
}

void proc_records_note_end_states(struct sim *s)
{
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		const struct task *t = list_entry(pos, struct task, tasks);
		struct proc_record *r = record_of(s->procs, t->pid);
		if (!r || t->state == EXIT_DEAD)
			continue;
		r->end_wchan = NULL;
		r->end_stop_sig = 0;
		if (t->state == EXIT_ZOMBIE) {
			/* init, or an orphan of init: nobody reaps it, it exited */
			r->end_state = t->parent && t != s->procs->init ? 'Z' : 0;
		} else if (t->stopped) {
			r->end_state = 'T';
			r->end_stop_sig = t->stop_code;
		} else if (t->state == TASK_INTERRUPTIBLE) {
			r->end_state = 'S';
			r->end_wchan = task_wchan(t);
		} else {
			r->end_state = 'R';
		}
	}
}

/* Refresh the record of every live task (before printing a summary). */
void proc_records_refresh(struct sim *s)
{
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state >= EXIT_ZOMBIE)
			continue; /* recorded when it exited */
		task_sync_counters(s, t);
		record_update(s->procs, t);
	}
}
