/* tests/mmu/mmu_fixture.h - a memsys + kernel page tables + one user mm. */
#ifndef MMSIM_TESTS_MMU_FIXTURE_H
#define MMSIM_TESTS_MMU_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/check.h"
#include "mm/page_alloc.h"
#include "mmu/pgtable.h"
#include "mmu/walk.h"
#include "traces/trace.h"

struct fx {
	struct trace *t;
	struct memsys *m;
	struct kernel_pgtables k;
	struct mm_struct mm;
	struct walker w;
};

static inline void fx_check(struct fx *f)
{
	char err[256];
	int rc = mm_check(f->m, err, sizeof err);
	if (rc)
		fail_msg("mm_check: %s", err);
}

/* Build a machine of MEM bytes (CONFIG: extra "k=v" settings or NULL). */
static inline struct fx *fx_new(uint64_t mem, const char *key, const char *value)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];
	struct mem_config cfg;
	assert_non_null(f);
	mem_config_default(&cfg);
	cfg.mem_bytes = mem;
	if (key && mem_config_set(&cfg, key, value, err, sizeof err))
		fail_msg("config %s=%s: %s", key, value, err);
	f->t = trace_open_none();
	f->m = memsys_create(&cfg, f->t, err, sizeof err);
	if (!f->m)
		fail_msg("memsys_create: %s", err);
	assert_int_equal(kernel_pgtables_init(f->m, &f->k), 0);
	INIT_LIST_HEAD(&f->mm.mmap);
	f->mm.pcid = 1;
	f->mm.mm_users = 1;
	assert_int_equal(pgd_alloc(f->m, &f->k, &f->mm), 0);
	assert_int_equal(walker_init(&f->w, f->m, NULL, NULL), 0);
	fx_check(f);
	return f;
}

static inline void fx_free(struct fx *f)
{
	pgd_free(f->m, &f->mm);
	assert_int_equal(f->mm.nr_ptes, 0);
	kernel_pgtables_destroy(f->m, &f->k);
	assert_int_equal(global_node_page_state(f->m, NR_PAGETABLE), 0);
	fx_check(f);
	memsys_destroy(f->m);
	trace_close(f->t);
	free(f);
}

/* Map VA -> PFN with PROT (4 KiB) in the fixture's user mm. */
static inline void fx_map(struct fx *f, uint64_t va, uint64_t pfn, pteval_t prot)
{
	pte_t *pte = pte_alloc_map(f->m, &f->mm, va);
	assert_non_null(pte);
	set_pte(pte, mk_pte_pfn(pfn, prot));
}

/* Host pointer to the entry of LEVEL (4..1) used for VA; the levels above
 * must be present tables. */
static inline pteval_t *fx_entry(struct fx *f, const struct mm_struct *mm, uint64_t va, int level)
{
	pgd_t *pgd = pgd_offset(f->m, mm, va);
	if (level == 4)
		return &pgd->pgd;
	pud_t *pud = pud_offset(f->m, pgd, va);
	if (level == 3)
		return &pud->pud;
	pmd_t *pmd = pmd_offset(f->m, pud, va);
	if (level == 2)
		return &pmd->pmd;
	return &pte_offset(f->m, pmd, va)->pte;
}

/* A free frame for data (allocated, refcount 1). */
static inline uint64_t fx_frame(struct fx *f)
{
	struct page *pg = alloc_page(f->m, GFP_KERNEL | __GFP_ZERO);
	assert_non_null(pg);
	return page_to_pfn(f->m, pg);
}

static inline void fx_put_frame(struct fx *f, uint64_t pfn)
{
	__free_page(f->m, pfn_to_page(f->m, pfn));
}

#define USER_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

#endif
