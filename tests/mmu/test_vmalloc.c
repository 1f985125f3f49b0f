/* tests/mmu/test_vmalloc.c - vmalloc/vzalloc/vfree, guard pages, first fit,
 * accounting, kvmalloc's choice, /proc/vmallocinfo. */
#include <errno.h>

#include "mm/proc.h"
#include "mm/slab.h"
#include "mmu/vmalloc.h"
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

static long vmalloc_used(struct fx *f) { return global_node_page_state(f->m, NR_VMALLOC); }

/* Walk ADDR through init_mm as the kernel; returns the frame or -1. */
static long kwalk(struct fx *f, uint64_t addr, unsigned access)
{
	struct walk_result r;
	int rc = mmu_walk(&f->w, &f->k.init_mm, addr, access, &r);
	return rc ? -1 : (long)r.pfn;
}

static void test_vmalloc_maps_noncontiguous(void **state)
{
	struct fx *f = *state;
	/* free every other page of a block so order-0 frames are scattered */
	struct page *pg[16];
	for (int i = 0; i < 16; i++)
		pg[i] = alloc_page(f->m, GFP_KERNEL);
	for (int i = 0; i < 16; i += 2)
		__free_page(f->m, pg[i]);
	long used0 = vmalloc_used(f);
	uint64_t a = vmalloc(&f->k, 3 * PAGE_SIZE + 1);
	assert_int_equal(a, VMALLOC_START);
	assert_int_equal(vmalloc_used(f) - used0, 4);
	assert_int_equal(f->k.nr_vmap_areas, 1);
	assert_int_equal(f->k.vmalloc_pages, 4);
	struct vm_struct *vm = find_vm_area(&f->k, a + 3 * PAGE_SIZE + 5);
	assert_non_null(vm);
	assert_int_equal(vm->nr_pages, 4);
	assert_int_equal(vm->size, 5 * PAGE_SIZE);   /* guard included, as Linux */
	bool gap = false;
	for (unsigned long i = 0; i < 4; i++) {
		struct page *p = vmalloc_to_page(&f->k, a + i * PAGE_SIZE + 100);
		assert_ptr_equal(p, vm->pages[i]);
		assert_int_equal(kwalk(f, a + i * PAGE_SIZE, MMU_WRITE), (long)page_to_pfn(f->m, p));
		if (i && page_to_pfn(f->m, p) != page_to_pfn(f->m, vm->pages[i - 1]) + 1)
			gap = true;
		/* bytes written through the vmalloc address appear in the frame */
		uint8_t *h = vmalloc_host(&f->k, a + i * PAGE_SIZE + 7);
		*h = (uint8_t)(0xa0 + i);
		assert_int_equal(((uint8_t *)page_address(f->m, p))[7], 0xa0 + i);
	}
	assert_true(gap);
	/* the guard page and beyond are not mapped */
	assert_int_equal(kwalk(f, a + 4 * PAGE_SIZE, MMU_READ), -1);
	assert_null(vmalloc_to_page(&f->k, a + 4 * PAGE_SIZE));
	assert_null(find_vm_area(&f->k, a + 4 * PAGE_SIZE));
	/* PAGE_KERNEL: global, NX, supervisor */
	struct walk_result r;
	assert_int_equal(mmu_walk(&f->w, &f->k.init_mm, a, MMU_READ, &r), 0);
	assert_true(r.global && r.nx && !r.user);
	assert_int_equal(mmu_walk(&f->w, &f->k.init_mm, a, MMU_READ | MMU_USER, &r), 1);
	/* a user mm created earlier sees the mapping (preallocated kernel half) */
	assert_int_equal(mmu_walk(&f->w, &f->mm, a + PAGE_SIZE, MMU_READ, &r), 0);
	assert_int_equal(r.pfn, page_to_pfn(f->m, vm->pages[1]));
	assert_int_equal(trace_count(f->t, TEV_VMALLOC), 1);
	fx_check(f);
	assert_int_equal(vfree(&f->k, a), 0);
	assert_int_equal(vmalloc_used(f), used0);
	assert_int_equal(trace_count(f->t, TEV_VFREE), 1);
	for (int i = 1; i < 16; i += 2)
		__free_page(f->m, pg[i]);
	fx_check(f);
}

static void test_vfree_restores_meminfo(void **state)
{
	struct fx *f = *state;
	/* warm up: the first areas allocate the PT of the vmalloc area and
	 * the slabs of their vm_struct and pages[] (SLUB keeps empty slabs) */
	vfree(&f->k, vmalloc(&f->k, 40 * PAGE_SIZE));
	vfree(&f->k, vmalloc(&f->k, 2 * PAGE_SIZE));
	unsigned long free0 = nr_free_pages(f->m);
	long pt0 = global_node_page_state(f->m, NR_PAGETABLE);
	long slab0 = global_node_page_state(f->m, NR_SLAB_UNRECLAIMABLE_B);
	long used0 = vmalloc_used(f);
	uint64_t a = vmalloc(&f->k, 40 * PAGE_SIZE);
	uint64_t b = vzalloc(&f->k, 5000);
	assert_true(a && b);
	assert_int_equal(b, a + 41 * PAGE_SIZE);   /* after a's guard page */
	assert_int_equal(vmalloc_used(f) - used0, 42);
	assert_true(free0 - nr_free_pages(f->m) >= 42);
	fx_check(f);
	vfree(&f->k, a);
	vfree(&f->k, b);
	assert_int_equal(vmalloc_used(f), used0);
	assert_int_equal(nr_free_pages(f->m), free0);
	assert_int_equal(global_node_page_state(f->m, NR_PAGETABLE), pt0);
	assert_int_equal(global_node_page_state(f->m, NR_SLAB_UNRECLAIMABLE_B), slab0);
	assert_int_equal(f->k.nr_vmap_areas, 0);
	assert_int_equal(f->k.vmalloc_pages, 0);
	/* the unmapped range faults after vfree */
	assert_int_equal(kwalk(f, a, MMU_READ), -1);
	fx_check(f);
}

static void test_first_fit_and_errors(void **state)
{
	struct fx *f = *state;
	uint64_t a = vmalloc(&f->k, PAGE_SIZE);
	uint64_t b = vmalloc(&f->k, PAGE_SIZE);
	uint64_t c = vmalloc(&f->k, 3 * PAGE_SIZE);
	assert_int_equal(b, a + 2 * PAGE_SIZE);
	assert_int_equal(c, b + 2 * PAGE_SIZE);
	vfree(&f->k, b);
	assert_int_equal(vmalloc(&f->k, PAGE_SIZE), b);   /* the hole is reused */
	uint64_t d = vmalloc(&f->k, 2 * PAGE_SIZE);       /* needs 3 pages: not in the 2-page hole */
	assert_int_equal(d, c + 4 * PAGE_SIZE);
	/* errors: not an area start, zero size, more than RAM */
	assert_int_equal(vfree(&f->k, a + PAGE_SIZE), -EINVAL);
	assert_int_equal(vfree(&f->k, 0), 0);
	assert_int_equal(vmalloc(&f->k, 0), 0);
	long used = vmalloc_used(f);
	unsigned long free0 = nr_free_pages(f->m);
	long pt0 = global_node_page_state(f->m, NR_PAGETABLE);
	assert_int_equal(vmalloc(&f->k, 64ULL << 20), 0);   /* RAM is 32 MiB */
	assert_int_equal(vmalloc_used(f), used);
	/* page tables built on the way may stay (Linux keeps vmalloc PTs) */
	assert_int_equal(nr_free_pages(f->m) + (unsigned long)(global_node_page_state(f->m, NR_PAGETABLE) - pt0),
			 free0);
	assert_int_equal(vmalloc(&f->k, (size_t)(VMALLOC_END - VMALLOC_START + 1)), 0);
	fx_check(f);
	vmalloc_teardown(&f->k);
	assert_int_equal(vmalloc_used(f), 0);
	assert_int_equal(f->k.nr_vmap_areas, 0);
	fx_check(f);
}

static void test_vzalloc_zeroes(void **state)
{
	struct fx *f = *state;
	uint64_t a = vmalloc(&f->k, 2 * PAGE_SIZE);
	for (unsigned i = 0; i < 2 * PAGE_SIZE; i += 512)
		*(uint8_t *)vmalloc_host(&f->k, a + i) = 0x5a;
	vfree(&f->k, a);
	uint64_t b = vzalloc(&f->k, 2 * PAGE_SIZE);
	for (unsigned i = 0; i < 2 * PAGE_SIZE; i++)
		if (*(uint8_t *)vmalloc_host(&f->k, b + i))
			fail_msg("byte %u not zero", i);
	vfree(&f->k, b);
}

static void test_kvmalloc_choice(void **state)
{
	struct fx *f = *state;
	long used0 = vmalloc_used(f);
	/* small and medium sizes: kmalloc, a direct-map address */
	uint64_t s = kvmalloc(&f->k, 100, GFP_KERNEL);
	uint64_t mdm = kvmalloc(&f->k, 64 << 10, GFP_KERNEL);
	assert_true(s >= PAGE_OFFSET && s < f->k.direct_map_end);
	assert_true(mdm >= PAGE_OFFSET && mdm < f->k.direct_map_end);
	assert_false(is_vmalloc_addr(s));
	assert_int_equal(vmalloc_used(f), used0);
	/* beyond the largest buddy block (4 MiB): kmalloc fails quietly, vmalloc serves */
	uint64_t big = kvmalloc(&f->k, 6 << 20, GFP_KERNEL);
	assert_true(is_vmalloc_addr(big));
	assert_int_equal(vmalloc_used(f) - used0, (6 << 20) >> PAGE_SHIFT);
	/* a non-blocking request never falls back to vmalloc */
	assert_int_equal(kvmalloc(&f->k, 6 << 20, GFP_ATOMIC), 0);
	assert_int_equal(kvmalloc(&f->k, 6 << 20, GFP_NOWAIT), 0);
	uint64_t atomic_small = kvmalloc(&f->k, 200, GFP_ATOMIC);
	assert_true(atomic_small >= PAGE_OFFSET && atomic_small < f->k.direct_map_end);
	/* kvzalloc zeroes whichever it used */
	uint64_t z = kvzalloc(&f->k, 6 << 20, GFP_KERNEL);
	assert_true(is_vmalloc_addr(z));
	assert_int_equal(*(uint8_t *)vmalloc_host(&f->k, z + 12345), 0);
	/* kvfree tells them apart */
	kvfree(&f->k, s);
	kvfree(&f->k, mdm);
	kvfree(&f->k, big);
	kvfree(&f->k, z);
	kvfree(&f->k, atomic_small);
	kvfree(&f->k, 0);
	assert_int_equal(vmalloc_used(f), used0);
	assert_int_equal(f->k.nr_vmap_areas, 0);
	assert_int_equal(kvmalloc(&f->k, 0, GFP_KERNEL), 0);
	fx_check(f);
}

static void test_vmallocinfo(void **state)
{
	struct fx *f = *state;
	uint64_t a = vmalloc(&f->k, 2 * PAGE_SIZE);
	uint64_t b = vzalloc(&f->k, PAGE_SIZE);
	struct strbuf sb = { 0 };
	proc_vmallocinfo(&f->k, &sb);
	char expect[512];
	snprintf(expect, sizeof expect,
		 "0x%016llx-0x%016llx   12288 vmalloc pages=2 vmalloc N0=2\n"
		 "0x%016llx-0x%016llx    8192 vzalloc pages=1 vmalloc N0=1\n",
		 (unsigned long long)a, (unsigned long long)(a + 3 * PAGE_SIZE), (unsigned long long)b,
		 (unsigned long long)(b + 2 * PAGE_SIZE));
	assert_string_equal(sb.buf, expect);
	sb_free(&sb);
	vfree(&f->k, a);
	vfree(&f->k, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vmalloc_maps_noncontiguous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vfree_restores_meminfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_fit_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vzalloc_zeroes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kvmalloc_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmallocinfo, setup, teardown),
	};
	return cmocka_run_group_tests_name("mmu_vmalloc", tests, NULL, NULL);
}
