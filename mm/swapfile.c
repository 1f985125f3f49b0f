/* mm/swapfile.c - the swap area: slot allocation, reference counts and the
 * slot I/O (Linux: mm/swapfile.c, mm/page_io.c).  See mm/swapfile.h.
 *
 * Invariant (checked by swap_check): inuse_pages equals the number of slots
 * with a non-zero swap_map; a slot with SWAP_HAS_CACHE has a page in
 * cache[] whose private is the slot's entry, and no other slot's cache
 * holds a page; slot 0 is never used.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mm/internal.h"
#include "mm/proc.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mm/view_log.h"
#include "mm/workingset.h"

int swap_init(struct memsys *m, char *err, size_t errlen)
{
	struct swap_info_struct *si;
	uint64_t slots = m->cfg.swap_bytes >> PAGE_SHIFT;

	if (!slots)
		return 0;
	if (slots < 2) {
		snprintf(err, errlen, "swap: %llu bytes is too small (at least 8K: a header and one slot)",
			 (unsigned long long)m->cfg.swap_bytes);
		return -1;
	}
	si = calloc(1, sizeof(*si));
	if (!si)
		goto nomem;
	si->fd = -1;
	si->max = (unsigned long)slots;
	si->pages = si->max - 1;
	si->cluster_next = 1;
	si->prio = -2;
	si->latency_ns = m->cfg.swap_latency_ns;
	si->swap_map = calloc(si->max, sizeof(*si->swap_map));
	si->cache = calloc(si->max, sizeof(*si->cache));
	if (!si->swap_map || !si->cache)
		goto nomem;
	if (m->cfg.swap_dir[0]) {
		snprintf(si->path, sizeof(si->path), "%s/mmsim-swap-XXXXXX", m->cfg.swap_dir);
		si->fd = mkstemp(si->path);
		if (si->fd < 0) {
			snprintf(err, errlen, "swap-file: cannot create a file in '%s': %s", m->cfg.swap_dir,
				 strerror(errno));
			goto fail;
		}
		unlink(si->path); /* removed at exit, whatever happens */
		if (ftruncate(si->fd, (off_t)(si->max << PAGE_SHIFT)) < 0) {
			snprintf(err, errlen, "swap-file: cannot size '%s': %s", si->path, strerror(errno));
			goto fail;
		}
	} else {
		si->data = mmap(NULL, si->max << PAGE_SHIFT, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (si->data == MAP_FAILED) {
			si->data = NULL;
			goto nomem;
		}
		snprintf(si->path, sizeof(si->path), "/dev/mmsim-swap");
	}
	si->swap_map[0] = SWAP_COUNT_MASK; /* the header: never allocated */
	m->swap = si;
	return 0;
nomem:
	snprintf(err, errlen, "swap: no host memory for %llu bytes of swap", (unsigned long long)m->cfg.swap_bytes);
fail:
	if (si) {
		m->swap = si;
		swap_exit(m);
	}
	return -1;
}

void swap_exit(struct memsys *m)
{
	struct swap_info_struct *si = m->swap;

	if (!si)
		return;
	if (si->data)
		munmap(si->data, si->max << PAGE_SHIFT);
	if (si->fd >= 0)
		close(si->fd);
	free(si->swap_map);
	free(si->cache);
	free(si);
	m->swap = NULL;
}

long nr_swap_pages(const struct memsys *m)
{
	return m->swap ? (long)(m->swap->pages - m->swap->inuse_pages) : 0;
}

long total_swap_pages(const struct memsys *m)
{
	return m->swap ? (long)m->swap->pages : 0;
}

bool swap_entry_valid(const struct memsys *m, swp_entry_t e)
{
	uint64_t off = swp_offset(e);
	return m->swap && swp_type(e) == 0 && off > 0 && off < m->swap->max && m->swap->swap_map[off];
}

swp_entry_t get_swap_page(struct memsys *m)
{
	struct swap_info_struct *si = m->swap;

	if (!si || si->inuse_pages >= si->pages)
		return (swp_entry_t){ 0 };
	/* Next fit from the cursor, so consecutive swap-outs get consecutive
	 * slots (what Linux's cluster allocator achieves for one CPU). */
	for (unsigned long n = 0; n < si->max; n++) {
		unsigned long off = si->cluster_next;
		si->cluster_next = off + 1 < si->max ? off + 1 : 1;
		if (!si->swap_map[off]) {
			si->swap_map[off] = SWAP_HAS_CACHE;
			si->inuse_pages++;
			return swp_entry(0, off);
		}
	}
	return (swp_entry_t){ 0 };
}

int swap_duplicate(struct memsys *m, swp_entry_t e)
{
	uint16_t *map;

	if (!swap_entry_valid(m, e))
		return -1;
	map = &m->swap->swap_map[swp_offset(e)];
	if ((*map & SWAP_COUNT_MASK) == SWAP_COUNT_MASK - 1)
		return -1;
	(*map)++;
	vlog_swapcount(m, swp_offset(e), *map & SWAP_COUNT_MASK);
	return 0;
}

/* Free slot OFF if nothing refers to it any more. */
static void swap_slot_maybe_free(struct swap_info_struct *si, uint64_t off)
{
	if (si->swap_map[off] == 0) {
		si->inuse_pages--;
		if (si->cache[off] && !xa_is_value(si->cache[off]))
			return; /* cannot happen: a cached page keeps SWAP_HAS_CACHE */
		si->cache[off] = NULL; /* the shadow goes with the slot */
	}
}

void swap_free(struct memsys *m, swp_entry_t e)
{
	uint16_t *map;

	if (!swap_entry_valid(m, e))
		return;
	map = &m->swap->swap_map[swp_offset(e)];
	if (!(*map & SWAP_COUNT_MASK))
		return;
	(*map)--;
	vlog_swapcount(m, swp_offset(e), *map & SWAP_COUNT_MASK);
	swap_slot_maybe_free(m->swap, swp_offset(e));
}

void put_swap_page(struct memsys *m, swp_entry_t e)
{
	uint16_t *map;

	if (!swap_entry_valid(m, e))
		return;
	map = &m->swap->swap_map[swp_offset(e)];
	*map &= (uint16_t)~SWAP_HAS_CACHE;
	swap_slot_maybe_free(m->swap, swp_offset(e));
}

int swap_count(const struct memsys *m, swp_entry_t e)
{
	return swap_entry_valid(m, e) ? m->swap->swap_map[swp_offset(e)] & SWAP_COUNT_MASK : 0;
}

bool try_to_free_swap(struct memsys *m, struct page *page)
{
	swp_entry_t e = { page->private };

	if (!PageSwapCache(page) || PageWriteback(page) || swap_count(m, e) > 0)
		return false;
	delete_from_swap_cache(m, page, NULL);
	return true;
}

void free_swap_and_cache(struct memsys *m, swp_entry_t e)
{
	uint64_t off = swp_offset(e);
	struct page *page;

	if (!swap_entry_valid(m, e))
		return;
	page = m->swap->cache[off];
	swap_free(m, e);
	/* __try_to_reclaim_swap: the last PTE reference went; a cached page
	 * nobody maps only keeps the slot busy. */
	if (page && !xa_is_value(page) && swap_count(m, e) == 0 && page_mapcount(page) == 0)
		try_to_free_swap(m, page);
}

void swap_writepage(struct memsys *m, struct page *page)
{
	struct swap_info_struct *si = m->swap;
	uint64_t off = swp_offset((swp_entry_t){ page->private });
	const void *src = page_address(m, page);

	if (si->data) {
		memcpy(si->data + (off << PAGE_SHIFT), src, PAGE_SIZE);
	} else if (pwrite(si->fd, src, PAGE_SIZE, (off_t)(off << PAGE_SHIFT)) != (ssize_t)PAGE_SIZE) {
		/* A host I/O error is the simulator's: say so once per page. */
		fprintf(stderr, "mmsim: swap-file write of slot %llu failed: %s\n", (unsigned long long)off,
			strerror(errno));
	}
	__count_vm_event(m, PSWPOUT);
	__count_vm_events(m, PGPGOUT, PAGE_SIZE >> 10);
}

void swap_readpage(struct memsys *m, struct page *page, swp_entry_t e)
{
	struct swap_info_struct *si = m->swap;
	uint64_t off = swp_offset(e);
	void *dst = page_address(m, page);

	if (si->data) {
		memcpy(dst, si->data + (off << PAGE_SHIFT), PAGE_SIZE);
	} else if (pread(si->fd, dst, PAGE_SIZE, (off_t)(off << PAGE_SHIFT)) != (ssize_t)PAGE_SIZE) {
		fprintf(stderr, "mmsim: swap-file read of slot %llu failed: %s\n", (unsigned long long)off,
			strerror(errno));
	}
	__count_vm_event(m, PSWPIN);
	__count_vm_events(m, PGPGIN, PAGE_SIZE >> 10);
}

void proc_swaps(struct memsys *m, struct strbuf *sb)
{
	struct swap_info_struct *si = m->swap;

	sb_printf(sb, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	if (!si)
		return;
	/* Linux's swap_show: "%-40s%s\t%lu\t\t%lu\t\t%d" with a file type */
	sb_printf(sb, "%-40s%s\t%lu\t\t%lu\t\t%d\n", si->path, si->fd >= 0 ? "file\t" : "partition",
		  si->pages << (PAGE_SHIFT - 10), si->inuse_pages << (PAGE_SHIFT - 10), si->prio);
}

int swap_check_refs(struct memsys *m, long swapents, char *err, size_t errlen)
{
	struct swap_info_struct *si = m->swap;
	unsigned long inuse = 0, cached = 0;
	long refs = 0, shmem_refs = 0;

	if (!si)
		return swapents > 0 ? (snprintf(err, errlen, "%ld swap entries but no swap area", swapents), -1) : 0;
	for (unsigned long off = 1; off < si->max; off++) {
		uint16_t map = si->swap_map[off];
		struct page *p = si->cache[off];
		bool page = p && !xa_is_value(p);

		if (map)
			inuse++;
		refs += map & SWAP_COUNT_MASK;
		if (!!(map & SWAP_HAS_CACHE) != page) {
			snprintf(err, errlen, "swap slot %lu: map %#x but cache %s", off, map, page ? "holds a page" : "empty");
			return -1;
		}
		if (!map && p) {
			snprintf(err, errlen, "free swap slot %lu keeps a cache entry", off);
			return -1;
		}
		if (page) {
			cached++;
			if (!PageSwapCache(p) || p->private != swp_entry(0, off).val || p->_refcount < 1) {
				snprintf(err, errlen, "swap slot %lu: cache page pfn %lu is not its swap-cache page", off,
					 page_to_pfn(m, p));
				return -1;
			}
		}
	}
	if (inuse != si->inuse_pages) {
		snprintf(err, errlen, "swap inuse_pages %lu but %lu slots are used", si->inuse_pages, inuse);
		return -1;
	}
	if ((long)cached != global_node_page_state(m, NR_SWAPCACHE)) {
		snprintf(err, errlen, "NR_SWAPCACHE %ld but %lu pages in the swap cache",
			 global_node_page_state(m, NR_SWAPCACHE), cached);
		return -1;
	}
	if (shmem_swap_check(m, &shmem_refs, err, errlen) < 0)
		return -1;
	if (swapents >= 0 && refs != swapents + shmem_refs) {
		snprintf(err, errlen,
			 "swap_map counts %ld references but the mms hold %ld swap entries and shmem files %ld", refs,
			 swapents, shmem_refs);
		return -1;
	}
	return 0;
}
