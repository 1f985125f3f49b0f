/* mmu/pgtable.h - x86-64 4-level page tables in simulated physical frames.
 *
 * Entry format (Intel SDM vol. 3, 4.5): P(0) R/W(1) U/S(2) PWT(3) PCD(4)
 * A(5) D(6) PS/PAT(7) G(8) AVL(9-11) PFN(12-51) AVL(52-58) PK(59-62) NX(63).
 * Levels, top first: PML4 (pgd, level 4), PDPT (pud, 3), PD (pmd, 2), PT (pte, 1).
 * Linux's p4d level is folded (4-level paging).
 *
 * Page-table pages come from alloc_pages(GFP_KERNEL|__GFP_ZERO, 0), are
 * marked PG_pgtable, counted in NR_PAGETABLE and mm->nr_ptes, and read and
 * written through simulated RAM (memsys->phys_base).
 */
#ifndef MMSIM_MMU_PGTABLE_H
#define MMSIM_MMU_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mm_types.h"
#include "mm/mmzone.h"
#include "mm/swapfile.h"

typedef uint64_t pteval_t;
typedef struct { pteval_t pte; } pte_t;
typedef struct { pteval_t pmd; } pmd_t;
typedef struct { pteval_t pud; } pud_t;
typedef struct { pteval_t pgd; } pgd_t;

#define _PAGE_PRESENT  (1ULL << 0)
#define _PAGE_RW       (1ULL << 1)
#define _PAGE_USER     (1ULL << 2)
#define _PAGE_PWT      (1ULL << 3)
#define _PAGE_PCD      (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY    (1ULL << 6)
#define _PAGE_PSE      (1ULL << 7)  /* PS: leaf at PDPT/PD level */
#define _PAGE_PAT      (1ULL << 7)  /* at PT level */
#define _PAGE_GLOBAL   (1ULL << 8)
#define _PAGE_SOFTW1   (1ULL << 9)
#define _PAGE_SOFTW2   (1ULL << 10)
#define _PAGE_SOFTW3   (1ULL << 11)
#define _PAGE_PAT_LARGE (1ULL << 12)
#define _PAGE_NX       (1ULL << 63)
#define PTE_PFN_MASK   0x000ffffffffff000ULL  /* bits 12-51 */
#define PHYS_ADDR_BITS 52

#define PGDIR_SHIFT 39
#define PUD_SHIFT   30
#define PMD_SHIFT   21
#define PTRS_PER_TABLE 512
#define PMD_SIZE (1ULL << PMD_SHIFT)   /* 2 MiB */
#define PUD_SIZE (1ULL << PUD_SHIFT)   /* 1 GiB */

#define VMALLOC_START 0xffffc90000000000ULL
#define VMALLOC_END   0xffffe8ffffffffffULL

/* Non-leaf entries as Linux writes them: user tables allow everything (the
 * leaf decides), kernel tables have U/S=0. */
#define _PAGE_TABLE    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _KERNPG_TABLE  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

/* Protection bits used by the kernel */
#define PAGE_KERNEL      (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_EXEC (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)

static inline unsigned pgd_index(uint64_t va) { return (va >> PGDIR_SHIFT) & 511; }
static inline unsigned pud_index(uint64_t va) { return (va >> PUD_SHIFT) & 511; }
static inline unsigned pmd_index(uint64_t va) { return (va >> PMD_SHIFT) & 511; }
static inline unsigned pte_index(uint64_t va) { return (va >> PAGE_SHIFT) & 511; }
/* True if VA is canonical for 48-bit virtual addresses (bits 63..47 equal). */
/* log2 of what one entry of a level-LEVEL table spans (4 PML4 .. 1 PT):
 * 39, 30, 21 or 12. */
static inline unsigned pgtable_level_shift(int level) { return PAGE_SHIFT + 9 * (unsigned)(level - 1); }
/* Index of VA's entry in its level-LEVEL table. */
static inline unsigned pgtable_index(uint64_t va, int level) { return (unsigned)(va >> pgtable_level_shift(level)) & 511; }
static inline bool va_canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

static inline uint64_t pte_pfn(pte_t p) { return (p.pte & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline bool pte_present(pte_t p) { return p.pte & _PAGE_PRESENT; }
static inline bool pte_none(pte_t p) { return p.pte == 0; }
static inline bool pte_write(pte_t p) { return p.pte & _PAGE_RW; }
static inline bool pte_young(pte_t p) { return p.pte & _PAGE_ACCESSED; }
static inline bool pte_dirty(pte_t p) { return p.pte & _PAGE_DIRTY; }
static inline bool pte_huge(pte_t p) { return p.pte & _PAGE_PSE; }
static inline pte_t mk_pte_pfn(uint64_t pfn, pteval_t prot) { return (pte_t){ (pfn << PAGE_SHIFT) | prot }; }
static inline pte_t pte_mkwrite(pte_t p) { return (pte_t){ p.pte | _PAGE_RW }; }
static inline pte_t pte_wrprotect(pte_t p) { return (pte_t){ p.pte & ~_PAGE_RW }; }
static inline pte_t pte_mkold(pte_t p) { return (pte_t){ p.pte & ~_PAGE_ACCESSED }; }
static inline pte_t pte_mkyoung(pte_t p) { return (pte_t){ p.pte | _PAGE_ACCESSED }; }
static inline pte_t pte_mkdirty(pte_t p) { return (pte_t){ p.pte | _PAGE_DIRTY }; }
static inline pte_t pte_mkclean(pte_t p) { return (pte_t){ p.pte & ~_PAGE_DIRTY }; }

/* Swap entries in non-present PTEs, laid out as x86-64 Linux does
 * (arch/x86/include/asm/pgtable_64.h since the L1TF fix): P=0 and bit 8
 * (_PAGE_PROTNONE) 0; the type in bits 59..63; the offset INVERTED in bits
 * 9..58, so the frame bits of a not-present entry never point at real
 * memory.  swp_entry_t itself (type, offset) is mm's (mm/swapfile.h). */
#define SWP_TYPE_BITS 5
#define SWP_OFFSET_FIRST_BIT 9   /* _PAGE_BIT_PROTNONE + 1 */
#define SWP_OFFSET_SHIFT (SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS)
static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	return (pte_t){ (~swp_offset(e) << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS) |
			((uint64_t)swp_type(e) << (64 - SWP_TYPE_BITS)) };
}
static inline swp_entry_t pte_to_swp_entry(pte_t p)
{
	return swp_entry((unsigned)(p.pte >> (64 - SWP_TYPE_BITS)), ~p.pte << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT);
}
/* Not none, not present, not PROT_NONE (bit 8): a swap entry. */
static inline bool is_swap_pte(pte_t p) { return p.pte && !(p.pte & (_PAGE_PRESENT | _PAGE_GLOBAL)); }

/* Host pointers to the entry for VA in the table at each level (Linux's
 * pgd_offset/pud_offset/pmd_offset/pte_offset_kernel), given the entry one
 * level up.  The upper entry must be present and not a huge leaf. */
pgd_t *pgd_offset(struct memsys *m, const struct mm_struct *mm, uint64_t va);
pud_t *pud_offset(struct memsys *m, pgd_t *pgd, uint64_t va);
pmd_t *pmd_offset(struct memsys *m, pud_t *pud, uint64_t va);
pte_t *pte_offset(struct memsys *m, pmd_t *pmd, uint64_t va);

/* Allocate the pgd of a new address space (kernel half copied from the
 * kernel's pgd, as pgd_alloc/clone_pgd_range do).  Returns 0 or -ENOMEM. */
struct kernel_pgtables;
int pgd_alloc(struct memsys *m, struct kernel_pgtables *k, struct mm_struct *mm);
/* Free every user-half page-table page of MM and the pgd (not the frames the
 * leaves point to).  */
void pgd_free(struct memsys *m, struct mm_struct *mm);

/* One zeroed page-table page for LEVEL (4..1) of MM: PG_pgtable set,
 * NR_PAGETABLE and mm->nr_ptes counted, PGTABLE_ALLOC traced.  Returns the
 * page, or NULL when the buddy allocator fails. */
struct page *pgtable_page_alloc(struct memsys *m, struct mm_struct *mm, int level);
/* Undo pgtable_page_alloc() for PAGE (a table of LEVEL) and free it. */
void pgtable_page_free(struct memsys *m, struct mm_struct *mm, struct page *page, int level);
/* Host pointer to the 512 entries of the table in frame PFN. */
static inline pteval_t *pgtable_table(struct memsys *m, uint64_t pfn)
{
	return (pteval_t *)phys_to_host(m, pfn << PAGE_SHIFT);
}

/* Free every table of MM, both halves (init_mm teardown only). */
void pgd_free_all(struct memsys *m, struct mm_struct *mm);

/* Return the PTE slot for VA, allocating missing intermediate tables
 * (GFP_KERNEL|__GFP_ZERO).  Returns NULL on allocation failure or if a huge
 * leaf already covers VA. */
pte_t *pte_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va);
/* Return the PTE slot for VA without allocating, or NULL. */
pte_t *pte_lookup(struct memsys *m, const struct mm_struct *mm, uint64_t va);
/* The PTE slot of the first address in [*VA, END) that a page table covers,
 * with *VA set to it (skipping 2 MiB at a time where none does); NULL when
 * no such address is left (mmu/zap.c). */
pte_t *next_pte(struct memsys *m, const struct mm_struct *mm, uint64_t *va, uint64_t end);
/* Return the PMD (PUD) slot for VA, allocating intermediate tables, for a
 * 2 MiB (1 GiB) leaf.  NULL on failure or if a table of the level below is
 * already there. */
pmd_t *pmd_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va);
pud_t *pud_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va);

static inline void set_pte(pte_t *slot, pte_t v) { *slot = v; }
static inline void pte_clear(pte_t *slot) { slot->pte = 0; }

/* Kernel page tables: init_mm's pgd with the direct map and vmalloc area. */
struct kernel_pgtables {
	struct mm_struct init_mm;
	struct memsys *mem;
	/* Direct map: leaves of each size (meminfo DirectMap4k/2M/1G) and the
	 * end of the mapped range (PAGE_OFFSET + bytes of RAM mapped). */
	unsigned long direct_map_4k, direct_map_2m, direct_map_1g;
	uint64_t direct_map_end;
	/* vmalloc (mmu/vmalloc.c): struct vm_struct list sorted by address */
	struct list_head vmap_areas;
	unsigned long nr_vmap_areas;
	uint64_t vmalloc_pages;        /* pages backing all areas */
	/* Called by vfree() after unmapping [start, end) so the MMU layer can
	 * drop stale kernel TLB/PSC entries (Linux: flush_tlb_kernel_range).
	 * NULL = nothing to flush. */
	void (*flush_kernel_range)(void *ctx, uint64_t start, uint64_t end);
	void *flush_ctx;
};
/* Build init_mm: direct map of all RAM at PAGE_OFFSET (1 GiB/2 MiB leaves
 * where aligned) and empty vmalloc tables.  Returns 0 or -ENOMEM. */
int kernel_pgtables_init(struct memsys *m, struct kernel_pgtables *k);
void kernel_pgtables_destroy(struct memsys *m, struct kernel_pgtables *k);

/* Number of page-table pages reachable from the user half (entries 0..255)
 * of MM's pgd, the pgd included.  Used by checks and tests. */
unsigned long pgtable_count_user(struct memsys *m, const struct mm_struct *mm);

/* The slot for a leaf at LEVEL (1: 4K PTE, 2: 2M PMD, 3: 1G PUD) mapping VA
 * in MM, allocating the tables above it; NULL as pte_alloc_map,
 * pmd_alloc_map and pud_alloc_map. */
pteval_t *leaf_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va, int level);
/* A leaf entry at LEVEL mapping physical address PHYS with PROT (_PAGE_PSE
 * added above level 1). */
static inline pteval_t mk_leaf(uint64_t phys, pteval_t prot, int level)
{
	return phys | prot | (level > 1 ? _PAGE_PSE : 0);
}
/* The present leaf entry mapping VA in MM (a PTE or a 2M/1G PSE entry) and
 * its *LEVEL, or NULL if VA is unmapped or a table lies outside RAM.  Reads
 * only (no A/D updates). */
pteval_t *pgtable_leaf(struct memsys *m, const struct mm_struct *mm, uint64_t va, int *level);
/* "4K", "2M" or "1G": the page a leaf maps, by its shift (12, 21, 30). */
const char *page_size_name(unsigned shift);

/* Level names: "PML4", "PDPT", "PD", "PT" for levels 4..1 (NULL otherwise). */
const char *pgtable_level_name(int level);

/* Append a dump of MM's page tables in the format of Linux's
 * /sys/kernel/debug/page_tables (ranges of equal protection merged, tables
 * only read): the user half, and the kernel half too if KERNEL.  Returns
 * the number of range lines.  (mmu/ptdump.c) */
struct strbuf;
unsigned long ptdump(struct memsys *m, const struct mm_struct *mm, bool kernel, struct strbuf *sb);

/* Render the entry flags of V as "P RW US A D PS G NX" style text into BUF. */
char *pte_flags_str(pteval_t v, int level, char *buf, size_t len);

#endif
