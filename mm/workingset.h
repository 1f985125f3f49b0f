/* mm/workingset.h - workingset detection (Linux: mm/workingset.c).
 *
 * When reclaim evicts a page, the page-cache or swap-cache slot it leaves
 * keeps a shadow entry: the node's nonresident_age (a clock that ticks
 * once per eviction and per activation) at eviction time, and whether the
 * page was in the workingset.  When the page is read back in (a refault),
 * the distance now - eviction is how many pages were evicted or activated
 * meanwhile.  Had the page been on the active list, it would have survived
 * that long if the distance does not exceed the workingset size (the
 * active lists, plus the other type's lists when swap is available), so it
 * goes straight to the active list (workingset_activate_*); a page that
 * was in the workingset when evicted is a restore (workingset_restore_*).
 * Every refault counts workingset_refault_anon/file.
 *
 * A shadow entry is stored where a page pointer would be, tagged with bit 0
 * (Linux's xa_mk_value): (eviction << 3) | (node << 2) | (workingset << 1) | 1.
 */
#ifndef MMSIM_MM_WORKINGSET_H
#define MMSIM_MM_WORKINGSET_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mmzone.h"

static inline bool xa_is_value(const void *entry) { return ((uintptr_t)entry & 1) != 0; }

/* PAGE (being evicted) leaves this shadow.  Ages the node's clock. */
void *workingset_eviction(struct memsys *m, struct page *page);
/* PAGE (new, not yet on the LRU) refaults with SHADOW: counts the refault
 * and may set PG_active / PG_workingset before lru_cache_add. */
void workingset_refault(struct memsys *m, struct page *page, void *shadow);
/* An LRU page was activated by use (mark_page_accessed): age the clock. */
void workingset_activation(struct memsys *m, struct page *page);
/* Tick NODE's nonresident clock by NR pages. */
void workingset_age_nonresident(struct lruvec *lv, unsigned long nr);

#endif
