/* mmu/rmap_pt.c - the page-table half of reclaim's reverse-map work:
 * mm/rmap.c walks the VMAs that may map a page and calls these through
 * mm->pt_ops (page_referenced_one, try_to_unmap_one).
 *
 * Accessed bits are tested and cleared WITHOUT a TLB flush, as x86 Linux's
 * ptep_clear_flush_young does: while the translation stays cached in a TLB
 * the CPU does not walk, so it does not set A again, and a page in steady
 * use can look unreferenced to reclaim (real hardware behaves the same;
 * the next TLB miss sets the bit again).  Unmapping does flush
 * (ptep_clear_flush): the frame is about to be reused.
 */
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"
#include "mmu/memory_internal.h"

/* The PTE slot at ADDR of VMA's mm if it maps PAGE (present or PROT_NONE), else NULL. */
static pte_t *page_pte(struct memsys *m, struct vm_area_struct *vma, uint64_t addr, struct page *page)
{
	pte_t *p = pte_lookup(m, vma->vm_mm, addr);

	if (!p || !pte_mapped(*p) || pte_pfn(*p) != page_to_pfn(m, page))
		return NULL;
	return p;
}

int rmap_page_referenced_one(struct memsys *m, struct vm_area_struct *vma, uint64_t addr, struct page *page)
{
	pte_t *p = page_pte(m, vma, addr, page);

	if (!p)
		return -1;
	if (!pte_young(*p))
		return 0;
	/* ptep_clear_flush_young: no flush on x86 (see above). */
	set_user_pte(m, vma->vm_mm, p, addr, pte_mkold(*p));
	return 1;
}

bool rmap_try_to_unmap_one(struct memsys *m, struct vm_area_struct *vma, uint64_t addr, struct page *page,
				  uint64_t swp)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *p = page_pte(m, vma, addr, page);
	pte_t old;

	if (!p)
		return false;
	old = *p;
	if (swp && swap_duplicate(m, (swp_entry_t){ swp }) < 0)
		return false; /* slot count overflow: leave the mapping */
	if (pte_dirty(old))
		SetPageDirty(page);
	if (swp) {
		set_user_pte(m, mm, p, addr, swp_entry_to_pte((swp_entry_t){ swp }));
		mm->swapents++;
		mm->swapouts++;
	} else {
		clear_user_pte(m, mm, p, addr);
		notify_range_cleared(mm, addr, addr + PAGE_SIZE);
	}
	mm_flush_tlb_range(mm, addr, addr + PAGE_SIZE);
	mm_rss_page(mm, page, -1);
	page_remove_rmap(m, page);
	put_page(m, page);
	return true;
}


/* Linux's madvise_cold_or_pageout_pte_range, for normal pages mapped by
 * this mm only (mapcount 1): the A bit is cleared (with a flush: the page
 * is to look unused) and the page deactivated, or reclaimed at once. */
void rmap_cold_range(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
		     uint64_t end, bool pageout)
{
	bool any = false;

	(void)vma;
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *p = pte_lookup(m, mm, va);
		struct page *page;

		if (!p || !pte_present(*p))
			continue;
		page = vm_normal_page(m, *p);
		if (!page || page_mapcount(page) != 1 || !PageLRU(page))
			continue;
		if (pte_young(*p)) {
			set_user_pte(m, mm, p, va, pte_mkold(*p));
			any = true;
		}
		if (pageout) {
			ClearPageReferenced(page);
			reclaim_page(m, page);
		} else {
			deactivate_page(m, page);
		}
	}
	if (any && !pageout)
		mm_flush_tlb_range(mm, start, end);
}
