/* mm/slab.h - slab caches and kmalloc (SLUB-like), Linux's names.
 *
 * Objects are host pointers into simulated RAM (page_address of the slab).
 * kmalloc caches: kmalloc-8,16,32,64,96,128,192,256,512,1k,2k,4k,8k;
 * larger requests go to the page allocator (a compound page).
 */
#ifndef MMSIM_MM_SLAB_H
#define MMSIM_MM_SLAB_H

#include <stddef.h>
#include <stdint.h>

#include "mm/mmzone.h"

#define SLAB_CONSISTENCY_CHECKS 0x00000100u
#define SLAB_RED_ZONE           0x00000400u
#define SLAB_POISON             0x00000800u
#define SLAB_HWCACHE_ALIGN      0x00002000u
#define SLAB_CACHE_DMA          0x00004000u
#define SLAB_CACHE_DMA32        0x00008000u
#define SLAB_STORE_USER         0x00010000u
#define SLAB_PANIC              0x00040000u
#define SLAB_RECLAIM_ACCOUNT    0x00020000u
#define SLAB_ACCOUNT            0x04000000u

#define KMALLOC_MAX_CACHE_SIZE 8192
/* Largest slab object: one block of the largest buddy order (KMALLOC_MAX_SIZE). */
#define KMALLOC_MAX_SIZE (PAGE_SIZE << (MAX_ORDER - 1))

/* kmalloc(0) returns ZERO_SIZE_PTR (never dereferenceable; kfree ignores it). */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((uintptr_t)(x) <= (uintptr_t)ZERO_SIZE_PTR)

struct kmem_cache;

/* Parse "SLAB_HWCACHE_ALIGN|SLAB_POISON".  Returns 0 or -1 with ERR. */
int slab_flags_parse(const char *s, unsigned *out, char *err, size_t errlen);

/* Create a cache of SIZE-byte objects.  Returns NULL with a reason in ERR
 * (bad size/alignment, duplicate name, no memory). */
struct kmem_cache *kmem_cache_create(struct memsys *m, const char *name, unsigned size, unsigned align,
				     unsigned flags, void (*ctor)(void *), char *err, size_t errlen);
/* Destroy CACHE.  Returns 0, or -1 (EBUSY, message in ERR, cache kept)
 * while objects are live. */
int kmem_cache_destroy(struct memsys *m, struct kmem_cache *cache, char *err, size_t errlen);
/* Object from CACHE, or NULL when the page allocator fails. */
void *kmem_cache_alloc(struct memsys *m, struct kmem_cache *cache, gfp_t gfp);
void *kmem_cache_zalloc(struct memsys *m, struct kmem_cache *cache, gfp_t gfp);
/* Free OBJ to CACHE.  Double frees, frees of foreign pointers and corrupted
 * red zones/poison are reported as SLAB_ERROR events and never corrupt state. */
void kmem_cache_free(struct memsys *m, struct kmem_cache *cache, void *obj);
/* Flush CACHE's per-CPU slabs (cpu_slab=on) and give its empty slabs back
 * to the page allocator.  Returns pages freed. */
unsigned long kmem_cache_shrink(struct memsys *m, struct kmem_cache *cache);
/* kmem_cache_shrink() of every cache that has per-CPU slabs: what the page
 * allocator does once, before the OOM killer, when direct reclaim found
 * no page.  Returns pages freed. */
unsigned long flush_all_cpu_slabs(struct memsys *m);
/* Free the empty slabs on CACHE's lists without flushing its per-CPU
 * slabs (what reclaim's shrink_slab does).  Returns pages freed. */
unsigned long __kmem_cache_shrink(struct memsys *m, struct kmem_cache *cache);
struct kmem_cache *kmem_cache_find(struct memsys *m, const char *name);

void *kmalloc(struct memsys *m, size_t size, gfp_t gfp);
void *kzalloc(struct memsys *m, size_t size, gfp_t gfp);
void *kcalloc(struct memsys *m, size_t n, size_t size, gfp_t gfp);
void *krealloc(struct memsys *m, void *p, size_t new_size, gfp_t gfp);
void kfree(struct memsys *m, const void *p);
/* Usable size of a kmalloc'ed object (its cache's object size). */
size_t ksize(struct memsys *m, const void *p);
/* The kmalloc cache that serves SIZE bytes, or NULL above KMALLOC_MAX_CACHE_SIZE. */
struct kmem_cache *kmalloc_slab(struct memsys *m, size_t size, gfp_t gfp);

/* Read-only view of a cache for /proc/slabinfo and tests. */
struct slabinfo {
	const char *name;
	unsigned long active_objs, num_objs;
	unsigned objsize, objperslab, pagesperslab;
	unsigned long active_slabs, num_slabs;
	unsigned long nr_full, nr_partial, nr_empty;
	unsigned long cpu_slabs, cpu_partial_slabs; /* frozen: CPU slabs, on CPU partial lists */
	unsigned flags;
	bool reclaimable;
};
void kmem_cache_info(const struct kmem_cache *cache, struct slabinfo *out);

/* Called by memsys_create/destroy. */
int kmem_cache_init(struct memsys *m, char *err, size_t errlen);
void kmem_cache_teardown(struct memsys *m);

/* Slab invariant check for mm_check(): returns 0 or -1 with ERR. */
int slab_check(struct memsys *m, char *err, size_t errlen);

#endif
