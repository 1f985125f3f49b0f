/* mmu/zap.c - page-table work on ranges of VMAs: zap (munmap, MADV_DONTNEED,
 * exit), change_protection (mprotect), move_page_tables (mremap),
 * populate, lazyfree, mincore, free_pgtables; and the life of an mm
 * (mm_alloc, mmput, exit_mmap).  These are mm->pt_ops for mm/mmap.c.
 *
 * Walks go page by page through pte_lookup() and skip a whole 2 MiB when
 * no page table covers it, so sparse ranges cost little.
 */
#include <errno.h>
#include <string.h>

#include "mm/mlock.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mmu/memory_internal.h"

/* Next VA to look at after VA when no page table covers it. */
static inline uint64_t next_pmd(uint64_t va) { return (va + PMD_SIZE) & ~(PMD_SIZE - 1); }

pte_t *next_pte(struct memsys *m, const struct mm_struct *mm, uint64_t *va, uint64_t end)
{
	for (; *va < end; *va = next_pmd(*va)) {
		pte_t *p = pte_lookup(m, mm, *va);
		if (p)
			return p;
	}
	return NULL;
}

void zap_page_range(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
		    uint64_t end)
{
	bool any = false;
	pte_t *p;

	for (uint64_t va = start; (p = next_pte(m, mm, &va, end)); va += PAGE_SIZE) {
		if (!pte_none(*p)) {
			pte_t e = *p;
			clear_user_pte(m, mm, p, va);
			any = true;
			if (is_swap_pte(e)) {
				/* The slot loses this reference (and its cache page, if
				 * that was the last one: free_swap_and_cache). */
				free_swap_and_cache(m, pte_to_swp_entry(e));
				mm->swapents--;
			} else if (pte_mapped(e)) {
				struct page *page = vm_normal_page(m, e);
				if (page) {
					if (pte_dirty(e) && page_is_file_cache(page))
						SetPageDirty(page);
					if (vma->vm_flags & VM_LOCKED)
						munlock_page(m, page); /* munmap, exit, the OOM reaper */
					mm_rss_page(mm, page, -1);
					page_remove_rmap(m, page);
					/* free_swap_cache: the last mapping of a swap-cache
					 * page whose slot nobody else needs frees the slot */
					if (PageSwapCache(page) && !page_mapcount(page))
						try_to_free_swap(m, page);
					put_page(m, page);
				}
			}
		}
	}
	if (any) {
		notify_range_cleared(mm, start, end);
		mm_flush_tlb_range(mm, start, end);
	}
}

/* Free the tables under TABLE (of LEVEL >= 2, covering [base, base+span))
 * that lie wholly inside [floor, ceiling) and map nothing.  Returns true if
 * TABLE itself is now empty. */
static bool free_tables(struct memsys *m, struct mm_struct *mm, pteval_t *table, int level, uint64_t base,
			uint64_t floor, uint64_t ceiling)
{
	uint64_t span = 1ULL << pgtable_level_shift(level);
	bool empty = true;

	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		uint64_t s = base + (uint64_t)i * span, e = s + span;
		pteval_t v = table[i];
		if (!v)
			continue;
		if (level == 1 || !(v & _PAGE_PRESENT) || (v & _PAGE_PSE) || e <= floor || s >= ceiling ||
		    ((v & PTE_PFN_MASK) >> PAGE_SHIFT) >= m->max_pfn) {
			empty = false;
			continue;
		}
		pteval_t *sub = (pteval_t *)phys_to_host(m, v & PTE_PFN_MASK);
		bool sub_empty = free_tables(m, mm, sub, level - 1, s, floor, ceiling);
		if (sub_empty && s >= floor && e <= ceiling) {
			table[i] = 0;
			pgtable_page_free(m, mm, virt_to_page(m, sub), level - 1);
		} else {
			empty = false;
		}
	}
	if (level == 1) {
		for (int i = 0; i < PTRS_PER_TABLE; i++)
			if (table[i])
				return false;
		return true;
	}
	return empty;
}

void free_pgtables(struct memsys *m, struct mm_struct *mm, uint64_t floor, uint64_t ceiling)
{
	pteval_t *pgd;

	if (!mm->pgd_pfn || floor >= ceiling)
		return;
	pgd = (pteval_t *)phys_to_host(m, mm->pgd_pfn << PAGE_SHIFT);
	/* Only the user half (entries 0..255). */
	for (int i = 0; i < PTRS_PER_TABLE / 2; i++) {
		uint64_t s = (uint64_t)i << PGDIR_SHIFT, e = s + (1ULL << PGDIR_SHIFT);
		pteval_t v = pgd[i];
		if (!v || !(v & _PAGE_PRESENT) || e <= floor || s >= ceiling)
			continue;
		pteval_t *pud = (pteval_t *)phys_to_host(m, v & PTE_PFN_MASK);
		if (free_tables(m, mm, pud, 3, s, floor, ceiling) && s >= floor && e <= ceiling) {
			pgd[i] = 0;
			pgtable_page_free(m, mm, virt_to_page(m, pud), 3);
		}
	}
}

/* Rewrite PTE rights in [start, end) for VMA's (new) vm_flags.  A private
 * writable mapping gets RW only on exclusive anon pages (Linux 6.1's
 * can_change_pte_writable); others keep COW on the next write. */
static void change_protection(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			      uint64_t end)
{
	pteval_t prot = vm_get_page_prot(vma->vm_flags);
	const pteval_t keep = PTE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY;
	bool lost_rights = false;
	pte_t *p;

	for (uint64_t va = start; (p = next_pte(m, mm, &va, end)); va += PAGE_SIZE) {
		if (pte_mapped(*p)) {
			pte_t old = *p, e = { (old.pte & keep) | prot };
			struct page *page = vm_normal_page(m, old);
			if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE && page && PageAnon(page) &&
			    page_mapcount(page) == 1 && page_count(page) == 1)
				e = pte_mkwrite(e);
			if (!page) /* zero page: never writable */
				e = pte_wrprotect(e);
			if (e.pte != old.pte) {
				if ((pte_write(old) && !pte_write(e)) || (pte_present(old) && !pte_present(e)) ||
				    ((old.pte & _PAGE_NX) == 0 && (e.pte & _PAGE_NX)))
					lost_rights = true;
				set_user_pte(m, mm, p, va, e);
			}
		}
	}
	if (lost_rights)
		mm_flush_tlb_range(mm, start, end);
}

static uint64_t move_page_tables(struct memsys *m, struct mm_struct *mm, uint64_t old_addr, uint64_t new_addr,
				 uint64_t len)
{
	uint64_t off = 0;
	bool any = false;

	while (off < len) {
		pte_t *src = pte_lookup(m, mm, old_addr + off), *dst;
		if (!src) {
			uint64_t nxt = next_pmd(old_addr + off) - old_addr;
			off = nxt < len ? nxt : len;
			continue;
		}
		if (!pte_none(*src)) {
			dst = pte_alloc_map(m, mm, new_addr + off);
			if (!dst)
				break;
			pte_t e = *src;
			clear_user_pte(m, mm, src, old_addr + off);
			any = true;
			set_user_pte(m, mm, dst, new_addr + off, e);
		}
		off += PAGE_SIZE;
	}
	if (any) {
		notify_range_cleared(mm, old_addr, old_addr + off);
		mm_flush_tlb_range(mm, old_addr, old_addr + off);
	}
	return off;
}

static int populate(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
		    uint64_t end, bool write)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *p = pte_lookup(m, mm, va);
		struct fault_info fi;
		unsigned r;

		if (p && pte_present(*p) && (!write || pte_write(*p)))
			continue;
		r = handle_mm_fault(m, mm, vma, va, FAULT_FLAG_REMOTE | (write ? FAULT_FLAG_WRITE : 0), &fi);
		if (r & VM_FAULT_OOM)
			return -ENOMEM;
		if (r & VM_FAULT_ERROR)
			return -EFAULT;
	}
	return 0;
}

/* mlock_range: PG_mlocked on (LOCK) or off every page mapped in
 * [start, end); the zero page is never locked. */
static void mlock_range(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			uint64_t end, bool lock)
{
	pte_t *p;

	(void)vma;
	for (uint64_t va = start; (p = next_pte(m, mm, &va, end)); va += PAGE_SIZE) {
		struct page *page = pte_present(*p) ? vm_normal_page(m, *p) : NULL;
		if (!page)
			continue;
		if (lock)
			mlock_page(m, page);
		else
			munlock_page(m, page);
	}
}

/* MADV_FREE (madvise_free_pte_range): exclusive anon pages get clean, old
 * PTEs and lose PG_swapbacked (lazyfree); shared ones are left alone. */
static void lazyfree_range(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			   uint64_t end)
{
	bool any = false;
	pte_t *p;

	(void)vma;
	for (uint64_t va = start; (p = next_pte(m, mm, &va, end)); va += PAGE_SIZE) {
		if (pte_present(*p)) {
			struct page *page = vm_normal_page(m, *p);
			if (page && PageAnon(page) && page_mapcount(page) == 1) {
				pte_t e = pte_mkold(pte_mkclean(*p));
				if (e.pte != p->pte) {
					set_user_pte(m, mm, p, va, e);
					any = true;
				}
				ClearPageDirty(page);
				if (PageSwapBacked(page)) {
					/* lru_lazyfree: off the anon list, onto the
					 * inactive file list, no longer swap-backed */
					bool listed = PageLRU(page);
					if (listed)
						lruvec_del_page(m, page);
					ClearPageSwapBacked(page);
					ClearPageActive(page);
					ClearPageReferenced(page);
					if (listed)
						lruvec_add_page(m, page);
					__count_vm_event(m, PGLAZYFREE);
				}
			}
		}
	}
	if (any)
		mm_flush_tlb_range(mm, start, end);
}

static void mincore_range(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			  uint64_t end, unsigned char *vec)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *p = pte_lookup(m, mm, va);
		unsigned char r = 0;
		if (p && pte_mapped(*p))
			r = 1;
		else if (vma->vm_file && (!p || pte_none(*p)))
			r = find_page(vma->vm_file, linear_page_index(vma, va)) != NULL;
		*vec++ = r;
	}
}

static void zap_op(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start, uint64_t end)
{
	zap_page_range(m, mm, vma, start, end);
}

const struct mm_pt_ops mmu_pt_ops = {
	.zap_range = zap_op,
	.change_protection = change_protection,
	.move_page_tables = move_page_tables,
	.populate = populate,
	.lazyfree_range = lazyfree_range,
	.free_pgtables = free_pgtables,
	.mincore_range = mincore_range,
	.page_referenced_one = rmap_page_referenced_one,
	.try_to_unmap_one = rmap_try_to_unmap_one,
	.cold_range = rmap_cold_range,
	.mlock_range = mlock_range,
};

struct mm_struct *mm_alloc(struct memsys *m, struct kernel_pgtables *k)
{
	struct mm_struct *mm;

	if (proc_caches_ensure(m))
		return NULL;
	mm = kmem_cache_zalloc(m, m->mm_cachep, GFP_KERNEL);
	if (!mm)
		return NULL;
	mm_init_vmas(mm);
	if (pgd_alloc(m, k, mm)) {
		kmem_cache_free(m, m->mm_cachep, mm);
		return NULL;
	}
	mm->mm_users = 1;
	mm->pt_ops = &mmu_pt_ops;
	mm->committed_as = &m->vm_committed_as;
	mm->serial = ++m->mm_serial_next;
	vlog_mm_new(m, mm);
	return mm;
}

void exit_mmap(struct memsys *m, struct mm_struct *mm)
{
	struct list_head *l;

	list_for_each(l, &mm->mmap) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_list);
		zap_page_range(m, mm, v, v->vm_start, v->vm_end);
	}
	mm_free_vmas(m, mm);
	free_pgtables(m, mm, 0, 1ULL << 47);
}

void mmput(struct memsys *m, struct mm_struct *mm)
{
	if (!mm || --mm->mm_users > 0)
		return;
	exit_mmap(m, mm);
	vlog_mm_gone(m, mm);
	pgd_free(m, mm);
	kmem_cache_free(m, m->mm_cachep, mm);
}
