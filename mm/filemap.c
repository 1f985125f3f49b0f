/* mm/filemap.c - page cache of immutable file images and shmem objects.
 *
 * Invariant: f->mapping.pages[i] is NULL, a value entry (a workingset
 * shadow of a file image's page; a swap entry of a shmem page: mm/shmem.c)
 * or a page with PG_uptodate,
 * mapping == &f->mapping, index == i, holding one reference for the cache;
 * f->mapping.nrpages counts the non-NULL slots, and NR_FILE_PAGES (and
 * NR_SHMEM for shmem) of each page's node counts them machine-wide.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/filemap.h"
#include "mm/page_alloc.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/workingset.h"

/* The page in cache slot E, or NULL for an empty slot or a workingset
 * shadow (reclaimed page, mm/workingset.h). */
static inline struct page *slot_page(struct page *e)
{
	return xa_is_value(e) ? NULL : e;
}

static struct file_backing *backing_alloc(const char *path, uint64_t size)
{
	struct file_backing *f = calloc(1, sizeof(*f));
	uint64_t slots = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (!f)
		return NULL;
	f->mapping.pages = calloc(slots ? slots : 1, sizeof(struct page *));
	if (!f->mapping.pages) {
		free(f);
		return NULL;
	}
	f->mapping.nr_slots = slots;
	f->mapping.host = f;
	INIT_LIST_HEAD(&f->mapping.i_mmap);
	INIT_LIST_HEAD(&f->swaplist);
	f->size = size;
	f->refcount = 1;
	strncpy(f->path, path ? path : "", sizeof(f->path) - 1);
	return f;
}

struct file_backing *file_backing_create(const char *path, const void *data, uint64_t size, bool copy)
{
	struct file_backing *f = backing_alloc(path, size);

	if (!f)
		return NULL;
	if (copy && size) {
		uint8_t *d = malloc(size);
		if (!d) {
			free(f->mapping.pages);
			free(f);
			return NULL;
		}
		memcpy(d, data, size);
		f->data = d;
		f->owns_data = true;
	} else {
		f->data = data;
	}
	return f;
}

struct file_backing *shmem_backing_create(const char *name, uint64_t size)
{
	struct file_backing *f = backing_alloc(name, size);

	if (f) {
		f->shmem = true;
		f->writable = true;
	}
	return f;
}

struct file_backing *file_backing_get(struct file_backing *f)
{
	f->refcount++;
	return f;
}

void file_backing_put(struct memsys *m, struct file_backing *f)
{
	if (--f->refcount > 0)
		return;
	truncate_inode_pages(m, f);
	if (f->sbinfo)
		shmem_sb_put(f->sbinfo);
	if (f->owns_data)
		free((void *)f->data);
	free(f->mapping.pages);
	free(f);
}

struct page *find_page(struct file_backing *f, uint64_t index)
{
	return index < f->mapping.nr_slots ? slot_page(f->mapping.pages[index]) : NULL;
}

struct page *find_get_page(struct memsys *m, struct file_backing *f, uint64_t index)
{
	struct page *p = find_page(f, index);
	if (p)
		get_page(m, p);
	return p;
}

void delete_from_page_cache(struct memsys *m, struct file_backing *f, uint64_t index, struct page *p)
{
	f->mapping.pages[index] = NULL;
	f->mapping.nrpages--;
	mod_node_page_state(m, p->node, NR_FILE_PAGES, -1);
	if (f->shmem)
		mod_node_page_state(m, p->node, NR_SHMEM, -1);
	if (f->sbinfo)
		f->sbinfo->used_blocks--;
	p->mapping = NULL;
	ClearPageUptodate(p);
	ClearPageDirty(p);
	if (PageLRU(p) && page_count(p) == 1)
		__page_cache_release(m, p);
	put_page(m, p);
}

void filemap_remove_page(struct memsys *m, struct page *page, void *shadow)
{
	struct file_backing *f = ((struct address_space *)page->mapping)->host;
	uint64_t index = page->index;

	delete_from_page_cache(m, f, index, page);
	f->mapping.pages[index] = shadow;
}

void page_cache_insert(struct memsys *m, struct file_backing *f, uint64_t index, struct page *p)
{
	p->mapping = &f->mapping;
	p->index = index;
	SetPageUptodate(p);
	f->mapping.pages[index] = p;
	f->mapping.nrpages++;
	mod_node_page_state(m, p->node, NR_FILE_PAGES, 1);
	if (f->shmem)
		mod_node_page_state(m, p->node, NR_SHMEM, 1);
}

/* Read page INDEX of F into the cache with GFP (a file image is copied in,
 * its tail past EOF zeroed; a shmem page starts zeroed).  Returns the page,
 * holding only the cache's reference, or NULL when no page can be had. */
struct page *add_to_page_cache(struct memsys *m, struct file_backing *f, uint64_t index, gfp_t gfp)
{
	struct page *p = alloc_page(m, gfp | (f->shmem ? __GFP_ZERO : 0));
	void *shadow = f->mapping.pages[index];

	if (!p)
		return NULL;
	if (!f->shmem) {
		uint8_t *dst = page_address(m, p);
		uint64_t off = index << PAGE_SHIFT;
		uint64_t n = f->size - off < PAGE_SIZE ? f->size - off : PAGE_SIZE;
		memcpy(dst, f->data + off, n);
		memset(dst + n, 0, PAGE_SIZE - n);
	} else {
		SetPageSwapBacked(p);
	}
	page_cache_insert(m, f, index, p);
	if (f->sbinfo)
		f->sbinfo->used_blocks++;
	if (shadow && xa_is_value(shadow))
		workingset_refault(m, p, shadow);
	lru_cache_add(m, p);
	return p;
}

struct page *filemap_get_page(struct memsys *m, struct file_backing *f, uint64_t index, bool *major, int *err)
{
	struct page *p;

	*major = false;
	if (f->shmem) { /* shmem_fault: a hole gets a page; ENOSPC is a SIGBUS */
		if (index >= file_nr_pages(f)) {
			*err = -EFAULT;
			return NULL;
		}
		*err = shmem_get_page_major(m, f, index, SGP_WRITE, &p, major);
		if (*err == -ENOSPC || *err == -EFBIG)
			*err = -EFAULT;
		return *err ? NULL : p;
	}
	if (index >= f->mapping.nr_slots) {
		*err = -EFAULT;
		return NULL;
	}
	p = slot_page(f->mapping.pages[index]);
	if (!p) {
		/* Cache miss: read the page (major fault), or create a shmem page. */
		p = add_to_page_cache(m, f, index, GFP_HIGHUSER_MOVABLE);
		if (!p) {
			*err = -ENOMEM;
			return NULL;
		}
		if (!f->shmem) {
			*major = true;
			f->mapping.nr_major++;
		}
	}
	get_page(m, p); /* the caller's reference; the cache keeps its own */
	return p;
}

/*
 * mmap read-around (Linux 6.1 do_sync_mmap_readahead): every fault miss
 * bumps mmap_miss (capped at 10 * MMAP_LOTSAMISS) and every fault hit lowers
 * it; while it stays at or below MMAP_LOTSAMISS, a miss reads the
 * VM_READAHEAD_PAGES window starting half a window before INDEX.  Readahead
 * is best effort: its allocations may not reclaim hard or warn
 * (readahead_gfp_mask), and a failed one ends the window.
 */
static void filemap_readaround(struct memsys *m, struct file_backing *f, uint64_t index)
{
	struct address_space *as = &f->mapping;
	uint64_t start, end;

	if (as->mmap_miss < MMAP_LOTSAMISS * 10)
		as->mmap_miss++;
	if (as->mmap_miss > MMAP_LOTSAMISS)
		return;
	start = index > VM_READAHEAD_PAGES / 2 ? index - VM_READAHEAD_PAGES / 2 : 0;
	end = start + VM_READAHEAD_PAGES;
	if (end > as->nr_slots)
		end = as->nr_slots;
	for (uint64_t i = start; i < end; i++) {
		if (slot_page(as->pages[i]) || i == index)
			continue;
		if (!add_to_page_cache(m, f, i, GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN))
			break;
		as->nr_readahead++;
	}
}

struct page *filemap_fault(struct memsys *m, struct file_backing *f, uint64_t index, bool *major, int *err)
{
	if (!f->shmem && index < f->mapping.nr_slots) {
		if (slot_page(f->mapping.pages[index])) {
			if (f->mapping.mmap_miss > 0)
				f->mapping.mmap_miss--;
		} else {
			filemap_readaround(m, f, index);
		}
	}
	return filemap_get_page(m, f, index, major, err);
}

/* Pages GFP could take, over every node, before each usable zone is down
 * to its high watermark (plus the lowmem reserve for GFP's highest zone). */
static unsigned long free_above_high_wmark(struct memsys *m, gfp_t gfp)
{
	int highest = (int)gfp_zone(gfp);
	unsigned long sum = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int t = highest; t >= 0; t--) {
			struct zone *z = &m->nodes[nid].node_zones[t];
			long room = z->vm_stat[NR_FREE_PAGES] - (long)high_wmark_pages(z) - z->lowmem_reserve[highest];
			if (z->managed_pages && room > 0)
				sum += (unsigned long)room;
		}
	return sum;
}

/*
 * Warm the page cache of F: read every page not yet cached, in index order,
 * as if the file had been read before the run (Linux's
 * force_page_cache_readahead over the whole file, e.g. `cat file
 * >/dev/null` or `vmtouch -t`).  Not a fault: nr_major, nr_readahead,
 * mmap_miss and the fault counters stay as they are; the pages are counted
 * in NR_FILE_PAGES like any cache page.
 *
 * Budget (the rule for small memories): warming one file adds at most half
 * of the pages free above the zones' high watermarks when it starts.  The
 * allocations (readahead_gfp_mask: __GFP_NORETRY | __GFP_NOWARN) then never
 * leave the fast path, wake kswapd, reclaim or fail, and the program keeps
 * at least as much memory for itself as was warmed.  Pages past the budget
 * stay cold: faults on them read around as usual.  (Linux would instead
 * reclaim clean cache pages under pressure; mmsim has no reclaim yet.)
 * shmem objects have no file image and are left alone.
 */
long filemap_populate(struct memsys *m, struct file_backing *f)
{
	const gfp_t gfp = GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN;
	struct address_space *as = &f->mapping;
	unsigned long budget;
	long added = 0;

	if (f->shmem)
		return 0;
	budget = free_above_high_wmark(m, gfp) / 2;
	for (uint64_t i = 0; i < as->nr_slots; i++) {
		if (slot_page(as->pages[i]))
			continue;
		if ((unsigned long)added >= budget || !add_to_page_cache(m, f, i, gfp))
			return added ? added : -ENOMEM;
		added++;
	}
	return added;
}

unsigned long invalidate_mapping_pages(struct memsys *m, struct file_backing *f)
{
	unsigned long freed = 0;

	if (f->shmem)
		return 0; /* shmem pages are the data itself */
	for (uint64_t i = 0; i < f->mapping.nr_slots; i++) {
		struct page *p = slot_page(f->mapping.pages[i]);
		if (p && page_mapcount(p) == 0 && page_count(p) == 1) {
			delete_from_page_cache(m, f, i, p);
			freed++;
		}
	}
	return freed;
}

void truncate_inode_pages(struct memsys *m, struct file_backing *f)
{
	for (uint64_t i = 0; i < f->mapping.nr_slots; i++) {
		struct page *p = slot_page(f->mapping.pages[i]);
		if (p)
			delete_from_page_cache(m, f, i, p);
		else if (f->shmem && f->mapping.pages[i])
			shmem_free_swap(m, f, i); /* a swapped-out shmem page */
		f->mapping.pages[i] = NULL; /* shadows too */
	}
}
