/* mm/filemap.h - the page cache of immutable file images (Linux: mm/filemap.c).
 *
 * A struct file_backing is one file as the simulated kernel sees it: its
 * bytes (an immutable image in host memory, e.g. an ELF read from the guest
 * root), size and path, plus an address_space: page index -> struct page.
 * Cache pages live in simulated RAM, hold one reference for the cache
 * (page->mapping = the address_space, page->index = file page index,
 * PG_uptodate) and are counted in NR_FILE_PAGES (meminfo "Cached").
 * Mapping a cache page into a process adds a reference and a mapcount.
 *
 * Reading a page into the cache (a cache miss) is what Linux counts as a
 * major fault.  A miss from an mmap fault (filemap_fault) reads around the
 * faulting page as Linux's do_sync_mmap_readahead does: a VM_READAHEAD_PAGES
 * window centred on it, until the file misses far more than it hits
 * (MMAP_LOTSAMISS).  Fault-around (mmu/memory.c) then maps neighbours that
 * are already cached, as Linux's filemap_map_pages() does.
 *
 * Warm or cold start (sim config page_cache=, default warm): with a warm
 * cache the vfs (sim/) calls filemap_populate() on every file image's
 * backing when it creates it, so the program runs as a native rerun does
 * (no major faults; fault-around maps up to 16 cached pages per read
 * fault).  With a cold cache nothing is cached beforehand and the first
 * run of a program takes the major faults and read-around a first native
 * run after drop_caches would.
 *
 * A shmem backing (MAP_SHARED|MAP_ANONYMOUS, tmpfs files: mm/shmem.h) has
 * no image: its pages are created zeroed on first touch, are writable, and
 * count in NR_SHMEM too.
 *
 * Lifetime: file_backing_get/put; the last put drops every cache page.  The
 * vfs (sim/) keeps one backing per path so the cache survives exec/exit the
 * way Linux's page cache does.
 */
#ifndef MMSIM_MM_FILEMAP_H
#define MMSIM_MM_FILEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mmzone.h"

struct file_backing;

struct address_space {
	struct file_backing *host;
	struct page **pages;         /* [index], NULL = not cached */
	uint64_t nr_slots;           /* entries in pages[] */
	unsigned long nrpages;       /* cached pages */
	unsigned long nr_major;      /* cache misses that had to read */
	unsigned long nr_readahead;  /* pages read in by read-around */
	unsigned int mmap_miss;      /* Linux's file_ra_state.mmap_miss */
	/* mm/rmap.c: every VMA mapping this file (vm_area_struct.shared),
	 * the file-page reverse map (Linux's i_mmap tree, a list here) */
	struct list_head i_mmap;
	bool unevictable;            /* AS_UNEVICTABLE: pages go to the unevictable LRU */
};

#define VM_READAHEAD_PAGES 32    /* 128 KiB, Linux's default read_ahead_kb */
#define MMAP_LOTSAMISS 100

struct file_backing {
	char path[256];
	const uint8_t *data;         /* image bytes (NULL for shmem) */
	uint64_t size;               /* bytes */
	bool owns_data;              /* free(data) on the last put */
	bool shmem;                  /* anonymous shared memory */
	bool writable;               /* MAP_SHARED|PROT_WRITE allowed */
	struct shmem_sb_info *sbinfo; /* tmpfs file: its instance (mm/shmem.h); NULL otherwise */
	uint32_t dev_major, dev_minor; /* the file's device and inode, as */
	uint64_t ino;                  /* /proc/PID/maps shows them (0: unset) */
	int refcount;
	struct address_space mapping;
	/* shmem swap (mm/shmem.c): slots of mapping.pages[] that hold a swap
	 * entry instead of a page (Linux's shmem_inode_info.swapped), and the
	 * backing's place on memsys.shmem_swaplist while that is non-zero. */
	unsigned long swapped;
	struct list_head swaplist;
};

/* A backing for SIZE bytes at DATA named PATH.  With COPY the bytes are
 * copied (the caller may free DATA), else DATA must outlive the backing.
 * Returns a backing with refcount 1, or NULL (out of host memory). */
struct file_backing *file_backing_create(const char *path, const void *data, uint64_t size, bool copy);
/* Anonymous shared memory of SIZE bytes (zero-filled, writable); tmpfs
 * files are made by shmem_file_create (mm/shmem.h). */
struct file_backing *shmem_backing_create(const char *name, uint64_t size);
struct file_backing *file_backing_get(struct file_backing *f);
/* Drop a reference; the last one frees every cache page and the backing. */
void file_backing_put(struct memsys *m, struct file_backing *f);

/* Number of pages of the file (size rounded up). */
static inline uint64_t file_nr_pages(const struct file_backing *f)
{
	return (f->size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* The cached page at INDEX with a reference taken, or NULL. */
struct page *find_get_page(struct memsys *m, struct file_backing *f, uint64_t index);
/* The cached page at INDEX without a new reference (for lookups), or NULL. */
struct page *find_page(struct file_backing *f, uint64_t index);
/* The page at INDEX, reading it into the cache on a miss (*MAJOR = true):
 * a fresh page (GFP_HIGHUSER_MOVABLE) filled from the image, its tail past
 * EOF zeroed.  Returns the page with a reference taken for the caller, or
 * NULL: *ERR = -EFAULT (INDEX beyond EOF, Linux's SIGBUS) or -ENOMEM. */
struct page *filemap_get_page(struct memsys *m, struct file_backing *f, uint64_t index, bool *major, int *err);
/* The page at INDEX for a page fault (Linux's filemap_fault): a hit lowers
 * the file's miss count; a miss of a file image reads around INDEX
 * (VM_READAHEAD_PAGES, best effort) and sets *MAJOR.  Returns the page with
 * a reference for the caller, or NULL with *ERR as filemap_get_page. */
struct page *filemap_fault(struct memsys *m, struct file_backing *f, uint64_t index, bool *major, int *err);
/* Read every page of file image F that is not cached into the cache, as
 * if the file had been read before (force_page_cache_readahead of the
 * whole file).  No fault is counted.  Adds at most half of the pages free
 * above the zones' high watermarks (the rest of the file stays uncached),
 * so it never reclaims, wakes kswapd or fails an allocation.  Returns pages
 * added (0 for shmem or a fully cached file), or -ENOMEM if the budget
 * allowed no page at all. */
long filemap_populate(struct memsys *m, struct file_backing *f);
/* Drop every cache page of F not mapped by anyone (the drop_caches of one
 * file).  Returns pages freed. */
unsigned long invalidate_mapping_pages(struct memsys *m, struct file_backing *f);
/* Take PAGE (unmapped, clean, off the LRU, held by the caller besides the
 * cache) out of its page cache, leaving SHADOW (a workingset shadow or
 * NULL) in its slot; drops the cache's reference (Linux's
 * __filemap_remove_folio). */
void filemap_remove_page(struct memsys *m, struct page *page, void *shadow);
/* Drop all cache pages of F (they must be unmapped). */
void truncate_inode_pages(struct memsys *m, struct file_backing *f);

/* Add a new page at INDEX of F to the cache with GFP (a file image is
 * copied in, its tail past EOF zeroed; a shmem page starts zeroed, is
 * PG_swapbacked and charges F's tmpfs instance one block).  Returns the
 * page holding only the cache's reference, or NULL when no page can be had. */
struct page *add_to_page_cache(struct memsys *m, struct file_backing *f, uint64_t index, gfp_t gfp);
/* Make P the uptodate cache page at INDEX of F (slot, counters; the
 * caller has taken the cache's reference and charges any tmpfs block). */
void page_cache_insert(struct memsys *m, struct file_backing *f, uint64_t index, struct page *p);
/* Remove cache page P at INDEX from F and drop the cache's reference (the
 * block goes back to F's tmpfs instance). */
void delete_from_page_cache(struct memsys *m, struct file_backing *f, uint64_t index, struct page *p);

/* True if PAGE is a page-cache page (mapping points to an address_space). */
static inline bool page_is_file_cache(const struct page *p)
{
	return p->mapping && !page_flag(p, PG_anon) && !page_flag(p, PG_slab);
}

#endif
