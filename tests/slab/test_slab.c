/* tests/slab/test_slab.c - unit tests of the slab allocator and kmalloc.
 *
 * Expected geometries are SLUB's for one CPU (slub_min_objects = 8,
 * slub_max_order = 3, waste <= 1/16 first), worked out by hand from
 * mm/slub.c's calculate_sizes()/calculate_order():
 *   kmalloc-8..512    order 0: 512, 256, 128, 64, 42 (96), 32, 21 (192), 16, 8
 *   kmalloc-1k/2k/4k  8 objects in 2/4/8 pages;  kmalloc-8k: 4 in 8 pages
 *   600 B, HWCACHE    slot 640 (cache-line aligned), 12 per order-1 slab
 *   700 B             slot 704, 11 per order-1 slab (448 B waste <= 8192/16)
 *   3000 B            slot 3000, 10 per order-3 slab (2768 B waste: 1/16
 *                     fails, 1/8 passes)
 *   5000 B            6 per order-3 slab (min_objects capped at 32768/5000)
 *   kmalloc-64 with slub_debug=PZ: 64 + 8 red zone + 8 free pointer + 8 pad
 *                     + 64 left red zone (aligned to 64) = 152 -> 192 slot
 * mm_check() runs after every step.
 */
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
#include "mm/proc.h"
#include "mm/slab.h"
#include "traces/trace.h"

struct fx {
	struct trace *t;
	struct memsys *m;
};

static struct fx *fx_new(const char *mem, const char *zones, bool debug)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct mem_config cfg;
	char err[256];
	assert_non_null(f);
	mem_config_default(&cfg);
	if (mem)
		assert_int_equal(mem_config_set(&cfg, "mem", mem, err, sizeof(err)), 0);
	if (zones)
		assert_int_equal(mem_config_set(&cfg, "zones", zones, err, sizeof(err)), 0);
	cfg.slab_debug = debug;
	f->t = trace_open_none();
	f->m = memsys_create(&cfg, f->t, err, sizeof(err));
	if (!f->m)
		fail_msg("memsys_create: %s", err);
	return f;
}

static void fx_free(struct fx *f)
{
	memsys_destroy(f->m);
	trace_close(f->t);
	free(f);
}

#define CHECK(m)                                                     \
	do {                                                         \
		char cerr_[512];                                     \
		if (mm_check((m), cerr_, sizeof(cerr_)) != 0)        \
			fail_msg("mm_check: %s", cerr_);             \
	} while (0)

static struct slabinfo info(struct memsys *m, const char *name)
{
	struct slabinfo si;
	struct kmem_cache *s = kmem_cache_find(m, name);
	if (!s)
		fail_msg("no cache %s", name);
	kmem_cache_info(s, &si);
	return si;
}

static struct kmem_cache *mkcache(struct memsys *m, const char *name, unsigned size, unsigned align, unsigned flags)
{
	char err[256];
	struct kmem_cache *s = kmem_cache_create(m, name, size, align, flags, NULL, err, sizeof(err));
	if (!s)
		fail_msg("kmem_cache_create: %s", err);
	return s;
}

static long slab_pages(struct memsys *m, bool reclaimable)
{
	return global_node_page_state(m, reclaimable ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B);
}

/* ---- geometry ---------------------------------------------------------- */

static void test_kmalloc_geometry(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	static const struct { const char *name; unsigned size, per, pages; } want[] = {
		{"kmalloc-8", 8, 512, 1},     {"kmalloc-16", 16, 256, 1},   {"kmalloc-32", 32, 128, 1},
		{"kmalloc-64", 64, 64, 1},    {"kmalloc-96", 96, 42, 1},    {"kmalloc-128", 128, 32, 1},
		{"kmalloc-192", 192, 21, 1},  {"kmalloc-256", 256, 16, 1},  {"kmalloc-512", 512, 8, 1},
		{"kmalloc-1k", 1024, 8, 2},   {"kmalloc-2k", 2048, 8, 4},   {"kmalloc-4k", 4096, 8, 8},
		{"kmalloc-8k", 8192, 4, 8},   {"dma-kmalloc-96", 96, 42, 1}, {"dma-kmalloc-8k", 8192, 4, 8},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct slabinfo si = info(f->m, want[i].name);
		assert_int_equal(si.objsize, want[i].size);
		assert_int_equal(si.objperslab, want[i].per);
		assert_int_equal(si.pagesperslab, want[i].pages);
		assert_int_equal(si.num_objs, 0);
	}
	CHECK(f->m);
	fx_free(f);
}

static void test_cache_geometry(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	static const struct { unsigned size, align, flags, slot, per, pages; } want[] = {
		{600, 8, SLAB_HWCACHE_ALIGN, 640, 12, 2},
		{700, 0, 0, 704, 11, 2},
		{3000, 0, 0, 3000, 10, 8},
		{5000, 0, 0, 5000, 6, 8},
		{20, 0, SLAB_HWCACHE_ALIGN, 32, 128, 1},  /* 20 <= 32: half a line */
		{33, 0, SLAB_HWCACHE_ALIGN, 64, 64, 1},
		{100, 64, 0, 128, 32, 1},
		{24, 0, SLAB_POISON, 32, 128, 1},          /* free pointer after the object */
		{24, 0, SLAB_RED_ZONE, 48, 85, 1},         /* 8 left + 24 + 8 right + 8 pad */
		{1, 0, 0, 8, 512, 1},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "geo%zu", i);
		mkcache(f->m, name, want[i].size, want[i].align, want[i].flags);
		struct slabinfo si = info(f->m, name);
		if (si.objsize != want[i].slot || si.objperslab != want[i].per || si.pagesperslab != want[i].pages)
			fail_msg("size %u flags %#x: got slot %u, %u/slab, %u pages; want %u, %u, %u", want[i].size,
				 want[i].flags, si.objsize, si.objperslab, si.pagesperslab, want[i].slot, want[i].per,
				 want[i].pages);
	}
	CHECK(f->m);
	fx_free(f);
}

static void test_debug_geometry(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, true);
	struct slabinfo si = info(f->m, "kmalloc-64");
	assert_int_equal(si.objsize, 192);
	assert_int_equal(si.objperslab, 21);
	assert_true(si.flags & SLAB_POISON);
	assert_true(si.flags & SLAB_RED_ZONE);
	/* Every object of every debug kmalloc cache works. */
	for (size_t sz = 8; sz <= 8192; sz *= 2) {
		void *p = kmalloc(f->m, sz, GFP_KERNEL);
		assert_non_null(p);
		assert_int_equal(ksize(f->m, p), sz);
		memset(p, 0x11, sz);
		kfree(f->m, p);
		CHECK(f->m);
	}
	assert_int_equal(f->m->slab_errors, 0);
	fx_free(f);
}

/* ---- create / destroy -------------------------------------------------- */

static void test_create_validation(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	char err[256];
	unsigned flags;

	assert_null(kmem_cache_create(f->m, "z", 0, 0, 0, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "size"));
	assert_null(kmem_cache_create(f->m, "big", 5u << 20, 0, 0, NULL, err, sizeof(err)));
	assert_null(kmem_cache_create(f->m, "al", 64, 3, 0, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "power of two"));
	assert_null(kmem_cache_create(f->m, "kmalloc-64", 64, 0, 0, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "exists"));
	assert_null(kmem_cache_create(f->m, "two words", 64, 0, 0, NULL, err, sizeof(err)));
	assert_null(kmem_cache_create(f->m, "", 64, 0, 0, NULL, err, sizeof(err)));
	assert_null(kmem_cache_create(f->m, "fl", 64, 0, 0x1, NULL, err, sizeof(err)));
	/* The largest block still takes one object. */
	assert_non_null(kmem_cache_create(f->m, "huge", 4u << 20, 0, 0, NULL, err, sizeof(err)));
	assert_int_equal(info(f->m, "huge").pagesperslab, 1024);
	void *h = kmem_cache_alloc(f->m, kmem_cache_find(f->m, "huge"), GFP_KERNEL);
	assert_non_null(h);
	CHECK(f->m);
	kmem_cache_free(f->m, kmem_cache_find(f->m, "huge"), h);
	/* 2.1 MiB objects: one per 4 MiB slab, colouring capped to 16 bits. */
	struct kmem_cache *odd = mkcache(f->m, "odd", 2200000, 0, SLAB_HWCACHE_ALIGN);
	void *o1 = kmem_cache_alloc(f->m, odd, GFP_KERNEL), *o2 = kmem_cache_alloc(f->m, odd, GFP_KERNEL);
	assert_non_null(o1);
	assert_non_null(o2);
	assert_int_equal(kva_of(f->m, o2) % (4u << 20), 64);
	CHECK(f->m);
	kmem_cache_free(f->m, odd, o1);
	kmem_cache_free(f->m, odd, o2);
	assert_int_equal(kmem_cache_shrink(f->m, odd), 2048);
	assert_null(kmalloc(f->m, (4u << 20) + 1, GFP_KERNEL)); /* beyond KMALLOC_MAX_SIZE */
	void *l = kmalloc(f->m, 4u << 20, GFP_KERNEL);
	assert_non_null(l);
	kfree(f->m, l);

	assert_int_equal(slab_flags_parse("SLAB_HWCACHE_ALIGN|SLAB_POISON", &flags, err, sizeof(err)), 0);
	assert_int_equal(flags, SLAB_HWCACHE_ALIGN | SLAB_POISON);
	assert_int_equal(slab_flags_parse(" SLAB_RED_ZONE | 0x2000 ", &flags, err, sizeof(err)), 0);
	assert_int_equal(flags, SLAB_RED_ZONE | SLAB_HWCACHE_ALIGN);
	assert_int_equal(slab_flags_parse("", &flags, err, sizeof(err)), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(slab_flags_parse("SLAB_BOGUS", &flags, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "SLAB_BOGUS"));
	assert_int_equal(slab_flags_parse("SLAB_POISON|", &flags, err, sizeof(err)), -1);
	CHECK(f->m);
	fx_free(f);
}

static void test_destroy_refuses_while_live(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	char err[256];
	long base = slab_pages(f->m, false);
	struct kmem_cache *s = mkcache(f->m, "inode", 600, 8, SLAB_HWCACHE_ALIGN);
	void *a = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	assert_non_null(a);
	assert_int_equal(kmem_cache_destroy(f->m, s, err, sizeof(err)), -1);
	assert_string_equal(err, "kmem_cache_destroy inode: Slab cache still has objects");
	assert_ptr_equal(kmem_cache_find(f->m, "inode"), s);
	CHECK(f->m);
	kmem_cache_free(f->m, s, a);
	CHECK(f->m);
	assert_int_equal(kmem_cache_destroy(f->m, s, err, sizeof(err)), 0);
	assert_null(kmem_cache_find(f->m, "inode"));
	assert_int_equal(slab_pages(f->m, false), base);
	assert_int_equal(trace_count(f->t, TEV_CACHE_DESTROY), 1);
	CHECK(f->m);
	/* The name is free again. */
	s = mkcache(f->m, "inode", 128, 0, 0);
	assert_int_equal(kmem_cache_destroy(f->m, s, err, sizeof(err)), 0);
	assert_int_equal(kmem_cache_destroy(f->m, kmalloc_slab(f->m, 64, 0), err, sizeof(err)), -1);
	CHECK(f->m);
	fx_free(f);
}

/* ---- lists ------------------------------------------------------------- */

static void test_list_transitions(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	struct kmem_cache *s = mkcache(f->m, "t512", 512, 0, 0); /* 8 per order-0 slab */
	void *o[9];
	struct slabinfo si;

	o[0] = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	si = info(f->m, "t512");
	assert_int_equal(si.nr_partial, 1);
	assert_int_equal(si.nr_full + si.nr_empty, 0);
	assert_int_equal(si.active_objs, 1);
	assert_int_equal(si.num_objs, 8);
	assert_int_equal(trace_count(f->t, TEV_SLAB_NEW), 1);
	CHECK(f->m);
	for (int i = 1; i < 8; i++) {
		o[i] = kmem_cache_alloc(f->m, s, GFP_KERNEL);
		assert_non_null(o[i]);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(o[i], o[j]);
		CHECK(f->m);
	}
	si = info(f->m, "t512");
	assert_int_equal(si.nr_full, 1);
	assert_int_equal(si.nr_partial, 0);
	o[8] = kmem_cache_alloc(f->m, s, GFP_KERNEL); /* needs a second slab */
	si = info(f->m, "t512");
	assert_int_equal(si.num_slabs, 2);
	assert_int_equal(si.nr_full, 1);
	assert_int_equal(si.nr_partial, 1);
	CHECK(f->m);
	kmem_cache_free(f->m, s, o[3]); /* full -> partial */
	si = info(f->m, "t512");
	assert_int_equal(si.nr_full, 0);
	assert_int_equal(si.nr_partial, 2);
	assert_int_equal(si.active_objs, 8);
	CHECK(f->m);
	/* The freed object is reused first (LIFO freelist, partial list). */
	void *again = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	assert_ptr_equal(again, o[3]);
	kmem_cache_free(f->m, s, again);
	kmem_cache_free(f->m, s, o[8]); /* second slab -> empty */
	si = info(f->m, "t512");
	assert_int_equal(si.nr_empty, 1);
	assert_int_equal(si.nr_partial, 1);
	CHECK(f->m);
	for (int i = 0; i < 8; i++)
		if (i != 3)
			kmem_cache_free(f->m, s, o[i]);
	si = info(f->m, "t512");
	assert_int_equal(si.nr_empty, 2);
	assert_int_equal(si.active_objs, 0);
	assert_int_equal(trace_count(f->t, TEV_SLAB_ALLOC), 10);
	assert_int_equal(trace_count(f->t, TEV_SLAB_FREE), 10);
	CHECK(f->m);
	/* Empty slabs are reused before new ones are made. */
	void *p = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	assert_int_equal(trace_count(f->t, TEV_SLAB_NEW), 2);
	kmem_cache_free(f->m, s, p);
	assert_int_equal(kmem_cache_shrink(f->m, s), 2);
	assert_int_equal(info(f->m, "t512").num_slabs, 0);
	assert_int_equal(trace_count(f->t, TEV_SLAB_DISCARD), 2);
	CHECK(f->m);
	fx_free(f);
}

static void test_shrink_and_min_partial(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	long base = slab_pages(f->m, false);
	struct kmem_cache *s = mkcache(f->m, "t512", 512, 0, 0); /* min_partial 5 */
	void *o[48];
	for (int i = 0; i < 48; i++)
		assert_non_null(o[i] = kmem_cache_alloc(f->m, s, GFP_KERNEL));
	assert_int_equal(info(f->m, "t512").nr_full, 6);
	assert_int_equal(slab_pages(f->m, false), base + 6);
	for (int i = 0; i < 48; i++) {
		kmem_cache_free(f->m, s, o[i]);
		if (i % 8 == 7)
			CHECK(f->m);
	}
	/* Five empty slabs are kept (SLUB's min_partial), the sixth given back. */
	struct slabinfo si = info(f->m, "t512");
	assert_int_equal(si.nr_empty, 5);
	assert_int_equal(trace_count(f->t, TEV_SLAB_DISCARD), 1);
	assert_int_equal(kmem_cache_shrink(f->m, s), 5);
	assert_int_equal(kmem_cache_shrink(f->m, s), 0);
	assert_int_equal(slab_pages(f->m, false), base);
	CHECK(f->m);
	fx_free(f);
}

/* ---- alignment and colouring ------------------------------------------ */

static void test_hwcache_align_and_colour(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	struct kmem_cache *s = mkcache(f->m, "inode", 600, 8, SLAB_HWCACHE_ALIGN);
	/* 12 slots of 640 leave 512 bytes of an 8 KiB slab: 8 colours of 64. */
	enum { PER = 12, SLABS = 10 };
	void *o[PER * SLABS];
	for (int i = 0; i < PER * SLABS; i++) {
		o[i] = kmem_cache_alloc(f->m, s, GFP_KERNEL);
		assert_non_null(o[i]);
		assert_int_equal((uintptr_t)o[i] % 64, 0);
	}
	for (int j = 0; j < SLABS; j++) {
		uint64_t kva = kva_of(f->m, o[j * PER]);
		assert_int_equal(kva % 8192, (uint64_t)(j % 8) * 64);
		/* Objects follow each other at the slot size. */
		assert_int_equal(kva_of(f->m, o[j * PER + 11]) - kva, 11 * 640);
	}
	CHECK(f->m);
	for (int i = 0; i < PER * SLABS; i++)
		kmem_cache_free(f->m, s, o[i]);
	CHECK(f->m);
	fx_free(f);
}

/* ---- kmalloc ----------------------------------------------------------- */

static void test_kmalloc_classes(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	static const unsigned classes[] = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};
	/* Every size maps to the smallest class that holds it. */
	for (size_t sz = 1; sz <= 8192; sz++) {
		unsigned want = 0;
		for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]) && !want; c++)
			if (classes[c] >= sz)
				want = classes[c];
		struct kmem_cache *s = kmalloc_slab(f->m, sz, GFP_KERNEL);
		assert_non_null(s);
		struct slabinfo si;
		kmem_cache_info(s, &si);
		if (si.objsize != want)
			fail_msg("kmalloc_slab(%zu) -> %s", sz, si.name);
	}
	assert_null(kmalloc_slab(f->m, 8193, GFP_KERNEL));
	struct slabinfo si;
	kmem_cache_info(kmalloc_slab(f->m, 100, GFP_DMA), &si);
	assert_string_equal(si.name, "dma-kmalloc-128");

	void *p50 = kmalloc(f->m, 50, GFP_KERNEL);
	assert_int_equal(ksize(f->m, p50), 64);
	assert_int_equal(info(f->m, "kmalloc-64").active_objs, 1);
	void *p65 = kmalloc(f->m, 65, GFP_KERNEL);
	assert_int_equal(ksize(f->m, p65), 96);
	void *p129 = kmalloc(f->m, 129, GFP_KERNEL);
	assert_int_equal(ksize(f->m, p129), 192);
	assert_int_equal(info(f->m, "kmalloc-192").active_objs, 1);
	CHECK(f->m);

	long unrcl = slab_pages(f->m, false);
	void *p8k = kmalloc(f->m, 8192, GFP_KERNEL);
	assert_int_equal(info(f->m, "kmalloc-8k").active_objs, 1);
	assert_int_equal(slab_pages(f->m, false), unrcl + 8);
	void *big = kmalloc(f->m, 8193, GFP_KERNEL); /* kmalloc_large: order 2 */
	assert_non_null(big);
	assert_int_equal(ksize(f->m, big), 16384);
	struct page *pg = virt_to_page(f->m, big);
	assert_false(PageSlab(pg));
	assert_true(PageHead(pg));
	assert_int_equal(pg->compound_order, 2);
	assert_int_equal(slab_pages(f->m, false), unrcl + 8 + 4);
	memset(big, 0x5c, 8193);
	CHECK(f->m);
	kfree(f->m, big);
	assert_int_equal(slab_pages(f->m, false), unrcl + 8);
	CHECK(f->m);

	/* kmalloc(0) and kfree of NULL / ZERO_SIZE_PTR. */
	void *z = kmalloc(f->m, 0, GFP_KERNEL);
	assert_ptr_equal(z, ZERO_SIZE_PTR);
	assert_int_equal(ksize(f->m, z), 0);
	unsigned long kfrees = trace_count(f->t, TEV_KFREE);
	kfree(f->m, z);
	kfree(f->m, NULL);
	assert_int_equal(trace_count(f->t, TEV_KFREE), kfrees);

	/* DMA kmalloc lands in ZONE_DMA. */
	void *d = kmalloc(f->m, 100, GFP_KERNEL | GFP_DMA);
	assert_non_null(d);
	assert_int_equal(virt_to_page(f->m, d)->zone, ZONE_DMA);
	assert_int_equal(info(f->m, "dma-kmalloc-128").active_objs, 1);
	kfree(f->m, d);

	kfree(f->m, p50);
	kfree(f->m, p65);
	kfree(f->m, p129);
	kfree(f->m, p8k);
	assert_int_equal(trace_count(f->t, TEV_KMALLOC), 6);
	assert_int_equal(trace_count(f->t, TEV_KFREE), 6);
	assert_int_equal(f->m->slab_errors, 0);
	CHECK(f->m);
	fx_free(f);
}

static void test_krealloc_kcalloc(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	uint8_t *p = kmalloc(f->m, 20, GFP_KERNEL);
	for (int i = 0; i < 20; i++)
		p[i] = (uint8_t)(i + 1);
	assert_ptr_equal(krealloc(f->m, p, 30, GFP_KERNEL), p); /* kmalloc-32 holds 30 */
	uint8_t *q = krealloc(f->m, p, 100, GFP_KERNEL);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	assert_int_equal(ksize(f->m, q), 128);
	for (int i = 0; i < 20; i++)
		assert_int_equal(q[i], i + 1);
	assert_int_equal(info(f->m, "kmalloc-32").active_objs, 0);
	uint8_t *r = krealloc(f->m, q, 20000, GFP_KERNEL); /* to the page allocator */
	assert_non_null(r);
	assert_int_equal(ksize(f->m, r), 32768);
	for (int i = 0; i < 20; i++)
		assert_int_equal(r[i], i + 1);
	assert_int_equal(info(f->m, "kmalloc-128").active_objs, 0);
	CHECK(f->m);
	assert_ptr_equal(krealloc(f->m, r, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	CHECK(f->m);
	void *n = krealloc(f->m, NULL, 40, GFP_KERNEL);
	assert_int_equal(ksize(f->m, n), 64);
	kfree(f->m, n);

	/* kcalloc: overflow refused, memory zeroed even when reused. */
	assert_null(kcalloc(f->m, SIZE_MAX / 2, 4, GFP_KERNEL));
	assert_null(kcalloc(f->m, (SIZE_MAX >> 3) + 2, 8, GFP_KERNEL));
	uint8_t *dirty = kmalloc(f->m, 80, GFP_KERNEL);
	memset(dirty, 0xff, 80);
	kfree(f->m, dirty);
	uint8_t *c = kcalloc(f->m, 10, 8, GFP_KERNEL);
	assert_ptr_equal(c, dirty); /* LIFO reuse of the same object */
	for (int i = 0; i < 96; i++)
		assert_int_equal(c[i], 0);
	kfree(f->m, c);
	assert_int_equal(f->m->slab_errors, 0);
	CHECK(f->m);
	fx_free(f);
}

/* ---- debugging and bad frees ------------------------------------------ */

static void test_poison_use_after_free(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, true);
	uint8_t *p = kmalloc(f->m, 64, GFP_KERNEL);
	/* An allocated debug object still carries the poison (Linux too). */
	assert_int_equal(p[0], 0x6b);
	assert_int_equal(p[63], 0xa5);
	assert_int_equal(p[-1], 0xcc);
	assert_int_equal(p[64], 0xcc);
	kfree(f->m, p);
	assert_int_equal(p[-1], 0xbb);
	assert_int_equal(p[10], 0x6b);
	p[10] = 0x42; /* write after free */
	CHECK(f->m);
	uint8_t *q = kmalloc(f->m, 64, GFP_KERNEL);
	assert_ptr_equal(q, p);
	assert_int_equal(f->m->slab_errors, 1);
	assert_int_equal(trace_count(f->t, TEV_SLAB_ERROR), 1);
	assert_int_equal(q[10], 0x6b); /* restored */
	CHECK(f->m);
	kfree(f->m, q);
	q = kmalloc(f->m, 64, GFP_KERNEL);
	assert_int_equal(f->m->slab_errors, 1); /* nothing new */
	kfree(f->m, q);
	CHECK(f->m);
	fx_free(f);
}

static void test_redzone_overrun(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	struct kmem_cache *s = mkcache(f->m, "rz", 40, 0, SLAB_RED_ZONE | SLAB_POISON);
	uint8_t *p = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	uint8_t *q = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	p[40] = 0; /* one byte past the end */
	kmem_cache_free(f->m, s, p);
	assert_int_equal(f->m->slab_errors, 1);
	assert_int_equal(info(f->m, "rz").active_objs, 1); /* freed all the same */
	CHECK(f->m);
	q[-1] = 0; /* underflow into the left red zone */
	kmem_cache_free(f->m, s, q);
	assert_int_equal(f->m->slab_errors, 2);
	assert_int_equal(trace_count(f->t, TEV_SLAB_ERROR), 2);
	assert_int_equal(info(f->m, "rz").active_objs, 0);
	CHECK(f->m);
	/* Both objects come back clean. */
	p = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	q = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	assert_int_equal(f->m->slab_errors, 2);
	kmem_cache_free(f->m, s, p);
	kmem_cache_free(f->m, s, q);
	CHECK(f->m);
	fx_free(f);
}

static void test_double_and_bad_frees(void **state)
{
	(void)state;
	for (int debug = 0; debug < 2; debug++) {
		struct fx *f = fx_new(NULL, NULL, debug);
		uint8_t *p = kmalloc(f->m, 64, GFP_KERNEL);
		uint8_t *q = kmalloc(f->m, 64, GFP_KERNEL);
		kfree(f->m, p);
		kfree(f->m, p); /* double free: refused */
		assert_int_equal(f->m->slab_errors, 1);
		assert_int_equal(info(f->m, "kmalloc-64").active_objs, 1);
		CHECK(f->m);
		/* The freelist was not corrupted: two allocs give two objects. */
		uint8_t *a = kmalloc(f->m, 64, GFP_KERNEL), *b = kmalloc(f->m, 64, GFP_KERNEL);
		assert_ptr_not_equal(a, b);
		assert_ptr_not_equal(a, q);
		assert_ptr_not_equal(b, q);
		CHECK(f->m);
		kfree(f->m, a + 1); /* not an object boundary */
		assert_int_equal(f->m->slab_errors, 2);
		struct kmem_cache *other = mkcache(f->m, "other", 64, 0, 0);
		kmem_cache_free(f->m, other, b); /* wrong cache */
		assert_int_equal(f->m->slab_errors, 3);
		struct page *pg = alloc_pages(f->m, GFP_KERNEL, 0);
		kfree(f->m, page_address(f->m, pg)); /* not from kmalloc */
		assert_int_equal(f->m->slab_errors, 4);
		int on_stack;
		kfree(f->m, &on_stack); /* not even in RAM */
		assert_int_equal(f->m->slab_errors, 5);
		assert_int_equal(trace_count(f->t, TEV_SLAB_ERROR), 5);
		assert_int_equal(info(f->m, "kmalloc-64").active_objs, 3);
		CHECK(f->m);
		__free_pages(f->m, pg, 0);
		kfree(f->m, a);
		kfree(f->m, b);
		kfree(f->m, q);
		assert_int_equal(info(f->m, "kmalloc-64").active_objs, 0);
		assert_int_equal(f->m->slab_errors, 5);
		CHECK(f->m);
		fx_free(f);
	}
}

static void test_freechain_corruption(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	/* No debug: the free pointer lives mid-object (offset 32 of 64). */
	uint8_t *a = kmalloc(f->m, 64, GFP_KERNEL), *b = kmalloc(f->m, 64, GFP_KERNEL);
	kfree(f->m, b);
	kfree(f->m, a);
	memset(a + 32, 0x77, 8); /* write after free over the free pointer */
	uint8_t *x = kmalloc(f->m, 64, GFP_KERNEL);
	assert_ptr_equal(x, a);
	assert_int_equal(f->m->slab_errors, 1);
	CHECK(f->m);
	/* Chain rebuilt: the rest of the slab is still handed out once each. */
	void *o[63];
	for (int i = 0; i < 63; i++) {
		o[i] = kmalloc(f->m, 64, GFP_KERNEL);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(o[i], o[j]);
		assert_ptr_not_equal(o[i], x);
	}
	assert_int_equal(info(f->m, "kmalloc-64").num_slabs, 1);
	CHECK(f->m);
	for (int i = 0; i < 63; i++)
		kfree(f->m, o[i]);
	kfree(f->m, x);
	CHECK(f->m);
	fx_free(f);
}

static int ctor_calls;
static void ctor_fill(void *obj)
{
	ctor_calls++;
	memset(obj, 0x3c, 48);
}

static void test_ctor(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	char err[256];
	ctor_calls = 0;
	struct kmem_cache *s = kmem_cache_create(f->m, "ctor", 48, 0, SLAB_POISON, ctor_fill, err, sizeof(err));
	assert_non_null(s);
	uint8_t *p = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	assert_int_equal(ctor_calls, info(f->m, "ctor").objperslab);
	for (int i = 0; i < 48; i++) /* constructed, not poisoned */
		assert_int_equal(p[i], 0x3c);
	kmem_cache_free(f->m, s, p);
	p = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	assert_int_equal(p[0], 0x3c);
	kmem_cache_free(f->m, s, p);
	assert_int_equal(f->m->slab_errors, 0);
	CHECK(f->m);
	fx_free(f);
}

/* ---- accounting and /proc ---------------------------------------------- */

static long meminfo_kb(struct memsys *m, const char *key)
{
	struct strbuf sb = {0};
	proc_meminfo(m, &sb);
	char *l = strstr(sb.buf, key);
	if (!l)
		fail_msg("no %s in meminfo", key);
	long v = strtol(l + strlen(key), NULL, 10);
	sb_free(&sb);
	return v;
}

static void test_meminfo_accounting(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	long r0 = slab_pages(f->m, true), u0 = slab_pages(f->m, false);
	long mr0 = meminfo_kb(f->m, "SReclaimable:"), mu0 = meminfo_kb(f->m, "SUnreclaim:");
	struct kmem_cache *rc = mkcache(f->m, "dentry", 192, 8, SLAB_RECLAIM_ACCOUNT | SLAB_HWCACHE_ALIGN);
	void *d = kmem_cache_alloc(f->m, rc, GFP_KERNEL);
	void *k = kmalloc(f->m, 1000, GFP_KERNEL); /* kmalloc-1k: order-1 slab */
	assert_int_equal(slab_pages(f->m, true), r0 + 1);
	assert_int_equal(slab_pages(f->m, false), u0 + 2);
	assert_int_equal(meminfo_kb(f->m, "SReclaimable:"), mr0 + 4);
	assert_int_equal(meminfo_kb(f->m, "SUnreclaim:"), mu0 + 8);
	assert_int_equal(meminfo_kb(f->m, "Slab:"), mr0 + mu0 + 12);
	CHECK(f->m);
	kmem_cache_free(f->m, rc, d);
	kfree(f->m, k);
	kmem_cache_shrink(f->m, rc);
	kmem_cache_shrink(f->m, kmalloc_slab(f->m, 1000, 0));
	assert_int_equal(slab_pages(f->m, true), r0);
	assert_int_equal(slab_pages(f->m, false), u0);
	CHECK(f->m);
	fx_free(f);
}

static void test_slabinfo_text(void **state)
{
	(void)state;
	struct fx *f = fx_new(NULL, NULL, false);
	struct kmem_cache *s = mkcache(f->m, "inode", 600, 8, SLAB_HWCACHE_ALIGN);
	void *a = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	void *k = kmalloc(f->m, 50, GFP_KERNEL);
	struct strbuf sb = {0};
	proc_slabinfo(f->m, &sb);
	const char *want_head =
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
		"inode                  1     12    640   12    2 : tunables    0    0    0 : slabdata      1      1      0\n"
		"dma-kmalloc-8k         0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0\n";
	assert_memory_equal(sb.buf, want_head, strlen(want_head));
	assert_non_null(strstr(sb.buf, "\nkmalloc-64             1     64     64   64    1 : tunables    0    0    0 : "
				       "slabdata      1      1      0\n"));
	/* Newest first: the oldest cache, kmalloc-8, is the last line. */
	const char *last = "kmalloc-8              0      0      8  512    1 : tunables    0    0    0 : slabdata      0      0      0\n";
	assert_string_equal(sb.buf + sb.len - strlen(last), last);
	/* One line per cache: header + 2 * 13 kmalloc + inode. */
	int lines = 0;
	for (size_t i = 0; i < sb.len; i++)
		lines += sb.buf[i] == '\n';
	assert_int_equal(lines, 2 + 26 + 1);
	sb_free(&sb);
	/* The text parses back through proc_stat_lookup. */
	long long v;
	char err[256];
	assert_int_equal(proc_stat_lookup(f->m, "slabinfo", "inode.active_objs", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1);
	assert_int_equal(proc_stat_lookup(f->m, "slabinfo", "inode.objsize", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 640);
	assert_int_equal(proc_stat_lookup(f->m, "slabinfo", "kmalloc-64.num_objs", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 64);
	assert_int_equal(proc_stat_lookup(f->m, "slabinfo", "kmalloc-1k.pagesperslab", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 2);
	kmem_cache_free(f->m, s, a);
	kfree(f->m, k);
	CHECK(f->m);
	fx_free(f);
}

/* The scenario's shape: 1 MiB of RAM, all of it ZONE_DMA. */
static void test_scenario_flow(void **state)
{
	(void)state;
	struct fx *f = fx_new("1M", "DMA:1M", false);
	CHECK(f->m);
	long free0 = (long)nr_free_pages(f->m);
	struct kmem_cache *s = mkcache(f->m, "inode", 600, 8, SLAB_HWCACHE_ALIGN);
	void *a = kmem_cache_alloc(f->m, s, GFP_KERNEL);
	assert_non_null(a);
	void *k = kmalloc(f->m, 50, GFP_KERNEL);
	assert_non_null(k);
	struct slabinfo si = info(f->m, "inode");
	assert_int_equal(si.active_objs, 1);
	assert_int_equal(si.num_objs, 12);
	assert_int_equal(si.num_slabs, 1);
	si = info(f->m, "kmalloc-64");
	assert_int_equal(si.active_objs, 1);
	assert_int_equal(si.num_objs, 64);
	assert_int_equal(slab_pages(f->m, false), 3);
	assert_int_equal((long)nr_free_pages(f->m), free0 - 3);
	assert_int_equal(virt_to_page(f->m, a)->zone, ZONE_DMA);
	assert_int_equal(trace_count(f->t, TEV_SLAB_NEW), 2);
	assert_int_equal(trace_count(f->t, TEV_CACHE_CREATE), 27);
	long long v;
	char err[256];
	assert_int_equal(proc_stat_lookup(f->m, "meminfo", "SUnreclaim", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 12);
	assert_int_equal(proc_stat_lookup(f->m, "slabinfo", "inode.num_slabs", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1);
	CHECK(f->m);
	/* Fill memory with inode objects until the page allocator gives up. */
	void **objs = calloc(4096, sizeof(void *));
	int n = 0;
	while (n < 4096 && (objs[n] = kmem_cache_alloc(f->m, s, GFP_KERNEL | __GFP_NOWARN)))
		n++;
	assert_true(n > 12 && n < 4096);
	CHECK(f->m);
	for (int i = 0; i < n; i++)
		kmem_cache_free(f->m, s, objs[i]);
	kmem_cache_free(f->m, s, a);
	kfree(f->m, k);
	kmem_cache_shrink(f->m, s);
	kmem_cache_shrink(f->m, kmalloc_slab(f->m, 50, 0));
	assert_int_equal((long)nr_free_pages(f->m), free0);
	assert_int_equal(slab_pages(f->m, false), 0);
	free(objs);
	CHECK(f->m);
	fx_free(f);
}

/* Deterministic random mix of sizes and frees; every object carries its
 * own pattern, checked when it is freed. */
static void test_random_mix(void **state)
{
	(void)state;
	for (int debug = 0; debug < 2; debug++) {
		struct fx *f = fx_new("64M", NULL, debug);
		struct kmem_cache *s = mkcache(f->m, "obj", 200, 0, SLAB_HWCACHE_ALIGN);
		enum { SLOTS = 512, OPS = 40000 };
		struct { uint8_t *p; size_t n; bool cache; } live[SLOTS] = {{0}};
		uint64_t x = 0x9e3779b97f4a7c15ull;
		for (int op = 0; op < OPS; op++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			int i = (int)(x % SLOTS);
			if (live[i].p) {
				for (size_t b = 0; b < live[i].n; b++)
					if (live[i].p[b] != (uint8_t)(i + b))
						fail_msg("object %d clobbered at byte %zu (op %d)", i, b, op);
				if (live[i].cache)
					kmem_cache_free(f->m, s, live[i].p);
				else
					kfree(f->m, live[i].p);
				live[i].p = NULL;
			} else {
				size_t n = (x >> 20) % 3 == 0 ? 200 : 1 + (x >> 24) % ((x >> 40) % 4 == 0 ? 12000 : 600);
				live[i].cache = n == 200;
				live[i].p = live[i].cache ? kmem_cache_alloc(f->m, s, GFP_KERNEL) : kmalloc(f->m, n, GFP_KERNEL);
				assert_non_null(live[i].p);
				live[i].n = n;
				for (size_t b = 0; b < n; b++)
					live[i].p[b] = (uint8_t)(i + b);
			}
			if (op % 5000 == 0)
				CHECK(f->m);
		}
		CHECK(f->m);
		for (int i = 0; i < SLOTS; i++) {
			if (live[i].cache)
				kmem_cache_free(f->m, s, live[i].p);
			else
				kfree(f->m, live[i].p);
		}
		assert_int_equal(f->m->slab_errors, 0);
		assert_int_equal(info(f->m, "obj").active_objs, 0);
		char err[256];
		assert_int_equal(kmem_cache_destroy(f->m, s, err, sizeof(err)), 0);
		CHECK(f->m);
		fx_free(f);
	}
}

/* Two memsys in one process do not share slab state. */
static void test_two_memsys(void **state)
{
	(void)state;
	struct fx *f1 = fx_new("16M", NULL, false), *f2 = fx_new("16M", NULL, true);
	mkcache(f1->m, "only1", 64, 0, 0);
	assert_null(kmem_cache_find(f2->m, "only1"));
	void *p = kmalloc(f1->m, 64, GFP_KERNEL);
	assert_int_equal(info(f2->m, "kmalloc-64").active_objs, 0);
	assert_int_equal(info(f2->m, "kmalloc-64").objsize, 192);
	kfree(f1->m, p);
	CHECK(f1->m);
	CHECK(f2->m);
	fx_free(f1);
	fx_free(f2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmalloc_geometry),
		cmocka_unit_test(test_cache_geometry),
		cmocka_unit_test(test_debug_geometry),
		cmocka_unit_test(test_create_validation),
		cmocka_unit_test(test_destroy_refuses_while_live),
		cmocka_unit_test(test_list_transitions),
		cmocka_unit_test(test_shrink_and_min_partial),
		cmocka_unit_test(test_hwcache_align_and_colour),
		cmocka_unit_test(test_kmalloc_classes),
		cmocka_unit_test(test_krealloc_kcalloc),
		cmocka_unit_test(test_poison_use_after_free),
		cmocka_unit_test(test_redzone_overrun),
		cmocka_unit_test(test_double_and_bad_frees),
		cmocka_unit_test(test_freechain_corruption),
		cmocka_unit_test(test_ctor),
		cmocka_unit_test(test_meminfo_accounting),
		cmocka_unit_test(test_slabinfo_text),
		cmocka_unit_test(test_scenario_flow),
		cmocka_unit_test(test_random_mix),
		cmocka_unit_test(test_two_memsys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
