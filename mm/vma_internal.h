/* mm/vma_internal.h - helpers shared by mm/vma.c, mmap.c, mprotect.c,
 * mremap.c and madvise.c; not part of mm/'s interface. */
#ifndef MMSIM_MM_VMA_INTERNAL_H
#define MMSIM_MM_VMA_INTERNAL_H

#include "mm/mmap.h"
#include "traces/trace.h"

/* Add / remove a linked VMA's pages in mm's totals (vm_stat_account). */
void vma_account(struct mm_struct *mm, const struct vm_area_struct *vma);
void vma_unaccount(struct mm_struct *mm, const struct vm_area_struct *vma);
/* Unlink VMA from MM (not freed). */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
/* The last VMA of MM, or NULL. */
struct vm_area_struct *vma_last(struct mm_struct *mm);
/* The VMA before ADDR's slot: the last VMA with vm_end <= ADDR... precisely
 * the predecessor of find_vma(ADDR) (or the last VMA if none). */
struct vm_area_struct *vma_prev_of_addr(struct mm_struct *mm, uint64_t addr);
/* Does [start, start + len) lie in MM's user space (below task_size)?
 * Written so that start + len cannot overflow. */
static inline bool range_in_task(const struct mm_struct *mm, uint64_t start, uint64_t len)
{
	return start <= mm->task_size && len <= mm->task_size - start;
}
/* vm_start less the stack guard gap for VM_GROWSDOWN VMAs. */
uint64_t vm_start_gap(const struct vm_area_struct *v);
/* Give [start, end) of VMA the flags NEWFLAGS, merging or splitting;
 * *PREV becomes the VMA holding the range.  0 or -ENOMEM (vma.c). */
int vma_modify_flags(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
		     struct vm_area_struct **prev, uint64_t start, uint64_t end, unsigned long newflags);
/* Unmap page-aligned [start, end): split, zap, remove.  0 or -ENOMEM. */
int __do_munmap(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t end);
/* Emit a MAP/UNMAP/VMA event. */
void trace_vma(struct memsys *m, enum trace_event_type type, uint64_t addr, uint64_t len, const char *detail);

#endif
