/* mmu/cow.c - copy-on-write: do_wp_page and fork's copy_page_range
 * (Linux: mm/memory.c, kernel/fork.c dup_mmap).
 *
 * A private writable page shared after fork is mapped read-only in every
 * mm, with one reference and one mapcount per mapping.  The first write in
 * any of them enters do_wp_page: if the page has become exclusive (mapcount
 * 1 and refcount 1) it is reused in place, else the writer gets a copy and
 * drops its mapping of the original.  So after a fork of N touched pages, N
 * writes by the child are N copies, and the parent's later writes are
 * reuses.
 */
#include <errno.h>
#include <string.h>

#include "mm/overcommit.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mmu/memory_internal.h"

/* Replace the mapping at vmf's address with a private copy of OLD (or a
 * zeroed page when OLD is NULL: the zero page).  Returns 0 or VM_FAULT_OOM. */
static unsigned wp_page_copy(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf, struct page *old)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;
	pte_t e;

	if (anon_vma_prepare(m, vma))
		return VM_FAULT_OOM;
	if (old)
		get_page(m, old); /* keep it while the allocation may reclaim */
	page = alloc_page(m, GFP_HIGHUSER_MOVABLE | (old ? 0 : __GFP_ZERO));
	if (!page || vmf->pte->pte != vmf->orig_pte.pte) {
		/* Reclaim in the allocation unmapped the page meanwhile (Linux's
		 * !pte_same after the copy): give up, the access refaults. */
		if (page)
			put_page(m, page);
		if (old)
			put_page(m, old);
		return page ? 0 : VM_FAULT_OOM;
	}
	if (old) {
		memcpy(page_address(m, page), page_address(m, old), PAGE_SIZE);
		put_page(m, old);
	}
	page_add_new_anon_rmap(m, page, vma, vmf->address);
	lru_cache_add_inactive_or_unevictable(m, page, vma);
	mm_rss_page(mm, page, 1);
	e = maybe_mkwrite(pte_mkdirty(mk_pte_pfn(page_to_pfn(m, page), vm_get_page_prot(vma->vm_flags))), vma);
	/* ptep_clear_flush + set: the old frame may be cached in a TLB. */
	set_user_pte(m, mm, vmf->pte, vmf->address, e);
	mm_flush_tlb_range(mm, vmf->address, vmf->address + PAGE_SIZE);
	if (old) {
		mm_rss_page(mm, old, -1);
		page_remove_rmap(m, old);
		put_page(m, old);
	}
	vmf->fi->pfn = page_to_pfn(m, page);
	trace_cow(m, vmf->address, page_to_pfn(m, page));
	return 0;
}

unsigned do_wp_page(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = vm_normal_page(m, vmf->orig_pte);
	pte_t e;

	vmf->fi->kind = FK_COW;
	if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE)) {
		/* Shared writable mapping: just allow the write (wp_page_shared). */
		e = pte_mkdirty(pte_mkyoung(pte_mkwrite(vmf->orig_pte)));
		if (page)
			SetPageDirty(page);
		set_user_pte(m, mm, vmf->pte, vmf->address, e);
		vmf->fi->kind = FK_FILE;
		vmf->fi->pfn = pte_pfn(e);
		return 0;
	}
	/* A page still in the swap cache: let go of the slot if no other PTE
	 * refers to it (folio_free_swap), then it may be exclusive. */
	if (page && PageAnon(page) && PageSwapCache(page) && page_count(page) == 2)
		try_to_free_swap(m, page);
	if (page && PageAnon(page) && page_mapcount(page) == 1 && page_count(page) == 1) {
		/* Exclusive: reuse in place (wp_page_reuse). */
		e = maybe_mkwrite(pte_mkdirty(pte_mkyoung(vmf->orig_pte)), vma);
		set_user_pte(m, mm, vmf->pte, vmf->address, e);
		__count_vm_event(m, PGREUSE);
		vmf->fi->reused = true;
		vmf->fi->pfn = pte_pfn(e);
		return 0;
	}
	return wp_page_copy(m, mm, vmf, page);
}

/* Copy one mapped PTE of SRC_VMA at VA into the child's slot DST. */
static void copy_one_pte(struct memsys *m, struct mm_struct *dst_mm, struct mm_struct *src_mm,
			 struct vm_area_struct *src_vma, pte_t *dst, pte_t *src, uint64_t va, bool *wrprotected)
{
	pte_t e = *src;
	struct page *page = vm_normal_page(m, e);

	if (page) {
		get_page(m, page);
		page_dup_rmap(m, page);
		mm_rss_page(dst_mm, page, 1);
	}
	/* is_cow_mapping: private and may become writable */
	if ((src_vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE && pte_write(e)) {
		e = pte_wrprotect(e);
		set_user_pte(m, src_mm, src, va, e);
		*wrprotected = true;
	}
	if (src_vma->vm_flags & VM_SHARED)
		e = pte_mkclean(e);
	e = pte_mkold(e);
	set_user_pte(m, dst_mm, dst, va, e);
}

/* Copy the page tables of SRC_VMA into DST_MM.  Returns 0 or -ENOMEM. */
static int copy_page_range(struct memsys *m, struct mm_struct *dst_mm, struct mm_struct *src_mm,
			   struct vm_area_struct *src_vma, bool *wrprotected)
{
	uint64_t va = src_vma->vm_start;

	/* Linux skips mappings the child can refault from the file. */
	if (!src_vma->anon_vma && !(src_vma->vm_flags & (VM_HUGETLB | VM_PFNMAP)))
		return 0;
	while (va < src_vma->vm_end) {
		pte_t *src = pte_lookup(m, src_mm, va), *dst;
		if (!src) { /* no page table here: skip to the next 2 MiB */
			va = (va + PMD_SIZE) & ~(PMD_SIZE - 1);
			continue;
		}
		if (pte_mapped(*src)) {
			dst = pte_alloc_map(m, dst_mm, va);
			if (!dst)
				return -ENOMEM;
			copy_one_pte(m, dst_mm, src_mm, src_vma, dst, src, va, wrprotected);
		} else if (is_swap_pte(*src)) {
			/* copy_nonpresent_pte: the child refers to the slot too. */
			dst = pte_alloc_map(m, dst_mm, va);
			if (!dst)
				return -ENOMEM;
			if (swap_duplicate(m, pte_to_swp_entry(*src)) == 0) {
				set_user_pte(m, dst_mm, dst, va, *src);
				dst_mm->swapents++;
			}
		}
		va += PAGE_SIZE;
	}
	return 0;
}

int dup_mmap(struct memsys *m, struct kernel_pgtables *k, struct mm_struct *parent, struct mm_struct *child)
{
	struct list_head *l;
	bool wrprotected = false;
	int r = 0;

	(void)k;
	child->start_code = parent->start_code;
	child->end_code = parent->end_code;
	child->start_data = parent->start_data;
	child->end_data = parent->end_data;
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	child->start_stack = parent->start_stack;
	child->arg_start = parent->arg_start;
	child->arg_end = parent->arg_end;
	child->env_start = parent->env_start;
	child->env_end = parent->env_end;
	child->mmap_base = parent->mmap_base;
	child->task_size = parent->task_size;
	child->stack_rlimit = parent->stack_rlimit;
	child->data_rlimit = parent->data_rlimit;
	child->max_map_count = parent->max_map_count;
	list_for_each(l, &parent->mmap) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_list), *n;
		if (v->vm_flags & VM_DONTCOPY)
			continue;
		/* the child's commitment, VMA by VMA as Linux's dup_mmap */
		if ((v->vm_flags & VM_ACCOUNT) &&
		    security_vm_enough_memory_mm(m, parent, (long)((v->vm_end - v->vm_start) >> PAGE_SHIFT))) {
			r = -ENOMEM;
			break;
		}
		n = vm_area_dup(m, v);
		if (!n) {
			r = -ENOMEM;
			break;
		}
		n->vm_mm = child;
		n->vm_flags &= ~VM_LOCKED_MASK; /* mlock is not inherited */
		if (v->vm_flags & VM_WIPEONFORK) {
			/* The child gets fresh zero-filled memory here. */
			unlink_anon_vmas(m, n);
		}
		if (insert_vm_struct(child, n)) {
			vm_area_free(m, n);
			r = -ENOMEM;
			break;
		}
		if (!(v->vm_flags & VM_WIPEONFORK)) {
			r = copy_page_range(m, child, parent, v, &wrprotected);
			if (r)
				break;
		}
	}
	/* Linux flushes the parent's TLB after copying (write-protected PTEs). */
	mm_flush_tlb_mm(parent);
	return r;
}

struct mm_struct *dup_mm(struct memsys *m, struct kernel_pgtables *k, struct mm_struct *parent)
{
	struct mm_struct *mm = mm_alloc(m, k);

	if (!mm)
		return NULL;
	if (dup_mmap(m, k, parent, mm)) {
		mmput(m, mm);
		return NULL;
	}
	return mm;
}
