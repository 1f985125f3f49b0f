/* tests/slab/test_slab_cpu.c - SLUB's per-CPU slabs (mm/slub_cpu.c,
 * cpu_slab=on): the fast path takes objects from this CPU's slab; a free
 * to this CPU's slab goes to its freelist, any other free the __slab_free
 * way (a frozen slab keeps it, a full slab is frozen onto this CPU's
 * partial list, which put_cpu_partial drains to the node lists when
 * full); flush_all (kmem_cache_shrink, kmem_cache_destroy, before the OOM
 * killer) empties every CPU's slabs; debug caches have none; a corrupt CPU
 * freelist or slab freelist is reported and rebuilt, double frees and
 * frees to the wrong cache are refused; /proc/slabinfo counts the free
 * objects of CPU slabs as active, as Linux's get_slabinfo does.  A mixed
 * pattern of allocations and (remote) frees on 1 and 4 CPUs gives the
 * same object counts, trace totals and, once flushed and shrunk, the same
 * slab and free page counts as with cpu_slab=off.  mm_check() (slab_check)
 * runs after every step.
 *
 * A 64-byte cache has 64 objects per order-0 slab, min_partial 5 and
 * cpu_partial_slabs 4 (120 objects * 2 / 64, rounded up).
 */
#include "tests/mm/mm_test.h"

#include "mm/page_pcp.h"
#include "mm/slub_def.h"

#define PER_SLAB 64

static struct memsys *make(const char *settings, int ncpu, struct trace **t)
{
	struct memsys *m = mm_make(settings, t);
	assert_int_equal(memsys_set_nr_cpus(m, ncpu), 0);
	return m;
}

static struct kmem_cache *mkcache(struct memsys *m, const char *name, unsigned size, unsigned flags)
{
	char err[256];
	struct kmem_cache *s = kmem_cache_create(m, name, size, 0, flags, NULL, err, sizeof(err));
	if (!s)
		fail_msg("kmem_cache_create: %s", err);
	return s;
}

static void *alloc_on(struct memsys *m, struct kmem_cache *s, int cpu)
{
	memsys_set_this_cpu(m, cpu);
	void *p = kmem_cache_alloc(m, s, GFP_KERNEL);
	assert_non_null(p);
	mm_assert_ok(m);
	return p;
}

static void free_on(struct memsys *m, struct kmem_cache *s, void *p, int cpu)
{
	memsys_set_this_cpu(m, cpu);
	kmem_cache_free(m, s, p);
	mm_assert_ok(m);
}

static struct page *slab_of(struct memsys *m, void *p) { return virt_to_slab(m, p); }

static long slab_pages(struct memsys *m)
{
	return global_node_page_state(m, NR_SLAB_RECLAIMABLE_B) + global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B);
}

/* One CPU: every object of the first slab comes from the CPU slab, which
 * is frozen and on no list; the 65th needs a new CPU slab and the full one
 * goes to the full list; a free to the CPU slab is the next object out. */
static void test_fast_path(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=16M cpu_slab=on", 1, &t);
	struct kmem_cache *s = mkcache(m, "obj", 64, 0);
	struct kmem_cache_cpu *c = &s->cpu_slab[0];
	void *o[PER_SLAB + 1];

	assert_true(s->cpu_slabs);
	assert_int_equal(s->cpu_partial_slabs, 4);
	for (int i = 0; i < PER_SLAB; i++) {
		o[i] = alloc_on(m, s, 0);
		assert_ptr_equal(slab_of(m, o[i]), c->slab);
	}
	struct page *first = c->slab;
	assert_true(first->frozen);
	assert_int_equal(first->inuse, PER_SLAB);
	assert_null(c->freelist);
	assert_int_equal(s->nr_cpu_slabs, 1);
	assert_int_equal(s->nr_full + s->nr_partial + s->nr_empty, 0);
	o[PER_SLAB] = alloc_on(m, s, 0);
	assert_ptr_not_equal(c->slab, first);
	assert_false(first->frozen);
	assert_int_equal(s->nr_full, 1); /* DEACTIVATE_BYPASS */
	void *last = o[PER_SLAB];
	free_on(m, s, last, 0);
	assert_ptr_equal(c->freelist, last);
	assert_ptr_equal(alloc_on(m, s, 0), last);
	for (int i = 0; i <= PER_SLAB; i++)
		free_on(m, s, o[i], 0);
	assert_int_equal(s->active_objects, 0);
	assert_int_equal(trace_count(t, TEV_SLAB_ALLOC), PER_SLAB + 2);
	assert_int_equal(trace_count(t, TEV_SLAB_FREE), PER_SLAB + 2);
	assert_int_equal(m->slab_errors, 0);
	mm_free_all(m, t);
}

/* Four CPUs: each has its own CPU slab; a free on CPU 0 of CPU 1's object
 * goes to that slab's own freelist (neither CPU's freelist), and CPU 1
 * takes it back when its own freelist runs out (get_freelist). */
static void test_remote_free(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=16M cpu_slab=on", 4, &t);
	struct kmem_cache *s = mkcache(m, "obj", 64, 0);
	void *o[4], *rest[PER_SLAB];

	for (int cpu = 0; cpu < 4; cpu++) {
		o[cpu] = alloc_on(m, s, cpu);
		assert_ptr_equal(slab_of(m, o[cpu]), s->cpu_slab[cpu].slab);
		for (int k = 0; k < cpu; k++)
			assert_ptr_not_equal(s->cpu_slab[cpu].slab, s->cpu_slab[k].slab);
	}
	assert_int_equal(s->nr_cpu_slabs, 4);
	void *f0 = s->cpu_slab[0].freelist, *f1 = s->cpu_slab[1].freelist;
	struct page *s1 = s->cpu_slab[1].slab;
	free_on(m, s, o[1], 0);
	assert_ptr_equal(s->cpu_slab[0].freelist, f0);
	assert_ptr_equal(s->cpu_slab[1].freelist, f1);
	assert_ptr_equal(s1->freelist, o[1]);
	assert_int_equal(s1->inuse, 0);
	assert_true(s1->frozen);
	/* CPU 1 uses up its freelist (63 objects), then gets the remote free */
	for (int i = 0; i < PER_SLAB - 1; i++)
		rest[i] = alloc_on(m, s, 1);
	assert_null(s->cpu_slab[1].freelist);
	rest[PER_SLAB - 1] = alloc_on(m, s, 1);
	assert_ptr_equal(rest[PER_SLAB - 1], o[1]);
	assert_ptr_equal(s->cpu_slab[1].slab, s1);
	assert_int_equal(s1->inuse, PER_SLAB);
	/* a free of CPU 0's own object on CPU 0 is its next allocation */
	free_on(m, s, o[0], 0);
	assert_ptr_equal(s->cpu_slab[0].freelist, o[0]);
	assert_ptr_equal(alloc_on(m, s, 0), o[0]);
	for (int i = 0; i < PER_SLAB; i++)
		free_on(m, s, rest[i], 3);
	for (int cpu = 0; cpu < 4; cpu++)
		if (cpu != 1)
			free_on(m, s, o[cpu], (cpu + 1) % 4);
	assert_int_equal(s->active_objects, 0);
	assert_int_equal(m->slab_errors, 0);
	mm_free_all(m, t);
}

/* A free to a full slab freezes it onto this CPU's partial list (newest
 * first, used before the node lists); the fifth such slab finds the list
 * holding cpu_partial_slabs (4) and first unfreezes them to the node
 * partial list. */
static void test_cpu_partial(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=16M cpu_slab=on", 1, &t);
	struct kmem_cache *s = mkcache(m, "obj", 64, 0);
	enum { NSLABS = 7 };
	void *o[NSLABS][PER_SLAB];

	for (int k = 0; k < NSLABS; k++)
		for (int i = 0; i < PER_SLAB; i++)
			o[k][i] = alloc_on(m, s, 0);
	assert_int_equal(s->nr_full, NSLABS - 1); /* the last is still the CPU slab */
	assert_int_equal(s->nr_cpu_slabs, 1);
	free_on(m, s, o[0][5], 0);
	assert_int_equal(s->nr_cpu_partial, 1);
	assert_true(slab_of(m, o[0][0])->frozen);
	free_on(m, s, o[1][7], 0);
	assert_int_equal(s->nr_cpu_partial, 2);
	/* the CPU slab is full: the next object comes from the newest partial slab */
	assert_ptr_equal(alloc_on(m, s, 0), o[1][7]);
	assert_int_equal(s->nr_full, NSLABS - 2); /* slabs 2..6: the old CPU slab joined them */
	assert_int_equal(s->nr_cpu_partial, 1);
	for (int k = 2; k < 6; k++)
		free_on(m, s, o[k][0], 0);
	/* slabs 0, 2, 3, 4 were on the list when slab 5 came: unfrozen */
	assert_int_equal(s->nr_cpu_partial, 1);
	assert_int_equal(s->nr_partial, 4);
	assert_false(slab_of(m, o[0][0])->frozen);
	assert_true(slab_of(m, o[5][1])->frozen);
	struct slabinfo si;
	kmem_cache_info(s, &si);
	assert_int_equal(si.cpu_slabs, 1);
	assert_int_equal(si.cpu_partial_slabs, 1);
	/* slabinfo: the free objects of the CPU partial slab count as active */
	assert_int_equal(si.active_objs, si.num_objs - s->partial_free);
	assert_int_equal(s->partial_free, 4);
	assert_int_equal(si.active_objs, s->active_objects + 1);
	mm_free_all(m, t);
}

/* kmem_cache_shrink flushes every CPU's slab and partial list and frees
 * the empty slabs; kmem_cache_destroy does the same; with everything freed
 * the pages all return to the buddy allocator. */
static void test_flush_shrink_destroy(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=16M cpu_slab=on", 4, &t);
	long pages0 = slab_pages(m), free0 = global_zone_page_state(m, NR_FREE_PAGES);
	struct kmem_cache *s = mkcache(m, "obj", 64, 0);
	void *o[4][100];
	char err[256];

	for (int cpu = 0; cpu < 4; cpu++)
		for (int i = 0; i < 100; i++)
			o[cpu][i] = alloc_on(m, s, cpu);
	for (int cpu = 0; cpu < 4; cpu++) /* every second object, freed elsewhere */
		for (int i = 0; i < 100; i += 2)
			free_on(m, s, o[cpu][i], (cpu + 1) % 4);
	assert_true(s->nr_cpu_slabs + s->nr_cpu_partial > 0);
	assert_int_equal(kmem_cache_destroy(m, s, err, sizeof(err)), -1);
	kmem_cache_shrink(m, s);
	mm_assert_ok(m);
	assert_int_equal(s->nr_cpu_slabs + s->nr_cpu_partial, 0);
	for (int cpu = 0; cpu < 4; cpu++) {
		assert_null(s->cpu_slab[cpu].slab);
		assert_null(s->cpu_slab[cpu].freelist);
		assert_int_equal(s->cpu_slab[cpu].nr_partial, 0);
	}
	assert_int_equal(s->active_objects, 200);
	struct slabinfo si;
	kmem_cache_info(s, &si);
	assert_int_equal(si.active_objs, 200); /* nothing frozen: the exact count */
	for (int cpu = 0; cpu < 4; cpu++)
		for (int i = 1; i < 100; i += 2)
			free_on(m, s, o[cpu][i], cpu);
	assert_int_equal(kmem_cache_destroy(m, s, err, sizeof(err)), 0);
	mm_assert_ok(m);
	assert_int_equal(slab_pages(m), pages0);
	assert_int_equal(global_zone_page_state(m, NR_FREE_PAGES), free0);
	mm_free_all(m, t);
}

/* Empty slabs on a CPU partial list are given back when direct reclaim
 * finds no page, before the allocation fails. */
static void test_flush_before_failing(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=1M zones=DMA:1M min_free_kbytes=0 cpu_slab=on", 1, &t);
	struct kmem_cache *s = mkcache(m, "obj", 64, 0);
	void *o[3][PER_SLAB];
	struct page *p[256];
	int n = 0;

	for (int k = 0; k < 3; k++)
		for (int i = 0; i < PER_SLAB; i++)
			o[k][i] = alloc_on(m, s, 0);
	while (n < 256 && (p[n] = alloc_page(m, GFP_KERNEL | __GFP_NOWARN)) != NULL)
		n++;
	assert_true(n > 0 && n < 256);
	for (int k = 0; k < 2; k++) /* slabs 0 and 1: empty, on the CPU partial list */
		for (int i = 0; i < PER_SLAB; i++)
			free_on(m, s, o[k][i], 0);
	assert_int_equal(s->nr_cpu_partial, 2);
	assert_int_equal(s->nr_slabs, 3);
	unsigned long fails = m->vm_events[PGALLOC_FAIL];
	p[n] = alloc_page(m, GFP_KERNEL);
	assert_non_null(p[n]);
	n++;
	assert_int_equal(m->vm_events[PGALLOC_FAIL], fails);
	assert_int_equal(s->nr_cpu_partial + s->nr_cpu_slabs, 0);
	assert_int_equal(s->nr_slabs, 1); /* the full one is left */
	mm_assert_ok(m);
	while (n > 0)
		__free_page(m, p[--n]);
	for (int i = 0; i < PER_SLAB; i++) /* slab 2, full on its list: frozen by the first free */
		free_on(m, s, o[2][i], 0);
	assert_int_equal(s->nr_cpu_partial, 1);
	assert_int_equal(flush_all_cpu_slabs(m), 1);
	assert_int_equal(s->nr_slabs, 0);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* Debug caches (slub_debug, red zones, poison) never use CPU slabs, as in
 * Linux 6.1; the kmalloc caches of a cpu_slab=on memsys do. */
static void test_debug_caches(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=16M cpu_slab=on", 2, &t);
	struct kmem_cache *rz = mkcache(m, "rz", 40, SLAB_RED_ZONE | SLAB_POISON);
	assert_false(rz->cpu_slabs);
	void *p = alloc_on(m, rz, 1);
	assert_null(rz->cpu_slab[1].slab);
	assert_int_equal(rz->nr_partial, 1);
	free_on(m, rz, p, 0);
	assert_true(kmalloc_slab(m, 64, 0)->cpu_slabs);
	mm_free_all(m, t);

	m = make("mem=16M cpu_slab=on slub_debug=1", 2, &t);
	assert_false(kmalloc_slab(m, 64, 0)->cpu_slabs);
	mm_free_all(m, t);
	m = make("mem=16M", 2, &t); /* a bare memsys: off */
	assert_false(kmalloc_slab(m, 64, 0)->cpu_slabs);
	mm_free_all(m, t);
}

/* A write after free over the free pointer of an object on the CPU
 * freelist is reported once and the chain rebuilt: every other object of
 * the slab is still handed out exactly once. */
static void test_cpu_freelist_corruption(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=16M cpu_slab=on", 1, &t);
	struct kmem_cache *s = kmalloc_slab(m, 64, 0);
	uint8_t *a = kmalloc(m, 64, GFP_KERNEL), *b = kmalloc(m, 64, GFP_KERNEL);
	kfree(m, b);
	kfree(m, a);
	assert_ptr_equal(s->cpu_slab[0].freelist, a);
	memset(a + 32, 0x77, 8); /* the free pointer is mid-object, offset 32 */
	uint8_t *x = kmalloc(m, 64, GFP_KERNEL);
	assert_ptr_equal(x, a);
	assert_int_equal(m->slab_errors, 1);
	mm_assert_ok(m);
	void *o[PER_SLAB - 1];
	for (int i = 0; i < PER_SLAB - 1; i++) {
		o[i] = kmalloc(m, 64, GFP_KERNEL);
		assert_ptr_equal(slab_of(m, o[i]), slab_of(m, x));
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(o[i], o[j]);
		assert_ptr_not_equal(o[i], x);
	}
	assert_int_equal(s->nr_slabs, 1);
	mm_assert_ok(m);
	for (int i = 0; i < PER_SLAB - 1; i++)
		kfree(m, o[i]);
	kfree(m, x);
	assert_int_equal(m->slab_errors, 1);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* With CPU slabs, a double free (to this CPU's slab, to another CPU's, to
 * a CPU partial slab) and a free to the wrong cache are refused and change
 * nothing; a write after free over an object freed remotely (on a slab's
 * own freelist) is caught when the owning CPU takes that freelist. */
static void test_bad_frees_and_remote_corruption(void **state)
{
	(void)state;
	struct trace *t;
	struct memsys *m = make("mem=16M cpu_slab=on", 2, &t);
	struct kmem_cache *s = mkcache(m, "obj", 64, 0), *other = mkcache(m, "other", 64, 0);
	void *a = alloc_on(m, s, 0), *b = alloc_on(m, s, 1);

	free_on(m, s, a, 0);
	free_on(m, s, a, 0); /* this CPU's slab */
	free_on(m, s, a, 1); /* another CPU's slab */
	assert_int_equal(m->slab_errors, 2);
	memsys_set_this_cpu(m, 0);
	kmem_cache_free(m, other, b);
	assert_int_equal(m->slab_errors, 3);
	assert_int_equal(s->active_objects, 1);
	mm_assert_ok(m);

	/* b, CPU 1's object, freed on CPU 0: on its slab's own freelist;
	 * then overwritten (the free pointer is mid-object, offset 32) */
	free_on(m, s, b, 0);
	assert_ptr_equal(s->cpu_slab[1].slab->freelist, b);
	memset((uint8_t *)b + 32, 0x55, 8);
	char err[512];
	assert_int_equal(mm_check(m, err, sizeof(err)), -1); /* slab_check sees it */
	assert_non_null(strstr(err, "outside RAM"));
	void *o[PER_SLAB];
	memsys_set_this_cpu(m, 1);
	for (int i = 0; i < PER_SLAB - 1; i++) /* CPU 1's own 63 */
		assert_non_null(o[i] = kmem_cache_alloc(m, s, GFP_KERNEL));
	assert_int_equal(m->slab_errors, 3);
	/* get_freelist: b, whose next is garbage: reported, chain rebuilt */
	o[PER_SLAB - 1] = kmem_cache_alloc(m, s, GFP_KERNEL);
	assert_ptr_equal(o[PER_SLAB - 1], b);
	assert_int_equal(m->slab_errors, 4);
	mm_assert_ok(m);
	for (int i = 0; i < PER_SLAB; i++)
		free_on(m, s, o[i], i % 2);
	kmem_cache_shrink(m, s);
	assert_int_equal(s->nr_slabs, 0);
	mm_assert_ok(m);
	mm_free_all(m, t);
}

/* The mixed pattern: STEPS operations chosen by a fixed LCG over NCPU
 * CPUs, allocating from a private cache and from kmalloc of several sizes
 * and freeing random live objects (so mostly on another CPU than the one
 * that allocated), with a kmem_cache_shrink and a flush of every cache now
 * and then.  Each object carries its id, checked at free (an object handed
 * out twice would have been overwritten). */
struct pattern_result {
	unsigned long allocs, frees, active_peak;
	uint64_t ev_alloc, ev_free, ev_kmalloc, ev_kfree;
	long slab_pages_after, free_pages_after, slab_pages_before, free_pages_before;
	unsigned long frozen_seen;
};

#define LIVE_MAX 600
#define STEPS 6000

static void run_pattern(const char *settings, int ncpu, struct pattern_result *r)
{
	static const unsigned sizes[] = {8, 24, 64, 100, 192, 512, 1000, 3000};
	struct trace *t;
	struct memsys *m = make(settings, ncpu, &t);
	struct { uint32_t *p; uint32_t id; bool cached; } live[LIVE_MAX];
	unsigned nlive = 0;
	uint64_t x = 12345;

	memset(r, 0, sizeof(*r));
	r->slab_pages_before = slab_pages(m);
	r->free_pages_before = global_zone_page_state(m, NR_FREE_PAGES);
	struct kmem_cache *s = mkcache(m, "obj", 64, 0);
	for (uint32_t step = 0; step < STEPS; step++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned r1 = (unsigned)(x >> 33);
		memsys_set_this_cpu(m, (int)(r1 % (unsigned)ncpu));
		bool alloc = nlive == 0 || (nlive < LIVE_MAX && ((r1 >> 8) % 100) < (step < STEPS / 2 ? 60u : 40u));
		if (alloc) {
			bool cached = (r1 >> 16) & 1;
			uint32_t *p = cached ? kmem_cache_alloc(m, s, GFP_KERNEL)
					     : kmalloc(m, sizes[(r1 >> 17) % 8], GFP_KERNEL);
			assert_non_null(p);
			p[0] = step;
			p[1] = ~step;
			live[nlive].p = p;
			live[nlive].id = step;
			live[nlive].cached = cached;
			nlive++;
			r->allocs++;
		} else {
			unsigned i = (r1 >> 8) % nlive;
			assert_int_equal(live[i].p[0], live[i].id);
			assert_int_equal(live[i].p[1], ~live[i].id);
			if (live[i].cached)
				kmem_cache_free(m, s, live[i].p);
			else
				kfree(m, live[i].p);
			live[i] = live[--nlive];
			r->frees++;
		}
		if (step % 997 == 996) /* now and then a shrink, or a flush of every cache */
			kmem_cache_shrink(m, s);
		if (step % 2503 == 2502)
			flush_all_cpu_slabs(m);
		if (s->active_objects > r->active_peak)
			r->active_peak = s->active_objects;
		r->frozen_seen += s->nr_cpu_slabs + s->nr_cpu_partial;
		assert_true(s->active_objects <= nlive);
		mm_assert_ok(m);
	}
	while (nlive) {
		nlive--;
		memsys_set_this_cpu(m, (int)(nlive % (unsigned)ncpu));
		if (live[nlive].cached)
			kmem_cache_free(m, s, live[nlive].p);
		else
			kfree(m, live[nlive].p);
		r->frees++;
		mm_assert_ok(m);
	}
	assert_int_equal(s->active_objects, 0);
	struct list_head *pos;
	list_for_each(pos, &m->slab_caches)
		kmem_cache_shrink(m, list_entry(pos, struct kmem_cache, list));
	mm_assert_ok(m);
	assert_int_equal(s->nr_slabs, 0);
	assert_int_equal(m->slab_errors, 0);
	r->slab_pages_after = slab_pages(m);
	r->free_pages_after = global_zone_page_state(m, NR_FREE_PAGES);
	r->ev_alloc = trace_count(t, TEV_SLAB_ALLOC);
	r->ev_free = trace_count(t, TEV_SLAB_FREE);
	r->ev_kmalloc = trace_count(t, TEV_KMALLOC);
	r->ev_kfree = trace_count(t, TEV_KFREE);
	mm_free_all(m, t);
}

static void pattern_on_off(int ncpu)
{
	struct pattern_result on, off;
	run_pattern("mem=16M cpu_slab=on", ncpu, &on);
	run_pattern("mem=16M cpu_slab=off", ncpu, &off);
	assert_true(on.frozen_seen > 0);
	assert_int_equal(off.frozen_seen, 0);
	assert_int_equal(on.allocs, off.allocs);
	assert_int_equal(on.frees, off.frees);
	assert_int_equal(on.active_peak, off.active_peak);
	assert_int_equal(on.ev_alloc, off.ev_alloc);
	assert_int_equal(on.ev_free, off.ev_free);
	assert_int_equal(on.ev_kmalloc, off.ev_kmalloc);
	assert_int_equal(on.ev_kfree, off.ev_kfree);
	assert_int_equal(on.ev_alloc + on.ev_kmalloc, on.allocs);
	/* no leak: everything back where it started, in both modes */
	assert_int_equal(on.slab_pages_after, on.slab_pages_before);
	assert_int_equal(off.slab_pages_after, off.slab_pages_before);
	assert_int_equal(on.slab_pages_after, off.slab_pages_after);
	assert_int_equal(on.free_pages_after, on.free_pages_before);
	assert_int_equal(on.free_pages_after, off.free_pages_after);
}

static void test_pattern_1cpu(void **state)
{
	(void)state;
	pattern_on_off(1);
}

static void test_pattern_4cpus(void **state)
{
	(void)state;
	pattern_on_off(4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_path),
		cmocka_unit_test(test_remote_free),
		cmocka_unit_test(test_cpu_partial),
		cmocka_unit_test(test_flush_shrink_destroy),
		cmocka_unit_test(test_flush_before_failing),
		cmocka_unit_test(test_debug_caches),
		cmocka_unit_test(test_cpu_freelist_corruption),
		cmocka_unit_test(test_bad_frees_and_remote_corruption),
		cmocka_unit_test(test_pattern_1cpu),
		cmocka_unit_test(test_pattern_4cpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
