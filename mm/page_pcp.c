/* mm/page_pcp.c - per-CPU page lists (Linux 6.1 mm/page_alloc.c's
 * per_cpu_pages, zone_batchsize, zone_highsize, free_pcppages_bulk,
 * drain_all_pages; mm/vmstat.c's calculate_normal_threshold).
 *
 * Every zone keeps, for each CPU, a list of free order-0 pages.  An
 * order-0 allocation on CPU c takes the first page of c's list
 * (rmqueue_pcplist in page_alloc.c); an empty list is first refilled with
 * `batch` pages from the buddy lists (rmqueue_bulk).  A freed order-0 page
 * goes to the head of c's list (free_unref_page_commit); when the list
 * reaches `high`, free_pcppages_bulk gives the coldest pages (the tail)
 * back to the buddy allocator: nr_pcp_free() of them, `batch` doubled for
 * every further free without an allocation in between (free_factor), kept
 * between batch and high - batch.
 *
 * Invariant (checked by pcp_check): a page on a pcp list is free
 * (refcount 0, mapcount -1), not PG_buddy, in its list's zone, on no other
 * list, and not counted in NR_FREE_PAGES - so MemFree and buddyinfo miss
 * the pages cached on the lists, as in Linux.  pgalloc_* counts a page
 * when it is handed out and pgfree when it is freed by its user, never
 * when it moves between a pcp list and the buddy lists, so both stay
 * exact.
 *
 * Sizes (Linux 6.1, percpu_pagelist_high_fraction 0):
 *   batch = rounddown_pow_of_two(b + b/2) - 1, b = max(1, min(managed >> 10,
 *           256) / 4), at least 1;
 *   high  = max(low_wmark / nr_split_cpus, 4 * batch), recomputed when the
 *           watermarks change (setup_per_zone_wmarks).
 * mmsim puts every CPU on node 0; node 1 has none, and Linux then splits
 * over all online CPUs, so nr_split_cpus is nr_cpus for every zone.
 * With pcp=off (the scenario machine's default) the lists are never used
 * and zoneinfo shows Linux's boot pageset: high 0, batch 1.
 *
 * Simplified: one list per CPU and zone (Linux 6.1 has one per migrate type
 * and order 0..3 plus the THP order); orders above 0 always use the buddy
 * lists.  ZONE_RECLAIM_ACTIVE (high capped at 4 * batch during reclaim) is
 * approximated by "while kswapd runs".  The lists are drained when direct
 * reclaim fails to find a page (before the OOM killer); there are no
 * vmstat-worker or CPU-idle drains.
 */
#include <stdio.h>

#include "mm/internal.h"
#include "mm/page_pcp.h"

static int rounddown_pow_of_two(int n)
{
	int p = 1;
	while (p * 2 <= n)
		p *= 2;
	return p;
}

/* fls(): 1-based index of the highest set bit, 0 for 0. */
static int fls_ul(unsigned long x)
{
	int r = 0;
	while (x) {
		r++;
		x >>= 1;
	}
	return r;
}

/* Linux's zone_batchsize (CONFIG_MMU), clamped to at least 1 as
 * zone_set_pageset_high_and_batch does. */
static int zone_batchsize(const struct zone *zone)
{
	unsigned long b = zone->managed_pages >> 10;
	int batch;

	if (b > (1UL << 20) / PAGE_SIZE)
		b = (1UL << 20) / PAGE_SIZE;
	batch = (int)b / 4;
	if (batch < 1)
		batch = 1;
	batch = rounddown_pow_of_two(batch + batch / 2) - 1;
	return batch < 1 ? 1 : batch;
}

/* Linux's zone_highsize with percpu_pagelist_high_fraction 0. */
static int zone_highsize(const struct memsys *m, const struct zone *zone, int batch)
{
	int nr_split_cpus = m->nr_cpus > 0 ? m->nr_cpus : 1;
	long high = (long)low_wmark_pages(zone) / nr_split_cpus;

	if (high < (long)batch << 2)
		high = (long)batch << 2;
	return (int)high;
}

/* mm/vmstat.c's calculate_normal_threshold: 2 * fls(cpus) * (1 + fls(mem
 * in 128M units)), at most 125. */
static int calculate_normal_threshold(const struct memsys *m, const struct zone *zone)
{
	unsigned long mem = zone->managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_ul((unsigned long)m->nr_cpus) * (1 + fls_ul(mem));
	return threshold < 125 ? threshold : 125;
}

void zone_pcp_update(struct memsys *m, struct zone *zone)
{
	int batch = 1, high = 0;

	if (m->pcp_enabled && zone->managed_pages) {
		batch = zone_batchsize(zone);
		high = zone_highsize(m, zone, batch);
	}
	zone->pageset_batch = batch;
	zone->pageset_high = high;
	zone->stat_threshold = zone->managed_pages ? calculate_normal_threshold(m, zone) : 0;
	for (int cpu = 0; cpu < MM_MAX_CPUS; cpu++) {
		zone->per_cpu_pageset[cpu].batch = batch;
		zone->per_cpu_pageset[cpu].high = high;
	}
}

int memsys_set_nr_cpus(struct memsys *m, int nr)
{
	if (nr < 1 || nr > MM_MAX_CPUS)
		return -1;
	m->nr_cpus = nr;
	if (m->this_cpu >= nr)
		m->this_cpu = 0;
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			zone_pcp_update(m, &m->nodes[n].node_zones[t]);
	return 0;
}

void free_pcppages_bulk(struct memsys *m, struct zone *zone, int count, struct per_cpu_pages *pcp)
{
	if (count > pcp->count)
		count = pcp->count;
	while (count-- > 0 && !list_empty(&pcp->list)) {
		struct page *page = list_last_entry(&pcp->list, struct page, lru);
		list_del(&page->lru);
		pcp->count--;
		__free_one_page(m, page, page_to_pfn(m, page), zone, 0);
	}
}

void drain_pages_zone(struct memsys *m, int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	free_pcppages_bulk(m, zone, pcp->count, pcp);
}

unsigned long drain_all_pages(struct memsys *m, struct zone *zone)
{
	unsigned long moved = 0;

	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &m->nodes[n].node_zones[t];
			if (zone && z != zone)
				continue;
			for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
				moved += (unsigned long)z->per_cpu_pageset[cpu].count;
				drain_pages_zone(m, cpu, z);
			}
		}
	return moved;
}

unsigned long zone_pcp_count(const struct memsys *m, const struct zone *zone)
{
	unsigned long n = 0;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		n += (unsigned long)zone->per_cpu_pageset[cpu].count;
	return n;
}

unsigned long nr_free_pcp_pages(const struct memsys *m)
{
	unsigned long n = 0;
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			n += zone_pcp_count(m, &m->nodes[nid].node_zones[t]);
	return n;
}

int pcp_check(struct memsys *m, struct zone *z, uint8_t *freemap, char *err, size_t errlen)
{
	unsigned long start = z->zone_start_pfn, end = z->zone_start_pfn + z->spanned_pages;
	const char *zn = zone_names[z->type];

	for (int cpu = 0; cpu < MM_MAX_CPUS; cpu++) {
		struct per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
		struct list_head *pos;
		long count = 0;

		list_for_each(pos, &pcp->list) {
			struct page *p = list_entry(pos, struct page, lru);
			unsigned long pfn;

			if (p < m->mem_map || p >= m->mem_map + m->max_pfn) {
				snprintf(err, errlen, "node %d %s cpu %d pcp list: entry outside mem_map", z->node, zn, cpu);
				return -1;
			}
			pfn = page_to_pfn(m, p);
			if (++count > (long)m->max_pfn) {
				snprintf(err, errlen, "node %d %s cpu %d pcp list does not end", z->node, zn, cpu);
				return -1;
			}
			if (pfn < start || pfn >= end || p->zone != z->type || p->node != z->node) {
				snprintf(err, errlen, "pfn 0x%lx on cpu %d's pcp list of node %d %s is outside the zone",
					 pfn, cpu, z->node, zn);
				return -1;
			}
			if (PageBuddy(p) || p->_refcount != 0 || p->_mapcount != -1) {
				snprintf(err, errlen, "pfn 0x%lx on cpu %d's %s pcp list has PG_buddy=%d refcount %d mapcount %d",
					 pfn, cpu, zn, PageBuddy(p), p->_refcount, page_mapcount(p));
				return -1;
			}
			if (freemap[pfn >> 3] & (1u << (pfn & 7))) {
				snprintf(err, errlen, "pfn 0x%lx is on cpu %d's %s pcp list and on another free list", pfn,
					 cpu, zn);
				return -1;
			}
			freemap[pfn >> 3] |= (uint8_t)(1u << (pfn & 7));
		}
		if (count != pcp->count) {
			snprintf(err, errlen, "node %d %s cpu %d pcp count is %d but its list holds %ld pages", z->node, zn,
				 cpu, pcp->count, count);
			return -1;
		}
		if (count && (cpu >= m->nr_cpus || !m->pcp_enabled)) {
			snprintf(err, errlen, "node %d %s cpu %d has %ld pcp pages but %s", z->node, zn, cpu, count,
				 m->pcp_enabled ? "the machine has fewer CPUs" : "pcp is off");
			return -1;
		}
	}
	return 0;
}
