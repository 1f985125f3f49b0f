/* mm/page_alloc.c - the buddy allocator (Linux mm/page_alloc.c, 6.1).
 *
 * Each zone keeps free memory in blocks of 2^order pages, order 0 ..
 * MAX_ORDER-1, on zone->free_area[order].free_list.  The invariant, which
 * mm_check() verifies after every step of the randomized test:
 *
 *   - a free block of order o starts at a pfn aligned to 2^o, lies wholly
 *     inside one zone of one node, and its head page has PG_buddy set and
 *     private == o; no other page of the block has PG_buddy;
 *   - free blocks never overlap, and free_area[o].nr_free is the length of
 *     free_list o; NR_FREE_PAGES is sum(nr_free[o] << o);
 *   - the "buddy" of the block at pfn is the block at pfn ^ (1 << o).  Two
 *     free buddies of the same order in the same zone are never both on
 *     the lists: __free_one_page() merges them into one block of order
 *     o + 1 (at pfn & buddy_pfn), repeatedly, before the result is listed.
 *
 * Allocation takes the first block of the smallest order >= the request
 * (__rmqueue_smallest) and gives the upper halves back on the lower-order
 * lists (expand), so the block returned is the lowest-addressed part.
 *
 * Which zones may be used and how deep into their reserves is decided as in
 * Linux's __alloc_pages(): the fast path needs the low watermark; the slow
 * path wakes kswapd, retries at the min watermark (lowered by __GFP_HIGH
 * and __GFP_ATOMIC, see gfp_to_alloc_flags), then direct-reclaims through
 * m->reclaim and retries.  Falling back to a lower zone must also leave
 * that zone's lowmem_reserve for the requested zone untouched.
 */
#include <stdio.h>
#include <string.h>

#include "mm/mlock.h"
#include "mm/internal.h"
#include "mm/page_pcp.h"
#include "mm/slab.h"
#include "traces/trace.h"

struct alloc_context {
	int highest_zoneidx; /* gfp_zone(gfp) */
	int nid;             /* preferred node */
	bool thisnode;       /* __GFP_THISNODE: no other node */
};

/* Walk the nodes of AC's zonelist: NID takes the preferred node first, then
 * the others in order (only the preferred one with __GFP_THISNODE). */
#define for_each_alloc_node(m, ac, i, nid)                                                   \
	for (int i = 0, nid = (ac)->nid; i < (m)->nr_nodes && !(i > 0 && (ac)->thisnode); \
	     i++, nid = nid + 1 < (m)->nr_nodes ? nid + 1 : 0)

/* Zone chosen by GFP's zone modifiers (Linux's GFP_ZONE_TABLE). */
static inline enum zone_type __gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	if ((gfp & (__GFP_MOVABLE | __GFP_HIGHMEM)) == (__GFP_MOVABLE | __GFP_HIGHMEM))
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

enum zone_type gfp_zone(gfp_t gfp)
{
	return __gfp_zone(gfp);
}

static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	SetPageBuddy(page);
	page->private = order;
	list_add(&page->lru, &zone->free_area[order].free_list);
	zone->free_area[order].nr_free++;
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	zone->free_area[order].nr_free--;
}

/* Merge the free block (PAGE, PFN, ORDER) with its free buddies and list
 * the result.  The caller has checked the block and cleared its pages.
 * (Inlined into free_the_page, the hot caller; __free_one_page below is the
 * out-of-line entry for memsys.c.) */
static inline __attribute__((always_inline)) void free_one_page_inline(struct memsys *m, struct page *page,
								    unsigned long pfn, struct zone *zone,
								    unsigned int order)
{
	const uint8_t zone_type = page->zone, node = page->node;
	struct page *const mem_map = m->mem_map;   /* locals: the list stores */
	const unsigned long max_pfn = m->max_pfn;  /* below cannot change them */

	mod_zone_page_state(zone, NR_FREE_PAGES, 1L << order);
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (unlikely(buddy_pfn >= max_pfn))
			break;
		buddy = &mem_map[buddy_pfn];
		if (!PageBuddy(buddy) || buddy->private != order || buddy->zone != zone_type || buddy->node != node)
			break;
		del_page_from_free_list(buddy, zone, order);
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_list(&mem_map[pfn], zone, order);
}

void __free_one_page(struct memsys *m, struct page *page, unsigned long pfn, struct zone *zone,
		     unsigned int order)
{
	free_one_page_inline(m, page, pfn, zone, order);
}

/* Split the order-HIGH block at PAGE down to order LOW, listing the upper
 * halves (Linux's expand()). */
static inline void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high)
{
	unsigned long size = 1UL << high;
	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high);
	}
}

/* Take a block of ORDER from ZONE, splitting a larger one if needed.
 * Returns its head page, or NULL when no block of order >= ORDER is free. */
static inline __attribute__((always_inline)) struct page *__rmqueue_smallest(struct zone *zone, unsigned int order)
{
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_page_from_free_list(page, zone, o);
		expand(zone, page, order, o);
		mod_zone_page_state(zone, NR_FREE_PAGES, -(1L << order));
		return page;
	}
	return NULL;
}

/* Linux's __zone_watermark_ok: would ZONE stay above MARK (lowered by
 * ALLOC_HIGH / ALLOC_HARDER) plus the lowmem reserve kept for
 * HIGHEST_ZONEIDX after taking 2^ORDER pages, with a block of >= ORDER? */
static inline __attribute__((always_inline)) bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
				unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= (1L << order) - 1;
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < MAX_ORDER; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

bool zone_watermark_ok(struct memsys *m, struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	(void)m;
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, z->vm_stat[NR_FREE_PAGES]);
}

/* An order-0 page from this CPU's list of ZONE, refilled first with
 * `batch` pages from the buddy lists if empty (Linux 6.1's rmqueue_pcplist,
 * __rmqueue_pcplist and rmqueue_bulk; see mm/page_pcp.c).  Returns NULL
 * when the list is empty and the zone has no free page. */
static inline __attribute__((always_inline)) struct page *rmqueue_pcplist(struct memsys *m, struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->this_cpu];
	struct page *page;

	pcp->free_factor >>= 1;
	if (unlikely(list_empty(&pcp->list))) {
		int batch = pcp->batch > 1 ? pcp->batch : 1;
		for (int i = 0; i < batch; i++) {
			page = __rmqueue_smallest(zone, 0);
			if (!page)
				break;
			list_add_tail(&page->lru, &pcp->list);
			pcp->count++;
		}
		if (unlikely(list_empty(&pcp->list)))
			return NULL;
	}
	page = list_first_entry(&pcp->list, struct page, lru);
	list_del(&page->lru);
	pcp->count--;
	return page;
}

/* Linux 6.1's nr_pcp_free: how many pages free_pcppages_bulk takes when
 * PCP reached HIGH; doubles with every free since the last allocation. */
static inline int nr_pcp_free(struct per_cpu_pages *pcp, int high, int batch)
{
	int min_nr_free, max_nr_free;

	if (unlikely(high < batch))
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	batch <<= pcp->free_factor;
	if (batch < max_nr_free)
		pcp->free_factor++;
	if (batch < min_nr_free)
		batch = min_nr_free;
	if (batch > max_nr_free)
		batch = max_nr_free;
	return batch;
}

/* Put the free order-0 PAGE on this CPU's list of ZONE and give a bulk
 * back to the buddy lists when the list reaches high (free_unref_page_commit;
 * nr_pcp_high caps high at 4 * batch while kswapd reclaims). */
static inline __attribute__((always_inline)) void free_unref_page_commit(struct memsys *m, struct zone *zone,
									 struct page *page)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->this_cpu];
	int high = pcp->high;

	list_add(&page->lru, &pcp->list);
	pcp->count++;
	if (unlikely(m->in_kswapd) && high > pcp->batch << 2)
		high = pcp->batch << 2;
	if (unlikely(pcp->count >= high))
		free_pcppages_bulk(m, zone, nr_pcp_free(pcp, high, pcp->batch), pcp);
}

static inline void emit_alloc(struct memsys *m, struct page *page, unsigned int order, gfp_t gfp)
{
	if (mm_trace_count_only(m, TEV_ALLOC_PAGES))
		return;
	struct trace_event ev = trace_event_init(TEV_ALLOC_PAGES);
	ev.pfn = (int64_t)page_to_pfn(m, page);
	ev.order = (int32_t)order;
	ev.zone = page->zone;
	ev.gfp = gfp;
	trace_emit(m->trace, &ev);
}

/* Linux's prep_compound_page: PG_head on the head, and every tail page
 * points back to it (head_offset) so compound_head() is O(1). */
static void prep_compound_page(struct page *page, unsigned int order)
{
	SetPageHead(page);
	for (unsigned long i = 1; i < (1UL << order); i++)
		page[i].head_offset = (uint16_t)i;
}

/* Make a block just taken from the lists ready for its user: refcount 1,
 * order recorded in compound_order, zeroed / compound as GFP asks. */
static inline __attribute__((always_inline)) void prep_new_page(struct memsys *m, struct page *page, unsigned int order, gfp_t gfp)
{
	page->_refcount = 1;
	page->compound_order = (uint16_t)order;
	if (unlikely(gfp & __GFP_ZERO))
		memset(page_address(m, page), 0, PAGE_SIZE << order);
	if ((gfp & __GFP_COMP) && order)
		prep_compound_page(page, order);
	__count_vm_events(m, (enum vm_event_item)(PGALLOC_DMA + page->zone), 1L << order);
	emit_alloc(m, page, order, gfp);
}

/* Try every zone allowed by AC, preferred node first, highest zone first.
 * Returns a prepared page or NULL if no zone passes its watermark. */
static inline __attribute__((always_inline)) struct page *
get_page_from_freelist(struct memsys *m, gfp_t gfp, unsigned int order, unsigned int alloc_flags,
		       const struct alloc_context *ac)
{
	const int highest = ac->highest_zoneidx;

	for_each_alloc_node(m, ac, i, nid) {
		for (int t = highest; t >= 0; t--) {
			struct zone *z = &m->nodes[nid].node_zones[t];
			struct page *page;

			if (!z->managed_pages)
				continue;
			if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
				unsigned long mark = z->_watermark[alloc_flags & ALLOC_WMARK_MASK] + z->watermark_boost;
				long free = z->vm_stat[NR_FREE_PAGES];
				/* zone_watermark_fast(): order-0 needs no free-list scan */
				if (likely(order == 0 && !(alloc_flags & (ALLOC_HIGH | ALLOC_HARDER)))) {
					if (free <= (long)mark + z->lowmem_reserve[highest])
						continue;
				} else if (!__zone_watermark_ok(z, order, mark, highest, alloc_flags, free)) {
					continue;
				}
			}
			if (likely(order == 0 && m->pcp_enabled))
				page = rmqueue_pcplist(m, z);
			else
				page = __rmqueue_smallest(z, order);
			if (likely(page != NULL)) {
				prep_new_page(m, page, order, gfp);
				return page;
			}
		}
	}
	return NULL;
}

struct page *rmqueue_zone(struct memsys *m, struct zone *z, unsigned int order, gfp_t gfp)
{
	struct page *page = order < MAX_ORDER ? __rmqueue_smallest(z, order) : NULL;
	if (page)
		prep_new_page(m, page, order, gfp);
	return page;
}

/* Linux 6.1's gfp_to_alloc_flags: min watermark; __GFP_HIGH gives
 * ALLOC_HIGH, __GFP_KSWAPD_RECLAIM ALLOC_KSWAPD, and __GFP_ATOMIC (without
 * __GFP_NOMEMALLOC) ALLOC_HARDER.  (6.3 later also gave non-blocking
 * allocations ALLOC_NON_BLOCK; 6.1 does not.) */
static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
	if (gfp & __GFP_HIGH)
		flags |= ALLOC_HIGH;
	if (gfp & __GFP_KSWAPD_RECLAIM)
		flags |= ALLOC_KSWAPD;
	if ((gfp & __GFP_ATOMIC) && !(gfp & __GFP_NOMEMALLOC)) {
		flags |= ALLOC_HARDER;
		flags &= ~ALLOC_CPUSET;
	}
	return flags;
}

/* Wake kswapd once per node that holds an eligible zone. */
static void wake_all_kswapds(struct memsys *m, unsigned int order, const struct alloc_context *ac)
{
	for_each_alloc_node(m, ac, i, nid) {
		for (int t = ac->highest_zoneidx; t >= 0; t--) {
			struct zone *z = &m->nodes[nid].node_zones[t];
			struct trace_event ev;

			if (!z->managed_pages)
				continue;
			__count_vm_event(m, KSWAPD_WAKEUP);
			ev = trace_event_init(TEV_WAKEUP_KSWAPD);
			ev.zone = (int32_t)t;
			ev.order = (int32_t)order;
			trace_emit(m->trace, &ev);
			if (m->reclaim.wakeup_kswapd)
				m->reclaim.wakeup_kswapd(m->reclaim.ctx, m, z, order);
			break;
		}
	}
}

/* One round of direct reclaim.  Returns pages reclaimed. */
static unsigned long __perform_reclaim(struct memsys *m, gfp_t gfp, unsigned int order,
				       const struct alloc_context *ac)
{
	unsigned long progress = 0;
	struct trace_event ev;

	__count_vm_event(m, (enum vm_event_item)(ALLOCSTALL_DMA + ac->highest_zoneidx));
	if (m->reclaim.try_to_free_pages)
		progress = m->reclaim.try_to_free_pages(m->reclaim.ctx, m, gfp, order);
	ev = trace_event_init(TEV_DIRECT_RECLAIM);
	ev.zone = ac->highest_zoneidx;
	ev.order = (int32_t)order;
	ev.gfp = gfp;
	ev.value = (int64_t)progress;
	trace_emit(m->trace, &ev);
	return progress;
}

/* Linux's should_reclaim_retry: give up after MAX_RECLAIM_RETRIES rounds
 * without progress, or at once when even reclaiming every reclaimable
 * (file LRU) page could not lift any eligible zone over its min mark. */
static bool should_reclaim_retry(struct memsys *m, unsigned int order, const struct alloc_context *ac,
				 unsigned int alloc_flags, bool did_some_progress, int *no_progress_loops)
{
	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return false;
	for_each_alloc_node(m, ac, i, nid) {
		for (int t = ac->highest_zoneidx; t >= 0; t--) {
			struct zone *z = &m->nodes[nid].node_zones[t];
			long available;
			if (!z->managed_pages)
				continue;
			available = z->vm_stat[NR_ZONE_INACTIVE_FILE] + z->vm_stat[NR_ZONE_ACTIVE_FILE] +
				    z->vm_stat[NR_FREE_PAGES];
			if (__zone_watermark_ok(z, order, min_wmark_pages(z), ac->highest_zoneidx, alloc_flags,
						available))
				return true;
		}
	}
	return false;
}

static void alloc_failed(struct memsys *m, gfp_t gfp, unsigned int order, const char *why)
{
	char flags[256];
	struct trace_event ev = trace_event_init(TEV_ALLOC_FAIL);

	__count_vm_event(m, PGALLOC_FAIL);
	ev.order = (int32_t)order;
	ev.gfp = gfp;
	ev.detail = why;
	trace_emit(m->trace, &ev);
	if (!(gfp & __GFP_NOWARN))
		fprintf(stderr, "mmsim: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null)\n", order,
			gfp, gfp_format(gfp, flags, sizeof(flags)));
}

static __attribute__((noinline, cold)) struct page *__alloc_pages_slowpath(struct memsys *m, gfp_t gfp, unsigned int order,
					   const struct alloc_context *ac)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp);
	bool costly = order > PAGE_ALLOC_COSTLY_ORDER;
	int no_progress_loops = 0, nofail_loops = 0;
	bool drained = false;
	const char *why = "no zone above its watermark";
	struct page *page;

	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(m, order, ac);
	page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (page)
		return page;
	/* __GFP_MEMALLOC: access to all reserves (gfp_pfmemalloc_allowed) */
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC)) {
		page = get_page_from_freelist(m, gfp, order, ALLOC_NO_WATERMARKS, ac);
		if (page)
			return page;
	}
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		why = "no zone above its watermark, cannot reclaim";
		goto nopage;
	}
retry:
	{
		unsigned long progress = __perform_reclaim(m, gfp, order, ac);
		page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);
		/* __alloc_pages_direct_reclaim: the pages may sit on the per-CPU
		 * lists; drain them once and retry.  mmsim also flushes the
		 * per-CPU slabs here (its shrink_slab stands in for kmem cache
		 * shrinking), so empty slabs they hold are freed before OOM. */
		if (!page && !drained && (m->pcp_enabled || m->cpu_slab_enabled)) {
			unsigned long moved = 0;
			drained = true;
			if (m->cpu_slab_enabled)
				moved += flush_all_cpu_slabs(m);
			if (m->pcp_enabled)
				moved += drain_all_pages(m, NULL);
			if (moved)
				page = get_page_from_freelist(m, gfp, order, alloc_flags, ac);
		}
		if (page)
			return page;
		if (gfp & __GFP_NORETRY) {
			why = "__GFP_NORETRY after one reclaim round";
			goto nopage;
		}
		if (costly && !(gfp & (__GFP_RETRY_MAYFAIL | __GFP_NOFAIL))) {
			why = "costly order, reclaim did not help";
			goto nopage;
		}
		if (should_reclaim_retry(m, order, ac, alloc_flags, progress > 0, &no_progress_loops))
			goto retry;
		why = "reclaim made no progress";
		/* __alloc_pages_may_oom: costly orders and __GFP_NORETRY never
		 * invoke the OOM killer (handled above). */
		if (m->reclaim.out_of_memory && !(gfp & __GFP_RETRY_MAYFAIL) &&
		    m->reclaim.out_of_memory(m->reclaim.ctx, m, gfp, order)) {
			no_progress_loops = 0;
			goto retry;
		}
	}
nopage:
	if ((gfp & __GFP_NOFAIL) && (gfp & __GFP_DIRECT_RECLAIM)) {
		/* Linux loops forever; we give NOFAIL reserve access and a bounded
		 * number of further reclaim rounds, then report the failure. */
		page = get_page_from_freelist(m, gfp, order, alloc_flags | ALLOC_HARDER, ac);
		if (page)
			return page;
		if (++nofail_loops <= NOFAIL_MAX_RETRIES) {
			no_progress_loops = 0;
			goto retry;
		}
		why = "__GFP_NOFAIL gave up after bounded retries";
	}
	alloc_failed(m, gfp, order, why);
	return NULL;
}

static inline __attribute__((always_inline)) struct page *__alloc_pages(struct memsys *m, gfp_t gfp, unsigned int order,
									   int nid)
{
	struct alloc_context ac;
	struct page *page;

	if (unlikely(order >= MAX_ORDER)) {
		alloc_failed(m, gfp, order, "order >= MAX_ORDER");
		return NULL;
	}
	ac.highest_zoneidx = __gfp_zone(gfp);
	ac.nid = (nid >= 0 && nid < m->nr_nodes) ? nid : 0;
	ac.thisnode = (gfp & __GFP_THISNODE) != 0;
	page = get_page_from_freelist(m, gfp, order, ALLOC_WMARK_LOW, &ac);
	if (likely(page != NULL))
		return page;
	return __alloc_pages_slowpath(m, gfp, order, &ac);
}

struct page *alloc_pages(struct memsys *m, gfp_t gfp, unsigned int order)
{
	return __alloc_pages(m, gfp, order, 0);
}

struct page *alloc_pages_node(struct memsys *m, int nid, gfp_t gfp, unsigned int order)
{
	return __alloc_pages(m, gfp, order, nid);
}

/* Give the block back: clear its pages, count, emit, merge.  Tail pages of
 * a multi-page block get their flags/mapping cleared too. */
static inline __attribute__((always_inline)) void __free_the_page(struct memsys *m, struct page *page,
								  unsigned int order)
{
	unsigned long pfn = page_to_pfn(m, page);
	struct zone *zone = page_zone(m, page);
	struct trace_event ev;

	page->flags = 0;
	page->_mapcount = -1;
	page->mapping = NULL;
	page->private = 0;
	page->index = 0;
	page->compound_order = 0;
	page->freelist = NULL;
	page->inuse = page->objects = page->frozen = page->colour_off = 0;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		struct page *t = page + i;
		t->flags = 0;
		t->_mapcount = -1;
		t->mapping = NULL;
		t->head_offset = 0;
	}
	__count_vm_events(m, PGFREE, 1L << order);
	if (!mm_trace_count_only(m, TEV_FREE_PAGES)) {
		ev = trace_event_init(TEV_FREE_PAGES);
		ev.pfn = (int64_t)pfn;
		ev.order = (int32_t)order;
		ev.zone = page->zone;
		trace_emit(m->trace, &ev);
	}
	if (likely(order == 0 && m->pcp_enabled))
		free_unref_page_commit(m, zone, page);
	else
		free_one_page_inline(m, page, pfn, zone, order);
}

void free_the_page(struct memsys *m, struct page *page, unsigned int order)
{
	__free_the_page(m, page, order);
}

/* Why PAGE (refcount about to reach 0) may not be freed as ORDER, or NULL. */
static const char *free_page_problem(const struct page *page, unsigned int order)
{
	if (page->compound_order != order)
		return "freed with a different order than allocated";
	if (page->_mapcount != -1)
		return "nonzero mapcount";
	if (page->flags & ((1u << PG_reserved) | (1u << PG_lru) | (1u << PG_locked) | (1u << PG_writeback) |
			   (1u << PG_mlocked)))
		return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return NULL;
}

/* Drop a reference to the block; free it when that was the last one.  A
 * free page, or a block whose state forbids freeing, is reported and left
 * alone.  As in Linux, dropping a non-last reference to a non-compound
 * high-order block frees all but its first page. */
void __free_pages(struct memsys *m, struct page *page, unsigned int order)
{
	if (unlikely(PageBuddy(page) || page->_refcount <= 0)) {
		bad_page(m, page, "__free_pages on a free page (refcount 0)");
		return;
	}
	if (likely(page->_refcount == 1)) {
		if (unlikely(page->flags & (1u << PG_mlocked)))
			mlock_page_freed(m, page); /* __page_cache_release: unevictable_pgs_cleared */
		const char *problem = free_page_problem(page, order);
		if (unlikely(problem != NULL)) {
			bad_page(m, page, problem);
			return;
		}
		page->_refcount = 0;
		__free_the_page(m, page, order);
		return;
	}
	page->_refcount--;
	if (!PageHead(page) && order) {
		page->compound_order = 0;
		while (order-- > 0)
			free_the_page(m, page + (1UL << order), order);
	}
}

void *__get_free_pages(struct memsys *m, gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(m, gfp & ~__GFP_HIGHMEM, order);
	return page ? page_address(m, page) : NULL;
}

void *get_zeroed_page(struct memsys *m, gfp_t gfp)
{
	return __get_free_pages(m, gfp | __GFP_ZERO, 0);
}

void free_pages(struct memsys *m, void *addr, unsigned int order)
{
	if (!addr)
		return;
	if (!addr_in_ram(m, addr) || ((uintptr_t)((uint8_t *)addr - m->phys_base) & (PAGE_SIZE - 1))) {
		bad_page(m, NULL, "free_pages of an address outside simulated RAM or not page aligned");
		return;
	}
	__free_pages(m, virt_to_page(m, addr), order);
}

unsigned long nr_free_pages(const struct memsys *m)
{
	long n = global_zone_page_state(m, NR_FREE_PAGES);
	return n > 0 ? (unsigned long)n : 0;
}
