/* tests/mmu/test_walk.c - the hardware page walker: every fault kind at
 * every level with exact error codes, A/D bits, huge pages, reserved bits,
 * NX, U/S, SMEP/SMAP, non-canonical addresses. */
#include <errno.h>

#include "mmu_fixture.h"

#define VA 0x00007f1234567000ULL   /* a user address with all indices non-zero */

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

/* Map VA to a fresh frame, user RW; returns the frame. */
static uint64_t map_va(struct fx *f)
{
	uint64_t pfn = fx_frame(f);
	fx_map(f, VA, pfn, USER_RW | _PAGE_ACCESSED | _PAGE_DIRTY);
	return pfn;
}

static void expect_fault(struct fx *f, uint64_t va, unsigned access, enum walk_fault_kind kind, int level,
			 uint32_t code)
{
	struct walk_result r;
	int rc = mmu_walk(&f->w, &f->mm, va, access, &r);
	assert_int_equal(rc, 1);
	assert_true(r.fault);
	assert_int_equal(r.kind, kind);
	assert_int_equal(r.level, level);
	assert_int_equal(r.error_code, code);
}

static void expect_ok(struct fx *f, uint64_t va, unsigned access, uint64_t pfn)
{
	struct walk_result r;
	int rc = mmu_walk(&f->w, &f->mm, va, access, &r);
	assert_int_equal(rc, 0);
	assert_false(r.fault);
	assert_int_equal(r.pfn, pfn);
	assert_int_equal(r.phys, (pfn << PAGE_SHIFT) | (va & 0xfff));
	assert_int_equal(r.error_code, 0);
}

static void test_translate_4k(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	struct walk_result r;
	assert_int_equal(mmu_walk(&f->w, &f->mm, VA + 0xabc, MMU_READ | MMU_USER, &r), 0);
	assert_int_equal(r.pfn, pfn);
	assert_int_equal(r.phys, (pfn << 12) + 0xabc);
	assert_int_equal(r.page_shift, 12);
	assert_int_equal(r.level, 1);
	assert_int_equal(r.refs, 4);
	for (int l = 1; l <= 4; l++)
		assert_int_equal(r.refs_per_level[l], 1);
	assert_true(r.writable);
	assert_true(r.user);
	assert_false(r.nx);
	assert_false(r.global);
	assert_int_equal(r.start_level, 4);
	assert_int_equal(f->w.walks, 1);
	assert_int_equal(f->w.refs, 4);
	assert_int_equal(f->w.leaves[0], 1);
	/* entry_phys points where the entries really are */
	for (int l = 1; l <= 4; l++)
		assert_int_equal(*(pteval_t *)phys_to_host(f->m, r.entry_phys[l]), r.entries[l]);
	assert_int_equal(trace_count(f->t, TEV_WALK), 1);
	fx_check(f);
	fx_put_frame(f, pfn);
}

static void test_not_present_each_level(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	for (int level = 4; level >= 1; level--) {
		pteval_t *e = fx_entry(f, &f->mm, VA, level);
		pteval_t saved = *e;
		*e &= ~_PAGE_PRESENT;
		expect_fault(f, VA, MMU_READ | MMU_USER, WALK_NOT_PRESENT, level, PF_USER);
		expect_fault(f, VA, MMU_WRITE | MMU_USER, WALK_NOT_PRESENT, level, PF_USER | PF_WRITE);
		expect_fault(f, VA, MMU_WRITE, WALK_NOT_PRESENT, level, PF_WRITE);
		expect_fault(f, VA, MMU_READ, WALK_NOT_PRESENT, level, 0);
		expect_fault(f, VA, MMU_EXEC | MMU_USER, WALK_NOT_PRESENT, level, PF_USER | PF_INSTR);
		struct walk_result r;
		mmu_walk(&f->w, &f->mm, VA, MMU_READ, &r);
		assert_int_equal(r.refs, 5 - level);   /* stopped where P=0 */
		/* a non-present entry's other bits are ignored: reserved bits too */
		*e = (saved & ~_PAGE_PRESENT) | (1ULL << 51);
		expect_fault(f, VA, MMU_READ | MMU_USER, WALK_NOT_PRESENT, level, PF_USER);
		*e = saved;
		expect_ok(f, VA, MMU_READ | MMU_USER, pfn);
	}
	/* an address whose pgd entry was never filled */
	expect_fault(f, 0x0000100000000000ULL, MMU_READ | MMU_USER, WALK_NOT_PRESENT, 4, PF_USER);
	assert_int_equal(f->w.faults_kind[WALK_NOT_PRESENT], 4 * 7 + 1);
	fx_put_frame(f, pfn);
}

static void test_write_protect_each_level(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	for (int level = 4; level >= 1; level--) {
		pteval_t *e = fx_entry(f, &f->mm, VA, level);
		pteval_t saved = *e;
		*e &= ~_PAGE_RW;
		expect_fault(f, VA, MMU_WRITE | MMU_USER, WALK_WRITE, level, PF_PROT | PF_WRITE | PF_USER);
		/* CR0.WP=1: supervisor writes honour R/W too */
		expect_fault(f, VA, MMU_WRITE, WALK_WRITE, level, PF_PROT | PF_WRITE);
		expect_ok(f, VA, MMU_READ | MMU_USER, pfn);
		expect_ok(f, VA, MMU_EXEC | MMU_USER, pfn);
		struct walk_result r;
		mmu_walk(&f->w, &f->mm, VA, MMU_READ | MMU_USER, &r);
		assert_false(r.writable);
		f->w.cfg.wp = false;
		expect_ok(f, VA, MMU_WRITE, pfn);
		expect_fault(f, VA, MMU_WRITE | MMU_USER, WALK_WRITE, level, PF_PROT | PF_WRITE | PF_USER);
		f->w.cfg.wp = true;
		*e = saved;
		expect_ok(f, VA, MMU_WRITE | MMU_USER, pfn);
	}
	fx_put_frame(f, pfn);
}

static void test_user_supervisor_each_level(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	for (int level = 4; level >= 1; level--) {
		pteval_t *e = fx_entry(f, &f->mm, VA, level);
		pteval_t saved = *e;
		*e &= ~_PAGE_USER;
		expect_fault(f, VA, MMU_READ | MMU_USER, WALK_USER, level, PF_PROT | PF_USER);
		expect_fault(f, VA, MMU_WRITE | MMU_USER, WALK_USER, level, PF_PROT | PF_USER | PF_WRITE);
		expect_fault(f, VA, MMU_EXEC | MMU_USER, WALK_USER, level, PF_PROT | PF_USER | PF_INSTR);
		expect_ok(f, VA, MMU_READ, pfn);
		expect_ok(f, VA, MMU_WRITE, pfn);
		struct walk_result r;
		mmu_walk(&f->w, &f->mm, VA, MMU_READ, &r);
		assert_false(r.user);
		*e = saved;
	}
	/* the highest denying level is reported when several deny */
	pteval_t *e3 = fx_entry(f, &f->mm, VA, 3), *e1 = fx_entry(f, &f->mm, VA, 1);
	pteval_t s3 = *e3, s1 = *e1;
	*e3 &= ~_PAGE_USER;
	*e1 &= ~_PAGE_USER;
	expect_fault(f, VA, MMU_READ | MMU_USER, WALK_USER, 3, PF_PROT | PF_USER);
	*e3 = s3;
	*e1 = s1;
	fx_put_frame(f, pfn);
}

static void test_nx_each_level(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	for (int level = 4; level >= 1; level--) {
		pteval_t *e = fx_entry(f, &f->mm, VA, level);
		pteval_t saved = *e;
		*e |= _PAGE_NX;
		expect_fault(f, VA, MMU_EXEC | MMU_USER, WALK_NX, level, PF_PROT | PF_USER | PF_INSTR);
		expect_fault(f, VA, MMU_EXEC, WALK_NX, level, PF_PROT | PF_INSTR);
		expect_ok(f, VA, MMU_READ | MMU_USER, pfn);
		expect_ok(f, VA, MMU_WRITE | MMU_USER, pfn);
		/* with EFER.NXE=0 bit 63 is reserved, and fetches carry no I/D bit */
		f->w.cfg.nxe = false;
		expect_fault(f, VA, MMU_READ | MMU_USER, WALK_RESERVED, level, PF_PROT | PF_RSVD | PF_USER);
		expect_fault(f, VA, MMU_EXEC | MMU_USER, WALK_RESERVED, level, PF_PROT | PF_RSVD | PF_USER);
		f->w.cfg.nxe = true;
		*e = saved;
		expect_ok(f, VA, MMU_EXEC | MMU_USER, pfn);
	}
	fx_put_frame(f, pfn);
}

static void test_reserved_each_level(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	for (int level = 4; level >= 1; level--) {
		pteval_t *e = fx_entry(f, &f->mm, VA, level);
		pteval_t saved = *e;
		*e |= 1ULL << 46;   /* first bit at MAXPHYADDR=46 */
		expect_fault(f, VA, MMU_READ | MMU_USER, WALK_RESERVED, level, PF_PROT | PF_RSVD | PF_USER);
		expect_fault(f, VA, MMU_WRITE, WALK_RESERVED, level, PF_PROT | PF_RSVD | PF_WRITE);
		expect_fault(f, VA, MMU_EXEC | MMU_USER, WALK_RESERVED, level,
			     PF_PROT | PF_RSVD | PF_USER | PF_INSTR);
		struct walk_result r;
		mmu_walk(&f->w, &f->mm, VA, MMU_READ, &r);
		assert_int_equal(r.refs, 5 - level);
		*e = saved | (1ULL << 51);
		expect_fault(f, VA, MMU_READ, WALK_RESERVED, level, PF_PROT | PF_RSVD);
		*e = saved | (1ULL << 45);   /* below MAXPHYADDR: an address bit, not reserved */
		if (level > 1) {
			/* the walk goes on to a table outside RAM */
			assert_int_equal(mmu_walk(&f->w, &f->mm, VA, MMU_READ, &r), -EFAULT);
			assert_int_equal(r.level, level - 1);
		} else {
			assert_int_equal(mmu_walk(&f->w, &f->mm, VA, MMU_READ, &r), 0);
			assert_int_equal(r.pfn, pfn | (1ULL << 33));
		}
		*e = saved;
	}
	/* PS in a PML4E is reserved */
	pteval_t *e4 = fx_entry(f, &f->mm, VA, 4);
	pteval_t s4 = *e4;
	*e4 |= _PAGE_PSE;
	expect_fault(f, VA, MMU_READ | MMU_USER, WALK_RESERVED, 4, PF_PROT | PF_RSVD | PF_USER);
	*e4 = s4;
	/* MAXPHYADDR=52: nothing above bit 51 is an address bit, so bit 46 is legal */
	struct walker_config wc;
	walker_config_default(&wc);
	wc.maxphyaddr = 52;
	assert_int_equal(walker_init(&f->w, f->m, &wc, NULL), 0);
	pteval_t *e1 = fx_entry(f, &f->mm, VA, 1);
	pteval_t s1 = *e1;
	*e1 |= 1ULL << 46;
	expect_ok(f, VA, MMU_READ | MMU_USER, pfn | (1ULL << 34));
	*e1 = s1;
	wc.maxphyaddr = 35;
	assert_int_equal(walker_init(&f->w, f->m, &wc, NULL), -EINVAL);
	wc.maxphyaddr = 53;
	assert_int_equal(walker_init(&f->w, f->m, &wc, NULL), -EINVAL);
	fx_put_frame(f, pfn);
}

static void clear_ad(struct fx *f, uint64_t va)
{
	for (int l = 4; l >= 1; l--)
		*fx_entry(f, &f->mm, va, l) &= ~(_PAGE_ACCESSED | _PAGE_DIRTY);
}

static void test_accessed_dirty(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	clear_ad(f, VA);
	/* a faulting walk changes nothing */
	pteval_t *e2 = fx_entry(f, &f->mm, VA, 2);
	*e2 &= ~_PAGE_USER;
	expect_fault(f, VA, MMU_READ | MMU_USER, WALK_USER, 2, PF_PROT | PF_USER);
	*e2 |= _PAGE_USER;
	for (int l = 4; l >= 1; l--)
		assert_int_equal(*fx_entry(f, &f->mm, VA, l) & (_PAGE_ACCESSED | _PAGE_DIRTY), 0);
	/* a read sets A everywhere, D nowhere */
	unsigned long adw = f->w.ad_writes;
	struct walk_result r;
	assert_int_equal(mmu_walk(&f->w, &f->mm, VA, MMU_READ | MMU_USER, &r), 0);
	assert_int_equal(f->w.ad_writes - adw, 4);
	for (int l = 4; l >= 1; l--) {
		pteval_t e = *fx_entry(f, &f->mm, VA, l);
		assert_true(e & _PAGE_ACCESSED);
		assert_false(e & _PAGE_DIRTY);
		assert_int_equal(r.entries[l], e);
	}
	assert_false(r.dirty);
	/* a write sets D on the leaf only */
	assert_int_equal(mmu_walk(&f->w, &f->mm, VA, MMU_WRITE | MMU_USER, &r), 0);
	assert_int_equal(f->w.ad_writes - adw, 5);
	assert_true(r.dirty);
	assert_true(*fx_entry(f, &f->mm, VA, 1) & _PAGE_DIRTY);
	for (int l = 4; l >= 2; l--)
		assert_false(*fx_entry(f, &f->mm, VA, l) & _PAGE_DIRTY);
	/* nothing left to set */
	assert_int_equal(mmu_walk(&f->w, &f->mm, VA, MMU_WRITE | MMU_USER, &r), 0);
	assert_int_equal(f->w.ad_writes - adw, 5);
	/* a denied write does not set D */
	clear_ad(f, VA);
	*fx_entry(f, &f->mm, VA, 1) &= ~_PAGE_RW;
	expect_fault(f, VA, MMU_WRITE | MMU_USER, WALK_WRITE, 1, PF_PROT | PF_WRITE | PF_USER);
	assert_false(*fx_entry(f, &f->mm, VA, 1) & (_PAGE_DIRTY | _PAGE_ACCESSED));
	fx_put_frame(f, pfn);
}

static void test_huge_2m(void **state)
{
	struct fx *f = *state;
	uint64_t va = 0x0000000040000000ULL + 3 * PMD_SIZE;
	pmd_t *pmd = pmd_alloc_map(f->m, &f->mm, va);
	assert_non_null(pmd);
	uint64_t base = 4ULL << 20;   /* 2 MiB aligned */
	pmd->pmd = base | USER_RW | _PAGE_PSE | _PAGE_PAT_LARGE;
	struct walk_result r;
	uint64_t off = 0x1abcde;
	assert_int_equal(mmu_walk(&f->w, &f->mm, va + off, MMU_WRITE | MMU_USER, &r), 0);
	assert_int_equal(r.phys, base + off);
	assert_int_equal(r.pfn, (base + off) >> 12);
	assert_int_equal(r.page_pfn, base >> 12);
	assert_int_equal(r.page_shift, 21);
	assert_int_equal(r.level, 2);
	assert_int_equal(r.refs, 3);
	assert_int_equal(r.refs_per_level[1], 0);
	assert_true(pmd->pmd & _PAGE_DIRTY);
	assert_true(pmd->pmd & _PAGE_ACCESSED);
	assert_int_equal(f->w.leaves[1], 1);
	/* a PTE-level lookup does not pass through a huge leaf */
	assert_null(pte_alloc_map(f->m, &f->mm, va));
	assert_null(pte_lookup(f->m, &f->mm, va));
	/* bits 20:13 are reserved in a 2 MiB leaf; bit 12 is PAT */
	for (int bit = 13; bit <= 20; bit++) {
		pmd->pmd |= 1ULL << bit;
		expect_fault(f, va, MMU_READ | MMU_USER, WALK_RESERVED, 2, PF_PROT | PF_RSVD | PF_USER);
		pmd->pmd &= ~(1ULL << bit);
	}
	expect_ok(f, va + 0x1000, MMU_READ | MMU_USER, (base >> 12) + 1);
	/* a non-leaf PDE has no reserved bits 20:13 (they are address bits) */
	pmd->pmd = 0;
}

static void test_huge_1g(void **state)
{
	struct fx *f = *state;
	uint64_t va = 0x0000004000000000ULL + 5 * PUD_SIZE;
	pud_t *pud = pud_alloc_map(f->m, &f->mm, va);
	assert_non_null(pud);
	uint64_t base = 2 * PUD_SIZE;    /* beyond RAM: the walker does not care */
	pud->pud = base | USER_RW | _PAGE_PSE | _PAGE_GLOBAL;
	struct walk_result r;
	uint64_t off = 0x3fedc123;
	assert_int_equal(mmu_walk(&f->w, &f->mm, va + off, MMU_READ | MMU_USER, &r), 0);
	assert_int_equal(r.phys, base + off);
	assert_int_equal(r.page_pfn, base >> 12);
	assert_int_equal(r.page_shift, 30);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.refs, 2);
	assert_true(r.global);
	assert_int_equal(f->w.leaves[2], 1);
	assert_null(pmd_alloc_map(f->m, &f->mm, va));
	for (int bit = 13; bit <= 29; bit++) {
		pud->pud |= 1ULL << bit;
		expect_fault(f, va, MMU_READ | MMU_USER, WALK_RESERVED, 3, PF_PROT | PF_RSVD | PF_USER);
		pud->pud &= ~(1ULL << bit);
	}
	pud->pud |= _PAGE_PAT_LARGE;
	expect_ok(f, va, MMU_READ | MMU_USER, base >> 12);
	/* rights of a huge leaf: write-protect and NX */
	pud->pud &= ~_PAGE_RW;
	expect_fault(f, va, MMU_WRITE | MMU_USER, WALK_WRITE, 3, PF_PROT | PF_WRITE | PF_USER);
	pud->pud |= _PAGE_NX;
	expect_fault(f, va, MMU_EXEC | MMU_USER, WALK_NX, 3, PF_PROT | PF_USER | PF_INSTR);
	pud->pud = 0;
	/* a pmd table below blocks a 1 GiB leaf */
	assert_non_null(pmd_alloc_map(f->m, &f->mm, va));
	assert_null(pud_alloc_map(f->m, &f->mm, va));
}

static void test_smep_smap(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	f->w.cfg.smep = true;
	expect_fault(f, VA, MMU_EXEC, WALK_SMEP, 1, PF_PROT | PF_INSTR);
	expect_ok(f, VA, MMU_READ, pfn);
	expect_ok(f, VA, MMU_EXEC | MMU_USER, pfn);
	f->w.cfg.smap = true;
	expect_fault(f, VA, MMU_READ, WALK_SMAP, 1, PF_PROT);
	expect_fault(f, VA, MMU_WRITE, WALK_SMAP, 1, PF_PROT | PF_WRITE);
	expect_ok(f, VA, MMU_READ | MMU_USER, pfn);
	/* a supervisor page is not subject to SMEP/SMAP */
	*fx_entry(f, &f->mm, VA, 1) &= ~_PAGE_USER;
	expect_ok(f, VA, MMU_READ, pfn);
	expect_ok(f, VA, MMU_EXEC, pfn);
	f->w.cfg.smep = f->w.cfg.smap = false;
	fx_put_frame(f, pfn);
}

static void test_non_canonical(void **state)
{
	struct fx *f = *state;
	static const uint64_t bad[] = { 0x0000800000000000ULL, 0xffff7fffffffffffULL, 0x8000000000000000ULL,
					0x00ff000000000000ULL, 0x7fffffffffffffffULL };
	struct walk_result r;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(va_canonical(bad[i]));
		assert_int_equal(mmu_walk(&f->w, &f->mm, bad[i], MMU_READ | MMU_USER, &r), -EINVAL);
		assert_int_equal(r.refs, 0);
		assert_null(pte_alloc_map(f->m, &f->mm, bad[i]));
		assert_null(pte_lookup(f->m, &f->mm, bad[i]));
	}
	assert_int_equal(f->w.gp_faults, 5);
	assert_int_equal(f->w.refs, 0);
	assert_int_equal(f->w.faults, 0);
	/* the edges of both halves are canonical */
	assert_true(va_canonical(0x00007fffffffffffULL));
	assert_true(va_canonical(0xffff800000000000ULL));
	expect_fault(f, 0x00007fffffffffffULL, MMU_READ | MMU_USER, WALK_NOT_PRESENT, 4, PF_USER);
	assert_int_equal(mmu_walk(&f->w, &f->mm, 0xffff800000000000ULL, MMU_READ, &r), 1);
}

static void test_index_computation(void **state)
{
	(void)state;
	assert_int_equal(pgd_index(PAGE_OFFSET), 273);
	assert_int_equal(pud_index(PAGE_OFFSET), 0);
	assert_int_equal(pgd_index(VMALLOC_START), 402);
	assert_int_equal(pgd_index(0x00007fffffffffffULL), 255);
	assert_int_equal(pud_index(0x00007fffffffffffULL), 511);
	assert_int_equal(pmd_index(0x00007fffffffffffULL), 511);
	assert_int_equal(pte_index(0x00007fffffffffffULL), 511);
	assert_int_equal(pgd_index(0xffff800000000000ULL), 256);
	assert_int_equal(pgd_index(0xffffffffffffffffULL), 511);
	uint64_t va = 0x0000000000401000ULL;
	assert_int_equal(pgd_index(va), 0);
	assert_int_equal(pud_index(va), 0);
	assert_int_equal(pmd_index(va), 2);
	assert_int_equal(pte_index(va), 1);
	/* VA = indices reassembled */
	va = (5ULL << 39) | (7ULL << 30) | (9ULL << 21) | (11ULL << 12) | 0x123;
	assert_int_equal(pgd_index(va), 5);
	assert_int_equal(pud_index(va), 7);
	assert_int_equal(pmd_index(va), 9);
	assert_int_equal(pte_index(va), 11);
}

static void test_kernel_half_through_user_mm(void **state)
{
	struct fx *f = *state;
	struct walk_result r;
	uint64_t pfn = 1234;
	assert_int_equal(mmu_walk(&f->w, &f->mm, PAGE_OFFSET + (pfn << 12) + 8, MMU_READ, &r), 0);
	assert_int_equal(r.pfn, pfn);
	assert_true(r.global);
	assert_true(r.nx);
	assert_true(r.writable);
	assert_false(r.user);
	/* kernel tables have U/S=0 at the top: user access stops at PML4 */
	expect_fault(f, PAGE_OFFSET, MMU_READ | MMU_USER, WALK_USER, 4, PF_PROT | PF_USER);
	expect_fault(f, PAGE_OFFSET, MMU_EXEC, WALK_NX, r.level, PF_PROT | PF_INSTR);
	/* beyond the end of RAM nothing is mapped */
	assert_int_equal(mmu_walk(&f->w, &f->mm, f->k.direct_map_end, MMU_READ, &r), 1);
	assert_int_equal(r.kind, WALK_NOT_PRESENT);
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	struct walk_result r;
	struct mm_struct empty = { 0 };
	assert_int_equal(mmu_walk(&f->w, &empty, VA, MMU_READ, &r), -ENOENT);
	assert_int_equal(mmu_walk_cr3(&f->w, f->m->max_pfn + 5, 0, VA, MMU_READ, &r), -EFAULT);
	assert_int_equal(r.level, 4);
	char buf[64];
	assert_string_equal(pf_error_str(PF_PROT | PF_WRITE | PF_USER, buf, sizeof buf), "P|W|U");
	assert_string_equal(pf_error_str(PF_PROT | PF_RSVD | PF_INSTR, buf, sizeof buf), "P|RSVD|I");
	assert_string_equal(pf_error_str(0, buf, sizeof buf), "0");
	assert_string_equal(walk_fault_name(WALK_NX), "nx");
}

static void test_walk_format(void **state)
{
	struct fx *f = *state;
	uint64_t pfn = map_va(f);
	struct walk_result r;
	char buf[1024];
	mmu_walk(&f->w, &f->mm, VA, MMU_WRITE | MMU_USER, &r);
	walk_format(&r, VA, buf, sizeof buf);
	assert_non_null(strstr(buf, "PML4"));
	assert_non_null(strstr(buf, "PT   ["));
	assert_non_null(strstr(buf, "4K page"));
	*fx_entry(f, &f->mm, VA, 2) &= ~_PAGE_RW;
	mmu_walk(&f->w, &f->mm, VA, MMU_WRITE | MMU_USER, &r);
	walk_format(&r, VA, buf, sizeof buf);
	assert_non_null(strstr(buf, "#PF write at PD, error code 0x7 (P|W|U)"));
	*fx_entry(f, &f->mm, VA, 2) |= _PAGE_RW;
	fx_put_frame(f, pfn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_translate_4k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_present_each_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_protect_each_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_supervisor_each_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nx_each_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_each_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accessed_dirty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_1g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smep_smap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_canonical, setup, teardown),
		cmocka_unit_test(test_index_computation),
		cmocka_unit_test_setup_teardown(test_kernel_half_through_user_mm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_format, setup, teardown),
	};
	return cmocka_run_group_tests_name("mmu_walk", tests, NULL, NULL);
}
