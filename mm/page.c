/* mm/page.c - page references (get_page/put_page), bad-page reports and
 * page flag names.
 *
 * A page is in one of three states: free (inside a buddy block: refcount
 * 0, mapcount -1), reserved (PG_reserved, refcount 1, never freed), or
 * allocated (the head of an allocated block has refcount >= 1; its other
 * pages have refcount 0 when the block is compound, PG_head on the head,
 * and head_offset on each tail leads back to the head).
 * The last put_page() frees the block.  A get or put on a free page is a
 * bug in the caller: it is reported (BAD_PAGE) and changes nothing.
 */
#include <stdio.h>

#include "mm/internal.h"
#include "mm/swap.h"
#include "traces/trace.h"

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	[PG_locked] = "locked",         [PG_referenced] = "referenced",
	[PG_uptodate] = "uptodate",     [PG_dirty] = "dirty",
	[PG_lru] = "lru",               [PG_active] = "active",
	[PG_workingset] = "workingset", [PG_waiters] = "waiters",
	[PG_error] = "error",           [PG_slab] = "slab",
	[PG_owner_priv_1] = "owner_priv_1", [PG_arch_1] = "arch_1",
	[PG_reserved] = "reserved",     [PG_private] = "private",
	[PG_private_2] = "private_2",   [PG_writeback] = "writeback",
	[PG_head] = "head",             [PG_mappedtodisk] = "mappedtodisk",
	[PG_reclaim] = "reclaim",       [PG_swapbacked] = "swapbacked",
	[PG_unevictable] = "unevictable", [PG_mlocked] = "mlocked",
	[PG_buddy] = "buddy",           [PG_pgtable] = "table",
	[PG_zero] = "zero",             [PG_anon] = "anon",
};

/* Linux's %pGp name of flag F, or "unknown". */
const char *pageflag_name(enum pageflags f)
{
	if ((unsigned)f >= __NR_PAGEFLAGS || !pageflag_names[f])
		return "unknown";
	return pageflag_names[f];
}

void bad_page(struct memsys *m, struct page *page, const char *reason)
{
	struct trace_event ev = trace_event_init(TEV_BAD_PAGE);

	m->bad_pages++;
	ev.pfn = page ? (int64_t)page_to_pfn(m, page) : -1;
	ev.detail = reason;
	trace_emit(m->trace, &ev);
	if (page)
		fprintf(stderr,
			"BUG: Bad page state in process mmsim  pfn:0x%05lx refcount:%d mapcount:%d flags:%#x "
			"page dumped because: %s\n",
			page_to_pfn(m, page), page->_refcount, page_mapcount(page), page->flags, reason);
	else
		fprintf(stderr, "BUG: Bad page state in process mmsim  pfn:none page dumped because: %s\n", reason);
}

struct page *compound_head(struct memsys *m, struct page *page)
{
	struct page *head;

	(void)m;
	if (PageHead(page) || page->_refcount > 0)
		return page;
	if (!page->head_offset)
		return NULL;
	/* head_offset is set only while the compound block is allocated
	 * (prep_compound_page) and cleared when it is freed (free_the_page). */
	head = page - page->head_offset;
	return PageHead(head) && head->_refcount > 0 ? head : NULL;
}

/* Resolve a compound tail to its head; other pages map to themselves. */
static struct page *ref_target(struct memsys *m, struct page *page)
{
	if (page->_refcount <= 0 && !PageBuddy(page)) {
		struct page *head = compound_head(m, page);
		if (head)
			return head;
	}
	return page;
}

void get_page(struct memsys *m, struct page *page)
{
	page = ref_target(m, page);
	if (PageBuddy(page) || page->_refcount <= 0) {
		bad_page(m, page, "get_page on a free page");
		return;
	}
	page->_refcount++;
}

void put_page(struct memsys *m, struct page *page)
{
	page = ref_target(m, page);
	if (PageBuddy(page) || page->_refcount <= 0) {
		bad_page(m, page, "put_page on a free page");
		return;
	}
	if (page->_refcount > 1) {
		page->_refcount--;
		return;
	}
	if (PageLRU(page))
		__page_cache_release(m, page);
	__free_pages(m, page, PageHead(page) ? page->compound_order : 0);
}
