/* mm/overcommit.c - the overcommit policy (see mm/overcommit.h). */
#include "mm/overcommit.h"
#include "mm/swapfile.h"

#include <errno.h>

#define K_TO_PAGES(kb) ((unsigned long)(kb) >> (PAGE_SHIFT - 10))

unsigned long vm_commit_limit(const struct memsys *m)
{
	unsigned long allowed;

	if (m->sysctl.overcommit_kbytes)
		allowed = K_TO_PAGES(m->sysctl.overcommit_kbytes);
	else
		allowed = (unsigned long)((uint64_t)m->totalram_pages * (uint64_t)(long)m->sysctl.overcommit_ratio / 100);
	return allowed + (unsigned long)total_swap_pages(m);
}

int __vm_enough_memory(struct memsys *m, struct mm_struct *mm, long pages, bool cap_sys_admin)
{
	long allowed;

	if (m->sysctl.overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (m->sysctl.overcommit_memory == OVERCOMMIT_GUESS)
		return pages > (long)(m->totalram_pages + (unsigned long)total_swap_pages(m)) ? -ENOMEM : 0;
	allowed = (long)vm_commit_limit(m);
	if (!cap_sys_admin)
		allowed -= (long)K_TO_PAGES(m->sysctl.admin_reserve_kbytes);
	if (mm) {
		long reserve = (long)K_TO_PAGES(m->sysctl.user_reserve_kbytes);
		long share = (long)(mm->total_vm / 32);
		allowed -= share < reserve ? share : reserve;
	}
	/* Linux charges first (vm_acct_memory) and compares the sum */
	if (m->vm_committed_as + pages < allowed)
		return 0;
	return -ENOMEM;
}

int security_vm_enough_memory_mm(struct memsys *m, struct mm_struct *mm, long pages)
{
	return __vm_enough_memory(m, mm, pages, true);
}

void vm_reserves_init(struct memsys *m)
{
	unsigned long free_kb = (unsigned long)global_zone_page_state(m, NR_FREE_PAGES) << (PAGE_SHIFT - 10);

	m->sysctl.user_reserve_kbytes = free_kb / 32 < (1UL << 17) ? free_kb / 32 : (1UL << 17);
	m->sysctl.admin_reserve_kbytes = free_kb / 32 < (1UL << 13) ? free_kb / 32 : (1UL << 13);
}
