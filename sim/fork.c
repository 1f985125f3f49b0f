/* sim/fork.c - fork, vfork and clone with fork semantics (Linux:
 * kernel/fork.c).
 *
 * copy_process() builds the child: a task (task_struct slab object and
 * kernel stack), a copy of the address space (dup_mm: COW page tables) or,
 * for vfork / CLONE_VM|CLONE_VFORK, the parent's own mm with one more user,
 * a copy of the descriptor table and signal dispositions, and an engine
 * whose CPU state is the parent's just after SYSCALL, with RAX = 0.
 * Threads (CLONE_VM without CLONE_VFORK, CLONE_THREAD) are not supported:
 * -ENOSYS.  The process limit (max_procs) gives -EAGAIN like kernel.threads-max
 * (RLIMIT_NPROC is not enforced for root, as on Linux).
 */
#include <signal.h>
#include <string.h>

#include "mmu/memory.h"
#include "mmu/mmu.h"
#include "sim/oom_kill.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"

#define CLONE_VM_ 0x00000100UL
#define CLONE_FS_ 0x00000200UL
#define CLONE_FILES_ 0x00000400UL
#define CLONE_SIGHAND_ 0x00000800UL
#define CLONE_PIDFD_ 0x00001000UL
#define CLONE_PTRACE_ 0x00002000UL
#define CLONE_VFORK_ 0x00004000UL
#define CLONE_PARENT_ 0x00008000UL
#define CLONE_THREAD_ 0x00010000UL
#define CLONE_NEWNS_ 0x00020000UL
#define CLONE_SYSVSEM_ 0x00040000UL
#define CLONE_SETTLS_ 0x00080000UL
#define CLONE_PARENT_SETTID_ 0x00100000UL
#define CLONE_CHILD_CLEARTID_ 0x00200000UL
#define CLONE_DETACHED_ 0x00400000UL
#define CLONE_UNTRACED_ 0x00800000UL
#define CLONE_CHILD_SETTID_ 0x01000000UL
#define CLONE_IO_ 0x80000000UL
#define CSIGNAL_ 0xffUL

static const unsigned long supported_flags =
	CLONE_VM_ | CLONE_VFORK_ | CLONE_SETTLS_ | CLONE_PARENT_SETTID_ | CLONE_CHILD_CLEARTID_ |
	CLONE_CHILD_SETTID_ | CLONE_DETACHED_ | CLONE_UNTRACED_ | CLONE_IO_ | CLONE_SYSVSEM_ | CSIGNAL_;

/* Fork T.  Returns the child's pid or -EAGAIN, -ENOMEM, -ENOSYS, -EINVAL,
 * -EFAULT. */
static long do_fork(struct sim *s, struct task *t, unsigned long flags, uint64_t newsp, uint64_t ptid,
		    uint64_t ctid, uint64_t tls)
{
	int err = 0;
	char msg[256];
	struct task *c;
	bool share_vm = flags & CLONE_VM_;

	if (flags & ~supported_flags)
		return (flags & (CLONE_THREAD_ | CLONE_SIGHAND_ | CLONE_FILES_ | CLONE_FS_)) ? -ENOSYS : -EINVAL;
	if (share_vm && !(flags & CLONE_VFORK_))
		return -ENOSYS; /* threads */
	if (!t->mm || !t->eng)
		return -EINVAL;

	c = task_alloc(s, t, &err);
	if (!c)
		return err;
	if (share_vm) {
		c->mm = t->mm;
		c->mm->mm_users++;
	} else {
		task_sync_counters(s, t);
		c->mm = dup_mm(s->mem, &s->kpt, t->mm);
		if (!c->mm) {
			err = -ENOMEM;
			goto err;
		}
		mmu_attach_mm(s->mmu, c->mm);
	}
	task_snap_counters(c);
	c->hiwater_rss_kb = 0;
	if (files_copy(c->files, t->files)) {
		err = -ENOMEM;
		goto err;
	}
	memcpy(c->sigaction, t->sigaction, sizeof(c->sigaction));
	c->sigmask = t->sigmask;
	memcpy(c->rlim, t->rlim, sizeof(c->rlim));
	c->umask = t->umask;
	c->oom_score_adj = t->oom_score_adj;
	oom_apply_rules(s, c);
	c->fs_base = t->fs_base;
	c->gs_base = t->gs_base;

	c->eng = engine_clone(t->eng, c, msg, sizeof(msg));
	if (!c->eng) {
		err = -ENOMEM;
		goto err;
	}
	engine_reg_write(c->eng, EREG_RAX, 0);
	if (newsp)
		engine_reg_write(c->eng, EREG_RSP, newsp);
	if (flags & CLONE_SETTLS_)
		engine_reg_write(c->eng, EREG_FS_BASE, tls);
	if (flags & CLONE_PARENT_SETTID_) {
		int32_t pid = c->pid;
		if (copy_to_user(t->eng, ptid, &pid, 4)) {
			err = -EFAULT;
			goto err;
		}
	}
	if (flags & CLONE_CHILD_SETTID_) {
		int32_t pid = c->pid;
		/* the child's memory, not the current address space */
		if (access_remote_vm(s, c->mm, ctid, &pid, 4, true)) {
			err = -EFAULT;
			goto err;
		}
	}
	if (flags & CLONE_CHILD_CLEARTID_)
		c->clear_child_tid = ctid;

	struct trace_event ev = trace_event_init(TEV_FORK);
	ev.value = c->pid;
	trace_emit(s->trace, &ev);

	if (flags & CLONE_VFORK_) {
		c->vfork_child = true;
		task_sleep(t, BLOCK_VFORK, UINT64_MAX, NULL);
	}
	return c->pid;
err:
	/* Undo: the child never ran, nobody waits for it. */
	c->state = EXIT_DEAD;
	if (s->procs->nr_records && s->procs->records[s->procs->nr_records - 1].pid == c->pid)
		s->procs->nr_records--;
	task_free(s, c);
	return err;
}

SYSCALL_DEFINE(fork)
{
	(void)a;
	return do_fork(s, t, SIGCHLD, 0, 0, 0, 0);
}

SYSCALL_DEFINE(vfork)
{
	(void)a;
	return do_fork(s, t, CLONE_VM_ | CLONE_VFORK_ | SIGCHLD, 0, 0, 0, 0);
}

/* clone(flags, newsp, parent_tid, child_tid, tls) - x86-64 argument order. */
SYSCALL_DEFINE(clone)
{
	return do_fork(s, t, (unsigned long)a[0], a[1], a[2], a[3], a[4]);
}

/* clone3: libcs fall back to clone on ENOSYS. */
SYSCALL_DEFINE(clone3)
{
	(void)s;
	(void)t;
	(void)a;
	return -ENOSYS;
}
