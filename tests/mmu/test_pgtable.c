/* tests/mmu/test_pgtable.c - page-table building, accounting, pgd_alloc's
 * kernel half, the direct map, entry helpers and swap entries. */
#include <errno.h>

#include "mm/proc.h"
#include "mmu_fixture.h"

static int setup(void **state)
{
	*state = fx_new(32ULL << 20, NULL, NULL);
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

static void test_pgd_alloc_copies_kernel_half(void **state)
{
	struct fx *f = *state;
	const pteval_t *upgd = pgtable_table(f->m, f->mm.pgd_pfn);
	const pteval_t *kpgd = pgtable_table(f->m, f->k.init_mm.pgd_pfn);
	unsigned present = 0;
	for (int i = 0; i < 256; i++)
		assert_int_equal(upgd[i], 0);
	for (int i = 256; i < 512; i++) {
		assert_int_equal(upgd[i], kpgd[i]);
		present += (upgd[i] & _PAGE_PRESENT) != 0;
	}
	/* the direct map's pgd entry and the 64 preallocated vmalloc ones */
	assert_true(upgd[pgd_index(PAGE_OFFSET)] & _PAGE_PRESENT);
	assert_false(upgd[pgd_index(PAGE_OFFSET)] & _PAGE_USER);
	for (unsigned i = pgd_index(VMALLOC_START); i <= pgd_index(VMALLOC_END); i++)
		assert_true(upgd[i] & _PAGE_PRESENT);
	assert_int_equal(present, 1 + pgd_index(VMALLOC_END) - pgd_index(VMALLOC_START) + 1);
	assert_true(PageTable(pfn_to_page(f->m, f->mm.pgd_pfn)));
	assert_int_equal(f->mm.nr_ptes, 1);
	assert_int_equal(pgtable_count_user(f->m, &f->mm), 1);
}

static void test_accounting_returns_to_zero(void **state)
{
	struct fx *f = *state;
	long base = global_node_page_state(f->m, NR_PAGETABLE);
	unsigned long free0 = nr_free_pages(f->m);
	uint64_t ev0 = trace_count(f->t, TEV_PGTABLE_ALLOC);
	struct mm_struct mm = { 0 };
	INIT_LIST_HEAD(&mm.mmap);
	assert_int_equal(pgd_alloc(f->m, &f->k, &mm), 0);
	assert_int_equal(global_node_page_state(f->m, NR_PAGETABLE), base + 1);
	/* spread mappings: different PT, PD, PDPT and PML4 slots */
	static const uint64_t vas[] = { 0x400000, 0x401000, 0x600000, 0x40000000, 0x7f0000000000ULL,
					0x7ffffffff000ULL, 0x10000000000ULL };
	for (size_t i = 0; i < sizeof vas / sizeof vas[0]; i++) {
		pte_t *pte = pte_alloc_map(f->m, &mm, vas[i]);
		assert_non_null(pte);
		assert_true(pte_none(*pte));
		set_pte(pte, mk_pte_pfn(100 + i, USER_RW));
		assert_ptr_equal(pte_lookup(f->m, &mm, vas[i]), pte);
		fx_check(f);
	}
	/* pgd
	 * + pgd slot 0: 1 PDPT; PD for 1st GiB (PTs for pmd 2 and 3), PD for 2nd GiB (1 PT)
	 * + pgd slots 254, 255 and 2: one PDPT, PD and PT each */
	unsigned long expect = 1 + (1 + 2 + 3) + 3 * 3;
	assert_int_equal(mm.nr_ptes, expect);
	assert_int_equal(pgtable_count_user(f->m, &mm), expect);
	assert_int_equal(global_node_page_state(f->m, NR_PAGETABLE), base + (long)expect);
	assert_int_equal(free0 - nr_free_pages(f->m), expect);
	assert_int_equal(trace_count(f->t, TEV_PGTABLE_ALLOC) - ev0, expect);
	assert_null(pte_lookup(f->m, &mm, 0x800000));
	pgd_free(f->m, &mm);
	assert_int_equal(mm.pgd_pfn, 0);
	assert_int_equal(mm.nr_ptes, 0);
	assert_int_equal(global_node_page_state(f->m, NR_PAGETABLE), base);
	assert_int_equal(nr_free_pages(f->m), free0);
	assert_int_equal(trace_count(f->t, TEV_PGTABLE_FREE), trace_count(f->t, TEV_PGTABLE_ALLOC) - (uint64_t)base);
	fx_check(f);
	/* the kernel's tables survived the user pgd's death */
	struct walk_result r;
	assert_int_equal(mmu_walk(&f->w, &f->k.init_mm, PAGE_OFFSET + 0x5000, MMU_READ, &r), 0);
	assert_int_equal(r.pfn, 5);
}

static void test_pgd_alloc_oom(void **state)
{
	struct fx *f = *state;
	/* take every free page, then pgd_alloc must fail cleanly */
	struct page **taken = calloc(32768, sizeof *taken);
	assert_non_null(taken);
	size_t n = 0;
	struct page *pg;
	while (n < 32768 && (pg = alloc_page(f->m, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)))
		taken[n++] = pg;
	assert_true(n > 0);
	struct mm_struct mm = { 0 };
	long base = global_node_page_state(f->m, NR_PAGETABLE);
	int rc = pgd_alloc(f->m, &f->k, &mm);
	if (rc == 0) {   /* the allocator kept a reserve for GFP_KERNEL: eat it */
		pgd_free(f->m, &mm);
		while (n < 32768 && (pg = alloc_page(f->m, GFP_ATOMIC | __GFP_NOWARN)))
			taken[n++] = pg;
		rc = pgd_alloc(f->m, &f->k, &mm);
	}
	assert_int_equal(rc, -ENOMEM);
	assert_int_equal(mm.pgd_pfn, 0);
	assert_int_equal(global_node_page_state(f->m, NR_PAGETABLE), base);
	/* and pte_alloc_map on an existing mm returns NULL */
	assert_null(pte_alloc_map(f->m, &f->mm, 0x123456000ULL));
	while (n)
		__free_page(f->m, taken[--n]);
	free(taken);
	fx_check(f);
	assert_non_null(pte_alloc_map(f->m, &f->mm, 0x123456000ULL));
}

static void test_direct_map_every_class(void **state)
{
	(void)state;
	/* 1 GiB + 2 MiB + 12 KiB: one 1G leaf, one 2M leaf, three 4K leaves;
	 * default zones put DMA, DMA32 under them */
	uint64_t mem = (1ULL << 30) + (2ULL << 20) + (12ULL << 10);
	struct fx *f = fx_new(mem, NULL, NULL);
	assert_int_equal(f->k.direct_map_1g, 1);
	assert_int_equal(f->k.direct_map_2m, 1);
	assert_int_equal(f->k.direct_map_4k, 3);
	assert_int_equal(f->m->direct_map_leaves[0], 3);
	assert_int_equal(f->m->direct_map_leaves[1], 1);
	assert_int_equal(f->m->direct_map_leaves[2], 1);
	assert_int_equal(f->k.direct_map_end, PAGE_OFFSET + mem);
	assert_int_equal(f->m->vmalloc_total_bytes, VMALLOC_END - VMALLOC_START + 1);
	unsigned long seen_zone[MAX_NR_ZONES] = { 0 };
	unsigned long seen_shift[3] = { 0 };
	struct walk_result r;
	for (unsigned long pfn = 0; pfn < f->m->max_pfn; pfn++) {
		uint64_t off = (pfn * 8) & 0xfff;
		int rc = mmu_walk(&f->w, &f->k.init_mm, PAGE_OFFSET + (pfn << 12) + off, MMU_WRITE, &r);
		if (rc)
			fail_msg("pfn %lu: rc %d", pfn, rc);
		if (r.phys != (pfn << 12) + off)
			fail_msg("pfn %lu: phys %llx", pfn, (unsigned long long)r.phys);
		assert_true(r.global && r.nx && r.writable && !r.user);
		seen_zone[pfn_to_page(f->m, pfn)->zone % MAX_NR_ZONES]++;
		seen_shift[(r.page_shift - 12) / 9]++;
	}
	assert_int_equal(seen_shift[2], 1UL << 18);
	assert_int_equal(seen_shift[1], 512);
	assert_int_equal(seen_shift[0], 3);
	assert_true(seen_zone[ZONE_DMA] > 0);
	assert_true(seen_zone[ZONE_DMA32] > 0);
	/* the same through a user mm (kernel half copied) */
	assert_int_equal(mmu_walk(&f->w, &f->mm, PAGE_OFFSET + mem - 1, MMU_READ, &r), 0);
	assert_int_equal(r.phys, mem - 1);
	assert_int_equal(mmu_walk(&f->w, &f->mm, PAGE_OFFSET + mem, MMU_READ, &r), 1);
	fx_free(f);
}

static void test_direct_map_numa_small(void **state)
{
	(void)state;
	/* two nodes, 6 MiB + 8 KiB: 4K leaves at the end, every page reachable */
	uint64_t mem = (6ULL << 20) + (8ULL << 10);
	struct fx *f = fx_new(mem, "numa", "2");
	assert_int_equal(f->k.direct_map_1g, 0);
	assert_int_equal(f->k.direct_map_2m, 3);
	assert_int_equal(f->k.direct_map_4k, 2);
	struct walk_result r;
	unsigned long per_node[2] = { 0 };
	for (unsigned long pfn = 0; pfn < f->m->max_pfn; pfn++) {
		assert_int_equal(mmu_walk(&f->w, &f->k.init_mm, PAGE_OFFSET + (pfn << 12), MMU_READ, &r), 0);
		assert_int_equal(r.pfn, pfn);
		per_node[pfn_to_page(f->m, pfn)->node]++;
		/* page_address and the direct-map VA name the same bytes */
		assert_int_equal(kva_of(f->m, page_address(f->m, pfn_to_page(f->m, pfn))), PAGE_OFFSET + (pfn << 12));
	}
	assert_true(per_node[0] > 0 && per_node[1] > 0);
	fx_free(f);
}

static void test_alloc_map_conflicts(void **state)
{
	struct fx *f = *state;
	uint64_t va = 0x200000000ULL;
	assert_non_null(pte_alloc_map(f->m, &f->mm, va));
	/* a PT is there: no 2 MiB leaf, and no 1 GiB leaf above the PD */
	assert_null(pmd_alloc_map(f->m, &f->mm, va));
	assert_null(pud_alloc_map(f->m, &f->mm, va));
	/* a swap entry in a PMD slot is not replaced by a table */
	uint64_t va2 = 0x300000000ULL;
	pmd_t *pmd = pmd_alloc_map(f->m, &f->mm, va2);
	assert_non_null(pmd);
	pmd->pmd = swp_entry_to_pte(swp_entry(1, 7)).pte;
	assert_null(pte_alloc_map(f->m, &f->mm, va2));
	pmd->pmd = 0;
	/* a process without pgd */
	struct mm_struct none = { 0 };
	assert_null(pte_alloc_map(f->m, &none, va));
	assert_null(pte_lookup(f->m, &none, va));
	assert_int_equal(pgtable_count_user(f->m, &none), 0);
	pgd_free(f->m, &none);
}

static void test_entry_helpers(void **state)
{
	(void)state;
	pte_t p = mk_pte_pfn(0x12345, _PAGE_PRESENT | _PAGE_USER);
	assert_int_equal(pte_pfn(p), 0x12345);
	assert_true(pte_present(p));
	assert_false(pte_write(p));
	p = pte_mkwrite(p);
	assert_true(pte_write(p));
	assert_false(pte_write(pte_wrprotect(p)));
	p = pte_mkyoung(pte_mkdirty(p));
	assert_true(pte_young(p) && pte_dirty(p));
	assert_false(pte_young(pte_mkold(p)));
	assert_false(pte_dirty(pte_mkclean(p)));
	assert_int_equal(pte_pfn(pte_mkold(p)), 0x12345);
	pte_t slot = p;
	pte_clear(&slot);
	assert_true(pte_none(slot));
	/* swap entries: round trip, never present, never none */
	static const struct { unsigned type; uint64_t off; } cases[] = {
		{ 0, 1 }, { 1, 0x12345 }, { 31, (1ULL << 49) - 1 }, { 7, 0xdeadbeefULL } };
	for (size_t i = 0; i < 4; i++) {
		swp_entry_t e = swp_entry(cases[i].type, cases[i].off);
		pte_t sp = swp_entry_to_pte(e);
		assert_false(pte_present(sp));
		assert_true(is_swap_pte(sp));
		swp_entry_t back = pte_to_swp_entry(sp);
		assert_int_equal(swp_type(back), cases[i].type);
		assert_int_equal(swp_offset(back), cases[i].off);
	}
}

static void test_flags_str(void **state)
{
	(void)state;
	char buf[160];
	assert_string_equal(pte_flags_str(0, 1, buf, sizeof buf), "none");
	assert_string_equal(pte_flags_str(0x400000 | PAGE_KERNEL | _PAGE_PSE, 2, buf, sizeof buf),
			    "P RW A D PS G NX pfn=0x400");
	assert_string_equal(pte_flags_str(0x7000 | _PAGE_PRESENT | _PAGE_USER | _PAGE_PAT, 1, buf, sizeof buf),
			    "P RO US PAT pfn=0x7");
	assert_string_equal(pte_flags_str(0x7000 | _PAGE_TABLE, 3, buf, sizeof buf), "P RW US A D pfn=0x7");
	pte_flags_str(swp_entry_to_pte(swp_entry(2, 0x40)).pte, 1, buf, sizeof buf);
	assert_string_equal(buf, "-P swap type=2 offset=0x40");
	assert_string_equal(pgtable_level_name(4), "PML4");
	assert_string_equal(pgtable_level_name(1), "PT");
	assert_null(pgtable_level_name(0));
	/* truncation is safe */
	char small[6];
	pte_flags_str(PAGE_KERNEL, 1, small, sizeof small);
	assert_true(strlen(small) < sizeof small);
}

static void test_two_machines(void **state)
{
	(void)state;
	struct fx *a = fx_new(8ULL << 20, NULL, NULL);
	struct fx *b = fx_new(16ULL << 20, NULL, NULL);
	uint64_t pa = fx_frame(a), pb = fx_frame(b);
	fx_map(a, 0x1000, pa, USER_RW);
	fx_map(b, 0x1000, pb, USER_RW);
	struct walk_result r;
	assert_int_equal(mmu_walk(&a->w, &a->mm, 0x1000, MMU_READ | MMU_USER, &r), 0);
	assert_int_equal(r.pfn, pa);
	assert_int_equal(mmu_walk(&b->w, &b->mm, 0x1000, MMU_READ | MMU_USER, &r), 0);
	assert_int_equal(r.pfn, pb);
	fx_put_frame(a, pa);
	fx_put_frame(b, pb);
	fx_free(a);
	fx_free(b);
}

static void test_ptdump(void **state)
{
	struct fx *f = *state;
	fx_map(f, 0x400000, 300, USER_RW & ~_PAGE_RW);
	fx_map(f, 0x401000, 301, USER_RW & ~_PAGE_RW);
	fx_map(f, 0x402000, 302, USER_RW | _PAGE_NX);
	pmd_t *pmd = pmd_alloc_map(f->m, &f->mm, 0x40000000ULL);
	pmd->pmd = (4ULL << 20) | USER_RW | _PAGE_PSE | _PAGE_NX;
	pteval_t a_before = *fx_entry(f, &f->mm, 0x400000, 1);
	struct strbuf sb = { 0 };
	unsigned long n = ptdump(f->m, &f->mm, false, &sb);
	const char *expect =
		"---[ User Space ]---\n"
		"0x0000000000000000-0x0000000000400000           4M                               pmd\n"
		"0x0000000000400000-0x0000000000402000           8K USR ro                     x  pte\n"
		"0x0000000000402000-0x0000000000403000           4K USR RW                     NX pte\n"
		"0x0000000000403000-0x0000000000600000        2036K                               pte\n"
		"0x0000000000600000-0x0000000040000000        1018M                               pmd\n"
		"0x0000000040000000-0x0000000040200000           2M USR RW         PSE         NX pmd\n"
		"0x0000000040200000-0x0000000080000000        1022M                               pmd\n"
		"0x0000000080000000-0x0000008000000000         510G                               pud\n"
		"0x0000008000000000-0x0000800000000000      130560G                               pgd\n";
	assert_string_equal(sb.buf, expect);
	assert_int_equal(n, 9);
	/* reading does not set A bits */
	assert_int_equal(*fx_entry(f, &f->mm, 0x400000, 1), a_before);
	sb_free(&sb);
	/* the kernel half: the direct map of 32 MiB is 16 global NX 2 MiB leaves */
	struct strbuf kb = { 0 };
	ptdump(f->m, &f->mm, true, &kb);
	assert_non_null(strstr(kb.buf, "---[ Kernel Space ]---\n"));
	assert_non_null(strstr(kb.buf, "0xffff888000000000-0xffff888002000000          32M     RW         PSE     GLB NX pmd\n"));
	sb_free(&kb);
	pmd->pmd = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pgd_alloc_copies_kernel_half, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounting_returns_to_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pgd_alloc_oom, setup, teardown),
		cmocka_unit_test(test_direct_map_every_class),
		cmocka_unit_test(test_direct_map_numa_small),
		cmocka_unit_test_setup_teardown(test_alloc_map_conflicts, setup, teardown),
		cmocka_unit_test(test_entry_helpers),
		cmocka_unit_test(test_flags_str),
		cmocka_unit_test(test_two_machines),
		cmocka_unit_test_setup_teardown(test_ptdump, setup, teardown),
	};
	return cmocka_run_group_tests_name("mmu_pgtable", tests, NULL, NULL);
}
