/* mmu/pgtable.c - building and freeing x86-64 page tables in simulated RAM.
 *
 * Every table is one 4 KiB frame from the buddy allocator holding 512 8-byte
 * entries; the software reads and writes them through the host mapping of
 * simulated RAM, exactly where the walker (mmu/walk.c) reads them.
 *
 * Invariants:
 *   - a present non-leaf entry points to a frame with PG_pgtable set, which
 *     is counted once in NR_PAGETABLE of its node and in nr_ptes of the mm
 *     that allocated it;
 *   - entries 256..511 of every user pgd are copies of init_mm's (the kernel
 *     half): the tables below them belong to init_mm and are never freed by
 *     pgd_free().  kernel_pgtables_init() preallocates the PDPTs of the whole
 *     kernel half it uses (direct map, vmalloc area) so that these copies
 *     never go stale, as Linux's preallocate_vmalloc_pages() does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mmu/pgtable.h"
#include "traces/trace.h"

#define KERNEL_HALF_FIRST 256   /* pgd index of the first kernel-half entry */

static void pgtable_event(struct memsys *m, enum trace_event_type type, unsigned long pfn, int level)
{
	struct trace_event ev = trace_event_init(type);
	ev.pfn = (int64_t)pfn;
	ev.value = level;
	trace_emit(m->trace, &ev);
}

/* Returns the new table's page or NULL when out of memory. */
struct page *pgtable_page_alloc(struct memsys *m, struct mm_struct *mm, int level)
{
	struct page *pg = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 0);
	if (!pg)
		return NULL;
	SetPageTable(pg);
	mod_node_page_state(m, pg->node, NR_PAGETABLE, 1);
	mm->nr_ptes++;
	pgtable_event(m, TEV_PGTABLE_ALLOC, page_to_pfn(m, pg), level);
	return pg;
}

/* Frees PAGE, a table of LEVEL owned by MM; its entries are not looked at. */
void pgtable_page_free(struct memsys *m, struct mm_struct *mm, struct page *page, int level)
{
	pgtable_event(m, TEV_PGTABLE_FREE, page_to_pfn(m, page), level);
	ClearPageTable(page);
	mod_node_page_state(m, page->node, NR_PAGETABLE, -1);
	mm->nr_ptes--;
	__free_page(m, page);
}

static inline uint64_t entry_pfn(pteval_t e) { return (e & PTE_PFN_MASK) >> PAGE_SHIFT; }

/* The table an entry points to, or NULL if it is not a table pointer we own
 * (not present, a huge leaf, or a frame outside RAM / not a page table). */
static pteval_t *next_table(struct memsys *m, pteval_t e, int level)
{
	if (!(e & _PAGE_PRESENT) || (level < 4 && (e & _PAGE_PSE)))
		return NULL;
	uint64_t pfn = entry_pfn(e);
	if (pfn >= m->max_pfn || !PageTable(pfn_to_page(m, pfn)))
		return NULL;
	return pgtable_table(m, pfn);
}

pgd_t *pgd_offset(struct memsys *m, const struct mm_struct *mm, uint64_t va)
{
	return (pgd_t *)pgtable_table(m, mm->pgd_pfn) + pgd_index(va);
}

pud_t *pud_offset(struct memsys *m, pgd_t *pgd, uint64_t va)
{
	return (pud_t *)pgtable_table(m, entry_pfn(pgd->pgd)) + pud_index(va);
}

pmd_t *pmd_offset(struct memsys *m, pud_t *pud, uint64_t va)
{
	return (pmd_t *)pgtable_table(m, entry_pfn(pud->pud)) + pmd_index(va);
}

pte_t *pte_offset(struct memsys *m, pmd_t *pmd, uint64_t va)
{
	return (pte_t *)pgtable_table(m, entry_pfn(pmd->pmd)) + pte_index(va);
}

/* Returns 0 or -ENOMEM; MM's pgd_pfn is set on success. */
int pgd_alloc(struct memsys *m, struct kernel_pgtables *k, struct mm_struct *mm)
{
	struct page *pg = pgtable_page_alloc(m, mm, 4);
	if (!pg)
		return -ENOMEM;
	pteval_t *pgd = page_address(m, pg);
	if (k && k->init_mm.pgd_pfn) {
		const pteval_t *kpgd = pgtable_table(m, k->init_mm.pgd_pfn);
		memcpy(pgd + KERNEL_HALF_FIRST, kpgd + KERNEL_HALF_FIRST,
		       (PTRS_PER_TABLE - KERNEL_HALF_FIRST) * sizeof(pteval_t));
	}
	mm->pgd_pfn = page_to_pfn(m, pg);
	return 0;
}

/* Free the table TABLE of LEVEL (>= 1) and every table below it. */
static void free_table_tree(struct memsys *m, struct mm_struct *mm, pteval_t *table, int level)
{
	if (level > 1) {
		for (int i = 0; i < PTRS_PER_TABLE; i++) {
			pteval_t *sub = next_table(m, table[i], level);
			if (sub)
				free_table_tree(m, mm, sub, level - 1);
			table[i] = 0;
		}
	}
	pgtable_page_free(m, mm, virt_to_page(m, table), level);
}

/* Frees the user half and the pgd itself; MM's pgd_pfn becomes 0. */
void pgd_free(struct memsys *m, struct mm_struct *mm)
{
	if (!mm->pgd_pfn)
		return;
	pteval_t *pgd = pgtable_table(m, mm->pgd_pfn);
	for (int i = 0; i < KERNEL_HALF_FIRST; i++) {
		pteval_t *pud = next_table(m, pgd[i], 4);
		if (pud)
			free_table_tree(m, mm, pud, 3);
		pgd[i] = 0;
	}
	memset(pgd + KERNEL_HALF_FIRST, 0, (PTRS_PER_TABLE - KERNEL_HALF_FIRST) * sizeof(pteval_t));
	pgtable_page_free(m, mm, pfn_to_page(m, mm->pgd_pfn), 4);
	mm->pgd_pfn = 0;
}

void pgd_free_all(struct memsys *m, struct mm_struct *mm)
{
	if (!mm->pgd_pfn)
		return;
	free_table_tree(m, mm, pgtable_table(m, mm->pgd_pfn), 4);
	mm->pgd_pfn = 0;
}

/* Return the entry slot at TARGET level (3 = PUD slot, 2 = PMD, 1 = PTE) for
 * VA, allocating missing tables above it.  NULL on allocation failure, a
 * non-canonical VA, a missing pgd, or a huge leaf above TARGET. */
static pteval_t *walk_alloc(struct memsys *m, struct mm_struct *mm, uint64_t va, int target)
{
	if (!va_canonical(va) || !mm->pgd_pfn)
		return NULL;
	pteval_t tableflags = (va >> 47) ? _KERNPG_TABLE : _PAGE_TABLE;
	pteval_t *table = pgtable_table(m, mm->pgd_pfn);
	for (int level = 4; level > target; level--) {
		pteval_t *slot = &table[pgtable_index(va, level)];
		if (!(*slot & _PAGE_PRESENT)) {
			if (*slot)   /* a swap or other non-present entry: not ours to replace */
				return NULL;
			struct page *pg = pgtable_page_alloc(m, mm, level - 1);
			if (!pg)
				return NULL;
			*slot = ((pteval_t)page_to_pfn(m, pg) << PAGE_SHIFT) | tableflags;
		} else if (level < 4 && (*slot & _PAGE_PSE)) {
			return NULL;
		}
		uint64_t pfn = entry_pfn(*slot);
		if (pfn >= m->max_pfn)
			return NULL;
		table = pgtable_table(m, pfn);
	}
	return &table[pgtable_index(va, target)];
}

pte_t *pte_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va)
{
	return (pte_t *)walk_alloc(m, mm, va, 1);
}

/* NULL also when a page table (not a 2 MiB leaf) is already installed. */
pmd_t *pmd_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va)
{
	pteval_t *slot = walk_alloc(m, mm, va, 2);
	if (slot && (*slot & _PAGE_PRESENT) && !(*slot & _PAGE_PSE))
		return NULL;
	return (pmd_t *)slot;
}

/* NULL also when a page directory (not a 1 GiB leaf) is already installed. */
pud_t *pud_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va)
{
	pteval_t *slot = walk_alloc(m, mm, va, 3);
	if (slot && (*slot & _PAGE_PRESENT) && !(*slot & _PAGE_PSE))
		return NULL;
	return (pud_t *)slot;
}

pteval_t *leaf_alloc_map(struct memsys *m, struct mm_struct *mm, uint64_t va, int level)
{
	if (level == 1)
		return (pteval_t *)pte_alloc_map(m, mm, va);
	return level == 2 ? (pteval_t *)pmd_alloc_map(m, mm, va) : (pteval_t *)pud_alloc_map(m, mm, va);
}

pte_t *pte_lookup(struct memsys *m, const struct mm_struct *mm, uint64_t va)
{
	if (!va_canonical(va) || !mm->pgd_pfn)
		return NULL;
	pteval_t *table = pgtable_table(m, mm->pgd_pfn);
	for (int level = 4; level > 1; level--) {
		table = next_table(m, table[pgtable_index(va, level)], level);
		if (!table)
			return NULL;
	}
	return (pte_t *)&table[pte_index(va)];
}

static unsigned long count_tree(struct memsys *m, const pteval_t *table, int level)
{
	unsigned long n = 1;
	if (level > 1)
		for (int i = 0; i < PTRS_PER_TABLE; i++) {
			const pteval_t *sub = next_table(m, table[i], level);
			if (sub)
				n += count_tree(m, sub, level - 1);
		}
	return n;
}

unsigned long pgtable_count_user(struct memsys *m, const struct mm_struct *mm)
{
	if (!mm->pgd_pfn)
		return 0;
	const pteval_t *pgd = pgtable_table(m, mm->pgd_pfn);
	unsigned long n = 1;
	for (int i = 0; i < KERNEL_HALF_FIRST; i++) {
		const pteval_t *pud = next_table(m, pgd[i], 4);
		if (pud)
			n += count_tree(m, pud, 3);
	}
	return n;
}

pteval_t *pgtable_leaf(struct memsys *m, const struct mm_struct *mm, uint64_t va, int *level)
{
	uint64_t table = mm->pgd_pfn;
	for (int l = 4; l >= 1; l--) {
		pteval_t *e = pgtable_table(m, table) + pgtable_index(va, l);
		if (!(*e & _PAGE_PRESENT))
			return NULL;
		if (l == 1 || (l <= 3 && (*e & _PAGE_PSE))) {
			*level = l;
			return e;
		}
		table = entry_pfn(*e);
		if (table >= m->max_pfn)
			return NULL;
	}
	return NULL;
}

const char *page_size_name(unsigned shift)
{
	return shift == 12 ? "4K" : shift == 21 ? "2M" : "1G";
}

const char *pgtable_level_name(int level)
{
	static const char *const names[] = { NULL, "PT", "PD", "PDPT", "PML4" };
	return level >= 1 && level <= 4 ? names[level] : NULL;
}

/* Flags of V as text, e.g. "P RW US A D PS G NX pfn=0x1234" or "none" /
 * "swap type=1 offset=0x20" for non-present entries.  Returns BUF. */
char *pte_flags_str(pteval_t v, int level, char *buf, size_t len)
{
	if (!len)
		return buf;
	buf[0] = 0;
	if (v == 0) {
		snprintf(buf, len, "none");
		return buf;
	}
	if (!(v & _PAGE_PRESENT)) {
		if (level == 1) {
			swp_entry_t e = pte_to_swp_entry((pte_t){ v });
			snprintf(buf, len, "-P swap type=%u offset=0x%llx", swp_type(e),
				 (unsigned long long)swp_offset(e));
		} else {
			snprintf(buf, len, "-P raw=0x%016llx", (unsigned long long)v);
		}
		return buf;
	}
	bool leaf = level == 1 || (level <= 3 && (v & _PAGE_PSE));
	size_t n = 0;
#define FLAG(cond, text)                                                    \
	do {                                                                \
		if ((cond) && n < len)                                      \
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", text); \
	} while (0)
	FLAG(1, "P");
	FLAG(v & _PAGE_RW, "RW");
	FLAG(!(v & _PAGE_RW), "RO");
	FLAG(v & _PAGE_USER, "US");
	FLAG(v & _PAGE_PWT, "PWT");
	FLAG(v & _PAGE_PCD, "PCD");
	FLAG(v & _PAGE_ACCESSED, "A");
	FLAG(v & _PAGE_DIRTY, "D");
	FLAG(level == 1 && (v & _PAGE_PAT), "PAT");
	FLAG(level > 1 && (v & _PAGE_PSE), "PS");
	FLAG(level > 1 && leaf && (v & _PAGE_PAT_LARGE), "PAT");
	FLAG(leaf && (v & _PAGE_GLOBAL), "G");
	FLAG(v & _PAGE_SOFTW1, "SW1");
	FLAG(v & _PAGE_SOFTW2, "SW2");
	FLAG(v & _PAGE_SOFTW3, "SW3");
	FLAG(v & _PAGE_NX, "NX");
#undef FLAG
	uint64_t pfn = entry_pfn(v);
	if (level == 2 && leaf)
		pfn &= ~511ULL;
	else if (level == 3 && leaf)
		pfn &= ~((1ULL << 18) - 1);
	if (n < len)
		snprintf(buf + n, len - n, " pfn=0x%llx", (unsigned long long)pfn);
	return buf;
}
