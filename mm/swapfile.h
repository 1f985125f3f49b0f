/* mm/swapfile.h - the swap area and the swap cache (Linux: mm/swapfile.c,
 * mm/swap_state.c, include/linux/swap.h, swapops.h).
 *
 * One swap area (type 0) of `max` page slots; slot 0 holds the swap header
 * and is never handed out, so an entry value of 0 means "no entry".
 * swap_map[offset] counts the references to the slot: one per page-table
 * entry holding the swap entry or shmem page-cache slot holding it
 * (mm/shmem.c) (the low 15 bits; Linux's byte plus
 * continuation pages is a simplification here) and SWAP_HAS_CACHE while a
 * page for the slot sits in the swap cache.  A slot is free when its map
 * is 0; inuse_pages counts the others.
 *
 * The swap cache maps a slot to the page holding its data (PG_swapcache,
 * page->private = entry, one page reference held by the cache), counted in
 * NR_SWAPCACHE (meminfo SwapCached) and, as in Linux, in NR_FILE_PAGES.
 * When reclaim frees a swap-cache page, the slot's cache entry keeps a
 * workingset shadow instead (mm/workingset.h).
 *
 * Slot data lives in host memory (a MAP_NORESERVE mapping) or, with
 * swap_file=DIR, in an unlinked temporary file created there (so it is
 * removed at exit whatever happens).  I/O is synchronous on the host; its
 * simulated cost is swap_latency_ns per page (see mm/vmscan.c and
 * mmu/swap_fault.c for who is charged).
 */
#ifndef MMSIM_MM_SWAPFILE_H
#define MMSIM_MM_SWAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mmzone.h"

/* Linux's swp_entry_t: type in the top bits, offset below. */
typedef struct { uint64_t val; } swp_entry_t;
#define SWP_TYPE_SHIFT 58
#define SWP_OFFSET_MASK ((1ULL << SWP_TYPE_SHIFT) - 1)
static inline swp_entry_t swp_entry(unsigned type, uint64_t offset)
{
	return (swp_entry_t){ ((uint64_t)type << SWP_TYPE_SHIFT) | (offset & SWP_OFFSET_MASK) };
}
static inline unsigned swp_type(swp_entry_t e) { return (unsigned)(e.val >> SWP_TYPE_SHIFT); }
static inline uint64_t swp_offset(swp_entry_t e) { return e.val & SWP_OFFSET_MASK; }

#define SWAP_HAS_CACHE 0x8000
#define SWAP_COUNT_MASK 0x7fff
#define SWAP_LATENCY_DEFAULT_NS 20000  /* 20 us per 4 KiB: a fast NVMe SSD's random read */

struct swap_info_struct {
	unsigned long max;           /* slots, header slot 0 included */
	unsigned long pages;         /* usable slots (max - 1) */
	unsigned long inuse_pages;   /* slots with a non-zero map */
	uint16_t *swap_map;          /* [max] */
	void **cache;                /* [max]: swap-cache page, shadow (xa value) or NULL */
	unsigned long cluster_next;  /* next-fit allocation cursor */
	uint8_t *data;               /* host-memory slots, or NULL with a file */
	int fd;                      /* temporary file (unlinked), or -1 */
	char path[300];              /* /proc/swaps Filename */
	uint64_t latency_ns;
	int prio;                    /* -2, as the first swapon without a priority */
};

/* Set up M's swap area from its configuration (none when swap_bytes is 0).
 * Returns 0, or -1 with a one-line reason in ERR (DIR unusable, no host
 * memory). */
int swap_init(struct memsys *m, char *err, size_t errlen);
/* Free the area and remove its file. */
void swap_exit(struct memsys *m);

/* Free slots (get_nr_swap_pages), and all slots (total_swap_pages). */
long nr_swap_pages(const struct memsys *m);
long total_swap_pages(const struct memsys *m);

/* A free slot for a page entering the swap cache (map = SWAP_HAS_CACHE),
 * or {0} when the area is full or absent. */
swp_entry_t get_swap_page(struct memsys *m);
/* One more PTE reference to ENTRY (fork, unmap).  Returns 0, or -1 for a
 * free or invalid entry. */
int swap_duplicate(struct memsys *m, swp_entry_t entry);
/* One PTE reference fewer; the slot is freed when nothing is left. */
void swap_free(struct memsys *m, swp_entry_t entry);
/* The swap cache lets go of ENTRY (SWAP_HAS_CACHE cleared). */
void put_swap_page(struct memsys *m, swp_entry_t entry);
/* PTE references to ENTRY (__swap_count). */
int swap_count(const struct memsys *m, swp_entry_t entry);
/* Is ENTRY an allocated slot of the area? */
bool swap_entry_valid(const struct memsys *m, swp_entry_t entry);
/* A PTE holding ENTRY goes away (zap, exit, munmap, MADV_DONTNEED): drop
 * its reference and, if that was the last one and the swap-cache page is
 * mapped by nobody, remove the page from the swap cache too (so the slot
 * and, once unreferenced, the page are freed). */
void free_swap_and_cache(struct memsys *m, swp_entry_t entry);
/* PAGE is in the swap cache and no PTE refers to its slot any more: take it
 * out of the cache and free the slot (folio_free_swap).  Returns true if
 * it did. */
bool try_to_free_swap(struct memsys *m, struct page *page);

/* Copy PAGE's data to its slot (PAGE must be in the swap cache): pswpout,
 * pgpgout.  And back from ENTRY's slot into PAGE: pswpin, pgpgin. */
void swap_writepage(struct memsys *m, struct page *page);
void swap_readpage(struct memsys *m, struct page *page, swp_entry_t entry);

/* --- the swap cache (mm/swap_state.c) --- */

/* The swap-cache page of ENTRY with a reference for the caller, or NULL.
 * A hit on a page read ahead counts swap_ra_hit. */
struct page *lookup_swap_cache(struct memsys *m, swp_entry_t entry);
/* Put PAGE into the swap cache at ENTRY (reference taken).  Returns the
 * shadow the slot held (or NULL) through *SHADOW. */
void add_to_swap_cache(struct memsys *m, struct page *page, swp_entry_t entry, void **shadow);
/* Take PAGE out of the swap cache (reference dropped, SWAP_HAS_CACHE
 * cleared), leaving SHADOW (may be NULL) in the slot. */
void delete_from_swap_cache(struct memsys *m, struct page *page, void *shadow);
/* Give anonymous PAGE a slot and put it in the swap cache, dirty (Linux's
 * add_to_swap).  Returns false when no slot is free. */
bool add_to_swap(struct memsys *m, struct page *page);
/* ENTRY's page, read from the slot into a new page if it is not cached
 * (then *NEW_PAGE), added to the swap cache and the LRU (refault checked).
 * Returns it with a reference for the caller, or NULL: no memory, or the
 * slot was freed meanwhile. */
struct page *read_swap_cache_async(struct memsys *m, swp_entry_t entry, gfp_t gfp, bool *new_page);
/* Read ENTRY's page and, vm.page-cluster permitting, the other used slots
 * of the aligned window of 2^page_cluster around it (swap_cluster_readahead;
 * swap_ra counts the extra pages).  Returns ENTRY's page with a reference,
 * or NULL; *MAJOR is set when anything was read. */
struct page *swapin_readahead(struct memsys *m, swp_entry_t entry, gfp_t gfp, bool *major, unsigned *nr_read);

/* Check the swap area's invariant (mm/swapfile.c), the shmem files' swap
 * entries (shmem_swap_check), and that the references (swap_map counts)
 * sum to SWAPENTS, the callers' total of mm->swapents, plus the shmem
 * entries, unless SWAPENTS is -1 (unknown).  Returns 0, or -1 with a
 * one-line reason in ERR. */
int swap_check_refs(struct memsys *m, long swapents, char *err, size_t errlen);
static inline int swap_check(struct memsys *m, char *err, size_t errlen) { return swap_check_refs(m, -1, err, errlen); }

/* /proc/swaps text. */
struct strbuf;
void proc_swaps(struct memsys *m, struct strbuf *sb);

#endif
