/* mm/shmem.c - the page cache of tmpfs files and shared anonymous memory
 * (see mm/shmem.h).
 *
 * Invariant (besides filemap.c's): a shmem backing's mapping.pages[] has
 * at least file_nr_pages() slots; no page sits at an index at or past the
 * size; sbinfo->used_blocks is the number of pages in the cache of every
 * backing of the instance (add_to_page_cache / delete_from_page_cache keep
 * it), never above max_blocks when that is set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/shmem.h"

struct shmem_sb_info *shmem_sb_create(unsigned long max_blocks, unsigned long max_inodes)
{
	struct shmem_sb_info *sb = calloc(1, sizeof(*sb));

	if (!sb)
		return NULL;
	sb->max_blocks = max_blocks;
	sb->max_inodes = sb->free_inodes = max_inodes;
	sb->refcount = 1;
	return sb;
}

void shmem_sb_put(struct shmem_sb_info *sb)
{
	if (sb && --sb->refcount == 0)
		free(sb);
}

int shmem_reserve_inode(struct shmem_sb_info *sb)
{
	if (sb->max_inodes) {
		if (!sb->free_inodes)
			return -ENOSPC;
		sb->free_inodes--;
	}
	return 0;
}

void shmem_free_inode(struct shmem_sb_info *sb)
{
	if (sb->max_inodes)
		sb->free_inodes++;
}

struct file_backing *shmem_file_create(struct shmem_sb_info *sb, const char *path)
{
	struct file_backing *f = shmem_backing_create(path, 0);

	if (f) {
		f->sbinfo = sb;
		sb->refcount++;
	}
	return f;
}

/* Make room in F's page array for NR slots (doubling).  Returns 0 or
 * -ENOMEM. */
static int mapping_grow(struct address_space *as, uint64_t nr)
{
	uint64_t n = as->nr_slots ? as->nr_slots : 16;
	struct page **pages;

	if (nr <= as->nr_slots)
		return 0;
	while (n < nr)
		n *= 2;
	pages = realloc(as->pages, n * sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	memset(pages + as->nr_slots, 0, (n - as->nr_slots) * sizeof(*pages));
	as->pages = pages;
	as->nr_slots = n;
	return 0;
}

int shmem_get_page(struct memsys *m, struct file_backing *f, uint64_t index, enum sgp_type sgp, struct page **page)
{
	struct page *p;

	*page = NULL;
	if (index >= (SHMEM_MAX_FILESIZE >> PAGE_SHIFT))
		return -EFBIG;
	p = find_page(f, index);
	if (!p) {
		if (sgp == SGP_READ)
			return 0;
		if (f->sbinfo && f->sbinfo->max_blocks && f->sbinfo->used_blocks >= f->sbinfo->max_blocks)
			return -ENOSPC;
		if (mapping_grow(&f->mapping, index + 1))
			return -ENOMEM;
		p = add_to_page_cache(m, f, index, GFP_HIGHUSER_MOVABLE);
		if (!p)
			return -ENOMEM;
	}
	get_page(m, p);
	*page = p;
	return 0;
}

int shmem_setsize(struct memsys *m, struct file_backing *f, uint64_t size)
{
	uint64_t keep = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (size > SHMEM_MAX_FILESIZE)
		return -EFBIG;
	if (size >= f->size) { /* a hole: pages come with writes and faults */
		f->size = size;
		return 0;
	}
	/* truncate_inode_pages_range: whole pages past SIZE go, a cut page's
	 * tail is zeroed (so a later extension reads zeros there) */
	for (uint64_t i = keep; i < f->mapping.nr_slots; i++) {
		struct page *p = find_page(f, i);
		if (p)
			delete_from_page_cache(m, f, i, p);
		f->mapping.pages[i] = NULL; /* and any non-page entry the slot held */
	}
	if (size & (PAGE_SIZE - 1)) {
		struct page *p = find_page(f, size >> PAGE_SHIFT);
		if (p)
			memset((uint8_t *)page_address(m, p) + (size & (PAGE_SIZE - 1)), 0,
			       PAGE_SIZE - (size & (PAGE_SIZE - 1)));
	}
	f->size = size;
	return 0;
}
