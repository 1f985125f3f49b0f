/* mm/overcommit.h - vm.overcommit_memory: Committed_AS and the check every
 * accountable mapping passes (Linux's mm/util.c __vm_enough_memory).
 *
 * Committed_AS (memsys->vm_committed_as) is the number of pages of every
 * VM_ACCOUNT VMA of every address space: private writable mappings
 * (without MAP_NORESERVE), brk, the stack.  mm/vma.c's vma_stat() keeps it
 * as VMAs are linked, resized, re-flagged and unlinked, so it is charged
 * and released exactly where Linux's vm_acct_memory/vm_unacct_memory are.
 * Before a mapping grows the commitment, its caller asks
 * security_vm_enough_memory_mm() for the new pages:
 *   overcommit_memory 1 (OVERCOMMIT_ALWAYS)  always yes;
 *   overcommit_memory 0 (OVERCOMMIT_GUESS)   no only for a request larger
 *                                            than RAM + swap by itself;
 *   overcommit_memory 2 (OVERCOMMIT_NEVER)   yes while Committed_AS + pages
 *       < CommitLimit - min(total_vm / 32, user_reserve_kbytes) (the guest
 *       runs as root, so admin_reserve_kbytes is not taken off),
 * with CommitLimit = (RAM - hugetlb) * overcommit_ratio / 100 + swap, or
 * overcommit_kbytes + swap when that is set.
 */
#ifndef MMSIM_MM_OVERCOMMIT_H
#define MMSIM_MM_OVERCOMMIT_H

#include <stdbool.h>

#include "mm/mmzone.h"

#define OVERCOMMIT_GUESS  0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER  2

/* CommitLimit in pages (Linux's vm_commit_limit). */
unsigned long vm_commit_limit(const struct memsys *m);
/* May MM (NULL: a kernel request) commit PAGES more pages?  Returns 0, or
 * -ENOMEM when the overcommit policy refuses (Linux's __vm_enough_memory;
 * CAP_SYS_ADMIN keeps the admin reserve). */
int __vm_enough_memory(struct memsys *m, struct mm_struct *mm, long pages, bool cap_sys_admin);
/* The same for a guest (root, so CAP_SYS_ADMIN). */
int security_vm_enough_memory_mm(struct memsys *m, struct mm_struct *mm, long pages);
/* Set vm.user_reserve_kbytes and vm.admin_reserve_kbytes from the free
 * memory, as Linux's init_user_reserve/init_admin_reserve do at boot. */
void vm_reserves_init(struct memsys *m);

#endif
