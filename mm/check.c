/* mm/check.c - mm_check(): verify every invariant of the page allocator
 * (see the block comment in mm/page_alloc.c), then the slab allocator's.
 * O(pages) time and one bit of host memory per page. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm/check.h"
#include "mm/internal.h"
#include "mm/page_pcp.h"
#include "mm/slab.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Check ZONE's free lists, marking free pages in FREEMAP and block heads
 * in HEADMAP.  Returns 0 or -1 with ERR. */
static int check_free_lists(struct memsys *m, struct zone *z, uint8_t *freemap, uint8_t *headmap, char *err,
			    size_t errlen)
{
	unsigned long start = z->zone_start_pfn, end = z->zone_start_pfn + z->spanned_pages, pages = 0;
	const char *zn = zone_names[z->type];

	for (unsigned o = 0; o < MAX_ORDER; o++) {
		struct free_area *area = &z->free_area[o];
		unsigned long count = 0;
		struct list_head *pos;

		list_for_each(pos, &area->free_list) {
			struct page *p = list_entry(pos, struct page, lru);
			unsigned long pfn;

			if (p < m->mem_map || p >= m->mem_map + m->max_pfn)
				return fail(err, errlen, "node %d %s free_area[%u]: list entry outside mem_map", z->node,
					    zn, o);
			pfn = page_to_pfn(m, p);
			if (++count > m->max_pfn)
				return fail(err, errlen, "node %d %s free_area[%u]: list does not end", z->node, zn, o);
			if (!PageBuddy(p) || p->private != o)
				return fail(err, errlen, "pfn 0x%lx on %s free_area[%u] has PG_buddy=%d private=%llu",
					    pfn, zn, o, PageBuddy(p), (unsigned long long)p->private);
			if (pfn & ((1UL << o) - 1))
				return fail(err, errlen, "pfn 0x%lx on %s free_area[%u] is not %lu-page aligned", pfn, zn,
					    o, 1UL << o);
			if (pfn < start || pfn + (1UL << o) > end || p->zone != z->type || p->node != z->node)
				return fail(err, errlen, "free block pfn 0x%lx order %u is outside node %d zone %s", pfn,
					    o, z->node, zn);
			for (unsigned long i = 0; i < (1UL << o); i++) {
				unsigned long q = pfn + i;
				struct page *qp = pfn_to_page(m, q);
				if (freemap[q >> 3] & (1u << (q & 7)))
					return fail(err, errlen, "free blocks overlap at pfn 0x%lx", q);
				freemap[q >> 3] |= (uint8_t)(1u << (q & 7));
				if (qp->_refcount != 0 || qp->_mapcount != -1)
					return fail(err, errlen, "free pfn 0x%lx has refcount %d mapcount %d", q,
						    qp->_refcount, page_mapcount(qp));
				if (i && PageBuddy(qp))
					return fail(err, errlen, "pfn 0x%lx inside free block 0x%lx has PG_buddy", q, pfn);
			}
			headmap[pfn >> 3] |= (uint8_t)(1u << (pfn & 7));
		}
		if (count != area->nr_free)
			return fail(err, errlen, "node %d %s free_area[%u].nr_free is %lu but the list holds %lu",
				    z->node, zn, o, area->nr_free, count);
		pages += count << o;
	}
	if ((long)pages != z->vm_stat[NR_FREE_PAGES])
		return fail(err, errlen, "node %d %s NR_FREE_PAGES is %ld but the free lists hold %lu pages", z->node,
			    zn, z->vm_stat[NR_FREE_PAGES], pages);
	if (pages > z->managed_pages)
		return fail(err, errlen, "node %d %s has %lu free pages but manages %lu", z->node, zn, pages,
			    z->managed_pages);
	return 0;
}

/* Free buddies that should have merged; stray PG_buddy; allocated blocks. */
static int check_pages(struct memsys *m, struct zone *z, const uint8_t *freemap, const uint8_t *headmap,
		       char *err, size_t errlen)
{
	unsigned long start = z->zone_start_pfn, end = z->zone_start_pfn + z->spanned_pages;
	unsigned long block_end = 0; /* end of the allocated block being walked */
	const char *zn = zone_names[z->type];

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *p = pfn_to_page(m, pfn);
		bool is_free = freemap[pfn >> 3] & (1u << (pfn & 7));
		bool is_head = headmap[pfn >> 3] & (1u << (pfn & 7));

		if (p->_refcount < 0)
			return fail(err, errlen, "pfn 0x%lx has negative refcount %d", pfn, p->_refcount);
		if (PageBuddy(p) && !is_head)
			return fail(err, errlen, "pfn 0x%lx has PG_buddy but is on no free list", pfn);
		if (is_head) {
			unsigned o = (unsigned)p->private;
			unsigned long buddy = pfn ^ (1UL << o);
			if (o < MAX_ORDER - 1 && buddy >= start && buddy + (1UL << o) <= end &&
			    (headmap[buddy >> 3] & (1u << (buddy & 7))) && pfn_to_page(m, buddy)->private == o)
				return fail(err, errlen, "free buddies 0x%lx and 0x%lx of order %u in %s were not merged",
					    pfn < buddy ? pfn : buddy, pfn < buddy ? buddy : pfn, o, zn);
		}
		if (is_free) {
			if (pfn < block_end)
				return fail(err, errlen, "free pfn 0x%lx lies inside the allocated block ending 0x%lx",
					    pfn, block_end);
			continue;
		}
		if (PageReserved(p)) {
			if (p->_refcount < 1)
				return fail(err, errlen, "reserved pfn 0x%lx has refcount %d", pfn, p->_refcount);
			continue;
		}
		if (pfn < block_end)
			continue; /* a page of an allocated block */
		if (p->_refcount == 0)
			return fail(err, errlen, "pfn 0x%lx: refcount 0 but neither free nor in an allocated block", pfn);
		if (p->compound_order >= MAX_ORDER || (pfn & ((1UL << p->compound_order) - 1)) ||
		    pfn + (1UL << p->compound_order) > end)
			return fail(err, errlen, "allocated pfn 0x%lx has impossible order %u", pfn, p->compound_order);
		if (PageHead(p) && p->compound_order == 0)
			return fail(err, errlen, "pfn 0x%lx has PG_head with order 0", pfn);
		block_end = pfn + (1UL << p->compound_order);
	}
	return 0;
}

int mm_check(struct memsys *m, char *err, size_t errlen)
{
	size_t bytes = (m->max_pfn + 7) / 8;
	uint8_t *freemap = calloc(1, bytes), *headmap = calloc(1, bytes);
	long free_sum = 0;
	unsigned long managed = 0;
	int rc = -1;

	if (!freemap || !headmap) {
		fail(err, errlen, "mm_check: out of host memory");
		goto out;
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &m->nodes[n].node_zones[t];
			if (z->spanned_pages && z->zone_start_pfn + z->spanned_pages > m->max_pfn) {
				fail(err, errlen, "zone %s of node %d ends beyond max_pfn", zone_names[t], n);
				goto out;
			}
			if (check_free_lists(m, z, freemap, headmap, err, errlen) < 0 ||
			    pcp_check(m, z, freemap, err, errlen) < 0)
				goto out;
			free_sum += z->vm_stat[NR_FREE_PAGES];
			managed += z->managed_pages;
		}
	}
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			if (check_pages(m, &m->nodes[n].node_zones[t], freemap, headmap, err, errlen) < 0)
				goto out;
	if (managed != m->totalram_pages) {
		fail(err, errlen, "totalram_pages %lu but zones manage %lu", m->totalram_pages, managed);
		goto out;
	}
	if (free_sum != global_zone_page_state(m, NR_FREE_PAGES)) {
		fail(err, errlen, "global NR_FREE_PAGES disagrees with the zones");
		goto out;
	}
	/* every PG_mlocked page is counted in its zone's NR_MLOCK (mm/mlock.c) */
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &m->nodes[n].node_zones[t];
			long locked = 0;
			for (unsigned long pfn = z->zone_start_pfn; pfn < z->zone_start_pfn + z->spanned_pages; pfn++)
				locked += (pfn_to_page(m, pfn)->flags >> PG_mlocked) & 1;
			if (locked != z->vm_stat[NR_MLOCK]) {
				fail(err, errlen, "node %d %s: %ld PG_mlocked pages but NR_MLOCK %ld", n, zone_names[t],
				     locked, z->vm_stat[NR_MLOCK]);
				goto out;
			}
		}
	rc = slab_check(m, err, errlen);
	if (rc == 0)
		rc = lru_check(m, err, errlen);
	if (rc == 0)
		rc = swap_check(m, err, errlen);
out:
	free(freemap);
	free(headmap);
	return rc;
}
