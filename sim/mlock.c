/* sim/mlock.c - the mlock family of system calls over mm/mlock.h: the
 * caller's RLIMIT_MEMLOCK and capability (the guest is root, with
 * CAP_IPC_LOCK, so the limit never refuses, as on Linux for root). */
#include <errno.h>
#include <sys/resource.h>

#include "mm/mlock.h"
#include "sim/sys_internal.h"

/* The guest runs as uid 0 with every capability (sim/sys_proc.c). */
static bool capable_ipc_lock(const struct task *t)
{
	(void)t;
	return true;
}

SYSCALL_DEFINE(mlock)
{
	return do_mlock(s->mem, t->mm, a[0], a[1], VM_LOCKED, t->signal->rlim[RLIMIT_MEMLOCK].cur, capable_ipc_lock(t));
}

SYSCALL_DEFINE(mlock2)
{
	if (a[2] & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(s->mem, t->mm, a[0], a[1], VM_LOCKED | ((a[2] & MLOCK_ONFAULT) ? VM_LOCKONFAULT : 0),
			t->signal->rlim[RLIMIT_MEMLOCK].cur, capable_ipc_lock(t));
}

SYSCALL_DEFINE(munlock)
{
	return do_mlock(s->mem, t->mm, a[0], a[1], 0, t->signal->rlim[RLIMIT_MEMLOCK].cur, capable_ipc_lock(t));
}

SYSCALL_DEFINE(mlockall)
{
	if (!a[0])
		return -EINVAL;
	return do_mlockall(s->mem, t->mm, (int)a[0], t->signal->rlim[RLIMIT_MEMLOCK].cur, capable_ipc_lock(t));
}

SYSCALL_DEFINE(munlockall)
{
	(void)a;
	return do_mlockall(s->mem, t->mm, 0, t->signal->rlim[RLIMIT_MEMLOCK].cur, capable_ipc_lock(t));
}
