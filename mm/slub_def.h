/* mm/slub_def.h - struct kmem_cache and the helpers shared by mm/slab.c,
 * mm/slab_debug.c, mm/kmalloc.c and mm/slabinfo.c (Linux:
 * include/linux/slub_def.h and mm/slab.h).  Not part of mm/'s interface:
 * only the slab files include it.
 *
 * Layout of one object slot (SLUB's, see calculate_sizes() in mm/slab.c):
 *
 *   slot                     object = slot + red_left_pad
 *   | left red zone          | object_size bytes | right red zone | free ptr | pad |
 *   |<--- red_left_pad ----->|<------------- inuse -------------->|          |     |
 *   |<--------------------------------- size ----------------------------------->|
 *
 * The red zones exist only with SLAB_RED_ZONE.  The free pointer sits after
 * the right red zone (offset == inuse) with SLAB_POISON or a constructor,
 * otherwise in the middle of the free object (offset < object_size).
 * Slot i of a slab starts at page_address(slab) + slab->colour_off + i * size.
 */
#ifndef MMSIM_MM_SLUB_DEF_H
#define MMSIM_MM_SLUB_DEF_H

#include <stdint.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"

#define L1_CACHE_BYTES   64u      /* cache_line_size() */
#define SLUB_MAX_ORDER   3u       /* slub_max_order = PAGE_ALLOC_COSTLY_ORDER */
#define MIN_PARTIAL      5u       /* empty slabs kept at least (SLUB min_partial) */
#define MAX_PARTIAL      10u

/* Debug byte patterns (include/linux/poison.h). */
#define POISON_INUSE       0x5a   /* slab padding, never handed out */
#define POISON_FREE        0x6b   /* free object contents */
#define POISON_END         0xa5   /* last byte of a poisoned object */
#define SLUB_RED_INACTIVE  0xbb   /* red zone of a free object */
#define SLUB_RED_ACTIVE    0xcc   /* red zone of an allocated object */

/* page->private of a kmalloc_large compound head (cleared before freeing). */
#define KMALLOC_LARGE_MAGIC 0x6b6d616c6c6f634cULL

/* Smallest order whose block holds SIZE bytes (Linux get_order()). */
static inline unsigned size_to_order(size_t size)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* One CPU's view of a cache (Linux: struct kmem_cache_cpu), used when
 * s->cpu_slabs is set; see the design comment in mm/slub_cpu.c.  FREELIST
 * and the PARTIAL list belong to this CPU alone: only code running on it
 * (memsys->this_cpu) or a flush touches them. */
struct kmem_cache_cpu {
	void *freelist;                /* next free object of SLAB (host pointer), NULL = none */
	struct page *slab;             /* the CPU slab (frozen, on no list), or NULL */
	struct list_head partial;      /* frozen partial slabs, newest first (CONFIG_SLUB_CPU_PARTIAL) */
	unsigned long nr_partial;      /* slabs on PARTIAL (Linux: the first one's ->slabs) */
};

struct kmem_cache {
	struct list_head list;         /* memsys->slab_caches, creation order */
	char *name;
	unsigned object_size;          /* what the user asked for */
	unsigned size;                 /* slot size: object + metadata, aligned */
	unsigned align;
	unsigned inuse;                /* object_size + right red zone */
	unsigned offset;               /* free pointer offset from the object */
	unsigned red_left_pad;
	unsigned flags;                /* SLAB_* (debug flags included) */
	bool object_poison;            /* __OBJECT_POISON: poison free objects */
	bool is_kmalloc;               /* kmalloc-* or dma-kmalloc-*: never destroyed */
	unsigned order, objects;       /* preferred slab order and objects (s->oo) */
	unsigned min_order, min_objects; /* fallback (s->min) */
	unsigned min_partial;
	gfp_t allocflags;              /* __GFP_COMP, __GFP_DMA, __GFP_RECLAIMABLE */
	void (*ctor)(void *);
	/* Colouring (SLAB's): slab n starts its objects at colour_next*colour_off. */
	unsigned colour, colour_off, colour_next;
	/* Slabs by state; every slab of the cache that is not frozen is on
	 * exactly one list: full (inuse == objects), partial (0 < inuse <
	 * objects), empty (0).  A frozen slab (a CPU slab, or on a CPU's
	 * partial list) is on none of them. */
	struct list_head slabs_full, slabs_partial, slabs_empty;
	unsigned long nr_full, nr_partial, nr_empty;
	unsigned long nr_slabs, total_objects, active_objects, total_pages;
	/* Per-CPU slabs (mm/slub_cpu.c): frozen slabs held as CPU slabs and
	 * on CPU partial lists (nr_slabs = nr_full + nr_partial + nr_empty +
	 * nr_cpu_slabs + nr_cpu_partial), and the free objects of the slabs on
	 * the partial and empty lists (SLUB's count_partial(count_free); what
	 * /proc/slabinfo does not count as active).  Plain counters, kept
	 * exact on every change, so slabinfo never walks a list. */
	unsigned long nr_cpu_slabs, nr_cpu_partial;
	unsigned long partial_free;
	bool cpu_slabs;                /* per-CPU slabs: memsys cpu_slab=on and no debug flags */
	unsigned cpu_partial;          /* objects a CPU partial list may hold (set_cpu_partial) */
	unsigned cpu_partial_slabs;    /* the same in slabs (slub_set_cpu_partial) */
	struct kmem_cache *dma_cache;  /* kmalloc-N: its dma-kmalloc-N twin */
	/* ceil(2^SLAB_RECIPROCAL_SHIFT / size): object index by multiply
	 * (Linux: reciprocal_size / obj_to_index()), set by calculate_sizes. */
	uint64_t reciprocal_size;
	struct kmem_cache_cpu cpu_slab[MM_MAX_CPUS]; /* entries >= memsys->nr_cpus unused */
};

/* Exact for offsets below 2^22 (the largest slab, MAX_ORDER-1 = 4 MiB) and
 * sizes up to 2^23: the rounding error of reciprocal_size, times an offset,
 * stays below 2^-24 < 1/size. */
#define SLAB_RECIPROCAL_SHIFT 46

/* Slab geometry and lookup (mm/slab.c). */
static inline unsigned slab_order(const struct page *slab)
{
	return slab->compound_order; /* set by alloc_pages for every block */
}
static inline uint8_t *slab_base(struct memsys *m, const struct page *slab)
{
	return (uint8_t *)page_address(m, slab) + slab->colour_off;
}
static inline uint8_t *slab_object(struct memsys *m, const struct kmem_cache *s, const struct page *slab,
				   unsigned idx)
{
	return slab_base(m, slab) + (size_t)idx * s->size + s->red_left_pad;
}
static inline uint64_t *slab_bitmap(const struct page *slab) { return (uint64_t *)(uintptr_t)slab->private; }
static inline bool obj_allocated(const struct page *slab, unsigned idx)
{
	return (slab_bitmap(slab)[idx / 64] >> (idx % 64)) & 1u;
}
/* The slab page (head) holding ADDR, or NULL if ADDR is not in a slab.
 * O(1): a slab of order > 0 is a compound block, whose tail pages lead to
 * the head through head_offset (Linux: virt_to_slab / compound_head). */
static inline struct page *__virt_to_slab(struct memsys *m, const void *addr) /* ADDR in RAM */
{
	struct page *p = virt_to_page(m, addr);
	p -= p->head_offset;
	return PageSlab(p) ? p : NULL;
}
static inline struct page *virt_to_slab(struct memsys *m, const void *addr)
{
	if (unlikely(!addr_in_ram(m, addr)))
		return NULL;
	return __virt_to_slab(m, addr);
}
/* Index of object OBJ in SLAB, or -1 if OBJ is not at an object boundary
 * of SLAB.  A multiply by the cache's reciprocal, no division. */
static inline long __slab_obj_index(const struct kmem_cache *s, const struct page *slab, uintptr_t base,
				    const void *obj) /* BASE: address of object 0 */
{
	uintptr_t off = (uintptr_t)obj - base; /* huge when OBJ < base */
	if (unlikely(off >= (uintptr_t)slab->objects * s->size))
		return -1;
	uintptr_t idx = (uintptr_t)((off * s->reciprocal_size) >> SLAB_RECIPROCAL_SHIFT);
	if (unlikely(idx * s->size != off))
		return -1;
	return (long)idx;
}
static inline long slab_obj_index(struct memsys *m, const struct kmem_cache *s, const struct page *slab,
				  const void *obj)
{
	return __slab_obj_index(s, slab, (uintptr_t)slab_base(m, slab) + s->red_left_pad, obj);
}
/* Read the free pointer stored in free object OBJ into *NEXT (host pointer,
 * NULL = end).  Returns false if the stored value is not a direct-map
 * address inside RAM (a corrupted chain). */
static inline bool get_freepointer(struct memsys *m, const struct kmem_cache *s, const void *obj, void **next)
{
	uint64_t v;
	memcpy(&v, (const uint8_t *)obj + s->offset, sizeof(v));
	if (!v) {
		*next = NULL;
		return true;
	}
	if (unlikely(v < PAGE_OFFSET || v - PAGE_OFFSET >= (uint64_t)m->max_pfn << PAGE_SHIFT))
		return false;
	*next = phys_to_host(m, v - PAGE_OFFSET);
	return true;
}
/* Store NEXT (host pointer or NULL) in free object OBJ as a direct-map address. */
static inline void set_freepointer(struct memsys *m, const struct kmem_cache *s, void *obj, void *next)
{
	uint64_t v = next ? kva_of(m, next) : 0;
	memcpy((uint8_t *)obj + s->offset, &v, sizeof(v));
}
/* Internal alloc/free without trace events (kmalloc emits its own). */
void *slab_alloc(struct memsys *m, struct kmem_cache *s, gfp_t gfp);
/* Returns 0, or -1 if OBJ was refused (reported). */
int slab_free(struct memsys *m, struct kmem_cache *s, void *obj);
/* slab_free() when the caller already has OBJ's slab (virt_to_slab, not NULL). */
int do_slab_free(struct memsys *m, struct kmem_cache *s, struct page *slab, void *obj);

/* Debugging (mm/slab_debug.c). */
/* Report a slab error: SLAB_ERROR event, m->slab_errors, one stderr line. */
void slab_report(struct memsys *m, const struct kmem_cache *s, const void *obj, const char *what);
/* Fill a new slab's padding and free objects with the debug patterns. */
void setup_slab_debug(struct memsys *m, struct kmem_cache *s, struct page *slab);
/* Write red zones (VAL) and, for a free object, poison into OBJ. */
void init_object(struct kmem_cache *s, void *obj, uint8_t val);
/* Check OBJ's red zones against VAL and (free objects) its poison; report
 * and restore what was overwritten.  Returns true if all was intact. */
bool check_object(struct memsys *m, struct kmem_cache *s, void *obj, uint8_t val);

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & (SLAB_RED_ZONE | SLAB_POISON);
}

/* The slab fast paths, inline here so that kmalloc()/kfree() and
 * kmem_cache_alloc()/kmem_cache_free() need no further call in the common
 * case; the rare parts (a new slab, a list change, a corrupt chain) are
 * out of line in mm/slab.c and mm/slub_cpu.c. */
enum slab_state { SLAB_FULL, SLAB_PARTIAL, SLAB_EMPTY }; /* which list a slab is on */
/* new_slab() of mm/slub.c: a new slab of S, counted in the cache's totals
 * but on no list, or NULL when the page allocator fails. */
struct page *new_slab(struct memsys *m, struct kmem_cache *s, gfp_t gfp);
/* allocate_slab(): new_slab() put on S's empty list, or NULL. */
struct page *allocate_slab(struct memsys *m, struct kmem_cache *s, gfp_t gfp);
/* Give SLAB (on no list, no object in use) back to the buddy allocator. */
void discard_slab(struct memsys *m, struct kmem_cache *s, struct page *slab);
/* Report a corrupt freelist at OBJ of SLAB and rebuild it from the bitmap. */
void slab_freechain_corrupt(struct memsys *m, struct kmem_cache *s, struct page *slab, void *obj);
/* Link every free object of SLAB (bitmap bit clear) into slab->freelist in
 * index order.  Returns the number linked. */
unsigned rebuild_freelist(struct memsys *m, struct kmem_cache *s, struct page *slab);
/* Move SLAB from the list for FROM to the one for TO; an empty slab is
 * given back (discard_slab) when S already keeps min_partial slabs. */
void slab_list_move(struct memsys *m, struct kmem_cache *s, struct page *slab, enum slab_state from,
		    enum slab_state to);

/* List bookkeeping: SLAB leaves / joins the list for state ST.  partial_free
 * follows: it counts the free objects of the slabs on the partial and
 * empty lists, so a slab's inuse may change only while it is on a list
 * (then the caller adjusts partial_free) or off all of them. */
static inline void slab_list_del(struct kmem_cache *s, struct page *slab, enum slab_state st)
{
	list_del(&slab->lru);
	if (st == SLAB_FULL) {
		s->nr_full--;
		return;
	}
	if (st == SLAB_PARTIAL)
		s->nr_partial--;
	else
		s->nr_empty--;
	s->partial_free -= (unsigned long)(slab->objects - slab->inuse);
}
/* The same, at the head of the list or (TAIL) at its end. */
static inline void __slab_list_add(struct kmem_cache *s, struct page *slab, enum slab_state st, bool tail)
{
	struct list_head *head;
	if (st == SLAB_FULL) {
		head = &s->slabs_full;
		s->nr_full++;
	} else {
		head = st == SLAB_PARTIAL ? &s->slabs_partial : &s->slabs_empty;
		if (st == SLAB_PARTIAL)
			s->nr_partial++;
		else
			s->nr_empty++;
		s->partial_free += (unsigned long)(slab->objects - slab->inuse);
	}
	if (tail)
		list_add_tail(&slab->lru, head);
	else
		list_add(&slab->lru, head);
}
static inline void slab_list_add(struct kmem_cache *s, struct page *slab, enum slab_state st)
{
	__slab_list_add(s, slab, st, false);
}

/* Per-CPU slabs (mm/slub_cpu.c). */
/* ___slab_alloc(): C's freelist is empty: refill it from C's slab (remote
 * frees), else make another slab C's slab (C's partial list, the node
 * lists, a new slab) and take its first object.  Returns the object, or
 * NULL when the page allocator fails. */
void *___slab_alloc(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp);
/* C's freelist is corrupt at OBJ (its head): report, rebuild it from the
 * bitmap and take an object.  Returns it, or NULL as ___slab_alloc. */
void *cpu_freelist_corrupt(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, void *obj,
			   gfp_t gfp);
/* OBJ's next pointer is corrupt: report, and rebuild C's freelist from
 * the bitmap (every free object of C's slab). */
void cpu_freelist_rebuild(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, void *obj);
/* __slab_free() of mm/slub.c: OBJ (already marked free, counted) goes to
 * SLAB's own freelist; a full slab is frozen onto C's partial list, an
 * emptied partial slab moves to the empty list or is discarded. */
void __slab_free(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *slab, void *obj);
/* flush_all(): every CPU's slab and partial list of S back to the node
 * lists (deactivate_slab, unfreeze_partials). */
void flush_all(struct memsys *m, struct kmem_cache *s);

/* Is NEXT (a free pointer read from SLAB, whose object 0 is at BASE) NULL
 * or a free object of SLAB? */
static inline bool free_object_or_null(const struct kmem_cache *s, const struct page *slab, uintptr_t base,
				       const void *next)
{
	if (likely(next == NULL))
		return true;
	long ni = __slab_obj_index(s, slab, base, next);
	return likely(ni >= 0 && !obj_allocated(slab, (unsigned)ni));
}

/* Take the first object of C's freelist (not empty), validating the chain
 * as take_object() does.  Returns the object, or NULL only when the chain
 * was corrupt and no object was left (see cpu_freelist_corrupt). */
static inline void *take_cpu_object(struct memsys *m, struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp)
{
	struct page *slab = c->slab;
	void *obj = c->freelist, *next = NULL;
	const uintptr_t base = (uintptr_t)slab_base(m, slab) + s->red_left_pad;
	long idx = __slab_obj_index(s, slab, base, obj);

	if (unlikely(idx < 0 || obj_allocated(slab, (unsigned)idx)))
		return cpu_freelist_corrupt(m, s, c, obj, gfp);
	slab_bitmap(slab)[idx / 64] |= 1ull << (idx % 64);
	slab->inuse++;
	s->active_objects++;
	if (unlikely(!get_freepointer(m, s, obj, &next) || !free_object_or_null(s, slab, base, next))) {
		cpu_freelist_rebuild(m, s, c, obj);
		return obj;
	}
	c->freelist = next;
	return obj;
}

/* Take the first free object of SLAB (which has one), validating the chain:
 * a next pointer outside the slab, off an object boundary or at an object
 * in use means a write after free; it is reported and the chain rebuilt
 * from the bitmap.  Returns the object. */
static inline void *take_object(struct memsys *m, struct kmem_cache *s, struct page *slab)
{
	void *obj = slab->freelist, *next = NULL;
	const uintptr_t base = (uintptr_t)slab_base(m, slab) + s->red_left_pad;
	long idx = obj ? __slab_obj_index(s, slab, base, obj) : -1;

	if (unlikely(idx < 0 || obj_allocated(slab, (unsigned)idx))) {
		slab_freechain_corrupt(m, s, slab, obj);
		obj = slab->freelist;
		idx = __slab_obj_index(s, slab, base, obj);
	}
	slab_bitmap(slab)[idx / 64] |= 1ull << (idx % 64);
	unsigned still_free = slab->objects - slab->inuse - 1u;
	if (unlikely(!get_freepointer(m, s, obj, &next) || !free_object_or_null(s, slab, base, next)))
		goto corrupt;
	if (unlikely(!next && still_free))
		goto corrupt; /* the chain ends while objects remain free */
	slab->freelist = next;
	return obj;
corrupt:
	slab_freechain_corrupt(m, s, slab, obj);
	return obj;
}

/* slab_alloc(): with per-CPU slabs, the first object of this CPU's
 * freelist (slab_alloc_node's fast path), else ___slab_alloc; without,
 * an object from S's first partial slab, else its first empty slab, else
 * a new slab.  Returns NULL when the page allocator fails. */
static inline void *slab_alloc_inline(struct memsys *m, struct kmem_cache *s, gfp_t gfp)
{
	struct page *slab;
	enum slab_state from;
	void *obj;

	if (likely(s->cpu_slabs)) {
		struct kmem_cache_cpu *c = &s->cpu_slab[m->this_cpu];
		obj = likely(c->freelist != NULL) ? take_cpu_object(m, s, c, gfp) : ___slab_alloc(m, s, c, gfp);
		if (unlikely(!obj))
			return NULL;
		goto out; /* no debug flags with per-CPU slabs */
	}
	if (likely(!list_empty(&s->slabs_partial))) {
		slab = list_first_entry(&s->slabs_partial, struct page, lru);
		from = SLAB_PARTIAL;
	} else if (!list_empty(&s->slabs_empty)) {
		slab = list_first_entry(&s->slabs_empty, struct page, lru);
		from = SLAB_EMPTY;
	} else {
		slab = allocate_slab(m, s, gfp);
		if (!slab)
			return NULL;
		from = SLAB_EMPTY;
	}
	obj = take_object(m, s, slab);
	slab->inuse++;
	s->active_objects++;
	s->partial_free--; /* SLAB is on the partial or empty list */
	/* the list state after taking one object: never empty */
	enum slab_state to = slab->inuse == slab->objects ? SLAB_FULL : SLAB_PARTIAL;
	if (unlikely(to != from))
		slab_list_move(m, s, slab, from, to);
	if (unlikely(kmem_cache_debug(s))) {
		check_object(m, s, obj, SLUB_RED_INACTIVE);
		init_object(s, obj, SLUB_RED_ACTIVE);
	}
out:
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, s->object_size);
	return obj;
}

/* do_slab_free(): give OBJ back to SLAB (OBJ's slab) of S.  With per-CPU
 * slabs an object of this CPU's slab goes to this CPU's freelist, any
 * other to __slab_free.  Returns 0, or -1 when OBJ is refused (wrong
 * cache, not an object, already free: reported). */
static inline int slab_free_inline(struct memsys *m, struct kmem_cache *s, struct page *slab, void *obj)
{
	long idx;

	if (unlikely(slab->mapping != s)) {
		slab_report(m, s, obj, "Wrong slab cache");
		return -1;
	}
	idx = slab_obj_index(m, s, slab, obj);
	if (unlikely(idx < 0)) {
		slab_report(m, s, obj, "Invalid object pointer");
		return -1;
	}
	if (unlikely(!obj_allocated(slab, (unsigned)idx))) {
		slab_report(m, s, obj, "Object already free");
		return -1;
	}
	if (likely(s->cpu_slabs)) {
		struct kmem_cache_cpu *c = &s->cpu_slab[m->this_cpu];
		slab_bitmap(slab)[idx / 64] &= ~(1ull << (idx % 64));
		slab->inuse--;
		s->active_objects--;
		if (likely(slab == c->slab)) {
			set_freepointer(m, s, obj, c->freelist);
			c->freelist = obj;
		} else {
			__slab_free(m, s, c, slab, obj);
		}
		return 0;
	}
	if (unlikely(kmem_cache_debug(s))) {
		check_object(m, s, obj, SLUB_RED_ACTIVE);
		init_object(s, obj, SLUB_RED_INACTIVE);
	}
	/* list state before and after: OBJ was allocated, so inuse >= 1 */
	enum slab_state from = slab->inuse == slab->objects ? SLAB_FULL : SLAB_PARTIAL;
	set_freepointer(m, s, obj, slab->freelist);
	slab->freelist = obj;
	slab_bitmap(slab)[idx / 64] &= ~(1ull << (idx % 64));
	slab->inuse--;
	s->active_objects--;
	if (from != SLAB_FULL)
		s->partial_free++; /* SLAB is on the partial list */
	enum slab_state to = slab->inuse == 0 ? SLAB_EMPTY : SLAB_PARTIAL;
	if (unlikely(to != from))
		slab_list_move(m, s, slab, from, to);
	return 0;
}

#endif
