/* mm/slab.c - slab caches: a SLUB-like object allocator over the buddy
 * allocator (Linux: mm/slub.c, mm/slab_common.c).
 *
 * A cache hands out objects of one size from slabs: blocks of 2^order pages
 * taken from alloc_pages().  The slab's head struct page carries PG_slab,
 * page->mapping = the cache, page->freelist (first free object),
 * page->inuse / page->objects, page->colour_off and, in page->private, a
 * host-side allocation bitmap (one bit per object, set = allocated).
 *
 * Invariants (checked by slab_check() in mm/slab_debug.c):
 *  - every slab of a cache that is not frozen is on exactly one of its
 *    lists: slabs_full (inuse == objects), slabs_partial (0 < inuse <
 *    objects) or slabs_empty (inuse == 0), and nr_full/nr_partial/nr_empty
 *    count them;
 *  - a frozen slab (cpu_slab=on only, mm/slub_cpu.c) is one CPU's slab or
 *    on one CPU's partial list, and on none of the lists above;
 *  - the freelist is a NULL-terminated chain through the free objects,
 *    each link stored in simulated RAM at object + offset as a direct-map
 *    kernel address (what a Linux person sees in a memory dump);
 *  - the chain holds exactly the objects whose bitmap bit is clear, so its
 *    length is objects - inuse (for a CPU slab: the CPU's freelist and the
 *    slab's own together);
 *  - inuse counts the allocated objects exactly, and partial_free the free
 *    objects of the slabs on slabs_partial and slabs_empty.
 * The bitmap is mmsim's addition: it lets every double free be refused and
 * a corrupted chain be rebuilt, whatever the debug flags.
 *
 * Per-CPU slabs (SLUB's kmem_cache_cpu) are mm/slub_cpu.c's, switched by
 * the memory setting cpu_slab (on for `mmsim run`, off for scenarios, the
 * exercises and a bare memsys); a cache with debug flags never uses them,
 * as in Linux 6.1.  Without them every CPU allocates from the cache's
 * first partial slab, as described here.
 *
 * Differences from SLUB, on purpose: three lists instead of SLUB's partial
 * list plus implicit full slabs, so list transitions are visible;
 * SLAB-style colouring (SLUB has none); an empty slab is given back at once
 * when the cache already holds min_partial partial or empty slabs (SLUB's
 * rule), else kept on slabs_empty for kmem_cache_shrink().
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/slub_def.h"
#include "traces/trace.h"

#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))

static bool is_power_of_2(unsigned long x) { return x && !(x & (x - 1)); }

static unsigned ilog2_u(unsigned long x)
{
	unsigned r = 0;
	while (x >>= 1)
		r++;
	return r;
}

/* Linux's fls(): position of the most significant set bit, 1-based. */
static unsigned fls_u(unsigned x) { return x ? ilog2_u(x) + 1 : 0; }

/* Objects of SIZE bytes in a slab of ORDER. */
static unsigned order_objects(unsigned order, unsigned size) { return (unsigned)((PAGE_SIZE << order) / size); }

/* calculate_alignment() of mm/slab_common.c: SLAB_HWCACHE_ALIGN aligns to
 * the cache line, halved while the object fits twice in it. */
static unsigned calculate_alignment(unsigned flags, unsigned align, unsigned size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned ralign = L1_CACHE_BYTES;
		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8) /* arch_slab_minalign() */
		align = 8;
	return ALIGN_UP(align, 8u);
}

/* calc_slab_order() of mm/slub.c: the smallest order from MIN_OBJECTS
 * objects up to MAX_ORDER that wastes at most 1/FRACT_LEFTOVER. */
static unsigned calc_slab_order(unsigned size, unsigned min_objects, unsigned max_order, unsigned fract_leftover)
{
	unsigned order = size_to_order((size_t)min_objects * size);
	for (; order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;
		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* calculate_order() of mm/slub.c with one CPU: slub_min_objects =
 * 4 * (fls(1) + 1) = 8, slub_max_order = 3.  Returns the order, or -1 if
 * not even one object fits in the largest block. */
static int calculate_order(unsigned size)
{
	unsigned min_objects = 4 * (fls_u(1) + 1);
	unsigned max_objects = order_objects(SLUB_MAX_ORDER, size);
	unsigned order;

	if (min_objects > max_objects)
		min_objects = max_objects;
	while (min_objects > 1) {
		for (unsigned fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order(size, min_objects, SLUB_MAX_ORDER, fraction);
			if (order <= SLUB_MAX_ORDER)
				return (int)order;
		}
		min_objects--;
	}
	order = calc_slab_order(size, 1, SLUB_MAX_ORDER, 1);
	if (order <= SLUB_MAX_ORDER)
		return (int)order;
	order = calc_slab_order(size, 1, MAX_ORDER, 1);
	if (order < MAX_ORDER)
		return (int)order;
	return -1;
}

/* calculate_sizes() of mm/slub.c: slot layout, order and gfp of S (whose
 * object_size, align, flags and ctor are set).  Returns 0, or -1 if the
 * object cannot fit in any slab. */
static int calculate_sizes(struct kmem_cache *s)
{
	unsigned size = ALIGN_UP(s->object_size, 8u);
	int order;

	s->object_poison = (s->flags & SLAB_POISON) && !s->ctor;
	/* A red zone needs at least one word after the object. */
	if ((s->flags & SLAB_RED_ZONE) && size == s->object_size)
		size += 8;
	s->inuse = size;
	if ((s->flags & SLAB_POISON) || ((s->flags & SLAB_RED_ZONE) && s->object_size < 8) || s->ctor) {
		/* The free object's contents must stay intact: pointer after it. */
		s->offset = size;
		size += 8;
	} else {
		/* Mid-object, away from small over/underflows of neighbours. */
		s->offset = ALIGN_DOWN(s->object_size / 2, 8u);
	}
	s->red_left_pad = 0;
	if (s->flags & SLAB_RED_ZONE) {
		size += 8; /* padding that catches writes before the next object */
		s->red_left_pad = ALIGN_UP(8u, s->align);
		size += s->red_left_pad;
	}
	s->size = ALIGN_UP(size, s->align);
	s->reciprocal_size = ((1ull << SLAB_RECIPROCAL_SHIFT) + s->size - 1) / s->size;

	order = calculate_order(s->size);
	if (order < 0)
		return -1;
	s->order = (unsigned)order;
	s->objects = order_objects(s->order, s->size);
	s->min_order = size_to_order(s->size);
	s->min_objects = order_objects(s->min_order, s->size);

	s->allocflags = 0;
	if (s->order)
		s->allocflags |= __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= __GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= __GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;

	/* set_min_partial(s, ilog2(s->size) / 2) */
	s->min_partial = ilog2_u(s->size) / 2;
	if (s->min_partial < MIN_PARTIAL)
		s->min_partial = MIN_PARTIAL;
	if (s->min_partial > MAX_PARTIAL)
		s->min_partial = MAX_PARTIAL;

	/* SLAB's colouring: slab n shifts its objects by (n mod colour) cache
	 * lines (or alignment units if larger) within the slab's leftover. */
	s->colour_off = s->align > L1_CACHE_BYTES ? s->align : L1_CACHE_BYTES;
	s->colour = (unsigned)(((PAGE_SIZE << s->order) - (unsigned long)s->objects * s->size) / s->colour_off);
	if (s->colour > 65535 / s->colour_off + 1) /* page->colour_off is 16 bits */
		s->colour = 65535 / s->colour_off + 1;
	s->colour_next = 0;
	return 0;
}

static const struct {
	const char *name;
	unsigned flag;
} slab_flag_names[] = {
	{"SLAB_CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS},
	{"SLAB_RED_ZONE", SLAB_RED_ZONE},
	{"SLAB_POISON", SLAB_POISON},
	{"SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN},
	{"SLAB_CACHE_DMA", SLAB_CACHE_DMA},
	{"SLAB_CACHE_DMA32", SLAB_CACHE_DMA32},
	{"SLAB_STORE_USER", SLAB_STORE_USER},
	{"SLAB_PANIC", SLAB_PANIC},
	{"SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT},
	{"SLAB_ACCOUNT", SLAB_ACCOUNT},
};
#define SLAB_VALID_FLAGS                                                                                \
	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | \
	 SLAB_CACHE_DMA32 | SLAB_STORE_USER | SLAB_PANIC | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT)

/* Parse '|'-separated SLAB_* names or numbers ("" and "0" are no flags).
 * Returns 0, or -1 naming the bad token in ERR. */
int slab_flags_parse(const char *s, unsigned *out, char *err, size_t errlen)
{
	unsigned flags = 0;
	const char *p = s ? s : "";

	while (*p) {
		const char *end = strchr(p, '|');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		bool found = false;
		for (size_t i = 0; i < sizeof(slab_flag_names) / sizeof(slab_flag_names[0]); i++) {
			if (strlen(slab_flag_names[i].name) == len && !strncmp(p, slab_flag_names[i].name, len)) {
				flags |= slab_flag_names[i].flag;
				found = true;
			}
		}
		if (!found) {
			char tok[64], *e;
			snprintf(tok, sizeof(tok), "%.*s", (int)(len < 63 ? len : 63), p);
			errno = 0;
			unsigned long v = len ? strtoul(tok, &e, 0) : 0;
			if (!len || *e || errno || (v & ~(unsigned long)SLAB_VALID_FLAGS)) {
				snprintf(err, errlen, "unknown slab flag '%s'", tok);
				return -1;
			}
			flags |= (unsigned)v;
		}
		if (!end)
			break;
		p = end + 1;
		if (!*p) {
			snprintf(err, errlen, "empty slab flag after '|' in '%s'", s);
			return -1;
		}
	}
	*out = flags;
	return 0;
}

/* set_cpu_partial() of mm/slub.c (CONFIG_SLUB_CPU_PARTIAL): how many
 * objects a CPU partial list keeps, by object size, and the same in slabs
 * assuming half-full slabs (slub_set_cpu_partial). */
static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned nr_objects;

	if (!s->cpu_slabs)
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = nr_objects;
	s->cpu_partial_slabs = (nr_objects * 2 + s->objects - 1) / s->objects;
}

struct kmem_cache *kmem_cache_find(struct memsys *m, const char *name)
{
	struct list_head *pos;
	list_for_each(pos, &m->slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		if (!strcmp(s->name, name))
			return s;
	}
	return NULL;
}

/* Create a cache (see mm/slab.h).  Returns NULL with the reason in ERR. */
struct kmem_cache *kmem_cache_create(struct memsys *m, const char *name, unsigned size, unsigned align,
				     unsigned flags, void (*ctor)(void *), char *err, size_t errlen)
{
	struct kmem_cache *s = NULL;
	const char *nm = name ? name : "(null)";

	if (!name || !*name || strlen(name) > 63) {
		snprintf(err, errlen, "kmem_cache_create(%s): name must be 1 to 63 characters", nm);
		goto err;
	}
	for (const char *c = name; *c; c++) {
		if (!isgraph((unsigned char)*c)) {
			snprintf(err, errlen, "kmem_cache_create(%s): name may not contain spaces or control characters", nm);
			goto err;
		}
	}
	if (size == 0 || size > KMALLOC_MAX_SIZE) {
		snprintf(err, errlen, "kmem_cache_create(%s): object size %u outside 1..%lu", nm, size, KMALLOC_MAX_SIZE);
		goto err;
	}
	if (align && (!is_power_of_2(align) || align > KMALLOC_MAX_SIZE)) {
		snprintf(err, errlen, "kmem_cache_create(%s): align %u is not a power of two up to %lu", nm, align,
			 KMALLOC_MAX_SIZE);
		goto err;
	}
	if (flags & ~SLAB_VALID_FLAGS) {
		snprintf(err, errlen, "kmem_cache_create(%s): unknown flags 0x%x", nm, flags & ~SLAB_VALID_FLAGS);
		goto err;
	}
	if ((flags & SLAB_CACHE_DMA) && (flags & SLAB_CACHE_DMA32)) {
		snprintf(err, errlen, "kmem_cache_create(%s): SLAB_CACHE_DMA and SLAB_CACHE_DMA32 together", nm);
		goto err;
	}
	if (kmem_cache_find(m, name)) {
		snprintf(err, errlen, "kmem_cache_create(%s): a cache with this name already exists", nm);
		goto err;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->name = strdup(name))) {
		snprintf(err, errlen, "kmem_cache_create(%s): out of host memory", nm);
		goto err;
	}
	if (m->cfg.slab_debug) /* slub_debug=PZ */
		flags |= SLAB_POISON | SLAB_RED_ZONE;
	s->object_size = size;
	s->flags = flags;
	s->ctor = ctor;
	s->align = calculate_alignment(flags, align, size);
	if (calculate_sizes(s) < 0) {
		snprintf(err, errlen, "kmem_cache_create(%s): object of %u bytes (%u with debug data) exceeds the largest slab",
			 nm, size, s->size);
		goto err;
	}
	INIT_LIST_HEAD(&s->slabs_full);
	INIT_LIST_HEAD(&s->slabs_partial);
	INIT_LIST_HEAD(&s->slabs_empty);
	for (int cpu = 0; cpu < MM_MAX_CPUS; cpu++)
		INIT_LIST_HEAD(&s->cpu_slab[cpu].partial);
	/* Linux 6.1 gives debug caches no CPU slabs (kmem_cache_debug) */
	s->cpu_slabs = m->cpu_slab_enabled && !kmem_cache_debug(s);
	set_cpu_partial(s);
	list_add_tail(&s->list, &m->slab_caches);
	m->slab_caches_gen++;

	struct trace_event ev = trace_event_init(TEV_CACHE_CREATE);
	ev.cache = s->name;
	ev.size = size;
	ev.value = s->size;
	ev.order = (int32_t)s->order;
	trace_emit(m->trace, &ev);
	return s;
err:
	if (s)
		free(s->name);
	free(s);
	return NULL;
}

static void slab_account(struct memsys *m, struct kmem_cache *s, struct page *slab, long sign)
{
	enum node_stat_item item = (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
	mod_node_page_state(m, slab->node, item, sign * (1L << slab_order(slab)));
}

unsigned rebuild_freelist(struct memsys *m, struct kmem_cache *s, struct page *slab)
{
	void *head = NULL;
	unsigned n = 0;
	for (unsigned i = slab->objects; i-- > 0;) {
		if (obj_allocated(slab, i))
			continue;
		void *obj = slab_object(m, s, slab, i);
		set_freepointer(m, s, obj, head);
		head = obj;
		n++;
	}
	slab->freelist = head;
	return n;
}

/* new_slab() (allocate_slab()) of mm/slub.c: a new slab, on no list.  Tries the
 * preferred order without retrying or warning, then the minimum order with
 * the caller's flags.  Returns the slab, or NULL. */
struct page *new_slab(struct memsys *m, struct kmem_cache *s, gfp_t gfp)
{
	const gfp_t keep = __GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | __GFP_RETRY_MAYFAIL |
			   __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC | __GFP_ATOMIC |
			   __GFP_HARDWALL | __GFP_THISNODE;
	gfp_t flags = (gfp & keep) | s->allocflags;
	gfp_t alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	unsigned order = s->order, objects = s->objects;
	struct page *slab;
	uint64_t *bitmap;

	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && s->order > s->min_order)
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	slab = alloc_pages(m, alloc_gfp, order);
	if (!slab) {
		order = s->min_order;
		objects = s->min_objects;
		flags &= ~__GFP_COMP;
		if (order)
			flags |= __GFP_COMP;
		slab = alloc_pages(m, flags, order);
		if (!slab)
			return NULL;
	}
	bitmap = calloc((objects + 63) / 64, sizeof(uint64_t));
	if (!bitmap) {
		__free_pages(m, slab, order);
		return NULL;
	}
	SetPageSlab(slab);
	slab->mapping = s;
	slab->private = (uint64_t)(uintptr_t)bitmap;
	slab->inuse = 0;
	slab->objects = (uint16_t)objects;
	slab->frozen = 0;
	slab->colour_off = 0;
	if (order == s->order && s->colour) {
		slab->colour_off = (uint16_t)(s->colour_next * s->colour_off);
		s->colour_next = (s->colour_next + 1) % s->colour;
	}
	slab_account(m, s, slab, +1);

	if (kmem_cache_debug(s))
		setup_slab_debug(m, s, slab);
	if (s->ctor)
		for (unsigned i = 0; i < objects; i++)
			s->ctor(slab_object(m, s, slab, i));
	rebuild_freelist(m, s, slab);

	s->nr_slabs++;
	s->total_objects += objects;
	s->total_pages += 1ul << order;

	struct trace_event ev = trace_event_init(TEV_SLAB_NEW);
	ev.cache = s->name;
	ev.pfn = (int64_t)page_to_pfn(m, slab);
	ev.order = (int32_t)order;
	ev.zone = slab->zone;
	ev.value = objects;
	trace_emit(m->trace, &ev);
	return slab;
}

struct page *allocate_slab(struct memsys *m, struct kmem_cache *s, gfp_t gfp)
{
	struct page *slab = new_slab(m, s, gfp);
	if (slab)
		slab_list_add(s, slab, SLAB_EMPTY);
	return slab;
}

void discard_slab(struct memsys *m, struct kmem_cache *s, struct page *slab)
{
	unsigned order = slab_order(slab);
	struct trace_event ev = trace_event_init(TEV_SLAB_DISCARD);
	ev.cache = s->name;
	ev.pfn = (int64_t)page_to_pfn(m, slab);
	ev.order = (int32_t)order;
	ev.zone = slab->zone;
	trace_emit(m->trace, &ev);

	s->nr_slabs--;
	s->total_objects -= slab->objects;
	s->total_pages -= 1ul << order;
	slab_account(m, s, slab, -1);
	free(slab_bitmap(slab));
	slab->private = 0;
	slab->freelist = NULL;
	slab->mapping = NULL;
	slab->inuse = 0;
	slab->objects = 0;
	slab->frozen = 0;
	slab->colour_off = 0;
	ClearPageSlab(slab);
	__free_pages(m, slab, order);
}





void slab_freechain_corrupt(struct memsys *m, struct kmem_cache *s, struct page *slab, void *obj)
{
	slab_report(m, s, obj, "Freechain corrupt");
	rebuild_freelist(m, s, slab);
}

void slab_list_move(struct memsys *m, struct kmem_cache *s, struct page *slab, enum slab_state from,
		    enum slab_state to)
{
	slab_list_del(s, slab, from);
	/* SLUB's rule: an empty slab goes back once min_partial are kept */
	if (to == SLAB_EMPTY && s->nr_partial + s->nr_empty >= s->min_partial)
		discard_slab(m, s, slab);
	else
		slab_list_add(s, slab, to);
}

void *slab_alloc(struct memsys *m, struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_inline(m, s, gfp);
}

int do_slab_free(struct memsys *m, struct kmem_cache *s, struct page *slab, void *obj)
{
	return slab_free_inline(m, s, slab, obj);
}

int slab_free(struct memsys *m, struct kmem_cache *s, void *obj)
{
	struct page *slab = virt_to_slab(m, obj);

	if (!slab) {
		slab_report(m, s, obj, "Attempt to free object outside of slab");
		return -1;
	}
	return do_slab_free(m, s, slab, obj);
}


/* Allocate one object; returns NULL when the page allocator fails. */
void *kmem_cache_alloc(struct memsys *m, struct kmem_cache *s, gfp_t gfp)
{
	if (!s)
		return NULL;
	void *obj = slab_alloc(m, s, gfp);
	if (!obj)
		return NULL;
	if (mm_trace_count_only(m, TEV_SLAB_ALLOC))
		return obj;
	struct trace_event ev = trace_event_init(TEV_SLAB_ALLOC);
	ev.cache = s->name;
	ev.addr = kva_of(m, obj);
	ev.size = s->object_size;
	ev.value = s->size;
	ev.gfp = gfp;
	trace_emit(m->trace, &ev);
	return obj;
}

void *kmem_cache_zalloc(struct memsys *m, struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(m, s, gfp | __GFP_ZERO);
}

/* Free OBJ to S (NULL S: the cache OBJ's slab belongs to).  Bad frees are
 * reported by slab_free() and change nothing. */
void kmem_cache_free(struct memsys *m, struct kmem_cache *s, void *obj)
{
	if (!obj)
		return;
	if (!s) {
		struct page *slab = virt_to_slab(m, obj);
		if (!slab) {
			slab_report(m, NULL, obj, "Attempt to free object outside of slab");
			return;
		}
		s = slab->mapping;
	}
	if (slab_free(m, s, obj) < 0)
		return;
	if (mm_trace_count_only(m, TEV_SLAB_FREE))
		return;
	struct trace_event ev = trace_event_init(TEV_SLAB_FREE);
	ev.cache = s->name;
	ev.addr = kva_of(m, obj);
	ev.size = s->object_size;
	trace_emit(m->trace, &ev);
}

unsigned long __kmem_cache_shrink(struct memsys *m, struct kmem_cache *s)
{
	unsigned long pages = 0;
	while (!list_empty(&s->slabs_empty)) {
		struct page *slab = list_first_entry(&s->slabs_empty, struct page, lru);
		pages += 1ul << slab_order(slab);
		slab_list_del(s, slab, SLAB_EMPTY);
		discard_slab(m, s, slab);
	}
	return pages;
}

/* Flush every CPU's slabs of S to the node lists (flush_all; nothing
 * without per-CPU slabs), then free every empty slab.  Returns the number
 * of pages freed, the flush's discards included. */
unsigned long kmem_cache_shrink(struct memsys *m, struct kmem_cache *s)
{
	unsigned long before = s->total_pages;
	if (s->cpu_slabs)
		flush_all(m, s);
	__kmem_cache_shrink(m, s);
	return before - s->total_pages;
}

static void free_cache(struct kmem_cache *s)
{
	free(s->name);
	free(s);
}

/* Destroy S.  Returns 0, or -1 with ERR while objects are live (Linux's
 * message) or for a kmalloc cache. */
int kmem_cache_destroy(struct memsys *m, struct kmem_cache *s, char *err, size_t errlen)
{
	if (!s)
		return 0; /* like Linux: destroying NULL is a no-op */
	if (s->is_kmalloc) {
		snprintf(err, errlen, "kmem_cache_destroy %s: kmalloc caches cannot be destroyed", s->name);
		return -1;
	}
	if (s->active_objects) {
		snprintf(err, errlen, "kmem_cache_destroy %s: Slab cache still has objects", s->name);
		return -1;
	}
	kmem_cache_shrink(m, s); /* __kmem_cache_shutdown: flush_all, then free */
	list_del(&s->list);
	m->slab_caches_gen++;
	struct trace_event ev = trace_event_init(TEV_CACHE_DESTROY);
	ev.cache = s->name;
	trace_emit(m->trace, &ev);
	free_cache(s);
	return 0;
}

void kmem_cache_info(const struct kmem_cache *s, struct slabinfo *out)
{
	memset(out, 0, sizeof(*out));
	out->name = s->name;
	out->num_objs = s->total_objects;
	out->objsize = s->size;
	out->objperslab = s->objects;
	out->pagesperslab = 1u << s->order;
	/* SLUB's get_slabinfo: every object not free on a node partial list
	 * is active (the free objects of CPU slabs and CPU partial slabs
	 * included), and every slab is active. */
	out->active_objs = s->total_objects - s->partial_free;
	out->active_slabs = s->nr_slabs;
	out->num_slabs = s->nr_slabs;
	out->nr_full = s->nr_full;
	out->nr_partial = s->nr_partial;
	out->nr_empty = s->nr_empty;
	out->cpu_slabs = s->nr_cpu_slabs;
	out->cpu_partial_slabs = s->nr_cpu_partial;
	out->flags = s->flags;
	out->reclaimable = s->flags & SLAB_RECLAIM_ACCOUNT;
}

/* Object size of kmalloc index I (Linux: kmalloc_info[]): 1 = 96, 2 = 192,
 * 3..13 = 8..8192. */
static unsigned kmalloc_index_size(unsigned i) { return i == 1 ? 96 : i == 2 ? 192 : 1u << i; }

static void kmalloc_name(char *buf, size_t len, const char *prefix, unsigned size)
{
	if (size >= 1024)
		snprintf(buf, len, "%skmalloc-%uk", prefix, size / 1024);
	else
		snprintf(buf, len, "%skmalloc-%u", prefix, size);
}

/* create_kmalloc_caches(): kmalloc-8 .. kmalloc-8k in Linux's creation
 * order (96 right after 64, 192 after 128), then the dma-kmalloc-* twins. */
int kmem_cache_init(struct memsys *m, char *err, size_t errlen)
{
	static const unsigned order[] = {3, 4, 5, 6, 1, 7, 2, 8, 9, 10, 11, 12, 13};
	INIT_LIST_HEAD(&m->slab_caches);
	memset(m->kmalloc_caches, 0, sizeof(m->kmalloc_caches));
	m->kmem_cache_cache = NULL;
	m->slab_errors = 0;
	for (int dma = 0; dma < 2; dma++) {
		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			unsigned i = order[k], size = kmalloc_index_size(i);
			char name[32];
			kmalloc_name(name, sizeof(name), dma ? "dma-" : "", size);
			/* create_boot_cache(): power-of-two sizes are naturally aligned. */
			unsigned align = is_power_of_2(size) ? size : 8;
			struct kmem_cache *s =
				kmem_cache_create(m, name, size, align, dma ? SLAB_CACHE_DMA : 0, NULL, err, errlen);
			if (!s) {
				kmem_cache_teardown(m);
				return -1;
			}
			s->is_kmalloc = true;
			if (dma)
				m->kmalloc_caches[i]->dma_cache = s;
			else
				m->kmalloc_caches[i] = s;
		}
	}
	return 0;
}

/* Free the host side of every cache; the simulated pages go with the
 * memsys, so nothing is given back to the buddy allocator. */
void kmem_cache_teardown(struct memsys *m)
{
	struct list_head *pos, *n;
	if (!m->slab_caches.next)
		return;
	list_for_each_safe(pos, n, &m->slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);
		struct list_head *lists[3 + MM_MAX_CPUS] = {&s->slabs_full, &s->slabs_partial, &s->slabs_empty};
		for (int cpu = 0; cpu < MM_MAX_CPUS; cpu++) {
			struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
			lists[3 + cpu] = &c->partial;
			if (c->slab) {
				free(slab_bitmap(c->slab));
				c->slab->private = 0;
			}
		}
		for (int l = 0; l < 3 + MM_MAX_CPUS; l++) {
			struct list_head *sp, *sn;
			list_for_each_safe(sp, sn, lists[l]) {
				struct page *slab = list_entry(sp, struct page, lru);
				free(slab_bitmap(slab));
				slab->private = 0;
			}
		}
		list_del(&s->list);
		m->slab_caches_gen++;
		free_cache(s);
	}
	memset(m->kmalloc_caches, 0, sizeof(m->kmalloc_caches));
}
