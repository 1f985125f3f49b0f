/* mm/page.h - struct page: the metadata of one simulated physical frame.
 *
 * One struct page per frame (mem_map), indexed by pfn.  Field meanings follow
 * Linux: _refcount counts references (0 = free or being freed), _mapcount
 * counts page-table mappings and starts at -1 (page_mapcount() adds one).
 * A free block in the buddy allocator has PG_buddy set on its head page and
 * its order in `private`; its lru links put it on zone->free_area[order].
 * The head page of every allocated block records the block's order in
 * compound_order (compound or not); the tail pages of a compound
 * (__GFP_COMP) block point back to their head through head_offset, which
 * makes compound_head() O(1) like Linux's tail->compound_head.
 */
#ifndef MMSIM_MM_PAGE_H
#define MMSIM_MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/list.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))
#define MAX_ORDER  11            /* orders 0 .. MAX_ORDER-1 */
#define MAX_ORDER_NR_PAGES (1UL << (MAX_ORDER - 1))

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_workingset,
	PG_waiters,
	PG_error,
	PG_slab,
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_writeback,
	PG_head,
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_buddy,     /* Linux keeps this in page_type; a flag here */
	PG_pgtable,   /* page-table page (Linux: page_type PG_table) */
	PG_zero,      /* the shared zero page */
	PG_anon,      /* mapping is an anon_vma (Linux: PAGE_MAPPING_ANON bit) */
	__NR_PAGEFLAGS
};

struct page {
	uint32_t flags;           /* 1 << PG_* */
	int32_t _refcount;
	int32_t _mapcount;        /* -1 = not mapped */
	uint8_t zone;             /* enum zone_type: node->node_zones[zone] (see page_zone()) */
	uint8_t node;
	uint16_t compound_order;  /* head of an allocated block: its order (any block, not only
				   * __GFP_COMP); 0 on free pages and tail pages */
	struct list_head lru;     /* buddy free list, LRU list, or slab list */
	void *mapping;            /* address_space, anon_vma, or kmem_cache (slab) */
	union {                   /* as in Linux, a slab page has no index */
		uint64_t index;   /* page-cache index / anon linear index */
		void *freelist;   /* slab (PG_slab): first free object (host pointer) */
	};
	uint64_t private;         /* buddy order when free; swap entry; ... */
	/* slab (valid when PG_slab): */
	uint16_t inuse;           /* objects in use in this slab */
	uint16_t objects : 15;    /* objects in this slab (SLUB's 15 bits) */
	uint16_t frozen : 1;      /* a CPU slab or on a CPU partial list (mm/slub_cpu.c) */
	uint16_t colour_off;      /* bytes of colouring at the slab start */
	uint16_t head_offset;     /* tail page of an allocated compound block: pages back
				   * to its head (head = page - head_offset); 0 on every
				   * other page.  Set by alloc_pages, cleared on free. */
};
/* 64 bytes, a power of two: page_to_pfn() (pointer difference) is a shift
 * rather than a division, and mem_map stays small (the allocators touch
 * several struct pages per operation).  Add fields with care. */
_Static_assert(sizeof(struct page) == 64,
	       "struct page grew past 64 bytes: put the new field in a union or padding (see docs/performance.md, Allocator)");

static inline bool page_flag(const struct page *p, enum pageflags f) { return (p->flags >> f) & 1u; }
static inline void set_page_flag(struct page *p, enum pageflags f) { p->flags |= 1u << f; }
static inline void clear_page_flag(struct page *p, enum pageflags f) { p->flags &= ~(1u << f); }

#define PAGEFLAG_FNS(name, bit)                                                       \
	static inline bool Page##name(const struct page *p) { return page_flag(p, bit); } \
	static inline void SetPage##name(struct page *p) { set_page_flag(p, bit); }       \
	static inline void ClearPage##name(struct page *p) { clear_page_flag(p, bit); }
PAGEFLAG_FNS(Locked, PG_locked)
PAGEFLAG_FNS(Referenced, PG_referenced)
PAGEFLAG_FNS(Uptodate, PG_uptodate)
PAGEFLAG_FNS(Dirty, PG_dirty)
PAGEFLAG_FNS(LRU, PG_lru)
PAGEFLAG_FNS(Active, PG_active)
PAGEFLAG_FNS(Slab, PG_slab)
PAGEFLAG_FNS(Reserved, PG_reserved)
PAGEFLAG_FNS(Writeback, PG_writeback)
PAGEFLAG_FNS(SwapBacked, PG_swapbacked)
PAGEFLAG_FNS(Buddy, PG_buddy)
PAGEFLAG_FNS(Head, PG_head)
PAGEFLAG_FNS(Table, PG_pgtable)
PAGEFLAG_FNS(Zero, PG_zero)
PAGEFLAG_FNS(Anon, PG_anon)
#undef PAGEFLAG_FNS

/* Name of flag F as Linux's %pGp prints it ("locked", "buddy", ...). */
const char *pageflag_name(enum pageflags f);

static inline int page_count(const struct page *p) { return p->_refcount; }
static inline int page_mapcount(const struct page *p) { return p->_mapcount + 1; }

struct memsys;
/* Take a reference. A get on a free page is reported (BAD_PAGE) and ignored. */
void get_page(struct memsys *m, struct page *p);
/* Drop a reference; the last one frees the page (or compound block) to the
 * buddy allocator.  A put on a free page is reported (BAD_PAGE event and
 * memsys->bad_pages counter) and otherwise ignored.  */
void put_page(struct memsys *m, struct page *p);

#endif
