/* sim/futex.c - futex(2), robust futex lists and the clear_child_tid wake
 * at thread exit (Linux: kernel/futex/).
 *
 * A waiter is a task sleeping in BLOCK_FUTEX, queued on
 * proc_table.futex_queue with its key and bitset.  Keys follow
 * get_futex_key(): a FUTEX_PRIVATE_FLAG futex, and any futex in private
 * (not MAP_SHARED) memory, is (mm, address); a futex in a shared mapping
 * is (0, physical address of the word), so two processes mapping the same
 * page meet on it.  The queue is one list in queueing order: a wake takes
 * the first matching waiters, as Linux's per-bucket plists do for tasks of
 * equal priority, so who wakes whom is deterministic.  A requeue moves
 * waiters to the tail of the new key's order, as Linux does.
 *
 * The wait uses the restart protocol (sim/syscall.c): FUTEX_WAIT queues
 * the task, sleeps and returns -ERESTARTNOINTR; when the task runs again
 * the call re-executes and sees why it woke: futex_woken (0), the deadline
 * (-ETIMEDOUT), or a signal (-ERESTARTSYS, or -ERESTART_RESTARTBLOCK with a
 * timeout, as futex_wait returns).  Timeouts are in simulated time.
 *
 * Invariant: t->futex_queued iff T is on futex_queue; a task leaves it
 * when woken, requeued away never, and on exit (exit_mm_release) or free.
 */
#include <string.h>

#include "mm/mmap.h"
#include "mmu/memory.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"

#define FUTEX_WAIT_ 0
#define FUTEX_WAKE_ 1
#define FUTEX_FD_ 2
#define FUTEX_REQUEUE_ 3
#define FUTEX_CMP_REQUEUE_ 4
#define FUTEX_WAKE_OP_ 5
#define FUTEX_WAIT_BITSET_ 9
#define FUTEX_WAKE_BITSET_ 10
#define FUTEX_PRIVATE_FLAG_ 128
#define FUTEX_CLOCK_REALTIME_ 256
#define FUTEX_CMD_MASK_ (~(FUTEX_PRIVATE_FLAG_ | FUTEX_CLOCK_REALTIME_))
#define FUTEX_BITSET_MATCH_ANY_ 0xffffffffu

#define FUTEX_WAITERS_ 0x80000000u
#define FUTEX_OWNER_DIED_ 0x40000000u
#define FUTEX_TID_MASK_ 0x3fffffffu
#define ROBUST_LIST_LIMIT_ 2048

/* The key of the futex word at UADDR for T (get_futex_key).  Returns 0,
 * -EINVAL (misaligned) or -EFAULT (not mapped: the word is read first, so
 * a present page is faulted in). */
static long get_futex_key(struct sim *s, struct task *t, uint64_t uaddr, bool private, uint64_t key[2])
{
	uint32_t v;
	if (uaddr & 3)
		return -EINVAL;
	if (copy_from_user(t->eng, &v, uaddr, 4))
		return -EFAULT;
	key[0] = (uint64_t)(uintptr_t)t->mm;
	key[1] = uaddr;
	if (private)
		return 0;
	struct vm_area_struct *vma = find_vma(t->mm, uaddr);
	if (!vma || vma->vm_start > uaddr || !(vma->vm_flags & VM_SHARED))
		return 0;
	int64_t pfn = follow_pfn(s->mem, t->mm, uaddr);
	if (pfn < 0)
		return -EFAULT;
	key[0] = 0;
	key[1] = ((uint64_t)pfn << PAGE_SHIFT) | (uaddr & (PAGE_SIZE - 1));
	return 0;
}

static void futex_queue(struct sim *s, struct task *t, const uint64_t key[2], uint32_t bitset)
{
	t->futex_key[0] = key[0];
	t->futex_key[1] = key[1];
	t->futex_bitset = bitset;
	t->futex_woken = false;
	t->futex_queued = true;
	list_add_tail(&t->futex_node, &s->procs->futex_queue);
}

void futex_unqueue(struct sim *s, struct task *t)
{
	(void)s;
	if (!t->futex_queued)
		return;
	list_del(&t->futex_node);
	INIT_LIST_HEAD(&t->futex_node);
	t->futex_queued = false;
}

static bool key_eq(const uint64_t a[2], const uint64_t b[2])
{
	return a[0] == b[0] && a[1] == b[1];
}

/* Wake up to NR waiters on KEY whose bitset meets BITSET.  Returns the
 * number woken. */
static long futex_wake_key(struct sim *s, const uint64_t key[2], long nr, uint32_t bitset)
{
	long woken = 0;
	struct list_head *pos, *n;
	list_for_each_safe(pos, n, &s->procs->futex_queue) {
		if (woken >= nr)
			break;
		struct task *w = list_entry(pos, struct task, futex_node);
		if (!key_eq(w->futex_key, key) || !(w->futex_bitset & bitset))
			continue;
		futex_unqueue(s, w);
		w->futex_woken = true;
		if (w->state == TASK_INTERRUPTIBLE && w->block == BLOCK_FUTEX)
			task_wake(w);
		woken++;
	}
	return woken;
}

/* Wake NR_WAKE waiters on KEY1, then move up to NR_REQUEUE of the rest
 * to KEY2.  Returns woken + requeued. */
static long futex_requeue(struct sim *s, const uint64_t key1[2], const uint64_t key2[2], long nr_wake,
			  long nr_requeue)
{
	long woken = futex_wake_key(s, key1, nr_wake, FUTEX_BITSET_MATCH_ANY_), moved = 0;
	struct list_head moving, *pos, *n;
	INIT_LIST_HEAD(&moving);
	list_for_each_safe(pos, n, &s->procs->futex_queue) {
		if (moved >= nr_requeue)
			break;
		struct task *w = list_entry(pos, struct task, futex_node);
		if (!key_eq(w->futex_key, key1))
			continue;
		list_del(&w->futex_node);
		w->futex_key[0] = key2[0];
		w->futex_key[1] = key2[1];
		list_add_tail(&w->futex_node, &moving);
		moved++;
	}
	list_for_each_safe(pos, n, &moving) {
		list_del(pos);
		list_add_tail(pos, &s->procs->futex_queue);
	}
	return woken + moved;
}

/* The absolute simulated deadline of a futex timeout at UTS: relative
 * for FUTEX_WAIT, absolute CLOCK_MONOTONIC (or CLOCK_REALTIME) for
 * FUTEX_WAIT_BITSET.  Returns 0, -EFAULT or -EINVAL. */
static long futex_deadline(struct sim *s, struct task *t, uint64_t uts, int cmd, int op, uint64_t *deadline)
{
	int64_t ts[2];
	*deadline = UINT64_MAX;
	if (!uts)
		return 0;
	if (copy_from_user(t->eng, ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)ts[0] > UINT64_MAX / 2000000000ULL ? UINT64_MAX / 2
								     : (uint64_t)ts[0] * 1000000000ULL + (uint64_t)ts[1];
	uint64_t now = sim_now_ns(s);
	if (cmd == FUTEX_WAIT_) {
		*deadline = now + ns;
	} else {
		uint64_t base = (op & FUTEX_CLOCK_REALTIME_) ? MMSIM_EPOCH * 1000000000ULL : 0;
		*deadline = ns > base ? ns - base : 0;
	}
	return 0;
}

/* FUTEX_WAIT / FUTEX_WAIT_BITSET (futex_wait). */
static long futex_wait(struct sim *s, struct task *t, uint64_t uaddr, int op, int cmd, uint32_t val, uint64_t uts,
		       uint32_t bitset)
{
	if (t->restarting && (t->futex_queued || t->futex_woken)) {
		/* the wait re-executes after its sleep: why did it end? */
		if (t->futex_woken) {
			t->futex_woken = false;
			return 0;
		}
		if (sim_now_ns(s) >= t->wake_time) {
			futex_unqueue(s, t);
			return -ETIMEDOUT;
		}
		if (t->sigpending & ~t->sigmask) {
			futex_unqueue(s, t);
			return t->wake_time != UINT64_MAX ? -ERESTART_RESTARTBLOCK : -ERESTARTSYS;
		}
		task_sleep(t, BLOCK_FUTEX, t->wake_time, NULL); /* woken for nothing: sleep on */
		return -ERESTARTNOINTR;
	}
	futex_unqueue(s, t);
	t->futex_woken = false;
	if (!bitset)
		return -EINVAL;
	uint64_t deadline, key[2];
	long rc = futex_deadline(s, t, uts, cmd, op, &deadline);
	if (rc)
		return rc;
	rc = get_futex_key(s, t, uaddr, op & FUTEX_PRIVATE_FLAG_, key);
	if (rc)
		return rc;
	uint32_t cur;
	if (copy_from_user(t->eng, &cur, uaddr, 4))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	if (deadline <= sim_now_ns(s))
		return -ETIMEDOUT;
	futex_queue(s, t, key, bitset);
	task_sleep(t, BLOCK_FUTEX, deadline, NULL);
	return -ERESTARTNOINTR;
}

/* FUTEX_WAKE_OP's operation on the word at UADDR2 (futex_atomic_op_inuser
 * and futex_atomic_op_cmp).  Returns 1/0 for the comparison, or -EFAULT,
 * -ENOSYS (unknown op or comparison). */
static long futex_wake_op_word(struct task *t, uint64_t uaddr2, uint32_t encoded)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int32_t oparg = (int32_t)(encoded << 8) >> 20, cmparg = (int32_t)(encoded << 20) >> 20;
	if (encoded & (8u << 28)) { /* FUTEX_OP_OPARG_SHIFT */
		oparg &= 31;
		oparg = (int32_t)(1u << oparg);
	}
	uint32_t old, nv;
	if (copy_from_user(t->eng, &old, uaddr2, 4))
		return -EFAULT;
	switch (op) {
	case 0: nv = (uint32_t)oparg; break;          /* FUTEX_OP_SET */
	case 1: nv = old + (uint32_t)oparg; break;    /* FUTEX_OP_ADD */
	case 2: nv = old | (uint32_t)oparg; break;    /* FUTEX_OP_OR */
	case 3: nv = old & ~(uint32_t)oparg; break;   /* FUTEX_OP_ANDN */
	case 4: nv = old ^ (uint32_t)oparg; break;    /* FUTEX_OP_XOR */
	default: return -ENOSYS;
	}
	if (copy_to_user(t->eng, uaddr2, &nv, 4))
		return -EFAULT;
	int32_t o = (int32_t)old;
	switch (cmp) {
	case 0: return o == cmparg;
	case 1: return o != cmparg;
	case 2: return o < cmparg;
	case 3: return o <= cmparg;
	case 4: return o > cmparg;
	case 5: return o >= cmparg;
	default: return -ENOSYS;
	}
}

/* futex(uaddr, op, val, timeout/val2, uaddr2, val3) */
SYSCALL_DEFINE(futex)
{
	uint64_t uaddr = a[0], uaddr2 = a[4];
	int op = (int)a[1], cmd = op & FUTEX_CMD_MASK_;
	uint32_t val = (uint32_t)a[2], val3 = (uint32_t)a[5];
	bool private = op & FUTEX_PRIVATE_FLAG_;
	uint64_t key[2], key2[2];
	long rc, nr2 = (long)(uint32_t)a[3]; /* val2 for the requeue and wake-op commands */

	if ((op & FUTEX_CLOCK_REALTIME_) && cmd != FUTEX_WAIT_BITSET_ && cmd != FUTEX_WAIT_)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT_:
		return futex_wait(s, t, uaddr, op, cmd, val, a[3], FUTEX_BITSET_MATCH_ANY_);
	case FUTEX_WAIT_BITSET_:
		return futex_wait(s, t, uaddr, op, cmd, val, a[3], val3);
	case FUTEX_WAKE_:
	case FUTEX_WAKE_BITSET_: {
		uint32_t bitset = cmd == FUTEX_WAKE_ ? FUTEX_BITSET_MATCH_ANY_ : val3;
		if (!bitset)
			return -EINVAL;
		if ((rc = get_futex_key(s, t, uaddr, private, key)))
			return rc;
		return futex_wake_key(s, key, (long)(int32_t)val < 0 ? 0 : (long)val, bitset);
	}
	case FUTEX_REQUEUE_:
	case FUTEX_CMP_REQUEUE_: {
		if ((int32_t)val < 0 || (int32_t)a[3] < 0)
			return -EINVAL;
		if ((rc = get_futex_key(s, t, uaddr, private, key)) || (rc = get_futex_key(s, t, uaddr2, private, key2)))
			return rc;
		if (cmd == FUTEX_CMP_REQUEUE_) {
			uint32_t cur;
			if (copy_from_user(t->eng, &cur, uaddr, 4))
				return -EFAULT;
			if (cur != val3)
				return -EAGAIN;
		}
		return futex_requeue(s, key, key2, (long)val, nr2);
	}
	case FUTEX_WAKE_OP_: {
		if ((rc = get_futex_key(s, t, uaddr, private, key)) || (rc = get_futex_key(s, t, uaddr2, private, key2)))
			return rc;
		long cmpres = futex_wake_op_word(t, uaddr2, val3);
		if (cmpres < 0)
			return cmpres;
		long woken = futex_wake_key(s, key, (long)val, FUTEX_BITSET_MATCH_ANY_);
		if (cmpres)
			woken += futex_wake_key(s, key2, nr2, FUTEX_BITSET_MATCH_ANY_);
		return woken;
	}
	default:
		return -ENOSYS; /* PI futexes, FUTEX_FD, FUTEX_WAIT_REQUEUE_PI ... */
	}
}

/* handle_futex_death: the robust futex at UADDR was held by T (its owner
 * TID in the low bits): mark it FUTEX_OWNER_DIED and wake one waiter.
 * Returns 0, or -1 if the word cannot be accessed. */
static int handle_futex_death(struct sim *s, struct task *t, uint64_t uaddr, bool pending_op)
{
	uint32_t uval;
	if (uaddr & 3)
		return -1;
	if (copy_from_user(t->eng, &uval, uaddr, 4))
		return -1;
	if (pending_op && !(uval & FUTEX_TID_MASK_)) {
		/* died between the kernel's wake and the lock: wake someone */
		uint64_t key[2];
		if (!get_futex_key(s, t, uaddr, false, key))
			futex_wake_key(s, key, 1, FUTEX_BITSET_MATCH_ANY_);
		return 0;
	}
	if ((uval & FUTEX_TID_MASK_) != (uint32_t)t->pid)
		return 0;
	uint32_t mval = (uval & FUTEX_WAITERS_) | FUTEX_OWNER_DIED_;
	if (copy_to_user(t->eng, uaddr, &mval, 4))
		return -1;
	if (uval & FUTEX_WAITERS_) {
		uint64_t key[2];
		if (!get_futex_key(s, t, uaddr, false, key))
			futex_wake_key(s, key, 1, FUTEX_BITSET_MATCH_ANY_);
	}
	return 0;
}

/* exit_robust_list: walk T's robust list (struct robust_list_head: next,
 * futex_offset, list_op_pending), at most ROBUST_LIST_LIMIT entries. */
static void exit_robust_list(struct sim *s, struct task *t)
{
	uint64_t head[3];
	if (!t->robust_list || copy_from_user(t->eng, head, t->robust_list, sizeof(head)))
		return;
	int64_t off = (int64_t)head[1];
	uint64_t entry = head[0], pending = head[2] & ~1ULL;
	for (int limit = 0; entry != t->robust_list && limit < ROBUST_LIST_LIMIT_; limit++) {
		uint64_t next;
		if (copy_from_user(t->eng, &next, entry & ~1ULL, 8))
			return;
		if ((entry & ~1ULL) != pending && !(entry & 1)) /* bit 0: a PI futex, not handled */
			if (handle_futex_death(s, t, (entry & ~1ULL) + (uint64_t)off, false))
				return;
		entry = next;
	}
	if (pending && !(head[2] & 1))
		handle_futex_death(s, t, pending + (uint64_t)off, true);
}

void exit_mm_release(struct sim *s, struct task *t)
{
	futex_unqueue(s, t);
	if (!t->mm || !t->eng)
		return;
	exit_robust_list(s, t);
	t->robust_list = 0;
	if (t->clear_child_tid && t->mm->mm_users > 1) {
		uint32_t zero = 0;
		uint64_t key[2];
		if (!copy_to_user(t->eng, t->clear_child_tid, &zero, 4) &&
		    !get_futex_key(s, t, t->clear_child_tid, false, key))
			futex_wake_key(s, key, 1, FUTEX_BITSET_MATCH_ANY_);
	}
	t->clear_child_tid = 0;
}

/* get_robust_list(pid, head_ptr, len_ptr): the robust-list head of task
 * PID (0: the caller), as set_robust_list registered it. */
SYSCALL_DEFINE(get_robust_list)
{
	struct task *p = a[0] ? find_task_by_pid(s, (int)a[0]) : t;
	if (!p || p->state == EXIT_DEAD)
		return -ESRCH;
	uint64_t head = p->robust_list, len = 24;
	if (copy_to_user(t->eng, a[2], &len, 8) || copy_to_user(t->eng, a[1], &head, 8))
		return -EFAULT;
	return 0;
}
