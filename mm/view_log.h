/* mm/view_log.h - telling a listener about every change that the per-process
 * /proc views (maps, smaps, status) read, as it happens.
 *
 * A trace database keeps those views for `mmsim proc --at SEQ maps|smaps|
 * status PID` as periodic checkpoints plus, with each event, the changes
 * since the previous one (sim/view_record.c).  Changes the listener cannot
 * see by looking at the tasks and VMAs at each event come through here:
 *  - pte: a user PTE of MM (mm->serial) for page VA now holds PTEVAL (set,
 *    changed or cleared; mmu/memory_internal.h's set_user_pte and
 *    clear_user_pte);
 *  - pte_cr3: the walker set the dirty bit of the PTE of VA in the address
 *    space whose top-level table is frame PGD_PFN (mmu/walk.c);
 *  - mapcount: page PFN is now mapped by MAPCOUNT PTEs (mm/rmap.c);
 *  - swapcount: swap slot OFF now has COUNT references (mm/swapfile.c);
 *  - shmem: page INDEX of shmem file FILE went to swap (SWAPPED) or left it;
 *  - mm_new, mm_gone: MM was made (mm_alloc) or is about to be freed (mmput).
 * With no listener (memsys->vlog NULL: no database) each hook is one test.
 */
#ifndef MMSIM_MM_VIEW_LOG_H
#define MMSIM_MM_VIEW_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mmzone.h"

struct mm_struct;
struct file_backing;

struct view_log_ops {
	void (*pte)(void *ctx, const struct mm_struct *mm, uint64_t va, uint64_t pteval);
	void (*pte_cr3)(void *ctx, uint64_t pgd_pfn, uint64_t va, uint64_t pteval);
	void (*mapcount)(void *ctx, uint64_t pfn, int mapcount);
	void (*swapcount)(void *ctx, uint64_t off, int count);
	void (*shmem)(void *ctx, const struct file_backing *file, uint64_t index, bool swapped);
	void (*mm_new)(void *ctx, struct mm_struct *mm);
	void (*mm_gone)(void *ctx, struct mm_struct *mm);
};

static inline void vlog_pte(const struct memsys *m, const struct mm_struct *mm, uint64_t va, uint64_t pteval)
{
	if (m->vlog)
		m->vlog->pte(m->vlog_ctx, mm, va, pteval);
}

static inline void vlog_pte_cr3(const struct memsys *m, uint64_t pgd_pfn, uint64_t va, uint64_t pteval)
{
	if (m->vlog)
		m->vlog->pte_cr3(m->vlog_ctx, pgd_pfn, va, pteval);
}

static inline void vlog_mapcount(const struct memsys *m, uint64_t pfn, int mapcount)
{
	if (m->vlog)
		m->vlog->mapcount(m->vlog_ctx, pfn, mapcount);
}

static inline void vlog_swapcount(const struct memsys *m, uint64_t off, int count)
{
	if (m->vlog)
		m->vlog->swapcount(m->vlog_ctx, off, count);
}

static inline void vlog_shmem(const struct memsys *m, const struct file_backing *f, uint64_t index, bool swapped)
{
	if (m->vlog)
		m->vlog->shmem(m->vlog_ctx, f, index, swapped);
}

static inline void vlog_mm_new(const struct memsys *m, struct mm_struct *mm)
{
	if (m->vlog)
		m->vlog->mm_new(m->vlog_ctx, mm);
}

static inline void vlog_mm_gone(const struct memsys *m, struct mm_struct *mm)
{
	if (m->vlog)
		m->vlog->mm_gone(m->vlog_ctx, mm);
}

#endif
