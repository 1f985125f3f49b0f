/* mm/memsys.c - building and tearing down the simulated physical memory.
 *
 * Layout: pfns 0 .. max_pfn-1.  Zones are consecutive physical ranges:
 * the x86-64 default (DMA [0,16M), DMA32 [16M,4G), Normal [4G,...)) or the
 * configured zones=.  With numa=2 the RAM is cut in two halves (the cut
 * rounded down to a MAX_ORDER block when RAM allows); each node holds the
 * parts of the zone ranges that fall in its half, so node 1 of a 256M
 * machine is DMA32 and node 1 of an 8G machine is Normal, as in Linux.
 *
 * Boot (memblock_free_all's role): every page starts PG_reserved with
 * refcount 1; pfn 0 stays reserved (Linux keeps the BIOS page), so a
 * zone's managed_pages is present_pages - 1 for the first zone; every other
 * page is freed in the largest aligned blocks that stay inside their zone.
 * Boot frees are not counted in pgfree and not traced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mm/overcommit.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"

#define DMA_LIMIT_PFN   ((16ULL << 20) >> PAGE_SHIFT)
#define DMA32_LIMIT_PFN ((4ULL << 30) >> PAGE_SHIFT)

/* Fill ZSTART/ZEND (global pfn range of each zone type) from CFG. */
static void zone_ranges(const struct mem_config *cfg, unsigned long max_pfn, unsigned long zstart[],
			unsigned long zend[])
{
	for (int t = 0; t < MAX_NR_ZONES; t++)
		zstart[t] = zend[t] = 0;
	if (cfg->nr_zone_specs) {
		unsigned long pfn = 0;
		for (int i = 0; i < cfg->nr_zone_specs; i++) {
			int t = cfg->zone_spec[i].type;
			zstart[t] = pfn;
			pfn += (unsigned long)(cfg->zone_spec[i].bytes >> PAGE_SHIFT);
			zend[t] = pfn;
		}
		return;
	}
	unsigned long dma = max_pfn < DMA_LIMIT_PFN ? max_pfn : DMA_LIMIT_PFN;
	unsigned long dma32 = max_pfn < DMA32_LIMIT_PFN ? max_pfn : DMA32_LIMIT_PFN;
	zstart[ZONE_DMA] = 0, zend[ZONE_DMA] = dma;
	zstart[ZONE_DMA32] = dma, zend[ZONE_DMA32] = dma32;
	zstart[ZONE_NORMAL] = dma32, zend[ZONE_NORMAL] = max_pfn;
}

/* Free [start, end) of ZONE into the buddy lists in maximal aligned blocks. */
static void free_range(struct memsys *m, struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned long pfn = start;
	while (pfn < end) {
		unsigned int order = MAX_ORDER - 1;
		while (order && ((pfn & ((1UL << order) - 1)) || pfn + (1UL << order) > end))
			order--;
		for (unsigned long i = 0; i < (1UL << order); i++) {
			struct page *p = pfn_to_page(m, pfn + i);
			p->flags = 0;
			p->_refcount = 0;
		}
		__free_one_page(m, pfn_to_page(m, pfn), pfn, zone, order);
		pfn += 1UL << order;
	}
}

static void init_zone(struct memsys *m, int nid, int t, unsigned long start, unsigned long end)
{
	struct zone *z = &m->nodes[nid].node_zones[t];
	memset(z, 0, sizeof(*z));
	z->name = zone_names[t];
	z->node = nid;
	z->type = (enum zone_type)t;
	z->zone_start_pfn = start;
	for (int o = 0; o < MAX_ORDER; o++)
		INIT_LIST_HEAD(&z->free_area[o].free_list);
	for (int cpu = 0; cpu < MM_MAX_CPUS; cpu++)
		INIT_LIST_HEAD(&z->per_cpu_pageset[cpu].list);
	if (end <= start)
		return;
	z->spanned_pages = end - start;
	z->present_pages = end - start;
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *p = pfn_to_page(m, pfn);
		p->flags = 1u << PG_reserved;
		p->_refcount = 1;
		p->_mapcount = -1;
		p->zone = (uint8_t)t;
		p->node = (uint8_t)nid;
		INIT_LIST_HEAD(&p->lru);
	}
	/* pfn 0 (the BIOS page) stays reserved. */
	unsigned long first = start == 0 ? 1 : start;
	if (first < end)
		free_range(m, z, first, end);
	z->managed_pages = end - first;
	if (first > end)
		z->managed_pages = 0;
}

struct memsys *memsys_create(const struct mem_config *cfg, struct trace *trace, char *err, size_t errlen)
{
	unsigned long zstart[MAX_NR_ZONES], zend[MAX_NR_ZONES], nstart[MAX_NUMNODES], nend[MAX_NUMNODES];
	struct memsys *m;
	size_t bytes;

	if (mem_config_validate(cfg, err, errlen) < 0)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "memsys: out of host memory");
		return NULL;
	}
	m->cfg = *cfg;
	m->trace = trace;
	m->sysctl = (struct vm_sysctl){ .swappiness = 60, .page_cluster = 3, .overcommit_ratio = 50,
					.watermark_scale_factor = 10, .vfs_cache_pressure = 100, .oom_dump_tasks = 1 };
	m->phys_fd = -1;
	m->phys_base = MAP_FAILED;
	m->nr_nodes = cfg->nr_nodes;
	m->max_pfn = (unsigned long)(cfg->mem_bytes >> PAGE_SHIFT);
	m->nr_cpus = 1;
	m->pcp_enabled = cfg->pcp;
	m->cpu_slab_enabled = cfg->cpu_slab;
	INIT_LIST_HEAD(&m->slab_caches);
	INIT_LIST_HEAD(&m->shmem_swaplist);
	bytes = (size_t)cfg->mem_bytes;

	m->phys_fd = memfd_create("mmsim-ram", MFD_CLOEXEC);
	if (m->phys_fd < 0) {
		snprintf(err, errlen, "memsys: memfd_create: %s", strerror(errno));
		goto err;
	}
	if (ftruncate(m->phys_fd, (off_t)bytes) < 0) {
		snprintf(err, errlen, "memsys: cannot size RAM to %zu bytes: %s", bytes, strerror(errno));
		goto err;
	}
	m->phys_base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, m->phys_fd, 0);
	if (m->phys_base == MAP_FAILED) {
		snprintf(err, errlen, "memsys: cannot map %zu bytes of RAM: %s", bytes, strerror(errno));
		goto err;
	}
	m->mem_map = calloc(m->max_pfn, sizeof(struct page));
	if (!m->mem_map) {
		snprintf(err, errlen, "memsys: no host memory for mem_map (%lu pages)", m->max_pfn);
		goto err;
	}

	zone_ranges(cfg, m->max_pfn, zstart, zend);
	nstart[0] = 0;
	nend[0] = m->max_pfn;
	if (m->nr_nodes == 2) {
		unsigned long half = m->max_pfn / 2;
		if (half >= MAX_ORDER_NR_PAGES)
			half &= ~(MAX_ORDER_NR_PAGES - 1);
		if (half == 0) {
			snprintf(err, errlen, "numa: 2 nodes need at least 2 pages of RAM");
			goto err;
		}
		nend[0] = nstart[1] = half;
		nend[1] = m->max_pfn;
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		pg_data_t *pgdat = &m->nodes[n];
		pgdat->node_id = n;
		pgdat->node_start_pfn = nstart[n];
		pgdat->node_spanned_pages = nend[n] - nstart[n];
		pgdat->node_present_pages = nend[n] - nstart[n];
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			unsigned long s = zstart[t] > nstart[n] ? zstart[t] : nstart[n];
			unsigned long e = zend[t] < nend[n] ? zend[t] : nend[n];
			if (e <= s)
				s = e = 0; /* empty zone: start_pfn 0 as Linux shows it */
			init_zone(m, n, t, s, e);
			m->totalram_pages += m->nodes[n].node_zones[t].managed_pages;
		}
	}
	build_zonelists(m);
	reclaim_init(m);
	if (swap_init(m, err, errlen) < 0)
		goto err;
	setup_per_zone_wmarks(m);
	if (kmem_cache_init(m, err, errlen) < 0)
		goto err;
	vm_reserves_init(m);
	return m;
err:
	memsys_destroy(m);
	return NULL;
}

void memsys_destroy(struct memsys *m)
{
	if (!m)
		return;
	if (m->kmem_cache_cache || m->slab_caches.next != &m->slab_caches)
		kmem_cache_teardown(m);
	swap_exit(m);
	free(m->mem_map);
	if (m->phys_base != MAP_FAILED && m->phys_base)
		munmap(m->phys_base, (size_t)m->cfg.mem_bytes);
	if (m->phys_fd >= 0)
		close(m->phys_fd);
	free(m);
}
