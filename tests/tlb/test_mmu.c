/* tests/tlb/test_mmu.c - struct mmu: the translate path over real page
 * tables: L1/L2/walk counting, faults leave no entry, PCID and global
 * behaviour across CR3 writes, stale entries until INVLPG, D-bit re-walks,
 * huge pages, Linux flush counters. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/page_alloc.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"

struct fx {
	struct trace *t;
	struct memsys *m;
	struct kernel_pgtables k;
	struct mm_struct a, b;
	struct mmu *mmu;
};

static void mm_init(struct fx *f, struct mm_struct *mm)
{
	memset(mm, 0, sizeof *mm);
	INIT_LIST_HEAD(&mm->mmap);
	mm->mm_users = 1;
	assert_int_equal(pgd_alloc(f->m, &f->k, mm), 0);
	mmu_attach_mm(f->mmu, mm);
}

static struct fx *fx_new(const char *spec)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];
	struct mem_config mc;
	struct tlb_config tc;
	assert_non_null(f);
	mem_config_default(&mc);
	mc.mem_bytes = 64ULL << 20;
	f->t = trace_open_none();
	f->m = memsys_create(&mc, f->t, err, sizeof err);
	if (!f->m)
		fail_msg("memsys_create: %s", err);
	assert_int_equal(kernel_pgtables_init(f->m, &f->k), 0);
	tlb_config_default(&tc);
	if (tlb_config_parse(spec, &tc, err, sizeof err) < 0)
		fail_msg("%s", err);
	f->mmu = mmu_create(f->m, &tc, 7, f->t, err, sizeof err);
	if (!f->mmu)
		fail_msg("mmu_create: %s", err);
	mm_init(f, &f->a);
	mm_init(f, &f->b);
	assert_int_equal(mmu_switch_mm(f->mmu, &f->a), 0);
	return f;
}

static void fx_free(struct fx *f)
{
	mmu_destroy(f->mmu);
	pgd_free(f->m, &f->a);
	pgd_free(f->m, &f->b);
	kernel_pgtables_destroy(f->m, &f->k);
	memsys_destroy(f->m);
	trace_close(f->t);
	free(f);
}

static uint64_t frame(struct fx *f)
{
	struct page *pg = alloc_page(f->m, GFP_KERNEL | __GFP_ZERO);
	assert_non_null(pg);
	return page_to_pfn(f->m, pg);
}

static pte_t *map4k(struct fx *f, struct mm_struct *mm, uint64_t va, uint64_t pfn, pteval_t prot)
{
	pte_t *pte = pte_alloc_map(f->m, mm, va);
	assert_non_null(pte);
	set_pte(pte, mk_pte_pfn(pfn, prot));
	return pte;
}

static unsigned long st(struct fx *f, const char *name)
{
	unsigned long v;
	if (mmu_stat_lookup(f->mmu, name, &v) < 0)
		fail_msg("no stat %s", name);
	return v;
}

#define URW (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define UR (_PAGE_PRESENT | _PAGE_USER)
#define UREAD (MMU_READ | MMU_USER)
#define UWRITE (MMU_WRITE | MMU_USER)

static bool cached(struct fx *f, uint64_t va)
{
	for (int i = 0; i < TLB_NR; i++) {
		struct tlb *t = &f->mmu->tlb[i];
		if (tlb_find(t, va, 12, f->mmu->cur_pcid) >= 0 || tlb_find(t, va, 21, f->mmu->cur_pcid) >= 0)
			return true;
	}
	return false;
}

/* The example, at the API level. */
static void test_example_counts(void **state)
{
	(void)state;
	struct fx *f = fx_new("l1d=4:4,l1i=4:4,l2=16:4,policy=lru,pcid=off");
	struct mmu_xlate x;
	uint64_t p1 = frame(f), p2 = frame(f);
	map4k(f, &f->a, 0x400000, p1, URW);
	map4k(f, &f->a, 0x600000, p2, UR);
	pmd_t *pmd = pmd_alloc_map(f->m, &f->a, 0x40000000);
	assert_non_null(pmd);
	pmd->pmd = (0x200000ULL) | URW | _PAGE_PSE;

	assert_int_equal(mmu_translate(f->mmu, 0x400010, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_WALK);
	assert_int_equal(x.pa, (p1 << 12) | 0x10);
	assert_int_equal(x.refs, 4);                     /* cold PSCs */
	assert_int_equal(mmu_translate(f->mmu, 0x400020, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	assert_int_equal(x.pa, (p1 << 12) | 0x20);
	assert_int_equal(mmu_translate(f->mmu, 0x600000, UWRITE, &x), MMU_FAULT);
	assert_int_equal(x.error_code, PF_PROT | PF_WRITE | PF_USER);
	assert_false(cached(f, 0x600000));
	assert_int_equal(mmu_translate(f->mmu, 0x40001000, UREAD, &x), 0);
	assert_int_equal(x.pa, 0x201000);
	assert_int_equal(x.page_shift, 21);
	assert_int_equal(st(f, "tlb.l1d.misses"), 2);
	assert_int_equal(st(f, "tlb.l1d.hits"), 1);
	assert_int_equal(st(f, "tlb.l1d2m.misses"), 1);
	assert_int_equal(st(f, "tlb.l2.misses"), 3);
	assert_int_equal(st(f, "faults.protection"), 1);
	assert_int_equal(st(f, "dTLB-loads"), 3);
	assert_int_equal(st(f, "dTLB-load-misses"), 2);
	assert_int_equal(st(f, "dTLB-stores"), 1);
	assert_int_equal(st(f, "dTLB-store-misses"), 1);
	assert_int_equal(st(f, "walk.count"), 3);
	/* the 2M page now hits in l1d2m anywhere inside it */
	assert_int_equal(mmu_translate(f->mmu, 0x401ff000, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	assert_int_equal(x.tlb, TLB_L1D2M);
	assert_int_equal(x.pa, 0x3ff000);
	/* stale entry: clear the PTE without a flush, the TLB still translates */
	pte_clear(pte_lookup(f->m, &f->a, 0x400000));
	assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), 0);
	assert_int_equal(x.pa, p1 << 12);
	flush_tlb_page(f->mmu, &f->a, 0x400000);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ONE], 1);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), MMU_FAULT);
	assert_int_equal(x.error_code, PF_USER);
	assert_int_equal(x.kind, WALK_NOT_PRESENT);
	assert_int_equal(st(f, "faults.not_present"), 1);
	__free_page(f->m, pfn_to_page(f->m, p1));
	__free_page(f->m, pfn_to_page(f->m, p2));
	fx_free(f);
}

/* 5 pages through a 4-entry L1: the evicted one comes back from the STLB. */
static void test_l2_hit(void **state)
{
	(void)state;
	struct fx *f = fx_new("l1d=4:4,l2=16:4,policy=lru,psc=off");
	struct mmu_xlate x;
	uint64_t p = frame(f);
	for (int i = 0; i < 5; i++)
		map4k(f, &f->a, 0x10000000 + (uint64_t)i * 4096, p, URW | _PAGE_DIRTY | _PAGE_ACCESSED);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(mmu_translate(f->mmu, 0x10000000 + (uint64_t)i * 4096, UREAD, &x), 0);
		assert_int_equal(x.refs, 4);                 /* psc off: 4 references every walk */
	}
	assert_int_equal(mmu_translate(f->mmu, 0x10000000, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L2);
	assert_int_equal(x.refs, 0);
	assert_int_equal(mmu_translate(f->mmu, 0x10000000, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	assert_int_equal(st(f, "tlb.l2.hits"), 1);
	assert_int_equal(st(f, "tlb.l1d.misses"), 6);
	assert_int_equal(st(f, "walk.refs"), 20);
	assert_int_equal(st(f, "walk.refs.pt"), 5);
	/* a write to a clean-cached entry re-walks and sets D in the PTE */
	uint64_t q = frame(f);
	pte_t *pte = map4k(f, &f->a, 0x20000000, q, URW);
	assert_int_equal(mmu_translate(f->mmu, 0x20000000, UREAD, &x), 0);
	assert_false(pte->pte & _PAGE_DIRTY);
	assert_int_equal(mmu_translate(f->mmu, 0x20000000, UWRITE, &x), 0);
	assert_int_equal(x.source, MMU_SRC_WALK);
	assert_true(pte->pte & _PAGE_DIRTY);
	assert_int_equal(st(f, "tlb.dirty_rewalks"), 1);
	assert_int_equal(mmu_translate(f->mmu, 0x20000000, UWRITE, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	__free_page(f->m, pfn_to_page(f->m, p));
	__free_page(f->m, pfn_to_page(f->m, q));
	fx_free(f);
}

/* Same VA in two address spaces, PCID on and off; a global kernel page. */
static void pcid_case(bool pcid)
{
	struct fx *f = fx_new(pcid ? "pcid=on" : "pcid=off");
	struct mmu_xlate x;
	uint64_t pa = frame(f), pb = frame(f), pk = frame(f);
	map4k(f, &f->a, 0x400000, pa, URW);
	map4k(f, &f->b, 0x400000, pb, URW);
	assert_int_not_equal(f->a.pcid, f->b.pcid);
	/* a global kernel page, mapped in both (as the kernel half is shared) */
	uint64_t kva = 0xffffc90000100000ULL;
	map4k(f, &f->k.init_mm, kva, pk, PAGE_KERNEL);
	assert_int_equal(mmu_translate(f->mmu, kva, MMU_READ, &x), 0);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), 0);
	assert_int_equal(x.pa, pa << 12);
	/* user access to the kernel page: protection fault from the entry */
	assert_int_equal(mmu_translate(f->mmu, kva, UREAD, &x), MMU_FAULT);
	assert_int_equal(x.error_code, PF_PROT | PF_USER);
	assert_int_equal(x.refs, 0);
	assert_int_equal(st(f, "faults.from_tlb"), 1);
	assert_int_equal(mmu_translate(f->mmu, kva, MMU_READ, &x), 0);
	assert_int_equal(x.source, MMU_SRC_WALK);       /* the fault dropped the entry */

	assert_int_equal(mmu_switch_mm(f->mmu, &f->b), 0);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), 0);
	assert_int_equal(x.pa, pb << 12);                /* never A's entry */
	assert_int_equal(x.source, MMU_SRC_WALK);
	assert_int_equal(mmu_translate(f->mmu, kva, MMU_READ, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);          /* global survives CR3 writes */
	assert_int_equal(x.pa, pk << 12);

	assert_int_equal(mmu_switch_mm(f->mmu, &f->a), 0);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), 0);
	assert_int_equal(x.pa, pa << 12);
	assert_int_equal(x.source, pcid ? MMU_SRC_L1 : MMU_SRC_WALK);

	/* flush_tlb_mm keeps the global page, flush_tlb_all does not */
	unsigned long all0 = f->m->vm_events[NR_TLB_LOCAL_FLUSH_ALL];
	flush_tlb_mm(f->mmu, &f->a);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ALL], all0 + 1);
	assert_int_equal(mmu_translate(f->mmu, kva, MMU_READ, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_WALK);
	flush_tlb_all(f->mmu);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ALL], all0 + 2);
	assert_int_equal(mmu_translate(f->mmu, kva, MMU_READ, &x), 0);
	assert_int_equal(x.source, MMU_SRC_WALK);
	/* INVLPG removes the global entry too */
	mmu_invlpg(f->mmu, kva);
	assert_false(cached(f, kva));
	if (pcid) {
		/* B's entries are still tagged in the TLB while A runs; flushing
		 * B (not current) drops them without counting a local flush. */
		mmu_switch_mm(f->mmu, &f->b);
		assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), 0);
		mmu_switch_mm(f->mmu, &f->a);
		unsigned long before = f->m->vm_events[NR_TLB_LOCAL_FLUSH_ALL];
		flush_tlb_mm(f->mmu, &f->b);
		assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ALL], before);
		mmu_switch_mm(f->mmu, &f->b);
		assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), 0);
		assert_int_equal(x.source, MMU_SRC_WALK);
	}
	pte_clear(pte_lookup(f->m, &f->k.init_mm, kva));
	__free_page(f->m, pfn_to_page(f->m, pa));
	__free_page(f->m, pfn_to_page(f->m, pb));
	__free_page(f->m, pfn_to_page(f->m, pk));
	fx_free(f);
}

static void test_pcid_on(void **state)
{
	(void)state;
	pcid_case(true);
}

static void test_pcid_off(void **state)
{
	(void)state;
	pcid_case(false);
}

/* flush_tlb_range: up to 33 pages one INVLPG each, more a full flush. */
static void test_flush_range_counters(void **state)
{
	(void)state;
	struct fx *f = fx_new("");
	struct mmu_xlate x;
	uint64_t p = frame(f);
	for (int i = 0; i < 40; i++)
		map4k(f, &f->a, 0x800000 + (uint64_t)i * 4096, p, URW);
	for (int i = 0; i < 40; i++)
		assert_int_equal(mmu_translate(f->mmu, 0x800000 + (uint64_t)i * 4096, UREAD, &x), 0);
	flush_tlb_range(f->mmu, &f->a, 0x800000, 0x800000 + 10 * 4096, PAGE_SHIFT);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ONE], 10);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ALL], 0);
	assert_int_equal(mmu_translate(f->mmu, 0x800000 + 9 * 4096, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_WALK);
	assert_int_equal(mmu_translate(f->mmu, 0x800000 + 10 * 4096, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	flush_tlb_range(f->mmu, &f->a, 0x800000, 0x800000 + 40 * 4096, PAGE_SHIFT);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ONE], 10);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ALL], 1);
	/* through mm->tlb_ops, as mm/ code calls it */
	assert_non_null(f->a.tlb_ops);
	assert_int_equal(mmu_translate(f->mmu, 0x800000, UREAD, &x), 0);
	f->a.tlb_ops->flush_range(f->a.tlb_ctx, &f->a, 0x800000, 0x801000);
	assert_int_equal(f->m->vm_events[NR_TLB_LOCAL_FLUSH_ONE], 11);
	assert_false(cached(f, 0x800000));
	__free_page(f->m, pfn_to_page(f->m, p));
	fx_free(f);
}

/* Fetches use the iTLB; NX pages fault with I set; bad inputs. */
static void test_itlb_nx_and_errors(void **state)
{
	(void)state;
	struct fx *f = fx_new("");
	struct mmu_xlate x;
	uint64_t p = frame(f);
	map4k(f, &f->a, 0x400000, p, UR);
	map4k(f, &f->a, 0x401000, p, UR | _PAGE_NX);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, MMU_EXEC | MMU_USER, &x), 0);
	assert_int_equal(mmu_translate(f->mmu, 0x400004, MMU_EXEC | MMU_USER, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	assert_int_equal(x.tlb, TLB_L1I);
	assert_int_equal(st(f, "iTLB-loads"), 2);
	assert_int_equal(st(f, "iTLB-load-misses"), 1);
	assert_int_equal(st(f, "tlb.l1i.hits"), 1);
	assert_int_equal(mmu_translate(f->mmu, 0x401000, MMU_EXEC | MMU_USER, &x), MMU_FAULT);
	assert_int_equal(x.error_code, PF_PROT | PF_USER | PF_INSTR);
	/* the data side of the same page works and is cached in l1d */
	assert_int_equal(mmu_translate(f->mmu, 0x401000, UREAD, &x), 0);
	assert_int_equal(mmu_translate(f->mmu, 0x401000, UREAD, &x), 0);
	assert_int_equal(x.tlb, TLB_L1D);
	assert_int_equal(mmu_translate(f->mmu, 0x401000, MMU_EXEC | MMU_USER, &x), MMU_FAULT);
	assert_int_equal(mmu_translate(f->mmu, 0x0000800000000000ULL, UREAD, &x), -EINVAL);
	assert_int_equal(st(f, "faults.gp"), 1);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, 3, &x), -EINVAL);
	mmu_switch_mm(f->mmu, NULL);
	assert_int_equal(mmu_translate(f->mmu, 0x400000, UREAD, &x), -ENOENT);
	__free_page(f->m, pfn_to_page(f->m, p));
	fx_free(f);
}

/* A 1 GiB page is cached as 2 MiB fragments; INVLPG drops them all. */
static void test_1g_fragments(void **state)
{
	(void)state;
	struct fx *f = fx_new("psc=off");
	struct mmu_xlate x;
	pud_t *pud = pud_alloc_map(f->m, &f->a, 0x80000000ULL);
	assert_non_null(pud);
	pud->pud = 0x40000000ULL | URW | _PAGE_PSE | _PAGE_DIRTY | _PAGE_ACCESSED;
	assert_int_equal(mmu_translate(f->mmu, 0x80000123ULL, UREAD, &x), 0);
	assert_int_equal(x.pa, 0x40000123ULL);
	assert_int_equal(x.refs, 2);
	assert_int_equal(x.page_shift, 30);
	assert_int_equal(mmu_translate(f->mmu, 0x80000000ULL + (7ULL << 21) + 5, UREAD, &x), 0);
	assert_int_equal(x.source, MMU_SRC_WALK);       /* another fragment */
	assert_int_equal(x.pa, 0x40000000ULL + (7ULL << 21) + 5);
	assert_int_equal(mmu_translate(f->mmu, 0x80000000ULL + (7ULL << 21) + 0x1234, UWRITE, &x), 0);
	assert_int_equal(x.source, MMU_SRC_L1);
	assert_int_equal(x.tlb, TLB_L1D2M);
	assert_int_equal(st(f, "tlb.l1d2m.misses"), 2);
	mmu_invlpg(f->mmu, 0x80000000ULL + (100ULL << 21));
	assert_false(cached(f, 0x80000000ULL));
	assert_false(cached(f, 0x80000000ULL + (7ULL << 21)));
	pud->pud = 0;
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_counts),     cmocka_unit_test(test_l2_hit),
		cmocka_unit_test(test_pcid_on),            cmocka_unit_test(test_pcid_off),
		cmocka_unit_test(test_flush_range_counters), cmocka_unit_test(test_itlb_nx_and_errors),
		cmocka_unit_test(test_1g_fragments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
