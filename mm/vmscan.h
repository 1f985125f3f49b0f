/* mm/vmscan.h - page reclaim: kswapd, direct reclaim, drop_caches (Linux:
 * mm/vmscan.c, classic LRU of 6.1, no MGLRU).  docs/reclaim.md has the
 * picture of the lists and of the paths between them.
 *
 * reclaim_init() fills memsys->reclaim (try_to_free_pages,
 * wakeup_kswapd), so the allocator's slow path reclaims.  kswapd is not a
 * host thread: the upper layer's scheduler calls kswapd_run() between
 * guest time slices; its work is charged to memsys->kswapd_ns and direct
 * reclaim's to memsys->stall_ns (simulated ns), which the upper layer adds
 * to its clock.
 */
#ifndef MMSIM_MM_VMSCAN_H
#define MMSIM_MM_VMSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mmzone.h"

#define DEF_PRIORITY 12
#define SWAP_CLUSTER_MAX 32UL
/* Simulated CPU cost of looking at one page in reclaim (isolate, rmap
 * walk, putback): charged to kswapd or to the direct reclaimer. */
#define RECLAIM_SCAN_NS 100
/* kswapd's nap after balancing before it sleeps for good (HZ/10). */
#define KSWAPD_NAP_NS 100000000ULL

/* Install the reclaim hooks into M (memsys_create does it). */
void reclaim_init(struct memsys *m);

/* Direct reclaim for an allocation of ORDER with GFP (Linux's
 * try_to_free_pages): priority DEF_PRIORITY down to 0 over the nodes
 * until SWAP_CLUSTER_MAX pages are freed.  Returns pages reclaimed. */
unsigned long try_to_free_pages(struct memsys *m, gfp_t gfp, unsigned order);
/* An allocation found ZONE below its low watermark: wake its node's
 * kswapd unless the node is balanced (kswapd runs later, kswapd_run). */
void wakeup_kswapd(struct memsys *m, struct zone *zone, unsigned order);
/* Does some node's kswapd want to run at simulated time NOW? */
bool kswapd_pending(const struct memsys *m, uint64_t now);
/* Run every woken kswapd (balance_pgdat) and handle its naps at time
 * NOW.  Returns the simulated ns of work done (also added to
 * memsys->kswapd_ns). */
uint64_t kswapd_run(struct memsys *m, uint64_t now);

/* Linux's drop_caches (echo MODE > /proc/sys/vm/drop_caches): bit 0 drops
 * every clean, unmapped page-cache page (drop_pagecache), bit 1 frees
 * empty slabs (drop_slab).  Returns pages freed. */
unsigned long drop_caches(struct memsys *m, int mode);
/* Free every empty slab of every cache (the slab shrinker).  Returns pages. */
unsigned long shrink_slab(struct memsys *m);

/* MADV_PAGEOUT (reclaim_pages): reclaim PAGE now if it can be (isolated,
 * unmapped, swapped out).  Returns true if it was freed.  MADV_COLD:
 * deactivate_page (mm/swap.h). */
bool reclaim_page(struct memsys *m, struct page *page);

/* Check the LRU invariant (mm/swap.h): every listed page is allocated,
 * has PG_lru, sits on the list its flags name, in its own node's lruvec;
 * list lengths equal the zone and node LRU counters; nothing is isolated.
 * Returns 0, or -1 with a one-line reason in ERR. */
int lru_check(struct memsys *m, char *err, size_t errlen);
/* Pages on the LRU lists of every node (for checks). */
unsigned long lru_pages_total(const struct memsys *m);

#endif
