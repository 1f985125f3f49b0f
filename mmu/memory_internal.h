/* mmu/memory_internal.h - helpers shared by mmu/memory.c, cow.c and zap.c;
 * not part of mmu/'s interface. */
#ifndef MMSIM_MMU_MEMORY_INTERNAL_H
#define MMSIM_MMU_MEMORY_INTERNAL_H

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/rmap.h"
#include "mm/view_log.h"
#include "mmu/memory.h"

/* One fault in progress (Linux's struct vm_fault). */
struct vm_fault {
	struct vm_area_struct *vma;
	uint64_t address;        /* page aligned */
	unsigned flags;          /* FAULT_FLAG_* */
	pte_t *pte;              /* slot of the address */
	pte_t orig_pte;
	struct fault_info *fi;
};

/* Write V into SLOT (user page VA of MM) and tell the notifier and the
 * views' listener (mm/view_log.h). */
static inline void set_user_pte(struct memsys *m, struct mm_struct *mm, pte_t *slot, uint64_t va, pte_t v)
{
	set_pte(slot, v);
	vlog_pte(m, mm, va, v.pte);
	if (mm->notifier && mm->notifier->pte_changed)
		mm->notifier->pte_changed(mm->notifier_ctx, mm, va, v.pte);
}

/* Clear SLOT (user page VA of MM) and tell the views' listener; the caller
 * tells the notifier for the whole range (notify_range_cleared). */
static inline void clear_user_pte(struct memsys *m, struct mm_struct *mm, pte_t *slot, uint64_t va)
{
	pte_clear(slot);
	vlog_pte(m, mm, va, 0);
}

static inline void notify_range_cleared(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	if (mm->notifier && mm->notifier->range_cleared)
		mm->notifier->range_cleared(mm->notifier_ctx, mm, start, end);
}

/* The page a mapped PTE points to, or NULL for the zero page (Linux's
 * vm_normal_page). */
struct page *vm_normal_page(struct memsys *m, pte_t pte);

/* Resident-set bookkeeping of one mapping of PAGE: +1 or -1. */
void mm_rss_page(struct mm_struct *mm, const struct page *page, long delta);

/* Shared-memory page (page cache of a shmem backing)? */
static inline bool page_is_shmem(const struct page *p)
{
	return page_is_file_cache(p) && ((const struct address_space *)p->mapping)->host->shmem;
}

/* RW only when VMA allows writes (Linux's maybe_mkwrite). */
static inline pte_t maybe_mkwrite(pte_t p, const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_WRITE) ? pte_mkwrite(p) : p;
}

/* do_wp_page (mmu/cow.c): write to a present read-only PTE. */
unsigned do_wp_page(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf);
/* Emit a TEV_COW event. */
void trace_cow(struct memsys *m, uint64_t addr, uint64_t pfn);

/* mm->pt_ops for reclaim (mmu/rmap_pt.c): see struct mm_pt_ops. */
int rmap_page_referenced_one(struct memsys *m, struct vm_area_struct *vma, uint64_t addr, struct page *page);
bool rmap_try_to_unmap_one(struct memsys *m, struct vm_area_struct *vma, uint64_t addr, struct page *page,
			   uint64_t swp);
void rmap_cold_range(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
		     uint64_t end, bool pageout);
/* do_swap_page (mmu/swap_fault.c): a fault on a swap PTE. */
unsigned do_swap_page(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf);

/* pt_ops installed by mm_alloc (mmu/zap.c). */
extern const struct mm_pt_ops mmu_pt_ops;

#endif
