/* mm/kmalloc.c - kmalloc and friends over the kmalloc-* caches (Linux:
 * mm/slab_common.c, mm/slub.c).
 *
 * Sizes up to KMALLOC_MAX_CACHE_SIZE (8 KiB) come from the smallest
 * kmalloc cache that holds them, chosen by Linux's size_index table (so
 * 65..96 bytes come from kmalloc-96 and 129..192 from kmalloc-192); with
 * __GFP_DMA from its dma-kmalloc-* twin.  Larger sizes go to the page
 * allocator as one compound block (kmalloc_large), counted as unreclaimable
 * slab memory like Linux does; kfree() tells the two apart by the page:
 * PG_slab, or a compound head that kmalloc_large marked.
 */
#include <stdint.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/slub_def.h"
#include "traces/trace.h"

/* size_index[] of mm/slab_common.c: kmalloc index for sizes 1..192 in
 * steps of 8 (1 = kmalloc-96, 2 = kmalloc-192, n = kmalloc-2^n). */
static const uint8_t size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6,  /* 8 .. 64 */
	1, 1, 1, 1, 7, 7, 7, 7,  /* 72 .. 128 */
	2, 2, 2, 2, 2, 2, 2, 2,  /* 136 .. 192 */
};

struct kmem_cache *kmalloc_slab(struct memsys *m, size_t size, gfp_t gfp)
{
	unsigned idx;
	if (size == 0 || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	if (size <= 192)
		idx = size_index[(size - 1) / 8];
	else
		idx = 64u - (unsigned)__builtin_clzll((unsigned long long)(size - 1)); /* fls(size - 1) */
	struct kmem_cache *s = m->kmalloc_caches[idx];
	if (unlikely(s && (gfp & __GFP_DMA) && s->dma_cache))
		s = s->dma_cache;
	return s;
}

/* Usable bytes of an object of S (Linux's slab_ksize()). */
static size_t slab_ksize(const struct kmem_cache *s)
{
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size;
	if (s->flags & SLAB_STORE_USER)
		return s->inuse;
	return s->size;
}

static inline void trace_kmalloc(struct memsys *m, const void *p, size_t req, size_t alloc,
				 const struct kmem_cache *s, gfp_t gfp)
{
	if (mm_trace_count_only(m, TEV_KMALLOC))
		return;
	struct trace_event ev = trace_event_init(TEV_KMALLOC);
	ev.addr = kva_of(m, p);
	ev.size = req;
	ev.value = (int64_t)alloc;
	ev.cache = s ? s->name : NULL;
	ev.gfp = gfp;
	trace_emit(m->trace, &ev);
}

/* kmalloc_large(): a compound block of get_order(SIZE).  Returns its
 * address, or NULL (size beyond the largest block, or no memory). */
static void *kmalloc_large(struct memsys *m, size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	unsigned order = size_to_order(size);
	struct page *page = alloc_pages(m, gfp | __GFP_COMP, order);
	if (!page)
		return NULL;
	page->private = KMALLOC_LARGE_MAGIC;
	mod_node_page_state(m, page->node, NR_SLAB_UNRECLAIMABLE_B, 1l << order);
	void *p = page_address(m, page);
	trace_kmalloc(m, p, size, PAGE_SIZE << order, NULL, gfp);
	return p;
}

/* SIZE bytes, ZERO_SIZE_PTR for 0, or NULL when memory runs out. */
void *kmalloc(struct memsys *m, size_t size, gfp_t gfp)
{
	if (unlikely(size == 0))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(m, size, gfp);
	struct kmem_cache *s = kmalloc_slab(m, size, gfp);
	if (unlikely(!s))
		return NULL;
	void *p = slab_alloc_inline(m, s, gfp);
	if (likely(p != NULL))
		trace_kmalloc(m, p, size, s->size, s, gfp);
	return p;
}

void *kzalloc(struct memsys *m, size_t size, gfp_t gfp) { return kmalloc(m, size, gfp | __GFP_ZERO); }

/* Zeroed array of N elements of SIZE; NULL if N * SIZE overflows. */
void *kcalloc(struct memsys *m, size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(m, n * size, gfp);
}

/* The kmalloc_large head page of P, or NULL. */
static struct page *large_kmalloc_page(struct memsys *m, const void *p)
{
	struct page *page = virt_to_page(m, p);
	if (PageHead(page) && !PageSlab(page) && page->private == KMALLOC_LARGE_MAGIC && page_address(m, page) == p)
		return page;
	return NULL;
}

size_t ksize(struct memsys *m, const void *p)
{
	if (ZERO_OR_NULL_PTR(p) || !addr_in_ram(m, p))
		return 0;
	struct page *slab = virt_to_slab(m, p);
	if (slab) {
		const struct kmem_cache *s = slab->mapping;
		return slab_obj_index(m, s, slab, p) >= 0 ? slab_ksize(s) : 0;
	}
	struct page *page = large_kmalloc_page(m, p);
	return page ? PAGE_SIZE << page->compound_order : 0;
}

/* Free P from kmalloc (NULL and ZERO_SIZE_PTR are ignored).  A pointer
 * that kmalloc did not return is reported as a slab error and ignored. */
void kfree(struct memsys *m, const void *p)
{
	void *obj = (void *)(uintptr_t)p;
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	if (unlikely(!addr_in_ram(m, p))) {
		slab_report(m, NULL, p, "kfree of a pointer outside RAM");
		return;
	}
	struct page *slab = __virt_to_slab(m, p);
	const char *cache = NULL;
	if (likely(slab != NULL)) {
		struct kmem_cache *s = slab->mapping; /* the slab may be discarded below */
		cache = s->name;
		if (slab_free_inline(m, s, slab, obj) < 0)
			return;
	} else if ((page = large_kmalloc_page(m, p))) {
		unsigned order = page->compound_order;
		page->private = 0;
		mod_node_page_state(m, page->node, NR_SLAB_UNRECLAIMABLE_B, -(1l << order));
		__free_pages(m, page, order);
	} else {
		slab_report(m, NULL, p, "kfree of a pointer kmalloc did not return");
		return;
	}
	if (mm_trace_count_only(m, TEV_KFREE))
		return;
	struct trace_event ev = trace_event_init(TEV_KFREE);
	ev.addr = kva_of(m, p);
	ev.cache = cache;
	trace_emit(m->trace, &ev);
}

/* Resize P to NEW_SIZE keeping its contents (Linux's krealloc): P itself
 * while it is big enough, else a new object.  Returns NULL, leaving P
 * alone, if memory runs out or P is not a kmalloc pointer. */
void *krealloc(struct memsys *m, void *p, size_t new_size, gfp_t gfp)
{
	if (new_size == 0) {
		kfree(m, p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(m, new_size, gfp);
	size_t ks = ksize(m, p);
	if (ks == 0) {
		slab_report(m, NULL, p, "krealloc of a pointer kmalloc did not return");
		return NULL;
	}
	if (ks >= new_size)
		return p;
	void *ret = kmalloc(m, new_size, gfp & ~__GFP_ZERO);
	if (!ret)
		return NULL;
	memcpy(ret, p, ks);
	if (gfp & __GFP_ZERO)
		memset((uint8_t *)ret + ks, 0, new_size - ks);
	kfree(m, p);
	return ret;
}
