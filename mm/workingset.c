/* mm/workingset.c - shadow entries and refault distances.  See
 * mm/workingset.h for the algorithm (Linux 6.1 mm/workingset.c). */
#include "mm/workingset.h"

#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/swapfile.h"

#define EVICTION_SHIFT 3

void workingset_age_nonresident(struct lruvec *lv, unsigned long nr)
{
	lv->nonresident_age += nr;
}

void *workingset_eviction(struct memsys *m, struct page *page)
{
	struct lruvec *lv = page_lruvec(m, page);
	uint64_t eviction = lv->nonresident_age;
	uintptr_t v;

	workingset_age_nonresident(lv, 1);
	v = ((uintptr_t)eviction << EVICTION_SHIFT) | ((uintptr_t)page->node << 2) |
	    ((uintptr_t)PageWorkingset(page) << 1) | 1;
	return (void *)v;
}

static void trace_refault(struct memsys *m, struct page *page, uint64_t distance, unsigned long wss, bool file,
			  bool activate)
{
	struct trace_event ev = trace_event_init(TEV_REFAULT);

	ev.pfn = (int64_t)page_to_pfn(m, page);
	ev.value = (int64_t)distance;
	ev.size = wss;
	ev.detail = file ? (activate ? "file activate" : "file") : (activate ? "anon activate" : "anon");
	trace_emit(m->trace, &ev);
}

void workingset_refault(struct memsys *m, struct page *page, void *shadow)
{
	uintptr_t v = (uintptr_t)shadow;
	int nid = (int)((v >> 2) & 1);
	bool workingset = (v >> 1) & 1, file = page_is_file_lru(page);
	struct lruvec *lv;
	pg_data_t *pgdat;
	uint64_t eviction = v >> EVICTION_SHIFT, distance;
	long wss;

	if (nid >= m->nr_nodes)
		nid = 0;
	pgdat = &m->nodes[nid];
	lv = &pgdat->__lruvec;
	distance = lv->nonresident_age - eviction;
	mod_node_page_state(m, page->node, (enum node_stat_item)(WORKINGSET_REFAULT_BASE + file), 1);
	/* The workingset a refaulting page competes with (workingset_test_recency). */
	wss = pgdat->vm_stat[NR_ACTIVE_FILE];
	if (!file)
		wss += pgdat->vm_stat[NR_INACTIVE_FILE];
	if (nr_swap_pages(m) > 0) {
		wss += pgdat->vm_stat[NR_ACTIVE_ANON];
		if (file)
			wss += pgdat->vm_stat[NR_INACTIVE_ANON];
	}
	if (distance > (uint64_t)(wss > 0 ? wss : 0)) {
		trace_refault(m, page, distance, (unsigned long)wss, file, false);
		return;
	}
	SetPageActive(page);
	workingset_age_nonresident(lv, 1);
	mod_node_page_state(m, page->node, (enum node_stat_item)(WORKINGSET_ACTIVATE_BASE + file), 1);
	if (workingset) {
		set_page_flag(page, PG_workingset);
		/* lru_note_cost_refault: the refault is I/O we paid for this type */
		lru_note_cost(m, lv, file, 1);
		mod_node_page_state(m, page->node, (enum node_stat_item)(WORKINGSET_RESTORE_BASE + file), 1);
	}
	trace_refault(m, page, distance, (unsigned long)wss, file, true);
}

void workingset_activation(struct memsys *m, struct page *page)
{
	workingset_age_nonresident(page_lruvec(m, page), 1);
}
