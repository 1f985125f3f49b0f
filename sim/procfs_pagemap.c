/* sim/procfs_pagemap.c - /proc/PID/pagemap (Linux: fs/proc/task_mmu.c,
 * Documentation/admin-guide/mm/pagemap.rst).
 *
 * Eight bytes per virtual page, at offset (vaddr / 4096) * 8, read with
 * lseek + read or pread:
 *   bits 0-54  page frame number if present (the guest is root, so it is
 *              shown), or swap type (bits 0-4) and offset (bits 5-54)
 *   bit 55     soft-dirty: always 0, as on a kernel built without
 *              CONFIG_MEM_SOFT_DIRTY (mmsim has no clear_refs)
 *   bit 56     the page is mapped exactly once (PM_MMAP_EXCLUSIVE)
 *   bit 61     a file page or shared anonymous page (not PageAnon)
 *   bit 62     swapped
 *   bit 63     present
 * The zero page is present with its frame number and no other flag (it
 * is a "special" page: vm_normal_page gives none).  Addresses outside
 * every VMA read as 0.  The file is generated at each read from the page
 * tables, so it is always current.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm/mmap.h"
#include "mm/page.h"
#include "mmu/memory.h"
#include "mmu/pgtable.h"
#include "sim/process.h"
#include "sim/sys_internal.h"

#define PM_PFRAME_MASK      ((1ULL << 55) - 1)
#define PM_MMAP_EXCLUSIVE   (1ULL << 56)
#define PM_FILE             (1ULL << 61)
#define PM_SWAP             (1ULL << 62)
#define PM_PRESENT          (1ULL << 63)
#define PM_SWAP_TYPE_BITS   5

/* The pagemap entry of VA in MM (VMA the VMA holding it, or NULL). */
static uint64_t pagemap_entry(struct sim *s, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t va)
{
	if (!vma)
		return 0;
	uint64_t e = 0;
	pte_t *pte = pte_lookup(s->mem, mm, va);
	if (!pte || pte_none(*pte))
		return e;
	if (pte_present(*pte)) {
		uint64_t pfn = pte_pfn(*pte);
		e |= PM_PRESENT | (pfn & PM_PFRAME_MASK);
		if (pfn >= s->mem->max_pfn)
			return e;
		struct page *pg = pfn_to_page(s->mem, pfn);
		if (pg == s->mem->zero_page)
			return e;
		if (!PageAnon(pg))
			e |= PM_FILE;
		if (page_mapcount(pg) == 1)
			e |= PM_MMAP_EXCLUSIVE;
		return e;
	}
	if (is_swap_pte(*pte)) {
		swp_entry_t sw = pte_to_swp_entry(*pte);
		uint64_t frame = swp_type(sw) | (swp_offset(sw) << PM_SWAP_TYPE_BITS);
		return e | PM_SWAP | (frame & PM_PFRAME_MASK);
	}
	return e;
}

long procfs_pagemap_read(struct sim *s, int pid, const struct iobuf *io, uint64_t len, uint64_t *pos)
{
	if ((*pos & 7) || (len & 7))
		return -EINVAL;
	struct task *t = find_task_by_pid(s, pid);
	struct mm_struct *mm = t && t->state != EXIT_DEAD ? t->mm : NULL;
	if (!mm || !len)
		return 0;
	uint64_t end_va = mm->task_size ? mm->task_size : TASK_SIZE_MAX;
	uint64_t va = (*pos / 8) << PAGE_SHIFT;
	if (*pos / 8 > end_va >> PAGE_SHIFT)
		return 0;
	if (len > 0x7ffff000)
		len = 0x7ffff000 & ~7ULL;
	enum { CHUNK = 512 };
	uint64_t buf[CHUNK], done = 0;
	struct vm_area_struct *vma = NULL;
	while (done < len && va < end_va) {
		size_t n = 0;
		while (n < CHUNK && done + n * 8 < len && va < end_va) {
			if (!vma || va >= vma->vm_end)
				vma = find_vma(mm, va); /* the first VMA ending above VA */
			buf[n++] = pagemap_entry(s, mm, vma && va >= vma->vm_start ? vma : NULL, va);
			va += PAGE_SIZE;
		}
		if (iob_copy_to(io, done, buf, n * 8))
			return done ? (long)done : -EFAULT;
		done += n * 8;
	}
	*pos += done;
	return (long)done;
}
