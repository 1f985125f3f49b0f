/* tests/mm/test_buddy.c - buddy split/merge with exact free counts,
 * refcounts, bad-page reports, __GFP_ZERO, compound pages, events. */
#include "mm_test.h"

#define TINY "mem=1M zones=DMA:1M min_free_kbytes=0"
#define ALL_ONES "1 1 1 1 1 1 1 1 0 0 0"

static unsigned long pfn_of(struct memsys *m, struct page *p)
{
	assert_non_null(p);
	return page_to_pfn(m, p);
}

/* Boot: pfn 0 reserved, pfns 1..255 freed in maximal aligned blocks. */
static void test_boot_layout(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(TINY, &t);
	struct zone *z = &m->nodes[0].node_zones[ZONE_DMA];

	assert_int_equal(m->max_pfn, 256);
	assert_int_equal(z->spanned_pages, 256);
	assert_int_equal(z->present_pages, 256);
	assert_int_equal(z->managed_pages, 255);
	assert_int_equal(nr_free_pages(m), 255);
	assert_buddy(m, 0, ZONE_DMA, ALL_ONES);
	assert_true(PageReserved(pfn_to_page(m, 0)));
	assert_int_equal(page_count(pfn_to_page(m, 0)), 1);
	assert_int_equal(page_mapcount(pfn_to_page(m, 5)), 0);
	assert_int_equal(pfn_to_page(m, 5)->_mapcount, -1);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* The worked example of the block comment in page_alloc.c. */
static void test_split_merge_sequence(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(TINY, &t);

	struct page *a = alloc_pages(m, GFP_KERNEL, 0);
	assert_int_equal(pfn_of(m, a), 1);
	assert_buddy(m, 0, ZONE_DMA, "0 1 1 1 1 1 1 1 0 0 0");
	struct page *b = alloc_pages(m, GFP_KERNEL, 0); /* splits the order-1 block at 2 */
	assert_int_equal(pfn_of(m, b), 2);
	assert_buddy(m, 0, ZONE_DMA, "1 0 1 1 1 1 1 1 0 0 0");
	struct page *c = alloc_pages(m, GFP_KERNEL, 1); /* splits order 2 at 4: 6 goes to order 1 */
	assert_int_equal(pfn_of(m, c), 4);
	assert_buddy(m, 0, ZONE_DMA, "1 1 0 1 1 1 1 1 0 0 0");
	struct page *d = alloc_pages(m, GFP_KERNEL, 3);
	assert_int_equal(pfn_of(m, d), 8);
	assert_buddy(m, 0, ZONE_DMA, "1 1 0 0 1 1 1 1 0 0 0");
	struct page *e = alloc_pages(m, GFP_KERNEL, 0);
	assert_int_equal(pfn_of(m, e), 3);
	assert_buddy(m, 0, ZONE_DMA, "0 1 0 0 1 1 1 1 0 0 0");
	assert_int_equal(nr_free_pages(m), 255 - 1 - 1 - 2 - 8 - 1);
	mm_assert_ok(m);

	__free_pages(m, b, 0); /* buddy 3 still allocated: no merge */
	assert_buddy(m, 0, ZONE_DMA, "1 1 0 0 1 1 1 1 0 0 0");
	__free_pages(m, e, 0); /* 2+3 merge to order 1; buddy 0 is reserved */
	assert_buddy(m, 0, ZONE_DMA, "0 2 0 0 1 1 1 1 0 0 0");
	__free_pages(m, c, 1); /* 4+6 merge to order 2 */
	assert_buddy(m, 0, ZONE_DMA, "0 1 1 0 1 1 1 1 0 0 0");
	__free_pages(m, a, 0);
	assert_buddy(m, 0, ZONE_DMA, "1 1 1 0 1 1 1 1 0 0 0");
	__free_pages(m, d, 3);
	assert_buddy(m, 0, ZONE_DMA, ALL_ONES);
	assert_int_equal(nr_free_pages(m), 255);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* A block split all the way down merges all the way back up. */
static void test_full_split_and_merge(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("zones=DMA:1M,Normal:1M min_free_kbytes=0", &t);

	assert_buddy(m, 0, ZONE_NORMAL, "0 0 0 0 0 0 0 0 1 0 0");
	struct page *p = alloc_pages(m, GFP_KERNEL, 0);
	assert_int_equal(pfn_of(m, p), 256);
	assert_buddy(m, 0, ZONE_NORMAL, "1 1 1 1 1 1 1 1 0 0 0");
	__free_pages(m, p, 0);
	assert_buddy(m, 0, ZONE_NORMAL, "0 0 0 0 0 0 0 0 1 0 0");

	/* Take every page of the machine one at a time, free in a scrambled
	 * order: everything must coalesce back. */
	struct page *pages[512];
	int n = 0;
	while ((pages[n] = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	/* DMA keeps lowmem_reserve[Normal] = 256/256 = 1 page from GFP_KERNEL */
	assert_int_equal(n, 255 + 256 - 1);
	assert_int_equal(m->nodes[0].node_zones[ZONE_DMA].lowmem_reserve[ZONE_NORMAL], 1);
	assert_int_equal(nr_free_pages(m), 1);
	pages[n] = alloc_pages(m, GFP_DMA, 0); /* the reserve is not kept from DMA users */
	assert_non_null(pages[n]);
	n++;
	assert_int_equal(nr_free_pages(m), 0);
	mm_assert_ok(m);
	for (int i = 0; i < n; i++) {
		int j = (i * 97) % n;
		struct page *tmp = pages[i];
		pages[i] = pages[j];
		pages[j] = tmp;
	}
	for (int i = 0; i < n; i++)
		__free_pages(m, pages[i], 0);
	assert_buddy(m, 0, ZONE_DMA, ALL_ONES);
	assert_buddy(m, 0, ZONE_NORMAL, "0 0 0 0 0 0 0 0 1 0 0");
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* Buddies in different zones never merge: DMA32 [256,384) and Normal
 * [384,512) are order-7 buddies of each other. */
static void test_no_merge_across_zones(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("zones=DMA:1M,DMA32:512K,Normal:512K min_free_kbytes=0", &t);
	assert_buddy(m, 0, ZONE_DMA32, "0 0 0 0 0 0 0 1 0 0 0");
	assert_buddy(m, 0, ZONE_NORMAL, "0 0 0 0 0 0 0 1 0 0 0");
	struct page *p = alloc_pages(m, GFP_DMA32, 7);
	assert_int_equal(pfn_of(m, p), 256);
	__free_pages(m, p, 7);
	assert_buddy(m, 0, ZONE_DMA32, "0 0 0 0 0 0 0 1 0 0 0");
	assert_buddy(m, 0, ZONE_NORMAL, "0 0 0 0 0 0 0 1 0 0 0");
	mm_assert_ok(m);
	mm_free_all(m, t);
}

static void test_refcounts(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(TINY, &t);
	struct page *p = alloc_page(m, GFP_KERNEL);

	assert_int_equal(page_count(p), 1);
	assert_int_equal(page_mapcount(p), 0);
	get_page(m, p);
	get_page(m, p);
	assert_int_equal(page_count(p), 3);
	put_page(m, p);
	put_page(m, p);
	assert_int_equal(nr_free_pages(m), 254);
	assert_false(PageBuddy(p));
	put_page(m, p); /* the last reference frees */
	assert_int_equal(nr_free_pages(m), 255);
	assert_true(PageBuddy(p) || PageBuddy(pfn_to_page(m, page_to_pfn(m, p) & ~1UL)));
	assert_int_equal(m->bad_pages, 0);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

struct bad_ctx {
	struct memsys *m;
	struct page *p;
	int what;
};

static void do_bad(void *arg)
{
	struct bad_ctx *c = arg;
	if (c->what == 0)
		put_page(c->m, c->p);
	else if (c->what == 1)
		__free_pages(c->m, c->p, 0);
	else if (c->what == 2)
		get_page(c->m, c->p);
	else
		__free_pages(c->m, c->p, 2); /* allocated as order 0 */
}

/* Puts/frees/gets on free pages are reported and change nothing. */
static void test_bad_page_harmless(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(TINY, &t);
	char before[4096], after[4096], out[1024];
	struct strbuf sb = {0};
	struct page *p = alloc_page(m, GFP_KERNEL);
	unsigned long pfn = page_to_pfn(m, p);

	put_page(m, p); /* now free */
	proc_buddyinfo(m, &sb);
	snprintf(before, sizeof(before), "%s", sb.buf);
	for (int what = 0; what < 3; what++) {
		struct bad_ctx c = {m, p, what};
		mm_capture_stderr(do_bad, &c, out, sizeof(out));
		assert_non_null(strstr(out, "BUG: Bad page state"));
		char want[64];
		snprintf(want, sizeof(want), "pfn:0x%05lx", pfn);
		assert_non_null(strstr(out, want));
		assert_null(strchr(strchr(out, '\n') + 1, '\n')); /* one line */
		mm_assert_ok(m);
	}
	/* a page in the middle of a free block (no PG_buddy, refcount 0) */
	struct bad_ctx mid = {m, pfn_to_page(m, 130), 0};
	mm_capture_stderr(do_bad, &mid, out, sizeof(out));
	assert_non_null(strstr(out, "pfn:0x00082"));
	sb.len = 0;
	proc_buddyinfo(m, &sb);
	snprintf(after, sizeof(after), "%s", sb.buf);
	assert_string_equal(before, after);
	assert_int_equal(m->bad_pages, 4);
	assert_int_equal(trace_count(t, TEV_BAD_PAGE), 4);
	assert_int_equal(nr_free_pages(m), 255);

	/* freeing with the wrong order is refused too */
	p = alloc_page(m, GFP_KERNEL);
	struct bad_ctx wrong = {m, p, 3};
	mm_capture_stderr(do_bad, &wrong, out, sizeof(out));
	assert_non_null(strstr(out, "different order"));
	assert_int_equal(page_count(p), 1);
	assert_int_equal(m->bad_pages, 5);
	mm_assert_ok(m);
	__free_pages(m, p, 0);
	assert_int_equal(nr_free_pages(m), 255);
	sb_free(&sb);
	mm_free_all(m, t);
}

static void test_gfp_zero(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(TINY, &t);
	struct page *p = alloc_pages(m, GFP_KERNEL, 2);
	unsigned long pfn = page_to_pfn(m, p);
	memset(page_address(m, p), 0xa5, 4 * PAGE_SIZE);
	__free_pages(m, p, 2);

	p = alloc_pages(m, GFP_KERNEL, 2); /* same block, dirty */
	assert_int_equal(page_to_pfn(m, p), pfn);
	assert_int_equal(((uint8_t *)page_address(m, p))[4 * PAGE_SIZE - 1], 0xa5);
	__free_pages(m, p, 2);

	p = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 2);
	assert_int_equal(page_to_pfn(m, p), pfn);
	const uint8_t *b = page_address(m, p);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		if (b[i])
			fail_msg("byte %zu not zeroed", i);
	__free_pages(m, p, 2);

	uint8_t *z = get_zeroed_page(m, GFP_KERNEL);
	assert_non_null(z);
	assert_true(addr_in_ram(m, z));
	assert_int_equal(z[100], 0);
	z[100] = 7;
	free_pages(m, z, 0);
	assert_int_equal(nr_free_pages(m), 255);
	mm_free_all(m, t);
}

static void test_compound(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(TINY, &t);
	struct page *p = alloc_pages(m, GFP_KERNEL | __GFP_COMP, 3);
	struct page *tail = p + 5;

	assert_true(PageHead(p));
	assert_int_equal(p->compound_order, 3);
	assert_false(PageHead(tail));
	assert_int_equal(nr_free_pages(m), 255 - 8);
	get_page(m, tail); /* references go to the head */
	assert_int_equal(page_count(p), 2);
	put_page(m, tail);
	assert_int_equal(page_count(p), 1);
	mm_assert_ok(m);
	put_page(m, p); /* frees all 8 pages */
	assert_int_equal(nr_free_pages(m), 255);
	assert_false(PageHead(p));
	assert_buddy(m, 0, ZONE_DMA, ALL_ONES);

	/* Linux's __free_pages on a shared non-compound block frees the tail */
	p = alloc_pages(m, GFP_KERNEL, 2);
	get_page(m, p);
	__free_pages(m, p, 2);
	assert_int_equal(nr_free_pages(m), 255 - 1);
	mm_assert_ok(m);
	put_page(m, p);
	assert_int_equal(nr_free_pages(m), 255);
	assert_buddy(m, 0, ZONE_DMA, ALL_ONES);
	assert_int_equal(m->bad_pages, 0);
	mm_free_all(m, t);
}

static void test_events_and_counters(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(TINY, &t);
	struct page *p = alloc_pages(m, GFP_KERNEL, 2);
	struct page *q = alloc_page(m, GFP_KERNEL);

	assert_int_equal(trace_count(t, TEV_ALLOC_PAGES), 2);
	assert_int_equal(m->vm_events[PGALLOC_DMA], 5);
	assert_int_equal(m->vm_events[PGALLOC_NORMAL], 0);
	__free_pages(m, p, 2);
	__free_page(m, q);
	assert_int_equal(trace_count(t, TEV_FREE_PAGES), 2);
	assert_int_equal(m->vm_events[PGFREE], 5);
	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, MAX_ORDER));
	assert_int_equal(m->vm_events[PGALLOC_FAIL], 1);
	assert_int_equal(trace_count(t, TEV_ALLOC_FAIL), 1);
	mm_free_all(m, t);
}

/* Two simulators in one process are independent. */
static void test_two_instances(void **state)
{
	(void)state;
	struct trace *t1, *t2;
	struct memsys *a = mm_make(TINY, &t1), *b = mm_make("mem=2M", &t2);
	struct page *p = alloc_pages(a, GFP_KERNEL, 4);
	assert_int_equal(nr_free_pages(b), 511);
	assert_int_equal(nr_free_pages(a), 255 - 16);
	__free_pages(a, p, 4);
	mm_assert_ok(a);
	mm_assert_ok(b);
	mm_free_all(a, t1);
	mm_free_all(b, t2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_layout),
		cmocka_unit_test(test_split_merge_sequence),
		cmocka_unit_test(test_full_split_and_merge),
		cmocka_unit_test(test_no_merge_across_zones),
		cmocka_unit_test(test_refcounts),
		cmocka_unit_test(test_bad_page_harmless),
		cmocka_unit_test(test_gfp_zero),
		cmocka_unit_test(test_compound),
		cmocka_unit_test(test_events_and_counters),
		cmocka_unit_test(test_two_instances),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
