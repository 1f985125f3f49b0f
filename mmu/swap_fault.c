/* mmu/swap_fault.c - faulting a swapped-out page back in (Linux:
 * mm/memory.c do_swap_page).
 *
 * The PTE holds a swap entry.  The page comes from the swap cache (a minor
 * fault) or is read from the slot with vm.page-cluster readahead (a MAJOR
 * fault: pgmajfault, pswpin; the faulting task owes --swap-latency of
 * simulated I/O wait, fault_info.io_ns, which the scheduler turns into a
 * sleep while other tasks run).  The PTE then maps the page and the slot
 * loses this PTE's reference.  A write fault on a page nobody else uses
 * frees the slot at once (the data will change) and maps it writable; a
 * read fault maps it read-only and leaves it in the swap cache, so a
 * later reclaim of the still-clean page needs no write (SwapCached).
 */
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mmu/memory_internal.h"
#include "traces/trace.h"

static void trace_swap_in(struct memsys *m, struct page *page, uint64_t addr, swp_entry_t e, bool major)
{
	struct trace_event ev = trace_event_init(TEV_SWAP_IN);

	ev.pfn = (int64_t)page_to_pfn(m, page);
	ev.addr = addr;
	ev.value = (int64_t)swp_offset(e);
	ev.detail = major ? "fault" : "cache";
	trace_emit(m->trace, &ev);
}

unsigned do_swap_page(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	swp_entry_t entry = pte_to_swp_entry(vmf->orig_pte);
	bool write = vmf->flags & FAULT_FLAG_WRITE, major = false, exclusive;
	unsigned nr_read = 0;
	struct page *page;
	pte_t e;

	vmf->fi->kind = FK_SWAP;
	if (!swap_entry_valid(m, entry) || !swap_count(m, entry))
		return VM_FAULT_SIGBUS; /* a corrupt entry: Linux's "Bad swap" path */
	if (anon_vma_prepare(m, vma))
		return VM_FAULT_OOM;
	page = lookup_swap_cache(m, entry);
	if (!page) {
		page = swapin_readahead(m, entry, GFP_HIGHUSER_MOVABLE, &major, &nr_read);
		if (!page)
			return VM_FAULT_OOM;
		if (major && m->swap)
			vmf->fi->io_ns = m->swap->latency_ns;
	}
	/* Exclusive: this PTE is the slot's only reference and nobody maps
	 * the page (Linux's PTE-marker-less test: swap count 1, unmapped). */
	exclusive = swap_count(m, entry) == 1 && page_mapcount(page) == 0;
	swap_free(m, entry);
	mm->swapents--;
	page_add_anon_rmap(m, page, vma, vmf->address);
	mm_rss_page(mm, page, 1);
	if (!PageLRU(page))
		lru_cache_add_inactive_or_unevictable(m, page, vma);
	e = mk_pte_pfn(page_to_pfn(m, page), vm_get_page_prot(vma->vm_flags));
	e = pte_wrprotect(e);
	if (write && exclusive) {
		/* should_try_to_free_swap + do_swap_page's reuse */
		try_to_free_swap(m, page);
		SetPageDirty(page);
		e = maybe_mkwrite(pte_mkdirty(e), vma);
	}
	set_user_pte(m, mm, vmf->pte, vmf->address, e);
	vmf->fi->pfn = page_to_pfn(m, page);
	trace_swap_in(m, page, vmf->address, entry, major);
	/* The lookup's reference is now the mapping's.  A write to a page
	 * others share goes on to do_wp_page in the same fault, as Linux's. */
	if (write && !pte_write(e)) {
		unsigned r;
		vmf->orig_pte = e;
		r = do_wp_page(m, mm, vmf);
		vmf->fi->kind = FK_SWAP;
		if (r & VM_FAULT_ERROR)
			return r;
	}
	return major ? VM_FAULT_MAJOR : 0;
}
