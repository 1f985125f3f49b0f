/* mmu/kernel_pgtables.c - init_mm: the kernel half of every address space.
 *
 * Layout (Linux x86-64, 4-level paging, Documentation/x86/x86_64/mm.rst):
 *   PAGE_OFFSET   0xffff888000000000  direct map of all RAM (phys 0 at PAGE_OFFSET)
 *   VMALLOC_START 0xffffc90000000000  vmalloc/ioremap space, 32 TiB
 * The direct map uses the biggest leaf that fits, as Linux's
 * kernel_physical_mapping_init() does: 1 GiB where RAM covers an aligned
 * GiB, else 2 MiB where it covers an aligned 2 MiB, else 4 KiB.  All its
 * leaves are PAGE_KERNEL (global, NX, RW).  The PDPTs of every pgd entry of
 * the vmalloc area are preallocated so the kernel half of the pgd never
 * changes after boot and user pgds can copy it once (pgd_alloc).
 */
#include <errno.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mmu/pgtable.h"
#include "mmu/vmalloc.h"

/* Map [PAGE_OFFSET, PAGE_OFFSET + END) with the biggest leaves that fit.
 * Returns 0 or -ENOMEM. */
static int map_direct(struct memsys *m, struct kernel_pgtables *k, uint64_t end)
{
	struct mm_struct *mm = &k->init_mm;
	uint64_t phys = 0;
	while (phys < end) {
		int level = 1;
		if (!(phys & (PUD_SIZE - 1)) && end - phys >= PUD_SIZE)
			level = 3;
		else if (!(phys & (PMD_SIZE - 1)) && end - phys >= PMD_SIZE)
			level = 2;
		pteval_t *slot = leaf_alloc_map(m, mm, PAGE_OFFSET + phys, level);
		if (!slot)
			return -ENOMEM;
		*slot = mk_leaf(phys, PAGE_KERNEL, level);
		if (level == 3)
			k->direct_map_1g++;
		else if (level == 2)
			k->direct_map_2m++;
		else
			k->direct_map_4k++;
		phys += 1ULL << pgtable_level_shift(level);
	}
	k->direct_map_end = PAGE_OFFSET + end;
	return 0;
}

/* Preallocate the PDPT under each pgd entry of [VMALLOC_START, VMALLOC_END].
 * Returns 0 or -ENOMEM. */
static int preallocate_vmalloc_pages(struct memsys *m, struct kernel_pgtables *k)
{
	struct mm_struct *mm = &k->init_mm;
	pteval_t *pgd = pgtable_table(m, mm->pgd_pfn);
	for (unsigned i = pgd_index(VMALLOC_START); i <= pgd_index(VMALLOC_END); i++) {
		if (pgd[i] & _PAGE_PRESENT)
			continue;
		struct page *pg = pgtable_page_alloc(m, mm, 3);
		if (!pg)
			return -ENOMEM;
		pgd[i] = ((pteval_t)page_to_pfn(m, pg) << PAGE_SHIFT) | _KERNPG_TABLE;
	}
	return 0;
}

/* Returns 0, or -ENOMEM with everything taken given back. */
int kernel_pgtables_init(struct memsys *m, struct kernel_pgtables *k)
{
	memset(k, 0, sizeof *k);
	k->mem = m;
	INIT_LIST_HEAD(&k->init_mm.mmap);
	INIT_LIST_HEAD(&k->vmap_areas);
	k->init_mm.mm_users = 1;
	k->init_mm.pcid = 0;
	int err = pgd_alloc(m, NULL, &k->init_mm);
	if (err)
		goto err;
	err = map_direct(m, k, (uint64_t)m->max_pfn << PAGE_SHIFT);
	if (err)
		goto err;
	err = preallocate_vmalloc_pages(m, k);
	if (err)
		goto err;
	m->direct_map_leaves[0] = k->direct_map_4k;
	m->direct_map_leaves[1] = k->direct_map_2m;
	m->direct_map_leaves[2] = k->direct_map_1g;
	m->vmalloc_total_bytes = VMALLOC_END - VMALLOC_START + 1;
	return 0;
err:
	kernel_pgtables_destroy(m, k);
	return -ENOMEM;
}

/* Frees the vmalloc areas and every kernel table.  K may be half built. */
void kernel_pgtables_destroy(struct memsys *m, struct kernel_pgtables *k)
{
	if (k->vmap_areas.next)
		vmalloc_teardown(k);
	pgd_free_all(m, &k->init_mm);
	k->direct_map_4k = k->direct_map_2m = k->direct_map_1g = 0;
	k->direct_map_end = 0;
	memset(m->direct_map_leaves, 0, sizeof m->direct_map_leaves);
}
