/* sim/fork.c - fork, vfork, clone and clone3 (Linux: kernel/fork.c).
 *
 * copy_process() builds the child: a task (task_struct slab object and
 * kernel stack), a copy of the address space (dup_mm: COW page tables) or,
 * for vfork / CLONE_VM|CLONE_VFORK, the parent's own mm with one more user,
 * a copy of the descriptor table and signal dispositions, and an engine
 * whose CPU state is the parent's just after SYSCALL, with RAX = 0.
 * CLONE_FILES, CLONE_FS, CLONE_SIGHAND and CLONE_THREAD share the
 * files_struct, fs_struct, sighand_struct and signal_struct instead of
 * copying them, and a CLONE_THREAD task joins the caller's thread group
 * (docs/threads.md); each thread gets its own engine over the shared mm.
 * The task limit (max_procs, threads included) gives -EAGAIN like
 * kernel.threads-max (RLIMIT_NPROC is not enforced for root, as on Linux).
 */
#include <signal.h>
#include <string.h>

#include "mm/slab.h"
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
	CLONE_VM_ | CLONE_FS_ | CLONE_FILES_ | CLONE_SIGHAND_ | CLONE_THREAD_ | CLONE_VFORK_ | CLONE_PARENT_ |
	CLONE_SETTLS_ | CLONE_PARENT_SETTID_ | CLONE_CHILD_CLEARTID_ | CLONE_CHILD_SETTID_ | CLONE_DETACHED_ |
	CLONE_UNTRACED_ | CLONE_IO_ | CLONE_SYSVSEM_ | CSIGNAL_;

/* Replace the per-process objects task_alloc gave C by T's, as FLAGS
 * say (CLONE_FILES, CLONE_FS, CLONE_SIGHAND, CLONE_THREAD), and make C a
 * thread of T's group for CLONE_THREAD: same tgid, parent and process
 * group, not a child of T (copy_process). */
static void share_with(struct sim *s, struct task *t, struct task *c, unsigned long flags)
{
	struct proc_table *pt = s->procs;
	if (flags & CLONE_FILES_) {
		files_release(c->files);
		kmem_cache_free(s->mem, pt->files_cachep, c->files);
		c->files = t->files;
		c->files->count++;
	}
	if (flags & CLONE_FS_) {
		kmem_cache_free(s->mem, pt->fs_cachep, c->fs);
		c->fs = t->fs;
		c->fs->users++;
	}
	if (flags & CLONE_SIGHAND_) {
		kmem_cache_free(s->mem, pt->sighand_cachep, c->sighand);
		c->sighand = t->sighand;
		c->sighand->count++;
	}
	if (flags & (CLONE_THREAD_ | CLONE_PARENT_)) {
		/* the new task's parent is T's parent, not T */
		struct task *leader = t->group_leader;
		list_del(&c->sibling);
		INIT_LIST_HEAD(&c->sibling);
		c->parent = leader->parent;
		c->ppid = leader->ppid;
		if (!(flags & CLONE_THREAD_) && c->parent)
			list_add_tail(&c->sibling, &c->parent->children);
	}
	if (flags & CLONE_THREAD_) {
		kmem_cache_free(s->mem, pt->signal_cachep, c->signal);
		c->signal = t->signal;
		c->signal->count++;
		c->signal->live++;
		c->tgid = t->tgid;
		c->group_leader = t->group_leader;
		list_add_tail(&c->thread_group, &t->group_leader->thread_group);
	}
}

/* Check FLAGS as copy_process does.  Returns 0 or -EINVAL. */
static long clone_flags_check(unsigned long flags)
{
	if (flags & ~supported_flags)
		return -EINVAL;
	if ((flags & CLONE_THREAD_) && !(flags & CLONE_SIGHAND_))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND_) && !(flags & CLONE_VM_))
		return -EINVAL;
	return 0;
}

/* Fork or clone T.  Returns the child's pid (tid) or -EAGAIN, -ENOMEM,
 * -EINVAL, -EFAULT. */
static long do_fork(struct sim *s, struct task *t, unsigned long flags, uint64_t newsp, uint64_t ptid,
		    uint64_t ctid, uint64_t tls)
{
	int err = 0;
	char msg[256];
	struct task *c;
	bool share_vm = flags & CLONE_VM_;
	long rc = clone_flags_check(flags);

	if (rc)
		return rc;
	if (!t->mm || !t->eng)
		return -EINVAL;
	if (t->signal->group_exit)
		return -EAGAIN; /* a dying group makes no threads (fatal_signal_pending) */

	c = task_alloc(s, t, &err);
	if (!c)
		return err;
	share_with(s, t, c, flags);
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
	if (!(flags & CLONE_FILES_) && files_copy(c->files, t->files)) {
		err = -ENOMEM;
		goto err;
	}
	c->sigmask = t->sigmask;
	c->oom_score_adj = t->oom_score_adj; /* __set_oom_adj keeps it per mm */
	oom_apply_rules(s, c);
	c->fs_base = t->fs_base;
	c->gs_base = t->gs_base;
	if (flags & CLONE_THREAD_)
		c->sas_ss_sp = c->sas_ss_size = c->sas_ss_flags = 0; /* copy_process: a thread has no altstack */

	c->eng = engine_clone(t->eng, c, msg, sizeof(msg));
	if (!c->eng) {
		err = -ENOMEM;
		goto err;
	}
	engine_reg_write(c->eng, EREG_RAX, 0);
	if (newsp)
		engine_reg_write(c->eng, EREG_RSP, newsp);
	if (flags & CLONE_SETTLS_) {
		engine_reg_write(c->eng, EREG_FS_BASE, tls);
		c->fs_base = tls;
	}
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
	if (flags & CLONE_THREAD_)
		c->signal->live--;
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

/* clone3(struct clone_args *uargs, size_t size): the same as clone with
 * the arguments in a structure (kernel/fork.c copy_clone_args_from_user);
 * the stack is [stack, stack + stack_size).  set_tid, cgroup and pidfd
 * are refused with the errors Linux gives without the privilege or
 * feature (EINVAL). */
SYSCALL_DEFINE(clone3)
{
	uint64_t ca[11] = { 0 };
	uint64_t size = a[1];
	if (size < 64 || size > 4096)
		return size < 64 ? -EINVAL : -E2BIG;
	size_t n = size < sizeof(ca) ? (size_t)size : sizeof(ca);
	if (copy_from_user(t->eng, ca, a[0], n))
		return -EFAULT;
	for (uint64_t off = sizeof(ca); off < size; off += 8) { /* a newer struct: the rest must be 0 */
		uint64_t v = 0;
		if (copy_from_user(t->eng, &v, a[0] + off, size - off < 8 ? size - off : 8))
			return -EFAULT;
		if (v)
			return -E2BIG;
	}
	uint64_t flags = ca[0], exit_signal = ca[4], stack = ca[5], stack_size = ca[6];
	if ((flags & CSIGNAL_) || exit_signal > 64 || (flags & CLONE_PIDFD_) || ca[9] || ca[8])
		return -EINVAL;
	if ((stack == 0) != (stack_size == 0))
		return -EINVAL;
	return do_fork(s, t, (unsigned long)(flags | exit_signal), stack ? stack + stack_size : 0, ca[3], ca[2],
		       ca[7]);
}
