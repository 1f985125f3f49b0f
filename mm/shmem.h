/* mm/shmem.h - shared memory file systems' page cache (Linux: mm/shmem.c).
 *
 * A tmpfs file (and the object behind a MAP_SHARED|MAP_ANONYMOUS mapping)
 * is a struct file_backing with shmem set (mm/filemap.h): an address_space
 * of pages keyed by index that ARE the file's data.  Pages are allocated
 * from the buddy allocator on first write or fault (reading a hole gives
 * zeros without allocating), carry PG_swapbacked and count in NR_SHMEM
 * (meminfo "Shmem") as well as NR_FILE_PAGES.  They are freed when the
 * file shrinks, or with the backing's last reference (the file deleted and
 * its last open and mapping gone).
 *
 * A struct shmem_sb_info is one mounted tmpfs instance's limits: blocks
 * (pages, size=) and inodes (nr_inodes=), as Linux's shmem_sb_info.  A page
 * added to a file of the instance charges one block; a page that would go
 * past max_blocks is refused with -ENOSPC (write(2): ENOSPC; a fault: SIGBUS).
 * Anonymous shared memory has no instance (Linux's internal shm_mnt: no
 * limit).
 */
#ifndef MMSIM_MM_SHMEM_H
#define MMSIM_MM_SHMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/filemap.h"

struct shmem_sb_info {
	unsigned long max_blocks;   /* size= in pages (0: unlimited) */
	unsigned long used_blocks;  /* pages held by files of the instance */
	unsigned long max_inodes;   /* nr_inodes= (0: unlimited) */
	unsigned long free_inodes;
	int refcount;               /* the mount and every backing of it */
};

/* How shmem_get_page treats a hole (Linux's enum sgp_type). */
enum sgp_type {
	SGP_READ,   /* a hole stays one: *PAGE = NULL (the reader sees zeros) */
	SGP_WRITE,  /* a hole gets a new zeroed page (write(2), a fault) */
};

/* A tmpfs instance of MAX_BLOCKS pages and MAX_INODES inodes (0: no
 * limit), refcount 1.  Returns NULL out of host memory. */
struct shmem_sb_info *shmem_sb_create(unsigned long max_blocks, unsigned long max_inodes);
/* Drop a reference; the last frees SB. */
void shmem_sb_put(struct shmem_sb_info *sb);
/* Take one inode of SB.  Returns 0 or -ENOSPC (nr_inodes reached). */
int shmem_reserve_inode(struct shmem_sb_info *sb);
/* Give back an inode taken with shmem_reserve_inode. */
void shmem_free_inode(struct shmem_sb_info *sb);

/* An empty regular file of instance SB named PATH (for /proc/PID/maps):
 * size 0, writable, refcount 1; the backing holds a reference on SB.
 * Returns NULL out of host memory. */
struct file_backing *shmem_file_create(struct shmem_sb_info *sb, const char *path);

/* The page at INDEX of shmem file F with a reference for the caller.  A
 * hole with SGP_READ gives 0 and *PAGE = NULL; with SGP_WRITE a zeroed
 * page is added (charged to the instance).  Returns 0, -ENOSPC (instance
 * full), -ENOMEM (no page), -EFBIG (INDEX beyond any file size). */
int shmem_get_page(struct memsys *m, struct file_backing *f, uint64_t index, enum sgp_type sgp, struct page **page);

/* shmem_get_page for a page fault: *MAJOR is set when the page had to be
 * read back from swap (the caller owes the I/O wait; shmem_get_page
 * charges it to m->stall_ns itself).  Also -EIO: a corrupt swap entry. */
int shmem_get_page_major(struct memsys *m, struct file_backing *f, uint64_t index, enum sgp_type sgp,
			 struct page **page, bool *major);

/* Reclaim's pageout of shmem PAGE (dirty, unmapped, isolated, in F's page
 * cache; Linux's shmem_writepage before swap_writepage): the page gets a
 * swap slot and enters the swap cache, its page-cache slot takes the swap
 * entry.  The caller then writes it (swap_writepage).  Returns false, the
 * page untouched, without swap or a free slot. */
bool shmem_writepage(struct memsys *m, struct page *page);
/* Free the swap entry at INDEX of F, if the slot holds one (truncation;
 * the block goes back to the instance). */
void shmem_free_swap(struct memsys *m, struct file_backing *f, uint64_t index);
/* Check every backing on m->shmem_swaplist: each swap entry is a used slot
 * and their number is the backing's swapped count.  *REFS = all shmem swap
 * entries (references in swap_map).  Returns 0, or -1 with ERR. */
int shmem_swap_check(struct memsys *m, long *refs, char *err, size_t errlen);

/* Set the size of shmem file F to SIZE: growing only changes the size
 * (the new range is a hole); shrinking frees every page wholly past SIZE
 * and zeroes the tail of a page SIZE cuts.  Pages past SIZE must not be
 * mapped any more (the caller unmaps them first: unmap_mapping_range).
 * Returns 0 or -EFBIG (past SHMEM_MAX_FILESIZE). */
int shmem_setsize(struct memsys *m, struct file_backing *f, uint64_t size);

/* Does page INDEX of shmem file F sit in swap (its slot holds a swap
 * entry)?  For smaps' Swap: of shmem mappings (shmem_partial_swap_usage). */
static inline bool shmem_index_swapped(const struct file_backing *f, uint64_t index)
{
	return f->shmem && index < f->mapping.nr_slots && ((uintptr_t)f->mapping.pages[index] & 1);
}

/* Is PAGE in a shmem file's page cache (swap-backed, not anonymous)? */
static inline bool page_is_shmem(const struct page *p)
{
	return page_is_file_cache(p) && page_flag(p, PG_swapbacked);
}

/* Blocks (512-byte units) F's pages use, as stat's st_blocks. */
static inline uint64_t shmem_blocks(const struct file_backing *f)
{
	return (uint64_t)(f->mapping.nrpages + f->swapped) * (PAGE_SIZE / 512);
}

/* Largest file size (Linux's MAX_LFS_FILESIZE). */
#define SHMEM_MAX_FILESIZE 0x7fffffffffffffffULL

#endif
