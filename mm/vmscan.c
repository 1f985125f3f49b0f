/* mm/vmscan.c - page reclaim (Linux 6.1 mm/vmscan.c, classic LRU).
 *
 * A reclaim pass (shrink_node) decides how many pages of each evictable
 * list to look at (get_scan_count: list size >> priority, split between
 * anon and file by vm.swappiness and the recent cost of refaulting each
 * type), then works the lists in batches of SWAP_CLUSTER_MAX:
 *
 *  - shrink_active_list moves pages from an active list to its inactive
 *    list, except mapped executable file pages whose PTEs were young
 *    (another trip around the active list).  It runs only while the
 *    inactive list is low (inactive_is_low: inactive * sqrt(10 * GB) <
 *    active) or workingset refaults show the active list is too big.
 *  - shrink_inactive_list isolates pages from the tail and hands them to
 *    shrink_folio_list, which checks the references (folio_check_references:
 *    young PTEs found through the rmap, cleared on the way; PG_referenced
 *    for a second chance), activates or keeps the referenced ones and
 *    frees the rest: clean file pages drop out of the page cache, anonymous
 *    pages get a swap slot (add_to_swap), are unmapped (try_to_unmap puts
 *    the swap entry in every PTE), written (pageout) and dropped from the
 *    swap cache.  Dirty shmem (tmpfs, MAP_SHARED|MAP_ANONYMOUS) pages are
 *    unmapped, then pageout's shmem_writepage moves them from their file
 *    to the swap cache (the file's slot keeps the swap entry) and they go
 *    the same way; a clean shmem page (never written) is just dropped.
 *    Each freed page but shmem's leaves a workingset shadow.
 *
 * The isolated pages hold a reference and are off every list (PG_lru
 * clear, NR_ISOLATED_*); every path out of shrink_folio_list either frees
 * the page or puts it back on a list, so the LRU sizes always equal the
 * list lengths (mm_check).
 *
 * Simplified: no async writeback (pageout writes synchronously and the page
 * is freed in the same pass, as for Linux's synchronous swap devices), no
 * dirty file writeback (file images are read-only; a dirty page-cache page
 * is kept), no compaction, no proportional scan adjustment after nr_to_reclaim.
 */
#include "mm/vmscan.h"

#include <stdio.h>

#include "mm/filemap.h"
#include "mm/internal.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mm/workingset.h"

#define DEACTIVATE_ANON 1
#define DEACTIVATE_FILE 2

struct scan_control {
	unsigned long nr_to_reclaim;
	gfp_t gfp_mask;
	int order;
	int priority;
	int reclaim_idx;               /* highest zone index to reclaim from */
	bool may_writepage, may_unmap, may_swap;
	unsigned may_deactivate;       /* DEACTIVATE_ANON | DEACTIVATE_FILE */
	bool force_deactivate, skipped_deactivate;
	bool cache_trim_mode, file_is_tiny;
	unsigned long anon_cost, file_cost;
	unsigned long nr_scanned;      /* pages looked at by shrink_folio_list */
	unsigned long nr_reclaimed;
	unsigned long nr_lru_scanned;  /* pages isolated from the lists (cost model) */
	unsigned long nr_io;           /* pages written to swap */
};

struct reclaim_stat {
	unsigned long nr_pageout, nr_activate[2], nr_unmap_fail;
};

static bool current_is_kswapd(const struct memsys *m) { return m->in_kswapd; }

/* Linux's can_reclaim_anon_pages (no demotion here). */
static bool can_reclaim_anon_pages(const struct memsys *m)
{
	return nr_swap_pages(m) > 0;
}

static long lruvec_size(struct memsys *m, int nid, enum lru_list lru, int reclaim_idx)
{
	long size = 0;
	for (int z = 0; z <= reclaim_idx && z < MAX_NR_ZONES; z++)
		size += m->nodes[nid].node_zones[z].vm_stat[NR_ZONE_LRU_BASE + lru];
	return size;
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;
	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* inactive * inactive_ratio < active: the inactive list needs refilling. */
static bool inactive_is_low(struct memsys *m, int nid, enum lru_list inactive_lru)
{
	long inactive = m->nodes[nid].vm_stat[NR_INACTIVE_ANON + inactive_lru];
	long active = m->nodes[nid].vm_stat[NR_INACTIVE_ANON + inactive_lru + LRU_ACTIVE];
	unsigned long gb = (unsigned long)(inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = gb ? int_sqrt(10 * gb) : 1;

	return (unsigned long)inactive * ratio < (unsigned long)active;
}

static void count_lru_move(struct memsys *m, struct page *page, const char *detail)
{
	trace_lru_move(m, page, detail);
}

/*
 * Take up to NR_TO_SCAN pages of zones <= reclaim_idx from the tail of LRU
 * onto DST (each with a reference, PG_lru clear).  Pages of higher zones
 * are skipped (pgskip_*) and stay.  Returns pages taken; *NR_SCANNED says
 * how many were looked at.
 */
static unsigned long isolate_lru_pages(struct memsys *m, struct lruvec *lv, unsigned long nr_to_scan,
				       struct list_head *dst, unsigned long *nr_scanned, struct scan_control *sc,
				       enum lru_list lru)
{
	struct list_head *src = &lv->lists[lru], skipped;
	unsigned long scan = 0, total = 0, taken = 0;

	INIT_LIST_HEAD(&skipped);
	while (scan < nr_to_scan && !list_empty(src)) {
		struct page *page = list_last_entry(src, struct page, lru);

		total++;
		if (page->zone > sc->reclaim_idx) {
			list_move(&page->lru, &skipped);
			__count_vm_event(m, (enum vm_event_item)(PGSKIP_DMA + page->zone));
			continue;
		}
		scan++;
		get_page(m, page);
		lruvec_del_page(m, page);
		list_add(&page->lru, dst);
		taken++;
	}
	/* Skipped pages go back to the head: they are not candidates now. */
	while (!list_empty(&skipped)) {
		struct page *page = list_last_entry(&skipped, struct page, lru);
		list_move(&page->lru, src);
	}
	mod_node_page_state(m, lv->node, is_file_lru(lru) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, (long)taken);
	*nr_scanned = total;
	sc->nr_lru_scanned += total;
	return taken;
}

/* Put the isolated pages of LIST back on their lists (by their flags) and
 * drop the isolation references; a page whose last reference that was is
 * freed.  Returns pages put back. */
static unsigned long move_pages_to_lru(struct memsys *m, struct lruvec *lv, struct list_head *list)
{
	unsigned long moved = 0;

	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);
		bool file = page_is_file_lru(page);

		list_del(&page->lru);
		mod_node_page_state(m, lv->node, file ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, -1);
		lruvec_add_page(m, page);
		put_page(m, page);
		moved++;
	}
	return moved;
}

enum page_references { PAGEREF_RECLAIM, PAGEREF_RECLAIM_CLEAN, PAGEREF_KEEP, PAGEREF_ACTIVATE };

/* Linux's folio_check_references. */
static enum page_references page_check_references(struct memsys *m, struct page *page)
{
	unsigned long vm_flags;
	int referenced_ptes = page_referenced(m, page, &vm_flags);
	bool referenced_page = PageReferenced(page);

	ClearPageReferenced(page);
	if (vm_flags & VM_LOCKED)
		return PAGEREF_ACTIVATE;
	if (referenced_ptes) {
		/* Second chance: a page referenced once stays inactive, marked;
		 * referenced again (or by several PTEs) it is activated. */
		SetPageReferenced(page);
		if (referenced_page || referenced_ptes > 1)
			return PAGEREF_ACTIVATE;
		/* Mapped executable file pages: activate on first use. */
		if ((vm_flags & VM_EXEC) && page_is_file_lru(page))
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	if (referenced_page && page_is_file_lru(page))
		return PAGEREF_RECLAIM_CLEAN;
	return PAGEREF_RECLAIM;
}

/* Write PAGE (in the swap cache, unmapped, dirty) to its slot.  Returns
 * true when it is clean afterwards (synchronous I/O). */
static bool pageout(struct memsys *m, struct page *page, struct scan_control *sc)
{
	struct trace_event ev;

	ClearPageDirty(page);
	SetPageWriteback(page);
	mod_node_page_state(m, page->node, NR_WRITEBACK, 1);
	swap_writepage(m, page);
	mod_node_page_state(m, page->node, NR_WRITEBACK, -1);
	ClearPageWriteback(page);
	sc->nr_io++;
	if (!mm_trace_count_only(m, TEV_SWAP_OUT)) {
		ev = trace_event_init(TEV_SWAP_OUT);
		ev.pfn = (int64_t)page_to_pfn(m, page);
		ev.value = (int64_t)swp_offset((swp_entry_t){ page->private });
		trace_emit(m->trace, &ev);
	}
	return true;
}

/* Detach PAGE (unmapped, clean, isolated) from its page cache or swap
 * cache if nobody else holds it: refcount must be the isolation's plus the
 * cache's.  RECLAIMED leaves a workingset shadow.  Returns true if done
 * (the caller's put then frees the page). */
static bool __remove_mapping(struct memsys *m, struct page *page, bool reclaimed)
{
	void *shadow = NULL;

	if (page_count(page) != 2 || page_mapcount(page) > 0 || PageDirty(page))
		return false;
	if (PageSwapCache(page)) {
		if (reclaimed)
			shadow = workingset_eviction(m, page);
		delete_from_swap_cache(m, page, shadow);
		return true;
	}
	if (!page_is_file_cache(page))
		return false;
	/* A clean shmem page (never written: a hole's zeros) just goes; only
	 * file-LRU pages leave a shadow. */
	if (reclaimed && page_is_file_lru(page))
		shadow = workingset_eviction(m, page);
	filemap_remove_page(m, page, shadow);
	return true;
}

/*
 * Try to free each isolated page of LIST; what cannot be freed is left on
 * LIST (PG_active set for those to activate).  Returns pages freed.
 */
static unsigned long shrink_folio_list(struct memsys *m, struct list_head *list, struct scan_control *sc,
				       struct reclaim_stat *stat)
{
	struct list_head ret;
	unsigned long nr_reclaimed = 0;

	INIT_LIST_HEAD(&ret);
	while (!list_empty(list)) {
		struct page *page = list_last_entry(list, struct page, lru);
		enum page_references refs;
		bool file = page_is_file_lru(page);

		list_del(&page->lru);
		sc->nr_scanned++;
		if (!page_evictable(page))
			goto activate_locked;
		if (!sc->may_unmap && page_mapcount(page))
			goto keep;
		refs = page_check_references(m, page);
		if (refs == PAGEREF_ACTIVATE)
			goto activate_locked;
		if (refs == PAGEREF_KEEP)
			goto keep;
		if (PageAnon(page) && PageSwapBacked(page) && !PageSwapCache(page)) {
			if (!sc->may_swap || !add_to_swap(m, page))
				goto activate_locked;
		}
		if (page_mapcount(page)) {
			if (!try_to_unmap(m, page)) {
				stat->nr_unmap_fail++;
				goto activate_locked;
			}
		}
		if (PageDirty(page)) {
			bool shmem = page_is_shmem(page);
			if (!PageSwapCache(page) && !shmem)
				goto activate_locked; /* a dirty file page: no writeback here */
			if (refs == PAGEREF_RECLAIM_CLEAN || !sc->may_writepage)
				goto keep;
			/* pageout's ->writepage of a shmem page: shmem_writepage
			 * moves it from its file to the swap cache (no slot: it
			 * is activated, AOP_WRITEPAGE_ACTIVATE). */
			if (shmem && (!sc->may_swap || !shmem_writepage(m, page)))
				goto activate_locked;
			pageout(m, page, sc);
			stat->nr_pageout++;
		}
		/* Lazily freed anonymous page (MADV_FREE), clean: just drop it. */
		if (!PageSwapBacked(page) && !page->mapping) {
			if (page_count(page) == 1 && !PageDirty(page)) {
				__count_vm_event(m, PGLAZYFREED);
				goto free_it;
			}
			goto keep;
		}
		if (!__remove_mapping(m, page, true))
			goto keep;
free_it:
		nr_reclaimed++;
		mod_node_page_state(m, page->node, file ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, -1);
		put_page(m, page); /* the isolation reference: frees the page */
		continue;
activate_locked:
		if (!PageActive(page) && page_evictable(page)) {
			SetPageActive(page);
			stat->nr_activate[file]++;
			__count_vm_event(m, PGACTIVATE);
			count_lru_move(m, page, "activate");
		}
keep:
		list_add(&page->lru, &ret);
	}
	list_splice(&ret, list);
	return nr_reclaimed;
}

static unsigned long shrink_inactive_list(struct memsys *m, unsigned long nr_to_scan, struct lruvec *lv,
					  struct scan_control *sc, enum lru_list lru)
{
	struct list_head list;
	struct reclaim_stat stat = { 0 };
	unsigned long nr_scanned, nr_taken, nr_reclaimed;
	bool file = is_file_lru(lru);

	INIT_LIST_HEAD(&list);
	nr_taken = isolate_lru_pages(m, lv, nr_to_scan, &list, &nr_scanned, sc, lru);
	__count_vm_events(m, current_is_kswapd(m) ? PGSCAN_KSWAPD : PGSCAN_DIRECT, (long)nr_scanned);
	__count_vm_events(m, file ? PGSCAN_FILE : PGSCAN_ANON, (long)nr_scanned);
	if (!nr_taken)
		return 0;
	nr_reclaimed = shrink_folio_list(m, &list, sc, &stat);
	move_pages_to_lru(m, lv, &list);
	__count_vm_events(m, current_is_kswapd(m) ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, (long)nr_reclaimed);
	__count_vm_events(m, file ? PGSTEAL_FILE : PGSTEAL_ANON, (long)nr_reclaimed);
	lru_note_cost(m, lv, file, stat.nr_pageout);
	return nr_reclaimed;
}

static void shrink_active_list(struct memsys *m, unsigned long nr_to_scan, struct lruvec *lv, struct scan_control *sc,
			       enum lru_list lru)
{
	struct list_head hold, l_active, l_inactive;
	unsigned long nr_scanned, nr_rotated = 0, nr_deactivate = 0;
	bool file = is_file_lru(lru);

	INIT_LIST_HEAD(&hold);
	INIT_LIST_HEAD(&l_active);
	INIT_LIST_HEAD(&l_inactive);
	isolate_lru_pages(m, lv, nr_to_scan, &hold, &nr_scanned, sc, lru);
	__count_vm_events(m, PGREFILL, (long)nr_scanned);
	while (!list_empty(&hold)) {
		struct page *page = list_last_entry(&hold, struct page, lru);
		unsigned long vm_flags;

		list_del(&page->lru);
		if (!page_evictable(page)) {
			list_add(&page->lru, &l_active); /* putback files it as unevictable */
			continue;
		}
		if (page_referenced(m, page, &vm_flags)) {
			/* Executable file pages in use get another active trip:
			 * they are small and refault expensively. */
			if ((vm_flags & VM_EXEC) && page_is_file_lru(page)) {
				nr_rotated++;
				list_add(&page->lru, &l_active);
				count_lru_move(m, page, "rotate");
				continue;
			}
		}
		ClearPageActive(page);
		set_page_flag(page, PG_workingset);
		list_add(&page->lru, &l_inactive);
		nr_deactivate++;
		count_lru_move(m, page, "deactivate");
	}
	move_pages_to_lru(m, lv, &l_active);
	move_pages_to_lru(m, lv, &l_inactive);
	__count_vm_events(m, PGDEACTIVATE, (long)nr_deactivate);
	(void)file;
}

static unsigned long shrink_list(struct memsys *m, enum lru_list lru, unsigned long nr_to_scan, struct lruvec *lv,
				 struct scan_control *sc)
{
	if (is_active_lru(lru)) {
		if (sc->may_deactivate & (1u << is_file_lru(lru)))
			shrink_active_list(m, nr_to_scan, lv, sc, lru);
		else
			sc->skipped_deactivate = true;
		return 0;
	}
	return shrink_inactive_list(m, nr_to_scan, lv, sc, lru);
}

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/*
 * Linux's get_scan_count: how many pages of each evictable list to scan at
 * this priority.  Anon and file share the work by vm.swappiness (anon's
 * weight, file's is 200 - swappiness), each divided by the recent cost of
 * that type (its refaults and swap I/O), so the cheaper type is reclaimed
 * harder.
 */
static void get_scan_count(struct memsys *m, struct lruvec *lv, struct scan_control *sc, unsigned long nr[])
{
	int swappiness = m->sysctl.swappiness;
	unsigned long ap = 0, fp = 0, denominator = 1;
	enum scan_balance scan_balance;

	if (!sc->may_swap || !can_reclaim_anon_pages(m)) {
		scan_balance = SCAN_FILE;
	} else if (!sc->priority && swappiness) {
		scan_balance = SCAN_EQUAL;
	} else if (sc->file_is_tiny) {
		scan_balance = SCAN_ANON;
	} else if (sc->cache_trim_mode) {
		scan_balance = SCAN_FILE;
	} else {
		unsigned long total = sc->anon_cost + sc->file_cost;
		unsigned long anon_cost = total + sc->anon_cost, file_cost = total + sc->file_cost;
		total = anon_cost + file_cost;
		ap = (unsigned long)swappiness * (total + 1) / (anon_cost + 1);
		fp = (unsigned long)(200 - swappiness) * (total + 1) / (file_cost + 1);
		denominator = ap + fp;
		scan_balance = SCAN_FRACT;
	}
	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		bool file = is_file_lru((enum lru_list)lru);
		long size = lruvec_size(m, lv->node, (enum lru_list)lru, sc->reclaim_idx);
		unsigned long scan = size > 0 ? (unsigned long)size >> sc->priority : 0;

		switch (scan_balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			scan = denominator ? scan * (file ? fp : ap) / denominator : 0;
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((scan_balance == SCAN_FILE) != file)
				scan = 0;
			break;
		}
		nr[lru] = scan;
	}
}

static void shrink_lruvec(struct memsys *m, struct lruvec *lv, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS] = { 0 }, nr_reclaimed = 0;

	get_scan_count(m, lv, sc, nr);
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			if (nr[lru]) {
				unsigned long n = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] : SWAP_CLUSTER_MAX;
				nr[lru] -= n;
				nr_reclaimed += shrink_list(m, (enum lru_list)lru, n, lv, sc);
			}
		}
		/* Linux scales the remaining scan down proportionally once
		 * enough was freed; mmsim stops (global reclaim below
		 * DEF_PRIORITY, kswapd keeps going as Linux's does). */
		if (nr_reclaimed >= sc->nr_to_reclaim && !current_is_kswapd(m) && sc->priority < DEF_PRIORITY)
			break;
	}
	sc->nr_reclaimed += nr_reclaimed;
	/* Keep the anon inactive list filled even when only file was scanned. */
	if (can_reclaim_anon_pages(m) && inactive_is_low(m, lv->node, LRU_INACTIVE_ANON))
		shrink_active_list(m, SWAP_CLUSTER_MAX, lv, sc, LRU_ACTIVE_ANON);
}

/* prepare_scan_count: deactivation and balance hints for this pass. */
static void prepare_scan_count(struct memsys *m, pg_data_t *pgdat, struct scan_control *sc)
{
	struct lruvec *lv = &pgdat->__lruvec;
	unsigned long refaults, file, free = 0, high = 0;

	sc->anon_cost = lv->anon_cost;
	sc->file_cost = lv->file_cost;
	if (!sc->force_deactivate) {
		refaults = (unsigned long)pgdat->vm_stat[WORKINGSET_ACTIVATE_ANON];
		if (refaults != lv->refaults[0] || inactive_is_low(m, pgdat->node_id, LRU_INACTIVE_ANON))
			sc->may_deactivate |= DEACTIVATE_ANON;
		else
			sc->may_deactivate &= ~DEACTIVATE_ANON;
		refaults = (unsigned long)pgdat->vm_stat[WORKINGSET_ACTIVATE_FILE];
		if (refaults != lv->refaults[1] || inactive_is_low(m, pgdat->node_id, LRU_INACTIVE_FILE))
			sc->may_deactivate |= DEACTIVATE_FILE;
		else
			sc->may_deactivate &= ~DEACTIVATE_FILE;
	} else {
		sc->may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
	}
	/* Plenty of inactive file cache and no refaults: trim it alone. */
	file = (unsigned long)pgdat->vm_stat[NR_INACTIVE_FILE];
	sc->cache_trim_mode = (file >> sc->priority) && !(sc->may_deactivate & DEACTIVATE_FILE);
	/* File cache so small that reclaiming it cannot restore the high
	 * watermarks: go for anon. */
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!zone->managed_pages)
			continue;
		free += (unsigned long)zone->vm_stat[NR_FREE_PAGES];
		high += high_wmark_pages(zone);
	}
	file = (unsigned long)(pgdat->vm_stat[NR_ACTIVE_FILE] + pgdat->vm_stat[NR_INACTIVE_FILE]);
	sc->file_is_tiny = file + free <= high && !(sc->may_deactivate & DEACTIVATE_ANON) &&
			   ((unsigned long)pgdat->vm_stat[NR_INACTIVE_ANON] >> sc->priority);
}

static void trace_reclaim(struct memsys *m, int nid, int priority, unsigned long scanned, unsigned long reclaimed,
			  const char *who)
{
	struct trace_event ev = trace_event_init(TEV_RECLAIM);

	ev.zone = nid;
	ev.order = priority;
	ev.size = scanned;
	ev.value = (int64_t)reclaimed;
	ev.detail = who;
	trace_emit(m->trace, &ev);
}

unsigned long shrink_slab(struct memsys *m)
{
	unsigned long freed = 0;
	struct list_head *l;

	list_for_each(l, &m->slab_caches) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		freed += __kmem_cache_shrink(m, s); /* CPU slabs stay (mm/slub_cpu.c) */
	}
	return freed;
}

/* One pass over node PGDAT at sc->priority (shrink_node). */
static void shrink_node(struct memsys *m, pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long reclaimed = sc->nr_reclaimed, scanned = sc->nr_lru_scanned, io = sc->nr_io;
	unsigned long slab;

	prepare_scan_count(m, pgdat, sc);
	shrink_lruvec(m, &pgdat->__lruvec, sc);
	slab = shrink_slab(m);
	if (slab)
		__count_vm_events(m, SLABS_SCANNED, (long)slab);
	sc->nr_reclaimed += slab;
	/* Simulated cost: CPU per page looked at; a direct reclaimer also
	 * waits for the swap writes it issued. */
	scanned = sc->nr_lru_scanned - scanned;
	io = sc->nr_io - io;
	if (current_is_kswapd(m)) {
		m->kswapd_ns += scanned * RECLAIM_SCAN_NS;
	} else {
		m->stall_ns += scanned * RECLAIM_SCAN_NS;
		if (m->swap)
			m->stall_ns += io * m->swap->latency_ns;
	}
	trace_reclaim(m, pgdat->node_id, sc->priority, scanned, sc->nr_reclaimed - reclaimed,
		      current_is_kswapd(m) ? "kswapd" : "direct");
}

static void snapshot_refaults(pg_data_t *pgdat)
{
	pgdat->__lruvec.refaults[0] = (unsigned long)pgdat->vm_stat[WORKINGSET_ACTIVATE_ANON];
	pgdat->__lruvec.refaults[1] = (unsigned long)pgdat->vm_stat[WORKINGSET_ACTIVATE_FILE];
}

/* Does NODE have a zone <= IDX with memory? */
static bool node_has_zone(struct memsys *m, int nid, int idx)
{
	for (int z = 0; z <= idx; z++)
		if (m->nodes[nid].node_zones[z].managed_pages)
			return true;
	return false;
}

unsigned long try_to_free_pages(struct memsys *m, gfp_t gfp, unsigned order)
{
	struct scan_control sc = { .nr_to_reclaim = SWAP_CLUSTER_MAX, .gfp_mask = gfp, .order = (int)order,
				   .priority = DEF_PRIORITY, .reclaim_idx = (int)gfp_zone(gfp),
				   .may_writepage = true, .may_unmap = true, .may_swap = true };

retry:
	do {
		sc.nr_scanned = 0;
		for (int nid = 0; nid < m->nr_nodes; nid++)
			if (node_has_zone(m, nid, sc.reclaim_idx))
				shrink_node(m, &m->nodes[nid], &sc);
		if (sc.nr_reclaimed >= sc.nr_to_reclaim)
			break;
	} while (--sc.priority >= 0);
	for (int nid = 0; nid < m->nr_nodes; nid++)
		snapshot_refaults(&m->nodes[nid]);
	if (sc.nr_reclaimed)
		return sc.nr_reclaimed;
	/* Deactivation was skipped: try once more with it forced. */
	if (sc.skipped_deactivate && !sc.force_deactivate) {
		sc.priority = DEF_PRIORITY;
		sc.force_deactivate = true;
		sc.skipped_deactivate = false;
		goto retry;
	}
	return 0;
}

/* Is every populated zone <= IDX of PGDAT above its high watermark for
 * ORDER (each against its own lowmem reserve)?  Linux 6.1's
 * pgdat_balanced is satisfied by any one such zone; mmsim balances them
 * all, as the issue asks (docs/reclaim.md). */
static bool pgdat_balanced(struct memsys *m, pg_data_t *pgdat, int order, int idx)
{
	for (int z = 0; z <= idx; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (zone->managed_pages && !zone_watermark_ok(m, zone, (unsigned)order, high_wmark_pages(zone), z, 0))
			return false;
	}
	return true;
}

/* The populated zone <= IDX of PGDAT with the least room above its high
 * watermark (the one kswapd still works for), or 0. */
static int top_zone(pg_data_t *pgdat, int idx)
{
	long best = 0;
	int zbest = 0;
	bool any = false;

	for (int z = 0; z <= idx; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		long room = zone->vm_stat[NR_FREE_PAGES] - (long)high_wmark_pages(zone);
		if (!zone->managed_pages)
			continue;
		if (!any || room < best) {
			best = room;
			zbest = z;
			any = true;
		}
	}
	return zbest;
}

static void trace_kswapd(struct memsys *m, pg_data_t *pgdat, int order, int idx, const char *what)
{
	struct trace_event ev = trace_event_init(TEV_KSWAPD);
	int z = top_zone(pgdat, idx);

	ev.zone = pgdat->node_id;
	ev.order = order;
	ev.pfn = z; /* the zone whose watermarks kswapd balances */
	ev.value = pgdat->node_zones[z].vm_stat[NR_FREE_PAGES];
	ev.size = high_wmark_pages(&pgdat->node_zones[z]);
	ev.addr = low_wmark_pages(&pgdat->node_zones[z]);
	ev.detail = what;
	trace_emit(m->trace, &ev);
}

void wakeup_kswapd(struct memsys *m, struct zone *zone, unsigned order)
{
	pg_data_t *pgdat = &m->nodes[zone->node];
	int idx = (int)zone->type;

	if (!zone->managed_pages)
		return;
	if (pgdat->kswapd_highest_zoneidx < idx || !pgdat->kswapd_woken)
		pgdat->kswapd_highest_zoneidx = idx;
	if (pgdat->kswapd_order < (int)order)
		pgdat->kswapd_order = (int)order;
	if (pgdat->kswapd_woken)
		return;
	/* Hopeless node (MAX_RECLAIM_RETRIES failed runs) or balanced: no wake. */
	if (pgdat->kswapd_failures >= 16)
		return;
	if (pgdat_balanced(m, pgdat, (int)order, idx))
		return;
	pgdat->kswapd_woken = true;
	/* Woken while napping after its last run: the low watermark was hit
	 * again quickly (kswapd_try_to_sleep). */
	if (pgdat->kswapd_nap_until) {
		__count_vm_event(m, KSWAPD_LOW_WMARK_HIT_QUICKLY);
		pgdat->kswapd_nap_until = 0;
	}
	trace_kswapd(m, pgdat, (int)order, idx, "wake");
}

bool kswapd_pending(const struct memsys *m, uint64_t now)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		const pg_data_t *p = &m->nodes[nid];
		if (p->kswapd_woken || (p->kswapd_nap_until && now >= p->kswapd_nap_until))
			return true;
	}
	return false;
}

/* Linux's balance_pgdat: reclaim from PGDAT at rising priority until a zone
 * <= IDX is above its high watermark.  Returns pages reclaimed. */
static unsigned long balance_pgdat(struct memsys *m, pg_data_t *pgdat, int order, int idx)
{
	struct scan_control sc = { .gfp_mask = GFP_KERNEL, .order = order, .priority = DEF_PRIORITY,
				   .reclaim_idx = idx, .may_writepage = true, .may_unmap = true, .may_swap = true };

	__count_vm_event(m, PAGEOUTRUN);
	do {
		unsigned long before = sc.nr_reclaimed;
		bool raise_priority = true;

		if (pgdat_balanced(m, pgdat, order, idx))
			break;
		if (can_reclaim_anon_pages(m) && inactive_is_low(m, pgdat->node_id, LRU_INACTIVE_ANON))
			shrink_active_list(m, SWAP_CLUSTER_MAX, &pgdat->__lruvec, &sc, LRU_ACTIVE_ANON);
		/* kswapd_shrink_node: aim at the high watermarks of the zones. */
		sc.nr_to_reclaim = 0;
		for (int z = 0; z <= idx; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			if (zone->managed_pages)
				sc.nr_to_reclaim += high_wmark_pages(zone) > SWAP_CLUSTER_MAX ? high_wmark_pages(zone)
											: SWAP_CLUSTER_MAX;
		}
		sc.nr_scanned = 0;
		shrink_node(m, pgdat, &sc);
		if (sc.nr_scanned >= sc.nr_to_reclaim)
			raise_priority = false;
		if (raise_priority || sc.nr_reclaimed == before)
			sc.priority--;
	} while (sc.priority >= 1);
	snapshot_refaults(pgdat);
	if (!sc.nr_reclaimed)
		pgdat->kswapd_failures++;
	else
		pgdat->kswapd_failures = 0;
	return sc.nr_reclaimed;
}

uint64_t kswapd_run(struct memsys *m, uint64_t now)
{
	uint64_t before = m->kswapd_ns;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *p = &m->nodes[nid];
		int order = p->kswapd_order, idx = p->kswapd_highest_zoneidx;

		if (!p->kswapd_woken) {
			if (!p->kswapd_nap_until || now < p->kswapd_nap_until)
				continue;
			/* The nap is over: balanced still?  Then sleep for good;
			 * else the high watermark was hit quickly: run again. */
			p->kswapd_nap_until = 0;
			if (pgdat_balanced(m, p, order, idx)) {
				p->kswapd_order = 0;
				trace_kswapd(m, p, order, idx, "sleep");
				continue;
			}
			__count_vm_event(m, KSWAPD_HIGH_WMARK_HIT_QUICKLY);
			trace_kswapd(m, p, order, idx, "wake");
		}
		p->kswapd_woken = false;
		m->in_kswapd = true;
		balance_pgdat(m, p, order, idx);
		m->in_kswapd = false;
		if (pgdat_balanced(m, p, order, idx)) {
			p->kswapd_nap_until = now + (m->kswapd_ns - before) + KSWAPD_NAP_NS;
			trace_kswapd(m, p, order, idx, "nap");
		} else {
			/* Could not balance (nothing reclaimable): sleep until the
			 * next wakeup; kswapd_failures stops hopeless wakeups. */
			p->kswapd_order = 0;
			trace_kswapd(m, p, order, idx, "sleep");
		}
	}
	return m->kswapd_ns - before;
}

unsigned long drop_caches(struct memsys *m, int mode)
{
	unsigned long freed = 0;

	m->sysctl.drop_caches = mode;
	if (mode & 1) {
		for (int nid = 0; nid < m->nr_nodes; nid++) {
			struct lruvec *lv = node_lruvec(m, nid);
			for (int lru = LRU_INACTIVE_FILE; lru <= LRU_ACTIVE_FILE; lru++) {
				struct list_head *l, *n;
				list_for_each_safe(l, n, &lv->lists[lru]) {
					struct page *page = list_entry(l, struct page, lru);
					/* invalidate_mapping_pages: clean, unmapped, only the
					 * cache's reference. */
					if (!page_is_file_cache(page) || page_mapcount(page) || PageDirty(page) ||
					    page_count(page) != 1)
						continue;
					lruvec_del_page(m, page);
					filemap_remove_page(m, page, NULL);
					freed++;
				}
			}
		}
		__count_vm_event(m, DROP_PAGECACHE);
		trace_reclaim(m, 0, 0, 0, freed, "drop_pagecache");
	}
	if (mode & 2) {
		unsigned long slab = shrink_slab(m);
		freed += slab;
		__count_vm_event(m, DROP_SLAB);
		trace_reclaim(m, 0, 0, 0, slab, "drop_slab");
	}
	return freed;
}

bool reclaim_page(struct memsys *m, struct page *page)
{
	struct scan_control sc = { .nr_to_reclaim = 1, .gfp_mask = GFP_KERNEL, .priority = DEF_PRIORITY,
				   .reclaim_idx = MAX_NR_ZONES - 1, .may_writepage = true, .may_unmap = true,
				   .may_swap = true };
	struct reclaim_stat stat = { 0 };
	struct list_head list;
	unsigned long freed;

	if (!PageLRU(page) || PageUnevictable(page))
		return false;
	INIT_LIST_HEAD(&list);
	get_page(m, page);
	lruvec_del_page(m, page);
	mod_node_page_state(m, page->node, page_is_file_lru(page) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, 1);
	list_add(&page->lru, &list);
	/* MADV_PAGEOUT ignores the references (reclaim_folio_list clears them). */
	ClearPageActive(page);
	freed = shrink_folio_list(m, &list, &sc, &stat);
	move_pages_to_lru(m, page_lruvec(m, page), &list);
	return freed > 0;
}

int lru_check(struct memsys *m, char *err, size_t errlen)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->nodes[nid];
		long zcount[MAX_NR_ZONES][NR_LRU_LISTS] = { { 0 } };

		if (pgdat->vm_stat[NR_ISOLATED_ANON] || pgdat->vm_stat[NR_ISOLATED_FILE]) {
			snprintf(err, errlen, "node %d: pages left isolated from the LRU", nid);
			return -1;
		}
		for (int l = 0; l < NR_LRU_LISTS; l++) {
			long n = 0;
			struct list_head *pos;
			list_for_each(pos, &pgdat->__lruvec.lists[l]) {
				struct page *p = list_entry(pos, struct page, lru);
				if (p->_refcount < 1 || PageBuddy(p) || !PageLRU(p) || (int)page_lru(p) != l ||
				    p->node != nid) {
					snprintf(err, errlen,
						 "node %d LRU list %d: pfn %lu (refcount %d, flags %#x) does not belong there",
						 nid, l, page_to_pfn(m, p), p->_refcount, p->flags);
					return -1;
				}
				zcount[p->zone][l]++;
				if (++n > (long)m->max_pfn) {
					snprintf(err, errlen, "node %d LRU list %d loops", nid, l);
					return -1;
				}
			}
			if (n != pgdat->vm_stat[NR_INACTIVE_ANON + l]) {
				snprintf(err, errlen, "node %d LRU list %d holds %ld pages, its counter says %ld", nid, l, n,
					 pgdat->vm_stat[NR_INACTIVE_ANON + l]);
				return -1;
			}
		}
		for (int z = 0; z < MAX_NR_ZONES; z++)
			for (int l = 0; l < NR_LRU_LISTS; l++)
				if (zcount[z][l] != pgdat->node_zones[z].vm_stat[NR_ZONE_LRU_BASE + l]) {
					snprintf(err, errlen, "zone %s of node %d: LRU list %d counter %ld, %ld listed",
						 zone_names[z], nid, l, pgdat->node_zones[z].vm_stat[NR_ZONE_LRU_BASE + l],
						 zcount[z][l]);
					return -1;
				}
	}
	return 0;
}

unsigned long lru_pages_total(const struct memsys *m)
{
	long n = 0;
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int l = 0; l < NR_LRU_LISTS; l++)
			n += m->nodes[nid].vm_stat[NR_INACTIVE_ANON + l];
	return n > 0 ? (unsigned long)n : 0;
}

/* reclaim_ops adapters */
static unsigned long hook_try_to_free_pages(void *ctx, struct memsys *m, gfp_t gfp, unsigned order)
{
	(void)ctx;
	return try_to_free_pages(m, gfp, order);
}

static void hook_wakeup_kswapd(void *ctx, struct memsys *m, struct zone *zone, unsigned order)
{
	(void)ctx;
	wakeup_kswapd(m, zone, order);
}

void reclaim_init(struct memsys *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		lruvec_init(&m->nodes[nid].__lruvec, nid);
	m->reclaim.try_to_free_pages = hook_try_to_free_pages;
	m->reclaim.wakeup_kswapd = hook_wakeup_kswapd;
}
