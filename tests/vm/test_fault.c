/* tests/vm/test_fault.c - page faults: demand zero, zero page, COW after
 * fork, page cache with fault-around, stack growth, bad accesses, and no
 * leaked pages after exit. */
#include <errno.h>

#include "mm/rmap.h"
#include "vm_fixture.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static uint64_t map(struct vfx *f, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long prot,
		    unsigned long flags)
{
	uint64_t out = 0;
	int r = do_mmap(f->m, mm, addr, len, prot, flags, NULL, 0, &out);
	if (r)
		fail_msg("mmap = %d", r);
	return out;
}

static void test_demand_zero(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	const int N = 100;
	uint64_t a = map(f, mm, 0, N * P, RW, ANON);
	unsigned long pgf = f->m->vm_events[PGFAULT];
	uint8_t b;

	for (int i = 0; i < N; i++)
		assert_int_equal(cpu_write(f, mm, a + i * P + 3, (uint8_t)i), 0);
	assert_int_equal(f->m->vm_events[PGFAULT] - pgf, N);
	assert_int_equal(mm->faults.anon, N);
	assert_int_equal(mm->min_flt, N);
	assert_int_equal(mm->maj_flt, 0);
	assert_int_equal(mm->rss_anon, N);
	assert_int_equal(global_node_page_state(f->m, NR_ANON_MAPPED), N);
	/* touching again: no fault */
	for (int i = 0; i < N; i++) {
		assert_int_equal(cpu_read(f, mm, a + i * P + 3, &b), 0);
		assert_int_equal(b, (uint8_t)i);
	}
	assert_int_equal(f->m->vm_events[PGFAULT] - pgf, N);
	vfx_check(f);
	mmput(f->m, mm);
	assert_int_equal(global_node_page_state(f->m, NR_ANON_MAPPED), 0);
	vfx_assert_no_leak(f);
	vfx_check(f);
	vfx_free(f);
}

static void test_zero_page_then_write(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t a = map(f, mm, 0, 4 * P, RW, ANON);
	unsigned long pgf = f->m->vm_events[PGFAULT];
	uint8_t b = 9;

	assert_int_equal(cpu_read(f, mm, a, &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(follow_pfn(f->m, mm, a), (int64_t)page_to_pfn(f->m, f->m->zero_page));
	assert_int_equal(mm->faults.zero, 1);
	assert_int_equal(mm->rss_anon, 0);
	/* a second read of another page maps the same zero page */
	assert_int_equal(cpu_read(f, mm, a + P, &b), 0);
	assert_int_equal(follow_pfn(f->m, mm, a + P), follow_pfn(f->m, mm, a));
	assert_int_equal(cpu_write(f, mm, a, 5), 0);
	/* page a: read then write = 2 faults, as Linux (zero page, then wp) */
	assert_int_equal(f->m->vm_events[PGFAULT] - pgf, 3);
	assert_int_equal(mm->faults.cow, 1);
	assert_true(follow_pfn(f->m, mm, a) != (int64_t)page_to_pfn(f->m, f->m->zero_page));
	assert_int_equal(cpu_read(f, mm, a, &b), 0);
	assert_int_equal(b, 5);
	assert_int_equal(cpu_read(f, mm, a + 1, &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(mm->rss_anon, 1);
	/* the zero page is never written */
	assert_int_equal(((uint8_t *)page_address(f->m, f->m->zero_page))[0], 0);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* The target: fork, the child writes every page of an inherited,
 * touched 16 MiB region: 4096 COW faults, the parent's data unchanged. */
static void test_fork_cow_16m(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(128 << 20);
	struct mm_struct *parent = vfx_mm(f);
	const uint64_t len = 16 << 20, n = len / P;
	uint64_t a = map(f, parent, 0, len, RW, ANON);
	uint8_t b;

	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(cpu_write(f, parent, a + i * P, (uint8_t)(i * 7)), 0);
	assert_int_equal(parent->faults.anon, n);

	struct mm_struct *child = dup_mm(f->m, &f->k, parent);
	assert_non_null(child);
	assert_int_equal(child->rss_anon, n);
	assert_int_equal(child->map_count, 1);
	/* both are write-protected; frames shared */
	pte_t *pp = pte_lookup(f->m, parent, a), *cp = pte_lookup(f->m, child, a);
	assert_false(pte_write(*pp));
	assert_false(pte_write(*cp));
	assert_int_equal(pte_pfn(*pp), pte_pfn(*cp));
	struct page *pg = pfn_to_page(f->m, pte_pfn(*pp));
	assert_int_equal(page_mapcount(pg), 2);
	assert_int_equal(page_count(pg), 2);
	vfx_check(f);

	unsigned long pgf = f->m->vm_events[PGFAULT], reuse = f->m->vm_events[PGREUSE];
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(cpu_write(f, child, a + i * P, 0xee), 0);
	assert_int_equal(child->faults.cow, 4096);
	assert_int_equal(f->m->vm_events[PGFAULT] - pgf, 4096);
	assert_int_equal(f->m->vm_events[PGREUSE], reuse);
	assert_int_equal(trace_count(f->t, TEV_COW), 4096);
	assert_int_equal(page_mapcount(pg), 1);
	assert_int_equal(page_count(pg), 1);
	for (uint64_t i = 0; i < n; i++) {
		assert_int_equal(cpu_read(f, parent, a + i * P, &b), 0);
		assert_int_equal(b, (uint8_t)(i * 7));
		assert_int_equal(cpu_read(f, child, a + i * P, &b), 0);
		assert_int_equal(b, 0xee);
	}
	/* the parent's pages are exclusive again: writes reuse them */
	for (uint64_t i = 0; i < 16; i++)
		assert_int_equal(cpu_write(f, parent, a + i * P, 1), 0);
	assert_int_equal(f->m->vm_events[PGREUSE] - reuse, 16);
	assert_int_equal(parent->faults.cow, 16);
	assert_int_equal(trace_count(f->t, TEV_COW), 4096);
	vfx_check(f);
	mmput(f->m, child);
	mmput(f->m, parent);
	vfx_assert_no_leak(f);
	vfx_check(f);
	vfx_free(f);
}

static void test_wp_reuse_after_child_exit(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *parent = vfx_mm(f);
	uint64_t a = map(f, parent, 0, 8 * P, RW, ANON);
	uint8_t b;

	for (int i = 0; i < 8; i++)
		cpu_write(f, parent, a + i * P, 3);
	struct mm_struct *child = dup_mm(f->m, &f->k, parent);
	assert_non_null(child);
	int64_t pfn = follow_pfn(f->m, parent, a);
	mmput(f->m, child);
	/* only mapping left: the write reuses the frame */
	unsigned long reuse = f->m->vm_events[PGREUSE];
	assert_int_equal(cpu_write(f, parent, a, 4), 0);
	assert_int_equal(f->m->vm_events[PGREUSE] - reuse, 1);
	assert_int_equal(follow_pfn(f->m, parent, a), pfn);
	/* a shared page is copied, and the reader keeps its data */
	child = dup_mm(f->m, &f->k, parent);
	assert_int_equal(cpu_write(f, parent, a + P, 9), 0);
	assert_true(follow_pfn(f->m, parent, a + P) != follow_pfn(f->m, child, a + P));
	assert_int_equal(cpu_read(f, child, a + P, &b), 0);
	assert_int_equal(b, 3);
	/* the child's page is now exclusive: its write reuses */
	reuse = f->m->vm_events[PGREUSE];
	assert_int_equal(cpu_write(f, child, a + P, 8), 0);
	assert_int_equal(f->m->vm_events[PGREUSE] - reuse, 1);
	mmput(f->m, child);
	mmput(f->m, parent);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* Linux's mmap_miss heuristic: a file whose faults keep missing the cache
 * (random access far apart) stops getting read-around after MMAP_LOTSAMISS
 * misses; then each miss reads only the faulting page. */
static void test_readaround_gives_up_on_random_misses(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	const uint64_t STRIDE = VM_READAHEAD_PAGES + 8, N = MMAP_LOTSAMISS + 20, NP = STRIDE * N + 16;
	uint8_t *img = calloc(NP, P);
	uint64_t a;
	uint8_t b;

	assert_non_null(img);
	struct file_backing *fb = file_backing_create("/data/big", img, NP * P, true);
	free(img);
	assert_int_equal(vm_mmap(f->m, mm, 0, NP * P, PROT_READ, MAP_PRIVATE, fb, 0, &a), 0);
	for (uint64_t i = 1; i <= N; i++) {
		unsigned long before = fb->mapping.nrpages;
		assert_int_equal(cpu_read(f, mm, a + i * STRIDE * P, &b), 0);
		/* windows never overlap: every access is a miss */
		assert_int_equal(mm->maj_flt, i);
		if (i <= MMAP_LOTSAMISS)
			assert_int_equal(fb->mapping.nrpages - before, VM_READAHEAD_PAGES);
		else
			assert_int_equal(fb->mapping.nrpages - before, 1);
	}
	assert_int_equal(fb->mapping.mmap_miss, N);
	/* hits lower the miss count again */
	assert_int_equal(do_munmap(f->m, mm, a, NP * P), 0);
	assert_int_equal(vm_mmap(f->m, mm, 0, NP * P, PROT_READ, MAP_PRIVATE, fb, 0, &a), 0);
	assert_int_equal(cpu_read(f, mm, a + STRIDE * P, &b), 0);
	assert_int_equal(mm->maj_flt, N);
	assert_true(fb->mapping.mmap_miss < N);
	assert_int_equal(do_munmap(f->m, mm, a, NP * P), 0);
	file_backing_put(f->m, fb);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_file_faults_and_fault_around(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	const int NP = 40;
	uint8_t *img = malloc(NP * P - 100);
	uint64_t a, a2;
	uint8_t b;

	for (size_t i = 0; i < NP * P - 100; i++)
		img[i] = (uint8_t)(i / P + 1);
	struct file_backing *fb = file_backing_create("/bin/big", img, NP * P - 100, true);
	free(img);
	/* a mapping one page longer than the file: the last page faults SIGBUS */
	assert_int_equal(vm_mmap(f->m, mm, 0, (NP + 1) * P, PROT_READ, MAP_PRIVATE, fb, 0, &a), 0);

	unsigned long maj = f->m->vm_events[PGMAJFAULT];
	assert_int_equal(cpu_read(f, mm, a + 5 * P, &b), 0);
	assert_int_equal(b, 6);
	assert_int_equal(f->m->vm_events[PGMAJFAULT] - maj, 1);
	assert_int_equal(mm->maj_flt, 1);
	/* read-around: the miss read the 32-page window from page 0 (5 - 16 < 0) */
	assert_int_equal(fb->mapping.nrpages, VM_READAHEAD_PAGES);
	assert_int_equal(fb->mapping.nr_readahead, VM_READAHEAD_PAGES - 1);
	assert_int_equal(global_node_page_state(f->m, NR_FILE_PAGES), VM_READAHEAD_PAGES);
	/* the neighbour came in by read-around: a minor fault, and fault-around
	 * maps the rest of the cached 64 KiB window: it starts at the aligned
	 * boundary or the VMA start, whichever is higher, and is 16 pages long
	 * unless the page table ends first (all of it is cached: pages 0..31) */
	assert_int_equal(cpu_read(f, mm, a + 6 * P, &b), 0);
	assert_int_equal(b, 7);
	assert_int_equal(mm->maj_flt, 1);
	{
		uint64_t ws = (a + 6 * P) & ~(uint64_t)(FAULT_AROUND_BYTES - 1);
		uint64_t lo = ws < a ? a : ws;
		uint64_t hi = lo + FAULT_AROUND_BYTES, pt_end = (lo | (PMD_SIZE - 1)) + 1;
		if (hi > pt_end)
			hi = pt_end;
		assert_int_equal(mm->rss_file, (hi - lo) / P);
	}
	/* the tail past EOF reads as zeros */
	assert_int_equal(cpu_read(f, mm, a + NP * P - 50, &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(cpu_read(f, mm, a + NP * P - 101, &b), 0);
	assert_int_equal(b, NP);
	/* beyond EOF: SIGBUS */
	assert_int_equal(cpu_read(f, mm, a + NP * P + 8, &b), MMSIM_SIGBUS);
	/* page 39 missed: a second major fault whose window (23..39) read 32..39 */
	assert_int_equal(mm->maj_flt, 2);
	assert_int_equal(fb->mapping.nrpages, NP);

	/* pages 0..15 are all cached now: faults on them are minor; then unmap */
	for (int i = 0; i < 16; i++) {
		assert_int_equal(cpu_read(f, mm, a + i * P, &b), 0);
		assert_int_equal(b, i + 1);
	}
	assert_int_equal(mm->maj_flt, 2);
	assert_int_equal(do_munmap(f->m, mm, a, (NP + 1) * P), 0);
	assert_int_equal(mm->rss_file, 0);
	assert_int_equal(fb->mapping.nrpages, NP); /* the cache stays */

	/* a new mapping at a 64 KiB-aligned address: one minor fault maps the
	 * whole cached window (the window is aligned in virtual addresses) */
	assert_int_equal(vm_mmap(f->m, mm, 0x30000000, NP * P, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fb, 0,
				 &a2), 0);
	unsigned long pgf = f->m->vm_events[PGFAULT];
	struct fault_info fi;
	assert_int_equal(do_user_addr_fault(f->m, mm, a2 + 3 * P, X86_PF_USER, 0, &fi), 0);
	assert_int_equal(fi.kind, FK_FILE);
	assert_false(fi.major);
	assert_int_equal(fi.nr_around, 15);
	assert_int_equal(mm->rss_file, 16);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(cpu_read(f, mm, a2 + i * P, &b), 0);
		assert_int_equal(b, i + 1);
	}
	assert_int_equal(f->m->vm_events[PGFAULT] - pgf, 1);
	/* an unaligned mapping: the window starts at the VMA start and is still
	 * 16 pages long (Linux's do_fault_around: from_pte = max(aligned,
	 * VMA start), to_pte = from_pte + fault_around_pages) */
	uint64_t a3;
	assert_int_equal(vm_mmap(f->m, mm, 0x40007000, 16 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fb, 0, &a3), 0);
	assert_int_equal(do_user_addr_fault(f->m, mm, a3 + 3 * P, X86_PF_USER, 0, &fi), 0);
	assert_int_equal(fi.nr_around, 15); /* 0x40007000..0x40017000: file pages 0..15 */
	assert_int_equal(do_munmap(f->m, mm, a3, 16 * P), 0);
	/* PTEs of a private file mapping are read-only and executable */
	pte_t *pt = pte_lookup(f->m, mm, a2);
	assert_false(pte_write(*pt));
	assert_false(pt->pte & _PAGE_NX);
	assert_int_equal(page_mapcount(pfn_to_page(f->m, pte_pfn(*pt))), 1);
	assert_int_equal(global_node_page_state(f->m, NR_FILE_MAPPED), 16);

	/* write to a private file page: COW from the page cache; the file
	 * (cache) keeps its bytes */
	assert_int_equal(do_mprotect(f->m, mm, a2, NP * P, RW), 0);
	assert_int_equal(cpu_write(f, mm, a2 + 2 * P, 0x77), 0);
	assert_int_equal(mm->faults.cow, 1);
	assert_int_equal(mm->rss_file, 15);
	assert_int_equal(mm->rss_anon, 1);
	assert_int_equal(((uint8_t *)page_address(f->m, find_page(fb, 2)))[0], 3);
	/* write to a none PTE of a private file mapping: do_cow_fault */
	assert_int_equal(cpu_write(f, mm, a2 + 20 * P + 1, 0x55), 0);
	assert_int_equal(cpu_read(f, mm, a2 + 20 * P, &b), 0);
	assert_int_equal(b, 21);
	assert_int_equal(mm->faults.cow, 2);
	vfx_check(f);
	mmput(f->m, mm);
	assert_int_equal(global_node_page_state(f->m, NR_FILE_MAPPED), 0);
	assert_true(global_node_page_state(f->m, NR_FILE_PAGES) > 0);
	file_backing_put(f->m, fb);
	assert_int_equal(global_node_page_state(f->m, NR_FILE_PAGES), 0);
	vfx_assert_no_leak(f);
	vfx_check(f);
	vfx_free(f);
}

static void test_shared_anon_across_fork(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *parent = vfx_mm(f);
	uint64_t a = map(f, parent, 0, 4 * P, RW, MAP_SHARED | MAP_ANONYMOUS);
	uint8_t b;

	assert_int_equal(cpu_write(f, parent, a, 1), 0);
	struct mm_struct *child = dup_mm(f->m, &f->k, parent);
	assert_int_equal(cpu_write(f, child, a, 2), 0);
	assert_int_equal(cpu_write(f, child, a + 3 * P, 4), 0);
	assert_int_equal(cpu_read(f, parent, a, &b), 0);
	assert_int_equal(b, 2);
	assert_int_equal(cpu_read(f, parent, a + 3 * P, &b), 0);
	assert_int_equal(b, 4);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 2);
	assert_int_equal(parent->rss_shmem, 2);
	mmput(f->m, child);
	mmput(f->m, parent);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 0);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_stack_growth(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t top = STACK_TOP, start = top - 128 * 1024;
	struct fault_info fi;

	assert_int_equal(mm_setup_stack(f->m, mm, top, 128 * 1024), 0);
	struct vm_area_struct *st = find_vma(mm, top - 1);
	assert_int_equal(st->vm_start, start);
	assert_string_equal(st->name, "[stack]");
	/* a push just below grows the stack */
	assert_int_equal(cpu_write(f, mm, start - 8, 1), 0);
	assert_int_equal(st->vm_start, start - P);
	/* deep, within RLIMIT_STACK (8 MiB) */
	assert_int_equal(cpu_write(f, mm, top - (7ULL << 20), 1), 0);
	assert_int_equal(st->vm_start, top - (7ULL << 20));
	/* beyond RLIMIT_STACK: SIGSEGV, SEGV_MAPERR */
	assert_int_equal(do_user_addr_fault(f->m, mm, top - (9ULL << 20), X86_PF_USER | X86_PF_WRITE, 0, &fi),
			 MMSIM_SIGSEGV);
	assert_int_equal(fi.si_code, SEGV_MAPERR_CODE);
	assert_int_equal(mm->faults.invalid, 1);
	/* the guard gap: a mapping 256 pages + 1 below stops growth earlier */
	uint64_t low = st->vm_start - STACK_GUARD_GAP - 4 * P;
	map(f, mm, low, P, RW, ANON | MAP_FIXED);
	assert_int_equal(cpu_write(f, mm, low + P + STACK_GUARD_GAP + 8, 1), 0); /* exactly the gap: ok */
	assert_int_equal(do_user_addr_fault(f->m, mm, low + P + STACK_GUARD_GAP - 8, X86_PF_USER, 0, &fi),
			 MMSIM_SIGSEGV);
	/* mmap's free-area search keeps the gap too: a hint inside it is refused */
	uint64_t got = map(f, mm, st->vm_start - P, P, RW, ANON);
	assert_true(got != st->vm_start - P);
	vfx_check_mm(mm);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_bad_accesses(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t ro = map(f, mm, 0x20000000, P, PROT_READ, ANON | MAP_FIXED);
	uint64_t none = map(f, mm, 0x20100000, P, PROT_NONE, ANON | MAP_FIXED);
	uint64_t rw = map(f, mm, 0x20200000, P, RW, ANON | MAP_FIXED);
	struct fault_info fi;
	unsigned long pgf = f->m->vm_events[PGFAULT];
	uint8_t b;

	assert_int_equal(do_user_addr_fault(f->m, mm, 0x10000, X86_PF_USER, 7, &fi), MMSIM_SIGSEGV);
	assert_int_equal(fi.si_code, SEGV_MAPERR_CODE);
	assert_int_equal(cpu_write(f, mm, ro, 1), MMSIM_SIGSEGV);
	assert_int_equal(do_user_addr_fault(f->m, mm, ro, X86_PF_USER | X86_PF_WRITE, 7, &fi), MMSIM_SIGSEGV);
	assert_int_equal(fi.si_code, SEGV_ACCERR_CODE);
	assert_int_equal(do_user_addr_fault(f->m, mm, none, X86_PF_USER, 7, &fi), MMSIM_SIGSEGV);
	assert_int_equal(fi.si_code, SEGV_ACCERR_CODE);
	assert_int_equal(do_user_addr_fault(f->m, mm, TASK_SIZE + 5, X86_PF_USER, 7, &fi), MMSIM_SIGSEGV);
	assert_int_equal(f->m->vm_events[PGFAULT], pgf); /* bad-area faults are not pgfaults */
	assert_int_equal(mm->faults.invalid, 5);
	/* a populated page made PROT_NONE keeps its frame but faults */
	assert_int_equal(cpu_write(f, mm, rw, 42), 0);
	assert_int_equal(do_mprotect(f->m, mm, rw, P, PROT_NONE), 0);
	pte_t *p = pte_lookup(f->m, mm, rw);
	assert_false(pte_present(*p));
	assert_true(pte_protnone(*p));
	assert_int_equal(cpu_read(f, mm, rw, &b), MMSIM_SIGSEGV);
	assert_int_equal(mm->rss_anon, 1);
	assert_int_equal(do_mprotect(f->m, mm, rw, P, PROT_READ), 0);
	assert_int_equal(cpu_read(f, mm, rw, &b), 0);
	assert_int_equal(b, 42);
	/* NX: an instruction fetch from a non-exec page present in the TLB */
	assert_int_equal(do_user_addr_fault(f->m, mm, rw, X86_PF_USER | X86_PF_PROT | X86_PF_INSTR, 7, &fi),
			 MMSIM_SIGSEGV);
	assert_int_equal(fi.si_code, SEGV_ACCERR_CODE);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* Notifier bookkeeping: a shadow of the PTEs built only from callbacks
 * must equal the real page tables. */
struct shadow {
	uint64_t va[64];
	uint64_t val[64];
	int n;
	int cleared;
};

static void sh_changed(void *ctx, struct mm_struct *mm, uint64_t va, uint64_t pteval)
{
	struct shadow *s = ctx;
	(void)mm;
	for (int i = 0; i < s->n; i++)
		if (s->va[i] == va) {
			s->val[i] = pteval;
			return;
		}
	assert_true(s->n < 64);
	s->va[s->n] = va;
	s->val[s->n++] = pteval;
}

static void sh_cleared(void *ctx, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct shadow *s = ctx;
	(void)mm;
	s->cleared++;
	for (int i = 0; i < s->n; i++)
		if (s->va[i] >= start && s->va[i] < end)
			s->val[i] = 0;
}

static const struct mm_notifier_ops sh_ops = { sh_changed, sh_cleared };

static void shadow_matches(struct vfx *f, struct mm_struct *mm, struct shadow *s)
{
	for (int i = 0; i < s->n; i++) {
		pte_t *p = pte_lookup(f->m, mm, s->va[i]);
		uint64_t real = p ? p->pte : 0;
		if (real != s->val[i])
			fail_msg("va %#llx: pte %#llx, notifier said %#llx", (unsigned long long)s->va[i],
				 (unsigned long long)real, (unsigned long long)s->val[i]);
	}
}

static void test_notifier(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	struct shadow s = { 0 }, cs = { 0 };
	uint64_t a = map(f, mm, 0x20000000, 8 * P, RW, ANON | MAP_FIXED), out;
	uint8_t b;

	mm->notifier = &sh_ops;
	mm->notifier_ctx = &s;
	cpu_read(f, mm, a, &b);
	cpu_write(f, mm, a, 1);
	cpu_write(f, mm, a + P, 1);
	cpu_write(f, mm, a + 2 * P, 1);
	assert_int_equal(s.n, 3);
	shadow_matches(f, mm, &s);
	struct mm_struct *child = dup_mm(f->m, &f->k, mm);
	shadow_matches(f, mm, &s); /* write-protected in the parent */
	child->notifier = &sh_ops;
	child->notifier_ctx = &cs;
	cpu_write(f, child, a + P, 2);
	shadow_matches(f, child, &cs);
	assert_int_equal(do_mprotect(f->m, mm, a, P, PROT_READ), 0);
	shadow_matches(f, mm, &s);
	assert_int_equal(do_madvise(f->m, mm, a + P, P, MADV_DONTNEED), 0);
	shadow_matches(f, mm, &s);
	assert_int_equal(do_mremap(f->m, mm, a + 2 * P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, 0x30000000, &out), 0);
	shadow_matches(f, mm, &s);
	int cleared = s.cleared;
	assert_int_equal(do_munmap(f->m, mm, 0x30000000, P), 0);
	assert_int_equal(s.cleared, cleared + 1);
	shadow_matches(f, mm, &s);
	mmput(f->m, child);
	mmput(f->m, mm);
	vfx_free(f);
}

static void test_populate_and_exit_no_leak(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t a = map(f, mm, 0, 64 * P, RW, ANON | MAP_POPULATE);

	assert_int_equal(mm->rss_anon, 64);
	assert_int_equal(mm->faults.anon, 64);
	/* many small mappings, a fork, partial unmaps: then exit */
	for (int i = 0; i < 50; i++)
		map(f, mm, 0, (uint64_t)(i % 5 + 1) * P, (i & 1) ? PROT_READ : RW, ANON | MAP_POPULATE);
	struct mm_struct *child = dup_mm(f->m, &f->k, mm);
	unsigned long reuse = f->m->vm_events[PGREUSE];
	assert_int_equal(do_munmap(f->m, mm, a + 3 * P, 5 * P), 0);
	/* the parent unmapped it: the child's page is exclusive, reused */
	assert_int_equal(cpu_write(f, child, a + 4 * P, 1), 0);
	assert_int_equal(child->faults.cow, 1);
	assert_int_equal(f->m->vm_events[PGREUSE] - reuse, 1);
	assert_int_equal(trace_count(f->t, TEV_COW), 0);
	vfx_check(f);
	vfx_check_mm(mm);
	vfx_check_mm(child);
	mmput(f->m, mm);
	mmput(f->m, child);
	vfx_assert_no_leak(f);
	vfx_check(f);
	vfx_free(f);
}

static void test_munmap_frees_pagetables(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	unsigned long ptes0 = mm->nr_ptes;
	uint64_t a = map(f, mm, 0x40000000, 4 << 20, RW, ANON | MAP_FIXED);

	for (uint64_t off = 0; off < (4 << 20); off += 1 << 20)
		cpu_write(f, mm, a + off, 1);
	assert_int_equal(mm->nr_ptes, ptes0 + 2 /* pud, pmd */ + 2 /* two PTs */);
	assert_int_equal(do_munmap(f->m, mm, a, 4 << 20), 0);
	assert_int_equal(mm->nr_ptes, ptes0);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demand_zero),
		cmocka_unit_test(test_zero_page_then_write),
		cmocka_unit_test(test_fork_cow_16m),
		cmocka_unit_test(test_wp_reuse_after_child_exit),
		cmocka_unit_test(test_file_faults_and_fault_around),
		cmocka_unit_test(test_readaround_gives_up_on_random_misses),
		cmocka_unit_test(test_shared_anon_across_fork),
		cmocka_unit_test(test_stack_growth),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_notifier),
		cmocka_unit_test(test_populate_and_exit_no_leak),
		cmocka_unit_test(test_munmap_frees_pagetables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
