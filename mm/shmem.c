/* mm/shmem.c - the page cache of tmpfs files and shared anonymous memory
 * (see mm/shmem.h).
 *
 * Invariant (besides filemap.c's): a shmem backing's mapping.pages[] has
 * at least file_nr_pages() slots; no page sits at an index at or past the
 * size; sbinfo->used_blocks is the number of pages in the cache of every
 * backing of the instance (add_to_page_cache / delete_from_page_cache keep
 * it), never above max_blocks when that is set.
 *
 * Swap (Linux's shmem_writepage / shmem_swapin_folio): reclaim hands a
 * dirty, unmapped shmem page to shmem_writepage, which gives it a swap
 * slot, puts it in the swap cache and replaces its page-cache slot with
 * the swap entry (a value entry: (entry << 1) | 1, Linux's
 * swp_to_radix_entry); the slot's swap_map count holds 1 for that entry
 * (Linux's SWAP_MAP_SHMEM).  The page then leaves the swap cache once
 * written, as an anonymous page does.  A swapped page stays charged to its
 * tmpfs instance (used_blocks counts pages plus swap entries, as Linux's
 * alloced blocks).  Finding a swap entry (read, write, fault) reads the
 * page back (or takes it from the swap cache), puts it in the page cache
 * dirty and frees the slot.  Truncation and the backing's last reference
 * free the slots of the range.  f->swapped counts the swap entries of a
 * backing, which is on m->shmem_swaplist while that is non-zero.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mm/view_log.h"
#include "mm/workingset.h"

static inline void *swp_to_radix_entry(swp_entry_t e) { return (void *)(uintptr_t)((e.val << 1) | 1); }
static inline swp_entry_t radix_to_swp_entry(const void *x) { return (swp_entry_t){ (uintptr_t)x >> 1 }; }

/* F holds one more (DELTA 1) or one fewer (-1) swap entry. */
static void shmem_swapped_add(struct memsys *m, struct file_backing *f, long delta)
{
	if (delta > 0 && f->swapped++ == 0)
		list_add_tail(&f->swaplist, &m->shmem_swaplist);
	if (delta < 0 && --f->swapped == 0) {
		list_del(&f->swaplist);
		INIT_LIST_HEAD(&f->swaplist);
	}
}

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

bool shmem_writepage(struct memsys *m, struct page *page)
{
	struct file_backing *f = ((struct address_space *)page->mapping)->host;
	uint64_t index = page->index;
	swp_entry_t e;
	void *shadow;

	if (!m->swap || page_mapcount(page) || page_count(page) != 2)
		return false; /* is_page_cache_freeable: only the caller and the cache */
	e = get_swap_page(m);
	if (!e.val)
		return false;
	add_to_swap_cache(m, page, e, &shadow);
	m->swap->swap_map[swp_offset(e)]++; /* the page-cache slot's reference */
	vlog_swapcount(m, swp_offset(e), m->swap->swap_map[swp_offset(e)] & SWAP_COUNT_MASK);
	shmem_swapped_add(m, f, 1);
	/* shmem_delete_from_page_cache: the slot keeps the entry, the block
	 * stays charged; the page loses its file identity. */
	f->mapping.pages[index] = swp_to_radix_entry(e);
	vlog_shmem(m, f, index, true);
	f->mapping.nrpages--;
	mod_node_page_state(m, page->node, NR_FILE_PAGES, -1);
	mod_node_page_state(m, page->node, NR_SHMEM, -1);
	page->mapping = NULL;
	page->index = 0;
	put_page(m, page); /* the page cache's reference; the swap cache has one */
	SetPageDirty(page);
	return true;
}

/* Linux's shmem_swapin_folio + shmem_add_to_page_cache: bring the page of
 * swap entry X at INDEX of F back into F's cache, dirty, and free the slot.
 * Returns 0 with the page (a reference for the caller) in *PAGE and *MAJOR
 * set when it was read from swap, or -ENOMEM (no page), or -EIO (the entry
 * is not a live slot). */
static int shmem_swapin(struct memsys *m, struct file_backing *f, uint64_t index, void *x, struct page **page,
			bool *major)
{
	swp_entry_t e = radix_to_swp_entry(x);
	unsigned nr_read = 0;
	struct page *p;

	*major = false;
	if (!swap_count(m, e))
		return -EIO;
	p = lookup_swap_cache(m, e);
	if (!p) {
		p = swapin_readahead(m, e, GFP_HIGHUSER_MOVABLE, major, &nr_read);
		if (!p)
			return -ENOMEM;
	}
	if (f->mapping.pages[index] != x) { /* the allocation's reclaim cannot free it, but be sure */
		put_page(m, p);
		return -EIO;
	}
	get_page(m, p); /* the page cache's reference; the block is still charged */
	page_cache_insert(m, f, index, p);
	vlog_shmem(m, f, index, false);
	delete_from_swap_cache(m, p, NULL);
	SetPageDirty(p); /* the only copy now */
	swap_free(m, e);
	shmem_swapped_add(m, f, -1);
	if (!mm_trace_count_only(m, TEV_SWAP_IN)) {
		struct trace_event ev = trace_event_init(TEV_SWAP_IN);
		ev.pfn = (int64_t)page_to_pfn(m, p);
		ev.addr = index << PAGE_SHIFT;
		ev.value = (int64_t)swp_offset(e);
		ev.detail = *major ? "shmem" : "shmem cache";
		trace_emit(m->trace, &ev);
	}
	*page = p;
	return 0;
}

void shmem_free_swap(struct memsys *m, struct file_backing *f, uint64_t index)
{
	void *x = f->mapping.pages[index];

	if (!x || !xa_is_value(x))
		return;
	f->mapping.pages[index] = NULL;
	vlog_shmem(m, f, index, false);
	free_swap_and_cache(m, radix_to_swp_entry(x));
	shmem_swapped_add(m, f, -1);
	if (f->sbinfo)
		f->sbinfo->used_blocks--;
}

int shmem_get_page(struct memsys *m, struct file_backing *f, uint64_t index, enum sgp_type sgp, struct page **page)
{
	bool major;
	int rc = shmem_get_page_major(m, f, index, sgp, page, &major);

	/* A read from swap in a system call: the task waits for the I/O. */
	if (major && m->swap)
		m->stall_ns += m->swap->latency_ns;
	return rc;
}

int shmem_get_page_major(struct memsys *m, struct file_backing *f, uint64_t index, enum sgp_type sgp,
			 struct page **page, bool *major)
{
	struct page *p;

	*page = NULL;
	*major = false;
	if (index >= (SHMEM_MAX_FILESIZE >> PAGE_SHIFT))
		return -EFBIG;
	if (index < f->mapping.nr_slots && xa_is_value(f->mapping.pages[index])) {
		return shmem_swapin(m, f, index, f->mapping.pages[index], page, major);
	}
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
		else
			shmem_free_swap(m, f, i);
		f->mapping.pages[i] = NULL; /* and any non-page entry the slot held */
	}
	if (size & (PAGE_SIZE - 1)) {
		struct page *p = NULL;
		bool major;
		/* a swapped-out page that SIZE cuts comes back to be cut */
		if (shmem_get_page_major(m, f, size >> PAGE_SHIFT, SGP_READ, &p, &major) == 0 && p)
			put_page(m, p);
		p = find_page(f, size >> PAGE_SHIFT);
		if (p)
			memset((uint8_t *)page_address(m, p) + (size & (PAGE_SIZE - 1)), 0,
			       PAGE_SIZE - (size & (PAGE_SIZE - 1)));
	}
	f->size = size;
	return 0;
}

int shmem_swap_check(struct memsys *m, long *refs, char *err, size_t errlen)
{
	struct list_head *l;
	unsigned long n = 0;

	*refs = 0;
	list_for_each(l, &m->shmem_swaplist) {
		struct file_backing *f = list_entry(l, struct file_backing, swaplist);
		unsigned long entries = 0;

		for (uint64_t i = 0; i < f->mapping.nr_slots; i++) {
			void *x = f->mapping.pages[i];
			if (!x || !xa_is_value(x))
				continue;
			if (!swap_count(m, radix_to_swp_entry(x))) {
				snprintf(err, errlen, "shmem %s page %llu: swap entry %#llx is not a used slot", f->path,
					 (unsigned long long)i, (unsigned long long)radix_to_swp_entry(x).val);
				return -1;
			}
			entries++;
		}
		if (entries != f->swapped || !f->shmem) {
			snprintf(err, errlen, "shmem %s: %lu swap entries but swapped %lu", f->path, entries, f->swapped);
			return -1;
		}
		*refs += (long)entries;
		if (++n > m->max_pfn + (m->swap ? m->swap->max : 0)) {
			snprintf(err, errlen, "shmem swap list loops");
			return -1;
		}
	}
	return 0;
}
