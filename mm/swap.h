/* mm/swap.h - the LRU lists (Linux: mm/swap.c, include/linux/mm_inline.h).
 *
 * Every user page that reclaim may consider is on exactly one list of its
 * node's lruvec while PG_lru is set: anonymous and shmem pages
 * (PG_swapbacked) on the anon lists, page-cache pages on the file lists,
 * pages that must stay (PG_mlocked, or a mapping marked unevictable) on
 * LRU_UNEVICTABLE.  PG_active says which of the two evictable lists.  The
 * list sizes are the zone counters NR_ZONE_INACTIVE_ANON.. and the node
 * counters NR_INACTIVE_ANON.. (meminfo Active(anon), Inactive(file),
 * Unevictable...), kept by update_lru_size() only.
 *
 * A page taken off its list by reclaim ("isolated") has PG_lru clear and
 * one extra reference; it is counted in NR_ISOLATED_ANON/FILE until it is
 * put back or freed.  put_page() of the last reference of a page that is
 * still on a list takes it off first (__page_cache_release).
 *
 * Pages are added at the head (most recently used) and reclaim scans from
 * the tail.  No pagevec batching: each add goes straight to its list.
 */
#ifndef MMSIM_MM_SWAP_H
#define MMSIM_MM_SWAP_H

#include <stdbool.h>

#include "mm/mmzone.h"

struct vm_area_struct;

/* PG_swapcache is Linux's alias of PG_owner_priv_1 (valid on swap-backed pages). */
#define PG_swapcache PG_owner_priv_1
static inline bool PageSwapCache(const struct page *p)
{
	return page_flag(p, PG_swapbacked) && page_flag(p, PG_swapcache);
}
static inline bool PageUnevictable(const struct page *p) { return page_flag(p, PG_unevictable); }
static inline bool PageMlocked(const struct page *p) { return page_flag(p, PG_mlocked); }
static inline bool PageReclaim(const struct page *p) { return page_flag(p, PG_reclaim); }
static inline bool PageWorkingset(const struct page *p) { return page_flag(p, PG_workingset); }

static inline struct lruvec *node_lruvec(struct memsys *m, int nid) { return &m->nodes[nid].__lruvec; }
static inline struct lruvec *page_lruvec(struct memsys *m, const struct page *p) { return &m->nodes[p->node].__lruvec; }

/* File LRU (page cache that is not swap-backed) or anon LRU? */
static inline bool page_is_file_lru(const struct page *p) { return !page_flag(p, PG_swapbacked); }
static inline bool is_file_lru(enum lru_list l) { return l == LRU_INACTIVE_FILE || l == LRU_ACTIVE_FILE; }
static inline bool is_active_lru(enum lru_list l) { return l == LRU_ACTIVE_ANON || l == LRU_ACTIVE_FILE; }

/* Linux's folio_evictable: not mlocked, mapping not unevictable. */
bool page_evictable(const struct page *p);
/* The list PAGE belongs on from its flags (folio_lru_list). */
enum lru_list page_lru(const struct page *p);

/* Initialise NODE's lruvec (memsys_create). */
void lruvec_init(struct lruvec *lv, int node);
/* Add PAGE's size to the counters of list LRU (NR <0: remove). */
void update_lru_size(struct memsys *m, struct page *page, enum lru_list lru, long nr);
/* Put PAGE (not on a list) at the head of the list its flags say, PG_lru
 * set (lruvec_add_folio).  Unevictable pages get PG_unevictable and the
 * unevictable list. */
void lruvec_add_page(struct memsys *m, struct page *page);
/* Put PAGE at the tail (reclaim sees it next: folio_rotate_reclaimable). */
void lruvec_add_page_tail(struct memsys *m, struct page *page);
/* Take PAGE off its list (PG_lru must be set); PG_lru cleared. */
void lruvec_del_page(struct memsys *m, struct page *page);

/* A new page enters the LRU (folio_add_lru): inactive unless PG_active was
 * set (workingset refault).  Trace level 2 records it. */
void lru_cache_add(struct memsys *m, struct page *page);
/* lru_cache_add for a page just mapped in VMA (new anonymous page):
 * mlocked VMAs make it unevictable (lru_cache_add_inactive_or_unevictable). */
void lru_cache_add_inactive_or_unevictable(struct memsys *m, struct page *page, struct vm_area_struct *vma);
/* Move an LRU page to the active list (folio_activate; PGACTIVATE). */
void activate_page(struct memsys *m, struct page *page);
/* Linux's mark_page_accessed: inactive,unreferenced -> referenced;
 * inactive,referenced -> active; active,unreferenced -> referenced. */
void mark_page_accessed(struct memsys *m, struct page *page);
/* Re-file PAGE (on an LRU) after PG_mlocked or the mapping's
 * unevictable mark changed: to the unevictable list or back.  For the
 * mlock code. */
void check_move_unevictable_page(struct memsys *m, struct page *page);
/* MADV_COLD: deactivate PAGE (to the inactive list head, referenced cleared). */
void deactivate_page(struct memsys *m, struct page *page);
/* Take PAGE off the LRU before it is freed (the last put_page). */
void __page_cache_release(struct memsys *m, struct page *page);

/* Record the cost of refilling LRU type FILE with NR pages of I/O or
 * rotation (lru_note_cost), halving both costs when they outgrow a quarter
 * of the LRU. */
void lru_note_cost(struct memsys *m, struct lruvec *lv, bool file, unsigned long nr);

/* Trace an LRU move of PAGE (level 2): DETAIL "add", "activate",
 * "deactivate", "rotate", "putback", "unevictable". */
void trace_lru_move(struct memsys *m, const struct page *page, const char *detail);

#endif
