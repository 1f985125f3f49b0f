/* tests/mm/test_random.c - 1M random alloc/free operations against a
 * reference model, with mm_check() after every step.
 *
 * Memory is small (2 MiB: DMA 1M + Normal 1M, 512 pages) so a full
 * mm_check() per step is cheap; the whole run takes a few seconds (under
 * ASan the step count is cut to 200k to stay within a few tens of
 * seconds).  The model is a bitmap of allocated pfns plus the list of live
 * blocks: every new block must be free in the model, lie in a zone its GFP
 * allows, and the allocator's free count must equal managed - allocated.
 */
#include "mm_test.h"

#if defined(__SANITIZE_ADDRESS__)
#define STEPS 200000
#else
#define STEPS 1000000
#endif

struct live {
	unsigned long pfn;
	unsigned order;
	bool compound;
};

static uint64_t rng_state;
static uint64_t rnd(void)
{
	/* xorshift64*, fixed seed: the run is the same every time */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static void test_random_ops(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("zones=DMA:1M,Normal:1M", &t);
	static const gfp_t gfps[] = {GFP_KERNEL, GFP_ATOMIC, GFP_DMA, GFP_KERNEL | __GFP_ZERO, GFP_NOWAIT,
				     GFP_KERNEL | __GFP_COMP, GFP_DMA32, __GFP_HIGH};
	uint8_t used[512] = {0};
	struct live live[512];
	int nlive = 0;
	unsigned long allocated = 0, dma_end = m->nodes[0].node_zones[ZONE_DMA].spanned_pages;
	unsigned long ok = 0, failed = 0;
	char err[512];

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (long step = 0; step < STEPS; step++) {
		uint64_t r = rnd();
		bool do_alloc = nlive == 0 || (nlive < 512 && (r & 0xff) < 128 + (nlive < 40 ? 60 : 0));
		if (do_alloc) {
			unsigned order = (unsigned)((r >> 8) % 16);
			order = order < 8 ? 0 : order < 12 ? 1 : order - 10; /* mostly small */
			gfp_t gfp = gfps[(r >> 16) % (sizeof(gfps) / sizeof(gfps[0]))] | __GFP_NOWARN;
			struct page *p = alloc_pages(m, gfp, order);
			if (!p) {
				failed++;
			} else {
				unsigned long pfn = page_to_pfn(m, p);
				ok++;
				if (pfn & ((1UL << order) - 1))
					fail_msg("step %ld: pfn 0x%lx not aligned to order %u", step, pfn, order);
				if ((gfp & __GFP_DMA) && pfn + (1UL << order) > dma_end)
					fail_msg("step %ld: GFP_DMA block at 0x%lx outside DMA", step, pfn);
				for (unsigned long i = 0; i < (1UL << order); i++) {
					if (used[pfn + i])
						fail_msg("step %ld: pfn 0x%lx handed out twice", step, pfn + i);
					used[pfn + i] = 1;
				}
				if (gfp & __GFP_ZERO) {
					const uint8_t *b = page_address(m, p);
					for (size_t i = 0; i < (PAGE_SIZE << order); i += 512)
						if (b[i])
							fail_msg("step %ld: __GFP_ZERO page not zero", step);
				}
				memset(page_address(m, p), 0x5a, 64); /* dirty it for the next user */
				live[nlive++] = (struct live){pfn, order, (gfp & __GFP_COMP) && order};
				allocated += 1UL << order;
			}
		} else {
			int i = (int)((r >> 8) % (uint64_t)nlive);
			struct live l = live[i];
			struct page *p = pfn_to_page(m, l.pfn);
			if ((r >> 40) & 1) {
				get_page(m, p); /* an extra reference: first put keeps it */
				put_page(m, p);
			}
			if (l.compound)
				put_page(m, p);
			else
				__free_pages(m, p, l.order);
			for (unsigned long k = 0; k < (1UL << l.order); k++)
				used[l.pfn + k] = 0;
			allocated -= 1UL << l.order;
			live[i] = live[--nlive];
		}
		if (nr_free_pages(m) != m->totalram_pages - allocated)
			fail_msg("step %ld: %lu free, model says %lu", step, nr_free_pages(m),
				 m->totalram_pages - allocated);
		if (mm_check(m, err, sizeof(err)) != 0)
			fail_msg("step %ld: mm_check: %s", step, err);
	}
	assert_int_equal(m->bad_pages, 0);
	assert_true(ok > STEPS / 3);
	assert_true(failed > 0); /* the run did reach the watermarks */
	while (nlive > 0) {
		struct live l = live[--nlive];
		if (l.compound)
			put_page(m, pfn_to_page(m, l.pfn));
		else
			__free_pages(m, pfn_to_page(m, l.pfn), l.order);
	}
	assert_int_equal(nr_free_pages(m), m->totalram_pages);
	assert_buddy(m, 0, ZONE_DMA, "1 1 1 1 1 1 1 1 0 0 0");
	assert_buddy(m, 0, ZONE_NORMAL, "0 0 0 0 0 0 0 0 1 0 0");
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* mm_check itself must catch corruption (a checker that never fails
 * proves nothing). */
static void test_check_catches_corruption(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=1M zones=DMA:1M", &t);
	struct zone *z = &m->nodes[0].node_zones[ZONE_DMA];
	char err[512];

	z->free_area[3].nr_free++;
	assert_int_equal(mm_check(m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nr_free"));
	z->free_area[3].nr_free--;
	mod_zone_page_state(z, NR_FREE_PAGES, 1);
	assert_int_equal(mm_check(m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NR_FREE_PAGES"));
	mod_zone_page_state(z, NR_FREE_PAGES, -1);
	struct page *p = alloc_page(m, GFP_KERNEL);
	p->_refcount = 0; /* leaked: neither free nor referenced */
	assert_int_equal(mm_check(m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refcount 0"));
	p->_refcount = 1;
	SetPageBuddy(p);
	assert_int_equal(mm_check(m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "PG_buddy"));
	ClearPageBuddy(p);
	struct page *q = pfn_to_page(m, 2); /* inside the free order-1 block at 2 */
	q->_refcount = 0;
	pfn_to_page(m, 3)->_mapcount = 0;
	assert_int_equal(mm_check(m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mapcount"));
	pfn_to_page(m, 3)->_mapcount = -1;
	mm_assert_ok(m);
	__free_page(m, p);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_catches_corruption),
		cmocka_unit_test(test_random_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
