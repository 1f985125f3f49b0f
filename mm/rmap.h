/* mm/rmap.h - reverse mapping, minimal (Linux: mm/rmap.c).
 *
 * An anon_vma ties an anonymous page to the VMAs that may map it: the page's
 * mapping is its anon_vma (PG_anon) and its index the linear page index in
 * the VMA (vm_pgoff + offset), so the address in any VMA of the anon_vma is
 * vm_start + ((index - vm_pgoff) << PAGE_SHIFT).  Simplification of Linux's
 * anon_vma_chain: a fork's child VMAs join the parent's anon_vma (one
 * anon_vma per fork tree of a VMA) instead of getting their own chained one;
 * a walk can visit VMAs that do not map the page, and checks the PTE.
 *
 * page_add_*_rmap / page_remove_rmap keep _mapcount and NR_ANON_MAPPED /
 * NR_FILE_MAPPED (meminfo AnonPages / Mapped) right.
 */
#ifndef MMSIM_MM_RMAP_H
#define MMSIM_MM_RMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mm_types.h"
#include "mm/mmzone.h"

struct anon_vma {
	int refcount;                /* VMAs linked (pages hold none) */
	int nr_vmas;
	struct list_head vmas;       /* vm_area_struct.anon_vma_node */
};

/* Create the "anon_vma" slab cache unless it exists (Linux's
 * anon_vma_init).  Returns 0, or -1 with a reason in ERR. */
int anon_vma_init(struct memsys *m, char *err, size_t errlen);
/* Give VMA an anon_vma (a neighbour's if mergeable, else a new one from
 * the "anon_vma" cache).  Returns 0 or -ENOMEM. */
int anon_vma_prepare(struct memsys *m, struct vm_area_struct *vma);
/* Link VMA (a copy of SRC, e.g. a split half or a fork child) to SRC's
 * anon_vma, dropping any it had.  Returns 0 (nothing is allocated: see the
 * simplification above). */
int anon_vma_clone(struct memsys *m, struct vm_area_struct *dst, struct vm_area_struct *src);
/* Unlink VMA from its anon_vma, freeing the anon_vma with its last user. */
void unlink_anon_vmas(struct memsys *m, struct vm_area_struct *vma);

/* A new anonymous page mapped at ADDR of VMA: mapcount 1, mapping, index,
 * PG_anon|PG_swapbacked, NR_ANON_MAPPED. */
void page_add_new_anon_rmap(struct memsys *m, struct page *page, struct vm_area_struct *vma, uint64_t addr);
/* An existing anonymous page (from the swap cache) mapped at ADDR of VMA:
 * mapcount + 1; the first mapping sets mapping, index, PG_anon and
 * NR_ANON_MAPPED (Linux's page_add_anon_rmap). */
void page_add_anon_rmap(struct memsys *m, struct page *page, struct vm_area_struct *vma, uint64_t addr);
/* One more mapping of an existing anon page (fork). */
void page_dup_rmap(struct memsys *m, struct page *page);
/* One more mapping of a page-cache page (NR_FILE_MAPPED on the first). */
void page_add_file_rmap(struct memsys *m, struct page *page);
/* One mapping fewer (NR_ANON_MAPPED / NR_FILE_MAPPED on the last).  The
 * caller still holds (and later puts) the mapping's page reference. */
void page_remove_rmap(struct memsys *m, struct page *page);

/* Anonymous page's address in VMA, or ~0 if outside it. */
uint64_t vma_address(const struct page *page, const struct vm_area_struct *vma);
/* Call FN(page, vma, addr, arg) for each VMA of PAGE's anon_vma whose range
 * covers the page's index; stop early when FN returns false.  For file
 * pages there is no i_mmap tree yet: returns -1. */
int rmap_walk_anon(struct page *page,
		   bool (*fn)(struct page *page, struct vm_area_struct *vma, uint64_t addr, void *arg), void *arg);
/* The same over every VMA mapping PAGE's file (the address_space's
 * i_mmap list) whose range covers the page's index.  Returns -1 for a page
 * that is not in a page cache. */
int rmap_walk_file(struct page *page,
		   bool (*fn)(struct page *page, struct vm_area_struct *vma, uint64_t addr, void *arg), void *arg);

/* File rmap upkeep: link VMA (vm_file set) on its file's i_mmap list, and
 * unlink it (vm_area_free). */
void vma_link_file(struct vm_area_struct *vma);
void vma_unlink_file(struct vm_area_struct *vma);

/* Linux's folio_referenced: test and clear the Accessed bit of every PTE
 * mapping PAGE (through mm->pt_ops, no TLB flush), OR-ing the vm_flags of
 * the VMAs that had it set into *VM_FLAGS; a VM_LOCKED VMA mapping the
 * page stops the walk and is reported through *VM_FLAGS.  Returns the
 * number of young PTEs found. */
int page_referenced(struct memsys *m, struct page *page, unsigned long *vm_flags);
/* Linux's try_to_unmap: unmap PAGE from every PTE (anon pages in the swap
 * cache get their swap entry in the PTEs, one swap reference each).
 * VM_LOCKED VMAs are left alone.  Returns true when PAGE is mapped
 * nowhere afterwards. */
bool try_to_unmap(struct memsys *m, struct page *page);

#endif
