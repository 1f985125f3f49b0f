/* tests/mm/test_pcp.c - per-CPU page lists (mm/page_pcp.c): Linux 6.1's
 * high/batch/threshold for the zone sizes and CPU counts, refill by batch,
 * drains when the list reaches high (with free_factor), per-CPU lists,
 * exact pgalloc/pgfree, /proc/zoneinfo pagesets, mm_check of the lists and
 * the drain that lets an allocation succeed before giving up. */
#include "mm_test.h"
#include "mm/page_pcp.h"

/* 256M in one zone: managed 65535, so batch = rounddown_pow_of_two(15 +
 * 7) - 1 = 15 (b = min(65535 >> 10, 256) / 4 = 15); high is the low
 * watermark (638 pages here) split over the CPUs. */
#define ZONE256 "mem=256M zones=DMA32:256M pcp=on"
#define BATCH 15
#define LOW ((int)low_wmark_pages(dma32(m)))

static struct zone *dma32(struct memsys *m) { return &m->nodes[0].node_zones[ZONE_DMA32]; }
static struct per_cpu_pages *pcp_of(struct memsys *m, int cpu) { return &dma32(m)->per_cpu_pageset[cpu]; }

static void test_sizes(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(ZONE256, &t);
	struct zone *z = dma32(m);

	assert_int_equal(z->managed_pages, 65535);
	assert_int_equal(low_wmark_pages(z), 638);
	assert_int_equal(pcp_of(m, 0)->batch, BATCH);
	assert_int_equal(pcp_of(m, 0)->high, LOW);      /* low / 1 CPU */
	assert_int_equal(z->stat_threshold, 2 * 1 * 2); /* 2 * fls(1) * (1 + fls(65535 >> 15)) */
	assert_int_equal(memsys_set_nr_cpus(m, 4), 0);
	assert_int_equal(pcp_of(m, 3)->high, LOW / 4);
	assert_int_equal(pcp_of(m, 3)->batch, BATCH);
	assert_int_equal(z->stat_threshold, 2 * 3 * 2);
	assert_int_equal(memsys_set_nr_cpus(m, 64), 0);
	assert_int_equal(pcp_of(m, 0)->high, 4 * BATCH); /* 638 / 64 = 10 < 4 * batch */
	assert_int_equal(memsys_set_nr_cpus(m, 0), -1);
	assert_int_equal(memsys_set_nr_cpus(m, MM_MAX_CPUS + 1), -1);
	mm_free_all(m, t);

	/* a 1M zone: batch 1, high 4 * batch; pcp=off: the boot pageset */
	m = mm_make("mem=1M zones=DMA:1M min_free_kbytes=0 pcp=on", &t);
	assert_int_equal(m->nodes[0].node_zones[ZONE_DMA].per_cpu_pageset[0].batch, 1);
	assert_int_equal(m->nodes[0].node_zones[ZONE_DMA].per_cpu_pageset[0].high, 4);
	mm_free_all(m, t);
	m = mm_make("mem=256M zones=DMA32:256M", &t);
	assert_false(m->pcp_enabled);
	assert_int_equal(pcp_of(m, 0)->high, 0);
	assert_int_equal(pcp_of(m, 0)->batch, 1);
	mm_free_all(m, t);
}

/* An empty list takes `batch` pages from the buddy lists at once; the
 * counters count pages handed out, not pages moved. */
static void test_refill_by_batch(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(ZONE256, &t);
	struct page *p[BATCH + 1];
	long free0;
	unsigned long alloc0;

	drain_all_pages(m, NULL);
	free0 = dma32(m)->vm_stat[NR_FREE_PAGES];
	alloc0 = m->vm_events[PGALLOC_DMA32];
	p[0] = alloc_page(m, GFP_KERNEL);
	assert_non_null(p[0]);
	assert_int_equal(pcp_of(m, 0)->count, BATCH - 1);
	assert_int_equal(dma32(m)->vm_stat[NR_FREE_PAGES], free0 - BATCH);
	assert_int_equal(m->vm_events[PGALLOC_DMA32], alloc0 + 1);
	assert_int_equal(nr_free_pcp_pages(m), BATCH - 1);
	mm_assert_ok(m);
	for (int i = 1; i < BATCH; i++)
		p[i] = alloc_page(m, GFP_KERNEL);
	assert_int_equal(pcp_of(m, 0)->count, 0);
	assert_int_equal(dma32(m)->vm_stat[NR_FREE_PAGES], free0 - BATCH);
	p[BATCH] = alloc_page(m, GFP_KERNEL); /* second refill */
	assert_int_equal(pcp_of(m, 0)->count, BATCH - 1);
	assert_int_equal(dma32(m)->vm_stat[NR_FREE_PAGES], free0 - 2 * BATCH);
	assert_int_equal(m->vm_events[PGALLOC_DMA32], alloc0 + BATCH + 1);
	/* the refill took the lowest free pages in order: consecutive pfns */
	for (int i = 1; i < BATCH; i++)
		assert_int_equal(page_to_pfn(m, p[i]), page_to_pfn(m, p[0]) + (unsigned long)i);
	/* a freed page is the next one handed out (LIFO, hot) */
	unsigned long pfn = page_to_pfn(m, p[3]);
	__free_page(m, p[3]);
	assert_int_equal(pcp_of(m, 0)->count, BATCH);
	assert_int_equal(page_to_pfn(m, alloc_page(m, GFP_KERNEL)), pfn);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* Frees go to the list; when it reaches high, nr_pcp_free pages go back:
 * batch, then twice as many for each further drain without an allocation
 * (free_factor), and an allocation halves the factor again. */
static void test_drain_above_high(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(ZONE256, &t);
	enum { N = 800 };
	struct page **p = calloc(N, sizeof *p);
	long free0;
	unsigned long pgfree0;
	int i;

	assert_non_null(p);
	for (i = 0; i < N; i++)
		assert_non_null(p[i] = alloc_page(m, GFP_KERNEL));
	drain_all_pages(m, NULL);
	free0 = dma32(m)->vm_stat[NR_FREE_PAGES];
	pgfree0 = m->vm_events[PGFREE];
	for (i = 0; i < LOW - 1; i++)
		__free_page(m, p[i]);
	assert_int_equal(pcp_of(m, 0)->count, LOW - 1);
	assert_int_equal(dma32(m)->vm_stat[NR_FREE_PAGES], free0); /* all on the list */
	__free_page(m, p[i++]);                                     /* reaches high */
	assert_int_equal(pcp_of(m, 0)->count, LOW - BATCH);
	assert_int_equal(dma32(m)->vm_stat[NR_FREE_PAGES], free0 + BATCH);
	assert_int_equal(pcp_of(m, 0)->free_factor, 1);
	for (int k = 0; k < BATCH; k++)
		__free_page(m, p[i++]);
	assert_int_equal(pcp_of(m, 0)->count, LOW - 2 * BATCH); /* drained 2 * batch */
	assert_int_equal(pcp_of(m, 0)->free_factor, 2);
	for (; i < N; i++) {
		__free_page(m, p[i]);
		assert_true(pcp_of(m, 0)->count < LOW);
		assert_true(pcp_of(m, 0)->count >= BATCH);
	}
	assert_int_equal(m->vm_events[PGFREE], pgfree0 + N);
	assert_int_equal(dma32(m)->vm_stat[NR_FREE_PAGES] + pcp_of(m, 0)->count, free0 + N);
	mm_assert_ok(m);
	/* an allocation halves free_factor */
	short ff = pcp_of(m, 0)->free_factor;
	struct page *q = alloc_page(m, GFP_KERNEL);
	assert_int_equal(pcp_of(m, 0)->free_factor, ff >> 1);
	__free_page(m, q);
	int cached = pcp_of(m, 0)->count;
	assert_int_equal(drain_all_pages(m, NULL), (unsigned long)cached);
	assert_int_equal(dma32(m)->vm_stat[NR_FREE_PAGES], free0 + N);
	mm_assert_ok(m);
	free(p);
	mm_free_all(m, t);
}

/* Each CPU has its own list; a page freed on CPU 1 goes to CPU 1's list;
 * zoneinfo shows every CPU's pageset. */
static void test_per_cpu_lists(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(ZONE256, &t);
	struct strbuf sb = {0};
	char want[256];

	assert_int_equal(memsys_set_nr_cpus(m, 2), 0);
	drain_all_pages(m, NULL);
	struct page *a = alloc_page(m, GFP_KERNEL);
	assert_int_equal(pcp_of(m, 0)->count, BATCH - 1);
	memsys_set_this_cpu(m, 1);
	__free_page(m, a);
	assert_int_equal(pcp_of(m, 1)->count, 1);
	assert_int_equal(pcp_of(m, 0)->count, BATCH - 1);
	assert_int_equal(zone_pcp_count(m, dma32(m)), BATCH);
	mm_assert_ok(m);
	proc_zoneinfo(m, &sb);
	snprintf(want, sizeof want,
		 "\n  pagesets\n    cpu: 0\n              count: %d\n              high:  %d\n              batch: %d"
		 "\n  vm stats threshold: %d\n    cpu: 1\n              count: 1\n",
		 BATCH - 1, LOW / 2, BATCH, 2 * 2 * 2);
	assert_non_null(strstr(sb.buf, want));
	assert_null(strstr(sb.buf, "cpu: 2"));
	sb_free(&sb);
	assert_int_equal(drain_all_pages(m, NULL), BATCH);
	assert_int_equal(nr_free_pcp_pages(m), 0);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* mm_check accounts the pages on the lists and catches a wrong count, a
 * PG_buddy page on a list and a page on a CPU the machine does not have. */
static void test_check_catches_pcp_corruption(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make(ZONE256, &t);
	char err[512];

	__free_page(m, alloc_page(m, GFP_KERNEL));
	assert_int_equal(pcp_of(m, 0)->count, BATCH);
	mm_assert_ok(m);
	pcp_of(m, 0)->count++;
	assert_int_equal(mm_check(m, err, sizeof err), -1);
	assert_non_null(strstr(err, "pcp count"));
	pcp_of(m, 0)->count--;
	struct page *p = list_first_entry(&pcp_of(m, 0)->list, struct page, lru);
	SetPageBuddy(p);
	assert_int_equal(mm_check(m, err, sizeof err), -1);
	assert_non_null(strstr(err, "PG_buddy"));
	ClearPageBuddy(p);
	list_del(&p->lru);
	pcp_of(m, 0)->count--;
	list_add(&p->lru, &pcp_of(m, 5)->list);
	pcp_of(m, 5)->count++;
	assert_int_equal(mm_check(m, err, sizeof err), -1);
	assert_non_null(strstr(err, "fewer CPUs"));
	list_del(&p->lru);
	pcp_of(m, 5)->count--;
	list_add(&p->lru, &pcp_of(m, 0)->list);
	pcp_of(m, 0)->count++;
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* With every free page on CPU 0's list, an allocation on CPU 1 fails its
 * watermark, reclaims nothing and succeeds after drain_all_pages. */
static void test_drain_before_failing(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=1M zones=DMA:1M min_free_kbytes=0 pcp=on", &t);
	struct zone *z = &m->nodes[0].node_zones[ZONE_DMA];
	struct page *p[256];
	int n = 0;

	assert_int_equal(memsys_set_nr_cpus(m, 2), 0);
	while (n < 256 && (p[n] = alloc_page(m, GFP_KERNEL | __GFP_NOWARN)) != NULL)
		n++;
	assert_int_equal(n, 255);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], 0);
	for (int i = 0; i < 3; i++) /* high 4: three stay on CPU 0's list */
		__free_page(m, p[--n]);
	assert_int_equal(z->per_cpu_pageset[0].count, 3);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], 0);
	memsys_set_this_cpu(m, 1);
	unsigned long fails = m->vm_events[PGALLOC_FAIL];
	p[n] = alloc_page(m, GFP_KERNEL);
	assert_non_null(p[n]);
	n++;
	assert_int_equal(m->vm_events[PGALLOC_FAIL], fails);
	assert_int_equal(z->per_cpu_pageset[0].count, 0);
	mm_assert_ok(m);
	while (n > 0)
		__free_page(m, p[--n]);
	drain_all_pages(m, NULL);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], 255);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_refill_by_batch),
		cmocka_unit_test(test_drain_above_high),
		cmocka_unit_test(test_per_cpu_lists),
		cmocka_unit_test(test_check_catches_pcp_corruption),
		cmocka_unit_test(test_drain_before_failing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
