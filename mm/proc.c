/* mm/proc.c - the text of /proc/meminfo, buddyinfo, zoneinfo and vmstat,
 * byte for byte in Linux 6.1's formats (fs/proc/meminfo.c, mm/vmstat.c).
 *
 * Values Linux has but mmsim does not model print as 0: Buffers, swap,
 * NFS_Unstable, WritebackTmp, Percpu, hugetlb, CMA.  The
 * per-cpu pagesets of zoneinfo are shown for one cpu with count 0 (mmsim
 * has no per-cpu lists: every page is on the buddy lists).  /proc/vmstat
 * ends with two mmsim counters Linux lacks: kswapd_wakeup, pgalloc_fail.
 */
#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/swapfile.h"

#include "mm/overcommit.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))
#define HPAGE_PMD_NR 512
#define VMALLOC_TOTAL_DEFAULT_KB 34359738367UL /* x86-64 4-level: 32 TiB - 1 kB */

static unsigned long clamp0(long v) { return v > 0 ? (unsigned long)v : 0; }

/* Linux's show_val_kb(): a 16-column label and an 8-column value. */
static void show_val_kb(struct strbuf *sb, const char *label, unsigned long pages)
{
	sb_printf(sb, "%-16s%8lu kB\n", label, K(pages));
}

/* Linux's si_mem_available(): free pages less the reserves, plus the part
 * of the page cache and reclaimable slab that could be reclaimed. */
static long si_mem_available(const struct memsys *m)
{
	unsigned long wmark_low = 0, pagecache, reclaimable;
	long available;

	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			wmark_low += low_wmark_pages(&m->nodes[n].node_zones[t]);
	available = global_zone_page_state(m, NR_FREE_PAGES) - (long)m->totalreserve_pages;
	pagecache = clamp0(global_node_page_state(m, NR_ACTIVE_FILE)) +
		    clamp0(global_node_page_state(m, NR_INACTIVE_FILE));
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	available += (long)pagecache;
	reclaimable = clamp0(global_node_page_state(m, NR_SLAB_RECLAIMABLE_B)) +
		      clamp0(global_node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE));
	available += (long)(reclaimable - (reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low));
	return available < 0 ? 0 : available;
}

void proc_meminfo(struct memsys *m, struct strbuf *sb)
{
#define G(item) clamp0(global_node_page_state(m, item))
	unsigned long swapcache = G(NR_SWAPCACHE);
	long cached = global_node_page_state(m, NR_FILE_PAGES) - (long)swapcache;
	unsigned long sreclaimable = G(NR_SLAB_RECLAIMABLE_B), sunreclaim = G(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long vmalloc_kb = m->vmalloc_total_bytes ? (unsigned long)(m->vmalloc_total_bytes >> 10)
							  : VMALLOC_TOTAL_DEFAULT_KB;
	uint64_t mem = m->cfg.mem_bytes, four_k, two_m, one_g = 0;

	show_val_kb(sb, "MemTotal:", m->totalram_pages);
	show_val_kb(sb, "MemFree:", clamp0(global_zone_page_state(m, NR_FREE_PAGES)));
	show_val_kb(sb, "MemAvailable:", (unsigned long)si_mem_available(m));
	show_val_kb(sb, "Buffers:", 0);
	show_val_kb(sb, "Cached:", clamp0(cached));
	show_val_kb(sb, "SwapCached:", swapcache);
	show_val_kb(sb, "Active:", G(NR_ACTIVE_ANON) + G(NR_ACTIVE_FILE));
	show_val_kb(sb, "Inactive:", G(NR_INACTIVE_ANON) + G(NR_INACTIVE_FILE));
	show_val_kb(sb, "Active(anon):", G(NR_ACTIVE_ANON));
	show_val_kb(sb, "Inactive(anon):", G(NR_INACTIVE_ANON));
	show_val_kb(sb, "Active(file):", G(NR_ACTIVE_FILE));
	show_val_kb(sb, "Inactive(file):", G(NR_INACTIVE_FILE));
	show_val_kb(sb, "Unevictable:", G(NR_UNEVICTABLE));
	show_val_kb(sb, "Mlocked:", clamp0(global_zone_page_state(m, NR_MLOCK)));
	show_val_kb(sb, "SwapTotal:", (unsigned long)total_swap_pages(m));
	show_val_kb(sb, "SwapFree:", (unsigned long)nr_swap_pages(m));
	show_val_kb(sb, "Zswap:", 0);
	show_val_kb(sb, "Zswapped:", 0);
	show_val_kb(sb, "Dirty:", G(NR_FILE_DIRTY));
	show_val_kb(sb, "Writeback:", G(NR_WRITEBACK));
	show_val_kb(sb, "AnonPages:", G(NR_ANON_MAPPED));
	show_val_kb(sb, "Mapped:", G(NR_FILE_MAPPED));
	show_val_kb(sb, "Shmem:", G(NR_SHMEM));
	show_val_kb(sb, "KReclaimable:", sreclaimable + G(NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(sb, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(sb, "SReclaimable:", sreclaimable);
	show_val_kb(sb, "SUnreclaim:", sunreclaim);
	sb_printf(sb, "KernelStack:    %8lu kB\n", G(NR_KERNEL_STACK_KB));
	show_val_kb(sb, "PageTables:", G(NR_PAGETABLE));
	show_val_kb(sb, "SecPageTables:", 0);
	show_val_kb(sb, "NFS_Unstable:", 0);
	show_val_kb(sb, "Bounce:", clamp0(global_zone_page_state(m, NR_BOUNCE)));
	show_val_kb(sb, "WritebackTmp:", 0);
	show_val_kb(sb, "CommitLimit:", vm_commit_limit(m));
	show_val_kb(sb, "Committed_AS:", clamp0(m->vm_committed_as));
	sb_printf(sb, "VmallocTotal:   %8lu kB\n", vmalloc_kb);
	show_val_kb(sb, "VmallocUsed:", G(NR_VMALLOC));
	show_val_kb(sb, "VmallocChunk:", 0);
	show_val_kb(sb, "Percpu:", 0);
	sb_printf(sb, "HardwareCorrupted: %5lu kB\n", 0UL);
	show_val_kb(sb, "AnonHugePages:", G(NR_ANON_THPS) * HPAGE_PMD_NR);
	show_val_kb(sb, "ShmemHugePages:", 0);
	show_val_kb(sb, "ShmemPmdMapped:", 0);
	show_val_kb(sb, "FileHugePages:", 0);
	show_val_kb(sb, "FilePmdMapped:", 0);
	sb_printf(sb,
		  "HugePages_Total:   %5lu\n"
		  "HugePages_Free:    %5lu\n"
		  "HugePages_Rsvd:    %5lu\n"
		  "HugePages_Surp:    %5lu\n"
		  "Hugepagesize:   %8lu kB\n",
		  0UL, 0UL, 0UL, 0UL, 2048UL);
	sb_printf(sb, "Hugetlb:        %8lu kB\n", 0UL);
	/* The direct map as mmu/kernel_pgtables.c built it (leaf counts); a
	 * memsys without kernel page tables (mm-only tests) shows the layout
	 * that code would build: 4k for the first 2M, 1G leaves for whole
	 * gigabytes above the first, 2M between, 4k for any tail. */
	if (m->direct_map_leaves[0] | m->direct_map_leaves[1] | m->direct_map_leaves[2]) {
		four_k = (uint64_t)m->direct_map_leaves[0] << 12;
		two_m = (uint64_t)m->direct_map_leaves[1] << 21;
		one_g = (uint64_t)m->direct_map_leaves[2] << 30;
	} else {
		four_k = mem < (2ULL << 20) ? mem : (2ULL << 20);
		if (mem >= (2ULL << 30))
			one_g = ((mem >> 30) - 1) << 30;
		two_m = ((mem - four_k - one_g) >> 21) << 21;
		four_k = mem - two_m - one_g;
	}
	sb_printf(sb, "DirectMap4k:    %8lu kB\n", (unsigned long)(four_k >> 10));
	sb_printf(sb, "DirectMap2M:    %8lu kB\n", (unsigned long)(two_m >> 10));
	sb_printf(sb, "DirectMap1G:    %8lu kB\n", (unsigned long)(one_g >> 10));
#undef G
}

void proc_buddyinfo(struct memsys *m, struct strbuf *sb)
{
	for (int n = 0; n < m->nr_nodes; n++) {
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &m->nodes[n].node_zones[t];
			if (!z->present_pages)
				continue;
			sb_printf(sb, "Node %d, zone %8s ", n, zone_names[t]);
			for (int o = 0; o < MAX_ORDER; o++)
				sb_printf(sb, "%6lu ", z->free_area[o].nr_free);
			sb_printf(sb, "\n");
		}
	}
}

static void zoneinfo_show_print(struct memsys *m, struct strbuf *sb, pg_data_t *pgdat, struct zone *z,
				bool first_populated)
{
	sb_printf(sb, "Node %d, zone %8s", pgdat->node_id, zone_names[z->type]);
	if (first_populated) {
		sb_printf(sb, "\n  per-node stats");
		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
			long v = pgdat->vm_stat[i];
			sb_printf(sb, "\n      %-12s %lu", node_stat_name((enum node_stat_item)i), clamp0(v));
		}
	}
	sb_printf(sb,
		  "\n  pages free     %lu"
		  "\n        boost    %lu"
		  "\n        min      %lu"
		  "\n        low      %lu"
		  "\n        high     %lu"
		  "\n        spanned  %lu"
		  "\n        present  %lu"
		  "\n        managed  %lu"
		  "\n        cma      %lu",
		  clamp0(z->vm_stat[NR_FREE_PAGES]), z->watermark_boost, min_wmark_pages(z), low_wmark_pages(z),
		  high_wmark_pages(z), z->spanned_pages, z->present_pages, z->managed_pages, 0UL);
	sb_printf(sb, "\n        protection: (%ld", z->lowmem_reserve[0]);
	for (int i = 1; i < MAX_NR_ZONES; i++)
		sb_printf(sb, ", %ld", z->lowmem_reserve[i]);
	sb_printf(sb, ")");
	if (!z->present_pages) {
		sb_printf(sb, "\n");
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		sb_printf(sb, "\n      %-12s %lu", zone_stat_name((enum zone_stat_item)i), clamp0(z->vm_stat[i]));
	sb_printf(sb, "\n  pagesets");
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		const struct per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];
		sb_printf(sb,
			  "\n    cpu: %i"
			  "\n              count: %i"
			  "\n              high:  %i"
			  "\n              batch: %i",
			  cpu, pcp->count, pcp->high, pcp->batch);
		sb_printf(sb, "\n  vm stats threshold: %d", z->stat_threshold);
	}
	sb_printf(sb,
		  "\n  node_unreclaimable:  %u"
		  "\n  start_pfn:           %lu",
		  0u, z->zone_start_pfn);
	sb_printf(sb, "\n");
	(void)m;
}

void proc_zoneinfo(struct memsys *m, struct strbuf *sb)
{
	for (int n = 0; n < m->nr_nodes; n++) {
		pg_data_t *pgdat = &m->nodes[n];
		bool seen_populated = false;
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &pgdat->node_zones[t];
			bool first = z->present_pages && !seen_populated;
			if (z->present_pages)
				seen_populated = true;
			zoneinfo_show_print(m, sb, pgdat, z, first);
		}
	}
}

void proc_vmstat(struct memsys *m, struct strbuf *sb)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		sb_printf(sb, "%s %lu\n", zone_stat_name((enum zone_stat_item)i),
			  clamp0(global_zone_page_state(m, (enum zone_stat_item)i)));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		sb_printf(sb, "%s %lu\n", node_stat_name((enum node_stat_item)i),
			  clamp0(global_node_page_state(m, (enum node_stat_item)i)));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		sb_printf(sb, "%s %lu\n", vm_event_name((enum vm_event_item)i), m->vm_events[i]);
}
