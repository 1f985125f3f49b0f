/* tests/mm/test_zones.c - layouts, watermarks, GFP zone and watermark
 * semantics, reclaim hooks, NUMA, configuration errors, gfp text. */
#include "mm_test.h"

static struct zone *Z(struct memsys *m, int n, enum zone_type t) { return &m->nodes[n].node_zones[t]; }

static void test_default_256m(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("", &t);
	assert_int_equal(Z(m, 0, ZONE_DMA)->spanned_pages, 4096);
	assert_int_equal(Z(m, 0, ZONE_DMA)->managed_pages, 4095);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->zone_start_pfn, 4096);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->present_pages, 61440);
	assert_int_equal(Z(m, 0, ZONE_NORMAL)->present_pages, 0);
	/* int_sqrt(65535 * 4 * 16) = 2047; pages_min 511 split by managed */
	assert_int_equal(m->min_free_kbytes, 2047);
	assert_int_equal(min_wmark_pages(Z(m, 0, ZONE_DMA)), 31);
	assert_int_equal(low_wmark_pages(Z(m, 0, ZONE_DMA)), 38);
	assert_int_equal(high_wmark_pages(Z(m, 0, ZONE_DMA)), 45);
	assert_int_equal(min_wmark_pages(Z(m, 0, ZONE_DMA32)), 479);
	assert_int_equal(low_wmark_pages(Z(m, 0, ZONE_DMA32)), 598); /* min + min/4 */
	assert_int_equal(high_wmark_pages(Z(m, 0, ZONE_DMA32)), 717);
	assert_int_equal(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32], 240);
	assert_int_equal(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL], 240);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL], 0);
	assert_int_equal(m->totalreserve_pages, 240 + 45 + 717);
	assert_int_equal(m->totalram_pages, 65535);
	assert_int_equal(m->nr_zonelist, 2);
	assert_ptr_equal(m->zonelist[0], Z(m, 0, ZONE_DMA32));
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* 8G: Normal above 4G; the scale factor (0.1%) sets the watermark gap. */
static void test_8g_scale_factor(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=8G", &t);
	struct zone *d32 = Z(m, 0, ZONE_DMA32), *nrm = Z(m, 0, ZONE_NORMAL);
	assert_int_equal(m->min_free_kbytes, 11585);
	assert_int_equal(nrm->zone_start_pfn, 1048576);
	assert_int_equal(nrm->managed_pages, 1048576);
	assert_int_equal(min_wmark_pages(d32), 1442);
	assert_int_equal(low_wmark_pages(d32), 1442 + 1044);
	assert_int_equal(high_wmark_pages(d32), 1442 + 2 * 1044);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL], 1048576 / 256);
	assert_int_equal(Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL], (1044480 + 1048576) / 256);
	mm_free_all(m, t);
}

static void test_explicit_zones(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("zones=DMA:1M,Normal:15M", &t);
	assert_int_equal(m->cfg.mem_bytes, 16 << 20);
	assert_int_equal(Z(m, 0, ZONE_DMA)->spanned_pages, 256);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->spanned_pages, 0);
	assert_int_equal(Z(m, 0, ZONE_NORMAL)->zone_start_pfn, 256);
	assert_int_equal(Z(m, 0, ZONE_NORMAL)->spanned_pages, 3840);
	mm_assert_ok(m);
	mm_free_all(m, t);
	m = mm_make("mem=256M", &t);
	assert_int_equal(Z(m, 0, ZONE_DMA)->spanned_pages, 4096);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->spanned_pages, 61440);
	mm_free_all(m, t);
}

/* GFP_DMA never leaves ZONE_DMA, even when DMA32 is full of free pages. */
static void test_gfp_dma_confinement(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=32M", &t);
	unsigned long dma_end = Z(m, 0, ZONE_DMA)->spanned_pages, got = 0;
	struct page *p;
	while ((p = alloc_page(m, GFP_DMA | __GFP_NOWARN))) {
		assert_true(page_to_pfn(m, p) < dma_end);
		got++;
	}
	/* stops at the min watermark of DMA: free <= min */
	assert_int_equal(Z(m, 0, ZONE_DMA)->vm_stat[NR_FREE_PAGES], (long)min_wmark_pages(Z(m, 0, ZONE_DMA)));
	assert_true(Z(m, 0, ZONE_DMA32)->vm_stat[NR_FREE_PAGES] > 4000);
	assert_int_equal(m->vm_events[PGALLOC_DMA], got);
	assert_int_equal(m->vm_events[PGALLOC_DMA32], 0);
	assert_int_equal(m->vm_events[PGALLOC_FAIL], 1);
	/* GFP_DMA32 and GFP_KERNEL prefer DMA32 */
	p = alloc_page(m, GFP_DMA32);
	assert_int_equal(p->zone, ZONE_DMA32);
	p = alloc_page(m, GFP_KERNEL);
	assert_int_equal(p->zone, ZONE_DMA32);
	assert_int_equal(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	assert_int_equal(gfp_zone(GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(GFP_DMA32 | __GFP_HIGHMEM), ZONE_DMA32);
	assert_int_equal(gfp_zone(__GFP_HIGHMEM), ZONE_NORMAL);
	assert_int_equal(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* Normal fills first, then allocations fall back to DMA32 and DMA, each
 * keeping its lowmem_reserve for Normal requests. */
static void test_zone_fallback(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("zones=DMA:1M,DMA32:1M,Normal:2M min_free_kbytes=0", &t);
	long res_dma = Z(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL];
	long res_dma32 = Z(m, 0, ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL];
	assert_int_equal(res_dma, (256 + 512) / 256);
	assert_int_equal(res_dma32, 512 / 256);
	int seen_zone = ZONE_NORMAL;
	struct page *p;
	while ((p = alloc_page(m, GFP_KERNEL | __GFP_NOWARN))) {
		assert_true(p->zone <= seen_zone); /* never goes back up */
		seen_zone = p->zone;
	}
	assert_int_equal(seen_zone, ZONE_DMA);
	assert_int_equal(Z(m, 0, ZONE_NORMAL)->vm_stat[NR_FREE_PAGES], 0);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->vm_stat[NR_FREE_PAGES], res_dma32);
	assert_int_equal(Z(m, 0, ZONE_DMA)->vm_stat[NR_FREE_PAGES], res_dma);
	/* GFP_DMA32 may dig into DMA32's reserve (it is the requested zone) */
	assert_non_null(alloc_page(m, GFP_DMA32));
	mm_assert_ok(m);
	mm_free_all(m, t);
}

static void fail_kernel(void *arg)
{
	struct memsys *m = arg;
	assert_null(alloc_page(m, GFP_KERNEL));
}

/* mem=1M: min 32, low 40, high 48.  GFP_KERNEL may go down to min (waking
 * kswapd below low); GFP_ATOMIC to min - min/2 - (min/2)/4 = 12. */
static void test_watermarks_kernel_vs_atomic(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=1M zones=DMA:1M", &t);
	struct zone *z = Z(m, 0, ZONE_DMA);
	char out[512];

	assert_int_equal(min_wmark_pages(z), 32);
	assert_int_equal(low_wmark_pages(z), 40);
	assert_int_equal(high_wmark_pages(z), 48);
	while (z->vm_stat[NR_FREE_PAGES] > 41)
		assert_non_null(alloc_page(m, GFP_KERNEL));
	assert_int_equal(m->vm_events[KSWAPD_WAKEUP], 0);
	assert_non_null(alloc_page(m, GFP_KERNEL)); /* 41 -> 40: fast path */
	assert_int_equal(m->vm_events[KSWAPD_WAKEUP], 0);
	assert_non_null(alloc_page(m, GFP_KERNEL)); /* at low: slow path, kswapd */
	assert_int_equal(m->vm_events[KSWAPD_WAKEUP], 1);
	assert_int_equal(trace_count(t, TEV_WAKEUP_KSWAPD), 1);
	while (z->vm_stat[NR_FREE_PAGES] > 33)
		assert_non_null(alloc_page(m, GFP_KERNEL));
	assert_non_null(alloc_page(m, GFP_KERNEL)); /* 33 -> 32 */
	assert_int_equal(m->vm_events[ALLOCSTALL_NORMAL], 0);
	mm_capture_stderr(fail_kernel, m, out, sizeof(out));
	assert_string_equal(out, "mmsim: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), nodemask=(null)\n");
	assert_int_equal(m->vm_events[ALLOCSTALL_NORMAL], 1); /* tried direct reclaim once: nothing reclaimable */
	assert_int_equal(m->vm_events[PGALLOC_FAIL], 1);
	assert_null(alloc_page(m, GFP_NOWAIT | __GFP_NOWARN));
	int high = 0, atomic = 0;
	while (alloc_page(m, __GFP_HIGH | __GFP_NOWARN)) /* ALLOC_HIGH: min/2 = 16 */
		high++;
	assert_int_equal(high, 16);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], 16);
	while (alloc_page(m, GFP_ATOMIC | __GFP_NOWARN)) /* plus ALLOC_HARDER: 16 - 4 */
		atomic++;
	assert_int_equal(atomic, 4);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], 12);
	assert_null(alloc_page(m, GFP_ATOMIC | __GFP_NOMEMALLOC | __GFP_NOWARN));
	/* __GFP_NOMEMALLOC takes ALLOC_HARDER away; __GFP_MEMALLOC ignores marks */
	assert_non_null(alloc_page(m, __GFP_MEMALLOC));
	assert_int_equal(zone_watermark_ok(m, z, 0, min_wmark_pages(z), ZONE_DMA, 0), false);
	assert_int_equal(zone_watermark_ok(m, z, 0, 12, ZONE_DMA, 0), false);
	assert_int_equal(zone_watermark_ok(m, z, 0, 10, ZONE_DMA, 0), true);
	assert_int_equal(zone_watermark_ok(m, z, 0, 14, ZONE_DMA, ALLOC_HARDER), false); /* 14 - 3 = 11 */
	assert_int_equal(zone_watermark_ok(m, z, 0, 13, ZONE_DMA, ALLOC_HARDER), true);  /* 13 - 3 = 10 */
	assert_int_equal(zone_watermark_ok(m, z, 0, 20, ZONE_DMA, ALLOC_HIGH), true); /* 20 - 10 */
	assert_int_equal(zone_watermark_ok(m, z, 1, 8, ZONE_DMA, 0), true);
	assert_int_equal(zone_watermark_ok(m, z, 1, 10, ZONE_DMA, 0), false); /* order 1 discounts 1 page */
	mm_assert_ok(m);
	mm_free_all(m, t);
}

struct stash {
	struct page *held[64];
	int n;
	int calls;
};

static unsigned long reclaim_some(void *ctx, struct memsys *m, gfp_t gfp, unsigned order)
{
	struct stash *s = ctx;
	(void)gfp, (void)order;
	s->calls++;
	unsigned long freed = 0;
	for (int i = 0; i < 8 && s->n > 0; i++, freed++) {
		__free_page(m, s->held[--s->n]);
		mod_zone_page_state(&m->nodes[0].node_zones[ZONE_DMA], NR_ZONE_INACTIVE_FILE, -1);
	}
	return freed;
}

static void test_direct_reclaim_hook(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=1M zones=DMA:1M", &t);
	struct zone *z = Z(m, 0, ZONE_DMA);
	struct stash s = {.n = 0};
	m->reclaim.ctx = &s;
	m->reclaim.try_to_free_pages = reclaim_some;
	/* 64 "page cache" pages the hook can reclaim (counted on the file LRU,
	 * which should_reclaim_retry looks at) */
	for (int i = 0; i < 64; i++)
		s.held[s.n++] = alloc_page(m, GFP_KERNEL);
	mod_zone_page_state(z, NR_ZONE_INACTIVE_FILE, 64);
	while (alloc_page(m, GFP_ATOMIC | __GFP_NOWARN))
		;
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], 12);
	/* GFP_KERNEL: one reclaim round frees 8, 12 + 8 = 20 < min: retry */
	assert_non_null(alloc_page(m, GFP_KERNEL));
	assert_int_equal(s.calls, 3); /* 12 -> 20 -> 28 -> 36 */
	/* NORETRY stops after one round */
	s.calls = 0;
	while (alloc_page(m, GFP_ATOMIC | __GFP_NOWARN))
		;
	assert_null(alloc_page(m, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN));
	assert_int_equal(s.calls, 1);
	/* no direct reclaim for GFP_ATOMIC */
	while (alloc_page(m, GFP_ATOMIC | __GFP_NOWARN))
		;
	s.calls = 0;
	assert_null(alloc_page(m, GFP_ATOMIC | __GFP_NOWARN));
	assert_int_equal(s.calls, 0);
	/* NOFAIL is bounded: with nothing left to reclaim it gives up */
	mod_zone_page_state(z, NR_ZONE_INACTIVE_FILE, -s.n);
	s.n = 0;
	s.calls = 0;
	while (alloc_page(m, GFP_ATOMIC | __GFP_NOWARN))
		;
	assert_null(alloc_page(m, GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN));
	assert_true(s.calls > NOFAIL_MAX_RETRIES);
	assert_int_equal(trace_count(t, TEV_DIRECT_RECLAIM), m->vm_events[ALLOCSTALL_NORMAL]);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

static void test_numa2(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("numa=2", &t);
	assert_int_equal(m->nr_nodes, 2);
	assert_int_equal(m->nodes[1].node_start_pfn, 32768);
	assert_int_equal(Z(m, 0, ZONE_DMA32)->spanned_pages, 32768 - 4096);
	assert_int_equal(Z(m, 1, ZONE_DMA32)->zone_start_pfn, 32768);
	assert_int_equal(Z(m, 1, ZONE_DMA)->present_pages, 0);
	assert_int_equal(Z(m, 1, ZONE_NORMAL)->present_pages, 0);
	struct page *p = alloc_page(m, GFP_KERNEL);
	assert_int_equal(p->node, 0);
	p = alloc_pages_node(m, 1, GFP_KERNEL, 3);
	assert_int_equal(p->node, 1);
	assert_true(page_to_pfn(m, p) >= 32768);
	/* exhaust node 1 under THISNODE, then see fallback to node 0 */
	while ((p = alloc_pages_node(m, 1, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 5)))
		assert_int_equal(p->node, 1);
	p = alloc_pages_node(m, 1, GFP_KERNEL, 5);
	assert_non_null(p);
	assert_int_equal(p->node, 0);
	mm_assert_ok(m);
	mm_free_all(m, t);

	m = mm_make("numa=2 mem=8G", &t);
	assert_int_equal(Z(m, 1, ZONE_NORMAL)->present_pages, 1048576);
	assert_int_equal(Z(m, 0, ZONE_NORMAL)->present_pages, 0);
	assert_int_equal(m->zonelist[0], Z(m, 0, ZONE_DMA32));
	assert_int_equal(m->zonelist[2], Z(m, 1, ZONE_NORMAL));
	mm_free_all(m, t);
}

static void expect_err(const char *key, const char *value, const char *msg)
{
	struct mem_config c;
	char err[256] = "";
	mem_config_default(&c);
	assert_int_equal(mem_config_set(&c, key, value, err, sizeof(err)), -1);
	if (!strstr(err, msg))
		fail_msg("%s=%s: got '%s', want '%s'", key, value, err, msg);
	assert_null(strchr(err, '\n'));
}

static void test_config_errors(void **state)
{
	(void)state;
	struct mem_config c;
	char err[256];
	uint64_t v;
	expect_err("mem", "12Q", "mem: bad size '12Q' (e.g. 64M, 1G)");
	expect_err("mem", "", "mem: bad size ''");
	expect_err("mem", "1001K", "not a multiple of the 4K page size");
	expect_err("mem", "1T", "out of range");
	expect_err("zones", "Foo:1M", "zones: unknown zone 'Foo'");
	expect_err("zones", "Normal:1M,DMA:1M", "out of order");
	expect_err("zones", "DMA:1M,DMA:1M", "out of order");
	expect_err("zones", "DMA", "not NAME:SIZE");
	expect_err("zones", "DMA:1X", "zones: bad size '1X'");
	expect_err("zones", "DMA:0", "non-zero multiple");
	expect_err("zones", "DMA:1M,,Normal:1M", "zones: item 2 of 'DMA:1M,,Normal:1M' is empty");
	expect_err("zones", ",DMA:1M", "item 1 of");
	expect_err("zones", "DMA:1M,", "item 2 of");
	expect_err("numa", "3", "numa: '3'");
	expect_err("min_free_kbytes", "-5", "min_free_kbytes");
	expect_err("slub_debug", "maybe", "slub_debug");
	mem_config_default(&c);
	assert_int_equal(mem_config_set(&c, "tlb", "x", err, sizeof(err)), 1);
	assert_int_equal(mem_config_set(&c, "mem", "16M", err, sizeof(err)), 0);
	assert_int_equal(mem_config_set(&c, "zones", "DMA:1M,Normal:14M", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zones: sizes add up to 15M but mem=16M"));
	assert_int_equal(mem_config_set(&c, "zones", "DMA:1M,Normal:15M", err, sizeof(err)), 0);
	assert_int_equal(mem_config_set(&c, "mem", "32M", err, sizeof(err)), -1);
	assert_int_equal(c.mem_bytes, 16 << 20); /* failed settings change nothing */
	assert_int_equal(mem_config_set(&c, "slub_debug", "FZP", err, sizeof(err)), 0);
	assert_true(c.slab_debug);
	/* memsys_create re-validates hand-built configs */
	mem_config_default(&c);
	c.nr_nodes = 3;
	struct trace *t = trace_open_none();
	assert_null(memsys_create(&c, t, err, sizeof(err)));
	assert_non_null(strstr(err, "numa"));
	trace_close(t);
	assert_int_equal(memparse("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(memparse("1G", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(memparse("2MiB", &v), 0);
	assert_int_equal(v, 2ULL << 20);
	assert_int_equal(memparse("0x1000", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(memparse("-1", &v), -1);
	assert_int_equal(memparse("1M2", &v), -1);
	assert_int_equal(memparse("99999999999999999999", &v), -1);
}

static void test_gfp_text(void **state)
{
	(void)state;
	char buf[256], err[128];
	gfp_t g;
	assert_string_equal(gfp_format(GFP_KERNEL, buf, sizeof(buf)), "GFP_KERNEL");
	assert_string_equal(gfp_format(GFP_KERNEL | __GFP_ZERO, buf, sizeof(buf)), "GFP_KERNEL|__GFP_ZERO");
	assert_string_equal(gfp_format(GFP_ATOMIC, buf, sizeof(buf)), "GFP_ATOMIC");
	assert_string_equal(gfp_format(GFP_HIGHUSER_MOVABLE, buf, sizeof(buf)), "GFP_HIGHUSER_MOVABLE");
	assert_string_equal(gfp_format(GFP_DMA | __GFP_NOWARN, buf, sizeof(buf)), "GFP_DMA|__GFP_NOWARN");
	assert_string_equal(gfp_format(__GFP_DIRECT_RECLAIM, buf, sizeof(buf)), "__GFP_DIRECT_RECLAIM");
	assert_string_equal(gfp_format(0, buf, sizeof(buf)), "");
	assert_string_equal(gfp_format(0x80000000u | __GFP_COMP, buf, sizeof(buf)), "__GFP_COMP|0x80000000");
	assert_int_equal(gfp_parse("GFP_KERNEL|__GFP_ZERO", &g, err, sizeof(err)), 0);
	assert_int_equal(g, GFP_KERNEL | __GFP_ZERO);
	assert_int_equal(gfp_parse("GFP_ATOMIC | __GFP_NOWARN", &g, err, sizeof(err)), 0);
	assert_int_equal(g, GFP_ATOMIC | __GFP_NOWARN);
	assert_int_equal(gfp_parse("0xcc0", &g, err, sizeof(err)), 0);
	assert_int_equal(g, GFP_KERNEL);
	assert_int_equal(gfp_parse("__GFP_DMA", &g, err, sizeof(err)), 0);
	assert_int_equal(g, __GFP_DMA);
	assert_int_equal(gfp_parse("GFP_KERNEL|GFP_BOGUS", &g, err, sizeof(err)), -1);
	assert_string_equal(err, "gfp: unknown flag 'GFP_BOGUS'");
	assert_int_equal(gfp_parse("GFP_KERNEL|", &g, err, sizeof(err)), -1);
	assert_int_equal(gfp_parse("", &g, err, sizeof(err)), -1);
	/* every formatted value parses back to itself */
	for (gfp_t x = 0; x < 0x800000u; x += 0x1357u) {
		assert_int_equal(gfp_parse(gfp_format(x, buf, sizeof(buf))[0] ? buf : "0", &g, err, sizeof(err)), 0);
		assert_int_equal(g, x);
	}
}

/* The explanation steps (zone_wmark_steps, calculate_min_free_kbytes) are
 * the arithmetic that set the watermarks: 8G, default factor then 300;
 * rmqueue_zone takes from its zone only, without watermarks. */
static void test_wmark_steps(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = mm_make("mem=8G", &t);
	struct min_free_steps mf;
	/* lowmem 4095 + 1044480 + 1048576 = 2097151 pages = 8388604 kB;
	 * int_sqrt(8388604 * 16 = 134217664) = 11585 (11585^2 = 134212225) */
	assert_int_equal(calculate_min_free_kbytes(m, &mf), 11585);
	assert_int_equal(mf.lowmem_kbytes, 8388604);
	assert_int_equal(mf.root, 11585);
	for (int pass = 0; pass < 2; pass++) {
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct wmark_steps st;
			zone_wmark_steps(m, Z(m, 0, z), &st);
			assert_int_equal(st.min, min_wmark_pages(Z(m, 0, z)));
			assert_int_equal(st.low, low_wmark_pages(Z(m, 0, z)));
			assert_int_equal(st.high, high_wmark_pages(Z(m, 0, z)));
		}
		m->sysctl.watermark_scale_factor = 300;
		setup_per_zone_wmarks(m);
	}
	struct wmark_steps st;
	/* Normal: pages_min 2896; min = 2896 x 1048576 / 2097151 = 1448;
	 * gap = max(362, 1048576 x 300 / 10000 = 31457) = 31457 */
	zone_wmark_steps(m, Z(m, 0, ZONE_NORMAL), &st);
	assert_int_equal(st.pages_min, 2896);
	assert_int_equal(st.min, 1448);
	assert_int_equal(st.scale, 31457);
	assert_int_equal(st.high, 1448 + 2 * 31457);
	long before = Z(m, 0, ZONE_DMA)->vm_stat[NR_FREE_PAGES];
	struct page *p = rmqueue_zone(m, Z(m, 0, ZONE_DMA), 3, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(page_zone(m, p)->type, ZONE_DMA);
	assert_int_equal(Z(m, 0, ZONE_DMA)->vm_stat[NR_FREE_PAGES], before - 8);
	__free_pages(m, p, 3);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_256m),
		cmocka_unit_test(test_8g_scale_factor),
		cmocka_unit_test(test_explicit_zones),
		cmocka_unit_test(test_gfp_dma_confinement),
		cmocka_unit_test(test_zone_fallback),
		cmocka_unit_test(test_watermarks_kernel_vs_atomic),
		cmocka_unit_test(test_direct_reclaim_hook),
		cmocka_unit_test(test_numa2),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_gfp_text),
		cmocka_unit_test(test_wmark_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
