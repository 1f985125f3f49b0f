/* sim/sys_misc.c - uname, sysinfo and scheduling calls (futex: sim/futex.c). */
#include <string.h>

#include "mm/page_alloc.h"
#include "sim/sys_internal.h"
#include "sim/wait.h"

SYSCALL_DEFINE(uname)
{
	(void)s;
	char u[6][65];
	memset(u, 0, sizeof(u));
	strcpy(u[0], "Linux");
	strcpy(u[1], "mmsim");
	strcpy(u[2], "6.1.0-mmsim");
	strcpy(u[3], "#1 SMP PREEMPT_DYNAMIC mmsim " MMSIM_VERSION);
	strcpy(u[4], "x86_64");
	strcpy(u[5], "(none)");
	return copy_to_user(t->eng, a[0], u, sizeof(u)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(sysinfo)
{
	uint8_t b[112];
	uint64_t v;
	uint16_t procs = (uint16_t)s->procs->nr_tasks;
	uint32_t unit = 1;
	memset(b, 0, sizeof(b));
	v = sim_now_ns(s) / 1000000000ULL;
	memcpy(b, &v, 8);
	v = (uint64_t)s->mem->totalram_pages << PAGE_SHIFT;
	memcpy(b + 32, &v, 8);
	v = (uint64_t)nr_free_pages(s->mem) << PAGE_SHIFT;
	memcpy(b + 40, &v, 8);
	v = (uint64_t)global_node_page_state(s->mem, NR_SHMEM) << PAGE_SHIFT;
	memcpy(b + 48, &v, 8);
	memcpy(b + 80, &procs, 2);
	memcpy(b + 104, &unit, 4);
	return copy_to_user(t->eng, a[0], b, sizeof(b)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(sched_yield)
{
	(void)s;
	(void)a;
	t->need_resched = true;
	t->nvcsw++;
	return 0;
}

SYSCALL_DEFINE(rseq)
{
	(void)s;
	(void)t;
	(void)a;
	return -ENOSYS;
}

SYSCALL_DEFINE(sched_getaffinity)
{
	(void)s;
	int n = s->cfg.cpus > 0 ? s->cfg.cpus : 1;
	uint64_t mask = n >= 64 ? ~0ULL : (1ULL << n) - 1; /* every CPU */
	if (a[1] < 8 || (a[1] & 7))
		return -EINVAL;
	if (a[0] && !find_task_by_pid(s, (int)a[0]))
		return -ESRCH;
	if (clear_user(t->eng, a[2], a[1]) || copy_to_user(t->eng, a[2], &mask, 8))
		return -EFAULT;
	return 8;
}

SYSCALL_DEFINE(getcpu)
{
	(void)s;
	uint32_t z = 0, cpu = (uint32_t)t->cpu;
	if (a[0] && copy_to_user(t->eng, a[0], &cpu, 4))
		return -EFAULT;
	if (a[1] && copy_to_user(t->eng, a[1], &z, 4))
		return -EFAULT;
	return 0;
}
