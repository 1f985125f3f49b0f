/* mm/internal.h - helpers shared by the page allocator's files (memsys.c,
 * page_alloc.c, page.c, check.c).  Not for use outside mm/. */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include "mm/page_alloc.h"
#include "traces/trace.h"

#ifndef likely
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Hot-path events.  When M's trace sink only counts (the none sink), count
 * event TYPE here and return true: the caller need not build the event.
 * Otherwise return false and the caller builds it and calls trace_emit(),
 * which counts it.  Either way trace_count() sees every event. */
static inline bool mm_trace_count_only(struct memsys *m, enum trace_event_type type)
{
	if (unlikely(!m->trace_counts_cached)) {
		m->trace_counts = trace_counters_if_count_only(m->trace);
		m->trace_counts_cached = true;
	}
	if (likely(m->trace_counts != NULL)) {
		m->trace_counts[type]++;
		return true;
	}
	return false;
}

/* Put the free block of 2^ORDER pages at PFN into ZONE's buddy lists,
 * merging with free buddies; updates NR_FREE_PAGES.  No events/counters. */
void __free_one_page(struct memsys *m, struct page *page, unsigned long pfn, struct zone *zone,
		     unsigned int order);

/* Report a bad page: BAD_PAGE event, m->bad_pages++, one line on stderr.
 * REASON says what was wrong.  The page is not touched. */
void bad_page(struct memsys *m, struct page *page, const char *reason);

/* Free a block whose refcount just reached 0 (checks, events, counters). */
void free_the_page(struct memsys *m, struct page *page, unsigned int order);

/* Head of the allocated block holding PAGE: the page itself, or the
 * compound head whose block covers it (O(1) through head_offset); NULL if
 * none. */
struct page *compound_head(struct memsys *m, struct page *page);

#endif
