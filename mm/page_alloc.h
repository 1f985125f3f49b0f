/* mm/page_alloc.h - the buddy allocator's interface (Linux: include/linux/gfp.h). */
#ifndef MMSIM_MM_PAGE_ALLOC_H
#define MMSIM_MM_PAGE_ALLOC_H

#include "mm/mmzone.h"

/* alloc_flags, Linux 6.1 values (mm/internal.h) */
#define ALLOC_WMARK_MIN      WMARK_MIN
#define ALLOC_WMARK_LOW      WMARK_LOW
#define ALLOC_WMARK_HIGH     WMARK_HIGH
#define ALLOC_NO_WATERMARKS  0x04
#define ALLOC_WMARK_MASK     (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM            ALLOC_NO_WATERMARKS
#define ALLOC_HARDER         0x10
#define ALLOC_HIGH           0x20
#define ALLOC_CPUSET         0x40
#define ALLOC_KSWAPD         0x800
#define PAGE_ALLOC_COSTLY_ORDER 3
#define MAX_RECLAIM_RETRIES  16
/* __GFP_NOFAIL cannot loop forever in a simulator: after this many extra
 * rounds of reclaim + reserve access the allocation fails and is reported. */
#define NOFAIL_MAX_RETRIES   64

/* Allocate 2^ORDER contiguous frames following GFP's zone, watermark and
 * reclaim rules.  Returns the head page with _refcount 1, or NULL (an
 * ALLOC_FAIL event is emitted, and a warning line on stderr unless
 * __GFP_NOWARN).  __GFP_ZERO zeroes the frames; __GFP_COMP makes a compound
 * page (PG_head, compound_order) that put_page() frees whole. */
struct page *alloc_pages(struct memsys *m, gfp_t gfp, unsigned int order);
static inline struct page *alloc_page(struct memsys *m, gfp_t gfp) { return alloc_pages(m, gfp, 0); }
/* Same, on node NID first (falls back to the other node unless __GFP_THISNODE). */
struct page *alloc_pages_node(struct memsys *m, int nid, gfp_t gfp, unsigned int order);

/* Free 2^ORDER frames starting at PAGE, whose refcount must drop to 0 here
 * (a put on a free page is reported as BAD_PAGE and ignored). */
void __free_pages(struct memsys *m, struct page *page, unsigned int order);
static inline void __free_page(struct memsys *m, struct page *page) { __free_pages(m, page, 0); }

/* Host address of a fresh block (0 on failure), and its inverse. */
void *__get_free_pages(struct memsys *m, gfp_t gfp, unsigned int order);
void *get_zeroed_page(struct memsys *m, gfp_t gfp);
void free_pages(struct memsys *m, void *addr, unsigned int order);

/* Zone chosen for GFP's zone modifiers (the highest zone allowed). */
enum zone_type gfp_zone(gfp_t gfp);

/* Linux's watermark test: is ZONE above MARK for ORDER with ALLOC_FLAGS? */
bool zone_watermark_ok(struct memsys *m, struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);

/* Recompute min_free_kbytes (unless configured), watermarks and lowmem_reserve. */
void setup_per_zone_wmarks(struct memsys *m);

/* The arithmetic of calculate_min_free_kbytes (mm/zone.c), step by step:
 * min_free_kbytes = clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144). */
struct min_free_steps {
	unsigned long lowmem_kbytes;  /* managed kB of the zones up to Normal */
	unsigned long root;           /* int_sqrt(lowmem_kbytes * 16) */
	long min_free_kbytes;         /* root clamped to 128..262144 */
};
/* Linux's rule for min_free_kbytes on M's zones (what the sysctl would be
 * without min_free_kbytes= or a sysctl write); fills ST unless NULL. */
long calculate_min_free_kbytes(const struct memsys *m, struct min_free_steps *st);

/* __setup_per_zone_wmarks for one zone, step by step: the same
 * arithmetic that sets the watermarks (explanations use it: mmsim
 * exercise watermarks --solve). */
struct wmark_steps {
	unsigned long pages_min;      /* min_free_kbytes / 4 (4 KiB pages) */
	unsigned long lowmem_pages;   /* managed pages of every zone but Movable */
	unsigned long managed;        /* this zone's managed pages */
	unsigned long share;          /* pages_min * managed / lowmem_pages */
	unsigned long scale;          /* managed * watermark_scale_factor / 10000 */
	unsigned long min;            /* share (Movable: clamp(managed/1024, 32, 128)) */
	unsigned long gap;            /* max(share / 4, scale) */
	unsigned long low, high;      /* min + gap, min + 2 * gap */
};
void zone_wmark_steps(const struct memsys *m, const struct zone *z, struct wmark_steps *st);

/* Take a block of 2^ORDER pages straight from Z's free lists: no
 * watermark, no kswapd, no reclaim, no other zone (as a boot-time
 * reservation would; the scenario command fill_zone sets a zone's free
 * level with it).  Returns the head page prepared as alloc_pages's
 * (refcount 1), or NULL when Z has no free block of ORDER or more. */
struct page *rmqueue_zone(struct memsys *m, struct zone *z, unsigned int order, gfp_t gfp);

/* Fill m->zonelist (mm/zone.c). */
void build_zonelists(struct memsys *m);

/* Number of free pages in all zones. */
unsigned long nr_free_pages(const struct memsys *m);

#endif
