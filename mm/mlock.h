/* mm/mlock.h - mlock(2) and friends (Linux's mm/mlock.c).
 *
 * A VMA with VM_LOCKED has every page it maps mlocked: PG_mlocked set,
 * counted in NR_MLOCK (meminfo Mlocked) and unevictable_pgs_mlocked; the
 * LRU keeps such pages on the unevictable list and reclaim never takes
 * them.  Pages come in locked when the range is locked (populated at once
 * unless VM_LOCKONFAULT), when a fault maps one into a VM_LOCKED VMA
 * (mmu/memory.c), and lose the flag when munlocked (unevictable_pgs_
 * munlocked), unmapped from a locked VMA (munmap, exit, the OOM reaper),
 * or freed while still flagged (unevictable_pgs_cleared).
 *
 * Simplification: one lock per page (Linux 6.1 keeps an mlock_count): a
 * page mlocked through two VMAs is unlocked by either.  The guest is root
 * (CAP_IPC_LOCK), so, as on Linux for root, RLIMIT_MEMLOCK never refuses.
 */
#ifndef MMSIM_MM_MLOCK_H
#define MMSIM_MM_MLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mmzone.h"
#include "mm/swap.h" /* PageMlocked */

#define MLOCK_ONFAULT 0x01
#ifndef MCL_CURRENT
#define MCL_CURRENT 1
#define MCL_FUTURE  2
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/* Mark PAGE mlocked (a page of a VM_LOCKED VMA) and move it to the
 * unevictable list if it is on the LRU; no-op if it already is mlocked. */
void mlock_page(struct memsys *m, struct page *page);
/* Clear PAGE's mlock and put it back on an evictable list if it is on
 * the LRU; no-op if it has none. */
void munlock_page(struct memsys *m, struct page *page);
/* PAGE is being freed with PG_mlocked still set: clear and count it. */
void mlock_page_freed(struct memsys *m, struct page *page);

/* mlock/mlock2 (FLAGS VM_LOCKED, | VM_LOCKONFAULT) and munlock (FLAGS 0)
 * of [start, start+len).  LOCK_LIMIT is RLIMIT_MEMLOCK in bytes, CAPABLE
 * whether the caller has CAP_IPC_LOCK.  Returns 0, -ENOMEM (a hole in the
 * range, or over the limit), -EPERM (limit 0 without the capability),
 * -EINVAL (overflow), -EAGAIN (population ran out of memory). */
int do_mlock(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len, unsigned long flags,
	     uint64_t lock_limit, bool capable);
/* mlockall(FLAGS MCL_*) / munlockall (FLAGS 0).  Returns 0, -EINVAL,
 * -ENOMEM, -EPERM as Linux. */
int do_mlockall(struct memsys *m, struct mm_struct *mm, int flags, uint64_t lock_limit, bool capable);

#endif
