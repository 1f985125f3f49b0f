/* mm/swap.c - putting pages on and moving them between the LRU lists
 * (Linux: mm/swap.c, include/linux/mm_inline.h).  See mm/swap.h for the
 * invariant; mm/vmscan.c takes pages off the lists again.
 */
#include "mm/swap.h"

#include "mm/filemap.h"
#include "mm/internal.h"
#include "mm/mlock.h"
#include "mm/mm_types.h"
#include "mm/workingset.h"

bool page_evictable(const struct page *p)
{
	if (page_flag(p, PG_mlocked))
		return false;
	if (page_is_file_cache(p) && ((const struct address_space *)p->mapping)->unevictable)
		return false;
	return true;
}

enum lru_list page_lru(const struct page *p)
{
	if (page_flag(p, PG_unevictable))
		return LRU_UNEVICTABLE;
	return (enum lru_list)((page_is_file_lru(p) ? LRU_FILE : 0) + (page_flag(p, PG_active) ? LRU_ACTIVE : 0));
}

void lruvec_init(struct lruvec *lv, int node)
{
	for (int l = 0; l < NR_LRU_LISTS; l++)
		INIT_LIST_HEAD(&lv->lists[l]);
	lv->anon_cost = lv->file_cost = 0;
	lv->nonresident_age = 0;
	lv->refaults[0] = lv->refaults[1] = 0;
	lv->node = node;
}

void update_lru_size(struct memsys *m, struct page *page, enum lru_list lru, long nr)
{
	mod_node_page_state(m, page->node, (enum node_stat_item)(NR_INACTIVE_ANON + lru), nr);
	mod_zone_page_state(page_zone(m, page), (enum zone_stat_item)(NR_ZONE_LRU_BASE + lru), nr);
}

void trace_lru_move(struct memsys *m, const struct page *page, const char *detail)
{
	struct trace_event ev;

	if (mm_trace_count_only(m, TEV_LRU_MOVE))
		return;
	ev = trace_event_init(TEV_LRU_MOVE);
	ev.pfn = (int64_t)page_to_pfn(m, page);
	ev.value = page_lru(page);
	ev.detail = detail;
	trace_emit(m->trace, &ev);
}

/* Set or clear PG_unevictable from page_evictable() before listing. */
static void prepare_lru_flags(struct page *page)
{
	if (page_evictable(page)) {
		clear_page_flag(page, PG_unevictable);
	} else {
		clear_page_flag(page, PG_active);
		set_page_flag(page, PG_unevictable);
	}
}

/* List PAGE at the head, or at the tail when TAIL. */
static void __lruvec_add_page(struct memsys *m, struct page *page, bool tail)
{
	struct list_head *head;
	enum lru_list lru;

	prepare_lru_flags(page);
	lru = page_lru(page);
	update_lru_size(m, page, lru, 1);
	head = &page_lruvec(m, page)->lists[lru];
	if (tail)
		list_add_tail(&page->lru, head);
	else
		list_add(&page->lru, head);
	SetPageLRU(page);
}

void lruvec_add_page(struct memsys *m, struct page *page)
{
	__lruvec_add_page(m, page, false);
}

void lruvec_add_page_tail(struct memsys *m, struct page *page)
{
	__lruvec_add_page(m, page, true);
}

void lruvec_del_page(struct memsys *m, struct page *page)
{
	list_del(&page->lru);
	INIT_LIST_HEAD(&page->lru);
	update_lru_size(m, page, page_lru(page), -1);
	ClearPageLRU(page);
}

void lru_cache_add(struct memsys *m, struct page *page)
{
	if (PageLRU(page))
		return;
	lruvec_add_page(m, page);
	if (PageUnevictable(page))
		__count_vm_event(m, UNEVICTABLE_PGCULLED);
	trace_lru_move(m, page, "add");
}

void lru_cache_add_inactive_or_unevictable(struct memsys *m, struct page *page, struct vm_area_struct *vma)
{
	if (vma && (vma->vm_flags & VM_LOCKED))
		mlock_page(m, page); /* listed on the unevictable list */
	lru_cache_add(m, page);
}

void activate_page(struct memsys *m, struct page *page)
{
	if (!PageLRU(page) || PageActive(page) || PageUnevictable(page))
		return;
	lruvec_del_page(m, page);
	SetPageActive(page);
	lruvec_add_page(m, page);
	__count_vm_event(m, PGACTIVATE);
	trace_lru_move(m, page, "activate");
}

void mark_page_accessed(struct memsys *m, struct page *page)
{
	if (PageUnevictable(page))
		return;
	if (!PageReferenced(page)) {
		SetPageReferenced(page);
	} else if (!PageActive(page)) {
		if (PageLRU(page))
			activate_page(m, page);
		else
			SetPageActive(page);
		ClearPageReferenced(page);
		workingset_activation(m, page);
	}
}

void check_move_unevictable_page(struct memsys *m, struct page *page)
{
	bool uneve = PageUnevictable(page);

	if (!PageLRU(page) || uneve == !page_evictable(page))
		return;
	lruvec_del_page(m, page);
	if (uneve)
		clear_page_flag(page, PG_unevictable);
	lruvec_add_page(m, page);
	trace_lru_move(m, page, uneve ? "putback" : "unevictable");
}

void deactivate_page(struct memsys *m, struct page *page)
{
	if (!PageLRU(page) || PageUnevictable(page))
		return;
	if (PageActive(page)) {
		lruvec_del_page(m, page);
		ClearPageActive(page);
		ClearPageReferenced(page);
		lruvec_add_page(m, page);
		__count_vm_event(m, PGDEACTIVATE);
		trace_lru_move(m, page, "deactivate");
	} else {
		ClearPageReferenced(page);
	}
}

void __page_cache_release(struct memsys *m, struct page *page)
{
	if (PageLRU(page))
		lruvec_del_page(m, page);
	clear_page_flag(page, PG_active);
	clear_page_flag(page, PG_unevictable);
	clear_page_flag(page, PG_referenced);
	clear_page_flag(page, PG_workingset);
	clear_page_flag(page, PG_reclaim);
	/* A page freed while still mlocked (Linux: unevictable_pgs_cleared). */
	if (PageMlocked(page))
		mlock_page_freed(m, page);
}

void lru_note_cost(struct memsys *m, struct lruvec *lv, bool file, unsigned long nr)
{
	pg_data_t *pgdat = &m->nodes[lv->node];
	unsigned long lrusize;

	if (file)
		lv->file_cost += nr;
	else
		lv->anon_cost += nr;
	/* Decay both costs once they exceed a quarter of the LRU, so the
	 * balance follows the recent past (Linux's lru_note_cost). */
	lrusize = (unsigned long)(pgdat->vm_stat[NR_INACTIVE_ANON] + pgdat->vm_stat[NR_ACTIVE_ANON] +
				  pgdat->vm_stat[NR_INACTIVE_FILE] + pgdat->vm_stat[NR_ACTIVE_FILE]);
	if (lv->file_cost + lv->anon_cost > lrusize / 4) {
		lv->file_cost /= 2;
		lv->anon_cost /= 2;
	}
}
