/* mm/slub_cpu.c - SLUB's per-CPU slabs (Linux 6.1 mm/slub.c: struct
 * kmem_cache_cpu, ___slab_alloc, get_partial_node, get_freelist,
 * deactivate_slab, put_cpu_partial, unfreeze_partials, __slab_free,
 * flush_cpu_slab, flush_all).  The fast paths are inline in
 * mm/slub_def.h; this file holds the slow ones.
 *
 * With cpu_slab=on, every cache without debug flags has for each CPU a
 * CPU slab with that CPU's own freelist, and a CPU partial list
 * (CONFIG_SLUB_CPU_PARTIAL).  The CPU is memsys->this_cpu, the one the
 * scheduler runs now, as for the per-CPU page lists (mm/page_pcp.c).
 *
 *  - An allocation on CPU c takes the first object of c's freelist.  When
 *    that is empty, ___slab_alloc takes the slab's own freelist (objects
 *    other CPUs freed: get_freelist); if that is empty too the slab is full
 *    and goes to the full list, unfrozen.  c's next slab is then the first
 *    on c's partial list, else get_partial_node takes slabs off the
 *    cache's partial list (then its empty list): the first becomes c's
 *    slab, further ones go to c's partial list until more than
 *    cpu_partial_slabs / 2 are there; else a new slab.
 *  - A free on CPU c of an object of c's slab goes to c's freelist.  Any
 *    other free is __slab_free: the object goes to its slab's own
 *    freelist.  A frozen slab (another CPU's slab, or on a partial list)
 *    stays where it is.  A full slab is frozen onto c's partial list
 *    (put_cpu_partial, which first unfreezes the whole list to the node
 *    lists when it already holds cpu_partial_slabs slabs).  A slab on the
 *    partial list stays there; when it empties it moves to the empty list,
 *    or back to the page allocator if the cache already keeps min_partial
 *    partial and empty slabs (counting this one, as Linux does).
 *  - deactivate_slab splices a CPU freelist onto its slab's freelist,
 *    unfreezes the slab and lists it by its state (at the tail of the
 *    partial list if other CPUs had freed to it), or discards it when it
 *    is empty and the cache keeps min_partial slabs; unfreeze_partials does
 *    the same for each slab of a CPU partial list (at the tail).
 *  - flush_all deactivates every CPU's slab and unfreezes every CPU partial
 *    list: kmem_cache_shrink and kmem_cache_destroy do it, and the page
 *    allocator does it for every cache once, before the OOM killer, when
 *    direct reclaim found no page (flush_all_cpu_slabs, with the per-CPU
 *    page lists' drain_all_pages).  Reclaim's shrink_slab does not flush:
 *    Linux's reclaim never does.
 *
 * Invariants (slab_check, mm/slab_debug.c): a frozen slab is on none of
 * the cache's lists, and is exactly one CPU's slab or on exactly one CPU's
 * partial list; a CPU slab's free objects are those of its CPU's freelist
 * and of its own freelist, disjoint; a slab on a partial list keeps them
 * all on its own freelist; CPUs the machine lacks hold nothing.
 *
 * Counting: slab->inuse and the allocation bitmap count allocated objects
 * exactly at every moment (Linux's frozen slab says inuse = objects and
 * counts its CPU freelist as taken; mmsim keeps the exact figure, which
 * its double-free check and slab_check need).  /proc/slabinfo follows
 * Linux's get_slabinfo instead: see mm/slabinfo.c.
 *
 * Simplified: no transaction ids or cmpxchg (one simulated CPU runs kernel
 * code at a time); one set of node lists per cache (every CPU is on node
 * 0, so node_match always holds); no pfmemalloc slabs; the node partial
 * list is mmsim's partial list followed by its empty list.
 */
#include "mm/slub_def.h"

/* SLAB (frozen, on no CPU's list) becomes an ordinary slab: discarded when
 * empty and S already keeps min_partial partial and empty slabs, else put
 * on the list its state says, at the head or (TAIL) the end. */
static void unfreeze_slab(struct memsys *m, struct kmem_cache *s, struct page *slab, bool tail)
{
	enum slab_state st;

	slab->frozen = 0;
	if (slab->inuse == 0 && s->nr_partial + s->nr_empty >= s->min_partial) {
		discard_slab(m, s, slab);
		return;
	}
	st = slab->inuse == 0 ? SLAB_EMPTY : slab->inuse == slab->objects ? SLAB_FULL : SLAB_PARTIAL;
	__slab_list_add(s, slab, st, tail);
}

/* unfreeze_partials(): every slab of C's partial list back to the node
 * lists, in order, each at the tail. */
static void unfreeze_partials(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	while (!list_empty(&c->partial)) {
		struct page *slab = list_first_entry(&c->partial, struct page, lru);
		list_del(&slab->lru);
		c->nr_partial--;
		s->nr_cpu_partial--;
		unfreeze_slab(m, s, slab, true);
	}
}

/* put_cpu_partial(): SLAB (just frozen) to the head of C's partial list.
 * With DRAIN, a list that already holds cpu_partial_slabs slabs is first
 * unfrozen to the node lists. */
static void put_cpu_partial(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *slab,
			    bool drain)
{
	if (drain && c->nr_partial >= s->cpu_partial_slabs)
		unfreeze_partials(m, s, c);
	list_add(&slab->lru, &c->partial);
	c->nr_partial++;
	s->nr_cpu_partial++;
}

/* deactivate_slab(): SLAB, no longer a CPU slab, gets FREELIST (its CPU's
 * freelist) back on its own and is unfrozen.  A chain that leads outside
 * the slab, to an object in use or round in a cycle is reported and the
 * slab's freelist rebuilt from the bitmap. */
static void deactivate_slab(struct memsys *m, struct kmem_cache *s, struct page *slab, void *freelist)
{
	bool tail = slab->freelist != NULL; /* DEACTIVATE_REMOTE_FREES: to the tail */
	unsigned max = slab->objects - slab->inuse, n = 0;
	void *last = NULL;

	for (void *p = freelist; p;) {
		long idx = slab_obj_index(m, s, slab, p);
		if (idx < 0 || obj_allocated(slab, (unsigned)idx) || ++n > max) {
			slab_freechain_corrupt(m, s, slab, p);
			last = NULL;
			break;
		}
		last = p;
		if (!get_freepointer(m, s, p, &p)) {
			slab_freechain_corrupt(m, s, slab, last);
			last = NULL;
			break;
		}
	}
	if (last) {
		set_freepointer(m, s, last, slab->freelist);
		slab->freelist = freelist;
	}
	unfreeze_slab(m, s, slab, tail);
}

/* flush_slab(): C's slab, if any, deactivated. */
static void flush_slab(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *slab = c->slab;
	void *freelist = c->freelist;

	if (!slab)
		return;
	c->slab = NULL;
	c->freelist = NULL;
	s->nr_cpu_slabs--;
	deactivate_slab(m, s, slab, freelist);
}

void flush_all(struct memsys *m, struct kmem_cache *s)
{
	for (int cpu = 0; cpu < MM_MAX_CPUS; cpu++) { /* flush_cpu_slab on each CPU */
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		flush_slab(m, s, c);
		unfreeze_partials(m, s, c);
	}
}

unsigned long flush_all_cpu_slabs(struct memsys *m)
{
	unsigned long pages = 0;
	struct list_head *pos;

	list_for_each(pos, &m->slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		if (s->cpu_slabs && (s->nr_cpu_slabs || s->nr_cpu_partial))
			pages += kmem_cache_shrink(m, s);
	}
	return pages;
}

/* get_freelist(): SLAB's own freelist, taken for its CPU (NULL: SLAB is
 * full).  Free objects on no chain mean a corrupt chain: reported and
 * rebuilt from the bitmap first. */
static void *get_freelist(struct memsys *m, struct kmem_cache *s, struct page *slab)
{
	void *freelist;

	if (unlikely(!slab->freelist && slab->inuse != slab->objects))
		slab_freechain_corrupt(m, s, slab, NULL);
	freelist = slab->freelist;
	slab->freelist = NULL;
	return freelist;
}

/* get_partial_node(): slabs off S's partial list, then its empty list.
 * The first is returned (frozen, for C's slab); further ones are frozen
 * onto C's partial list until it got more than cpu_partial_slabs / 2.
 * Returns NULL when both lists are empty. */
static struct page *get_partial_node(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct list_head *lists[2] = {&s->slabs_partial, &s->slabs_empty};
	struct page *first = NULL;
	unsigned long partial_slabs = 0;

	for (int l = 0; l < 2; l++) {
		while (!list_empty(lists[l])) {
			struct page *slab = list_first_entry(lists[l], struct page, lru);
			slab_list_del(s, slab, l ? SLAB_EMPTY : SLAB_PARTIAL);
			slab->frozen = 1;
			if (!first) {
				first = slab; /* acquire_slab(mode = true) */
			} else {
				put_cpu_partial(m, s, c, slab, false);
				partial_slabs++;
			}
			if (partial_slabs > s->cpu_partial_slabs / 2)
				return first;
		}
	}
	return first;
}

/* C's next slab: the first on its partial list, else one from the node
 * lists, else a new one; NULL when the page allocator fails.  Sets
 * c->slab (frozen) and returns it. */
static struct page *new_cpu_slab(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu **cp, gfp_t gfp)
{
	struct kmem_cache_cpu *c = *cp;
	struct page *slab;

	if (!list_empty(&c->partial)) {
		slab = list_first_entry(&c->partial, struct page, lru);
		list_del(&slab->lru);
		c->nr_partial--;
		s->nr_cpu_partial--;
	} else if (!(slab = get_partial_node(m, s, c))) {
		slab = new_slab(m, s, gfp);
		/* the page allocator may have reclaimed, and reclaim freed or
		 * allocated objects of S: take this CPU's state afresh */
		c = *cp = &s->cpu_slab[m->this_cpu];
		if (!slab)
			return NULL;
		slab->frozen = 1;
		if (unlikely(c->slab != NULL)) /* retry_load_slab: flush the one set meanwhile */
			flush_slab(m, s, c);
	}
	c->slab = slab;
	s->nr_cpu_slabs++;
	return slab;
}

void *___slab_alloc(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp)
{
	struct page *slab = c->slab;

	for (;;) {
		if (slab) {
			c->freelist = get_freelist(m, s, slab);
			if (c->freelist)
				return take_cpu_object(m, s, c, gfp);
			/* full: off the CPU, unfrozen (DEACTIVATE_BYPASS) */
			c->slab = NULL;
			s->nr_cpu_slabs--;
			unfreeze_slab(m, s, slab, false);
		}
		slab = new_cpu_slab(m, s, &c, gfp);
		if (!slab)
			return NULL;
	}
}

void cpu_freelist_rebuild(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, void *obj)
{
	slab_freechain_corrupt(m, s, c->slab, obj);
	c->freelist = c->slab->freelist;
	c->slab->freelist = NULL;
}

void *cpu_freelist_corrupt(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, void *obj,
			   gfp_t gfp)
{
	cpu_freelist_rebuild(m, s, c, obj);
	return c->freelist ? take_cpu_object(m, s, c, gfp) : ___slab_alloc(m, s, c, gfp);
}

void __slab_free(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *slab, void *obj)
{
	bool was_full = slab->inuse + 1u == slab->objects; /* inuse is already one less */

	set_freepointer(m, s, obj, slab->freelist);
	slab->freelist = obj;
	if (slab->frozen)
		return; /* FREE_FROZEN: another CPU's slab, or on a CPU partial list */
	if (was_full) {
		/* SLUB's full slabs are on no list: freeze it onto this CPU's
		 * partial list instead of taking the node's list lock */
		slab_list_del(s, slab, SLAB_FULL);
		slab->frozen = 1;
		put_cpu_partial(m, s, c, slab, true);
		return;
	}
	s->partial_free++; /* on the partial list, which keeps it while in use */
	if (slab->inuse)
		return;
	slab_list_del(s, slab, SLAB_PARTIAL);
	if (s->nr_partial + s->nr_empty + 1 >= s->min_partial) /* n->nr_partial counts SLAB */
		discard_slab(m, s, slab);
	else
		slab_list_add(s, slab, SLAB_EMPTY);
}
