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
	/* Slabs by state; every slab of the cache is on exactly one list:
	 * full (inuse == objects), partial (0 < inuse < objects), empty (0). */
	struct list_head slabs_full, slabs_partial, slabs_empty;
	unsigned long nr_full, nr_partial, nr_empty;
	unsigned long nr_slabs, total_objects, active_objects, total_pages;
	struct kmem_cache *dma_cache;  /* kmalloc-N: its dma-kmalloc-N twin */
};

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
/* The slab page (head) holding ADDR, or NULL if ADDR is not in a slab. */
struct page *virt_to_slab(struct memsys *m, const void *addr);
/* Index of object OBJ in SLAB, or -1 if OBJ is not at an object boundary. */
long slab_obj_index(struct memsys *m, const struct kmem_cache *s, const struct page *slab, const void *obj);
/* Read the free pointer stored in free object OBJ into *NEXT (host pointer,
 * NULL = end).  Returns false if the stored value is not a direct-map
 * address inside RAM (a corrupted chain). */
bool get_freepointer(struct memsys *m, const struct kmem_cache *s, const void *obj, void **next);
void set_freepointer(struct memsys *m, const struct kmem_cache *s, void *obj, void *next);
/* Internal alloc/free without trace events (kmalloc emits its own). */
void *slab_alloc(struct memsys *m, struct kmem_cache *s, gfp_t gfp);
/* Returns 0, or -1 if OBJ was refused (reported). */
int slab_free(struct memsys *m, struct kmem_cache *s, void *obj);

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

#endif
