/* mm/swap_state.c - the swap cache and swap readahead (Linux:
 * mm/swap_state.c).  See mm/swapfile.h. */
#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mm/workingset.h"

/* PG_readahead is Linux's alias of PG_reclaim on pages not under writeback. */
#define PG_readahead PG_reclaim

struct page *lookup_swap_cache(struct memsys *m, swp_entry_t e)
{
	struct page *page;

	if (!swap_entry_valid(m, e))
		return NULL;
	page = m->swap->cache[swp_offset(e)];
	if (!page || xa_is_value(page))
		return NULL;
	if (page_flag(page, PG_readahead)) {
		clear_page_flag(page, PG_readahead);
		__count_vm_event(m, SWAP_RA_HIT);
	}
	get_page(m, page);
	return page;
}

void add_to_swap_cache(struct memsys *m, struct page *page, swp_entry_t e, void **shadow)
{
	void **slot = &m->swap->cache[swp_offset(e)];

	*shadow = (*slot && xa_is_value(*slot)) ? *slot : NULL;
	get_page(m, page);
	SetPageSwapBacked(page);
	set_page_flag(page, PG_swapcache);
	page->private = e.val;
	*slot = page;
	m->swap->swap_map[swp_offset(e)] |= SWAP_HAS_CACHE;
	mod_node_page_state(m, page->node, NR_FILE_PAGES, 1);
	mod_node_page_state(m, page->node, NR_SWAPCACHE, 1);
}

void delete_from_swap_cache(struct memsys *m, struct page *page, void *shadow)
{
	swp_entry_t e = { page->private };

	m->swap->cache[swp_offset(e)] = shadow;
	clear_page_flag(page, PG_swapcache);
	page->private = 0;
	mod_node_page_state(m, page->node, NR_FILE_PAGES, -1);
	mod_node_page_state(m, page->node, NR_SWAPCACHE, -1);
	put_swap_page(m, e);
	put_page(m, page);
}

bool add_to_swap(struct memsys *m, struct page *page)
{
	swp_entry_t e = get_swap_page(m);
	void *shadow;

	if (!e.val)
		return false;
	add_to_swap_cache(m, page, e, &shadow);
	/* The data exists only in memory until pageout writes it. */
	SetPageDirty(page);
	return true;
}

struct page *read_swap_cache_async(struct memsys *m, swp_entry_t e, gfp_t gfp, bool *new_page)
{
	struct page *page;
	void *shadow;

	*new_page = false;
	page = lookup_swap_cache(m, e);
	if (page)
		return page;
	/* A slot nobody refers to any more (freed meanwhile) is not read. */
	if (!swap_entry_valid(m, e) || !swap_count(m, e))
		return NULL;
	page = alloc_page(m, gfp);
	if (!page)
		return NULL;
	swap_readpage(m, page, e);
	add_to_swap_cache(m, page, e, &shadow);
	if (shadow)
		workingset_refault(m, page, shadow);
	lru_cache_add(m, page);
	*new_page = true;
	return page; /* the allocation's reference is the caller's */
}

/*
 * swap_cluster_readahead: read the aligned window of 2^page_cluster slots
 * holding ENTRY, skipping free and cached slots, then ENTRY itself.
 * Readahead pages carry PG_readahead until a fault finds them
 * (swap_ra_hit).  Best effort: a failed readahead allocation ends it.
 */
struct page *swapin_readahead(struct memsys *m, swp_entry_t e, gfp_t gfp, bool *major, unsigned *nr_read)
{
	unsigned long win = 1UL << (m->sysctl.page_cluster > 0 ? m->sysctl.page_cluster : 0);
	uint64_t off = swp_offset(e), start = off & ~(uint64_t)(win - 1), end = start + win;
	struct page *page;
	bool fresh;

	*major = false;
	*nr_read = 0;
	if (end > m->swap->max)
		end = m->swap->max;
	if (win > 1) {
		for (uint64_t o = start ? start : 1; o < end; o++) {
			swp_entry_t ra = swp_entry(0, o);
			struct page *p;
			void *c;

			if (o == off || !(m->swap->swap_map[o] & SWAP_COUNT_MASK))
				continue;
			c = m->swap->cache[o];
			if (c && !xa_is_value(c))
				continue;
			p = read_swap_cache_async(m, ra, gfp | __GFP_NORETRY | __GFP_NOWARN, &fresh);
			if (!p)
				break;
			if (fresh) {
				set_page_flag(p, PG_readahead);
				__count_vm_event(m, SWAP_RA);
				(*nr_read)++;
			}
			put_page(m, p);
		}
	}
	page = read_swap_cache_async(m, e, gfp, &fresh);
	if (fresh) {
		*major = true;
		(*nr_read)++;
	}
	return page;
}
