/* mm/show_mem.c - the "Mem-Info:" block of Linux's __show_mem() (mm/
 * show_mem.c in 6.x), as the OOM killer and the page allocator's failure
 * reports print it: global page counts, each node and zone, the buddy
 * lists per zone, then the page cache, swap and RAM totals.  free_pcp is
 * the pages on the per-CPU lists (mm/page_pcp.c), local_pcp this CPU's;
 * mmsim has no migrate types, so the buddy lines carry no "(UME)" letters.
 */
#include "mm/swapfile.h"
#include "mm/show_mem.h"
#include "mm/page_pcp.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

static unsigned long gn(const struct memsys *m, enum node_stat_item i)
{
	long v = global_node_page_state(m, i);
	return v > 0 ? (unsigned long)v : 0;
}

static unsigned long zs(const struct zone *z, enum zone_stat_item i)
{
	return z->vm_stat[i] > 0 ? (unsigned long)z->vm_stat[i] : 0;
}

static unsigned long ns(const pg_data_t *p, enum node_stat_item i)
{
	return p->vm_stat[i] > 0 ? (unsigned long)p->vm_stat[i] : 0;
}

void show_mem(const struct memsys *m, struct strbuf *sb)
{
	long free = global_zone_page_state(m, NR_FREE_PAGES);
	unsigned long reserved = 0;

	sb_printf(sb, "Mem-Info:\n");
	sb_printf(sb,
		  "active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
		  " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
		  " unevictable:%lu dirty:%lu writeback:%lu\n"
		  " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
		  " mapped:%lu shmem:%lu pagetables:%lu\n"
		  " sec_pagetables:%lu bounce:%lu\n"
		  " kernel_misc_reclaimable:%lu\n"
		  " free:%lu free_pcp:%lu free_cma:%lu\n",
		  gn(m, NR_ACTIVE_ANON), gn(m, NR_INACTIVE_ANON), gn(m, NR_ISOLATED_ANON), gn(m, NR_ACTIVE_FILE),
		  gn(m, NR_INACTIVE_FILE), gn(m, NR_ISOLATED_FILE), gn(m, NR_UNEVICTABLE), gn(m, NR_FILE_DIRTY),
		  gn(m, NR_WRITEBACK), gn(m, NR_SLAB_RECLAIMABLE_B), gn(m, NR_SLAB_UNRECLAIMABLE_B),
		  gn(m, NR_FILE_MAPPED), gn(m, NR_SHMEM), gn(m, NR_PAGETABLE), 0UL,
		  (unsigned long)(global_zone_page_state(m, NR_BOUNCE) > 0 ? global_zone_page_state(m, NR_BOUNCE) : 0),
		  gn(m, NR_KERNEL_MISC_RECLAIMABLE), free > 0 ? (unsigned long)free : 0, nr_free_pcp_pages(m), 0UL);
	for (int n = 0; n < m->nr_nodes; n++) {
		const pg_data_t *p = &m->nodes[n];
		sb_printf(sb,
			  "Node %d active_anon:%lukB inactive_anon:%lukB active_file:%lukB inactive_file:%lukB "
			  "unevictable:%lukB isolated(anon):%lukB isolated(file):%lukB mapped:%lukB dirty:%lukB "
			  "writeback:%lukB shmem:%lukB shmem_thp: %lukB shmem_pmdmapped: %lukB anon_thp: %lukB "
			  "writeback_tmp:%lukB kernel_stack:%lukB pagetables:%lukB sec_pagetables:%lukB "
			  "all_unreclaimable? no\n",
			  n, K(ns(p, NR_ACTIVE_ANON)), K(ns(p, NR_INACTIVE_ANON)), K(ns(p, NR_ACTIVE_FILE)),
			  K(ns(p, NR_INACTIVE_FILE)), K(ns(p, NR_UNEVICTABLE)), K(ns(p, NR_ISOLATED_ANON)),
			  K(ns(p, NR_ISOLATED_FILE)), K(ns(p, NR_FILE_MAPPED)), K(ns(p, NR_FILE_DIRTY)),
			  K(ns(p, NR_WRITEBACK)), K(ns(p, NR_SHMEM)), 0UL, 0UL, K(ns(p, NR_ANON_THPS) * 512), 0UL,
			  ns(p, NR_KERNEL_STACK_KB), K(ns(p, NR_PAGETABLE)), 0UL);
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = &m->nodes[n].node_zones[t];
			if (!z->present_pages)
				continue;
			reserved += z->present_pages - z->managed_pages;
			sb_printf(sb,
				  "Node %d %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB "
				  "reserved_highatomic:0KB active_anon:%lukB inactive_anon:%lukB active_file:%lukB "
				  "inactive_file:%lukB unevictable:%lukB writepending:%lukB present:%lukB "
				  "managed:%lukB mlocked:%lukB bounce:%lukB free_pcp:%lukB local_pcp:%lukB free_cma:0kB\n",
				  n, z->name, K(zs(z, NR_FREE_PAGES)), K(z->watermark_boost), K(min_wmark_pages(z)),
				  K(low_wmark_pages(z)), K(high_wmark_pages(z)), K(zs(z, NR_ZONE_ACTIVE_ANON)),
				  K(zs(z, NR_ZONE_INACTIVE_ANON)), K(zs(z, NR_ZONE_ACTIVE_FILE)),
				  K(zs(z, NR_ZONE_INACTIVE_FILE)), K(zs(z, NR_ZONE_UNEVICTABLE)),
				  K(zs(z, NR_ZONE_WRITE_PENDING)), K(z->present_pages), K(z->managed_pages),
				  K(zs(z, NR_MLOCK)), K(zs(z, NR_BOUNCE)), K(zone_pcp_count(m, z)),
				  K((unsigned long)z->per_cpu_pageset[m->this_cpu].count));
			sb_printf(sb, "lowmem_reserve[]:");
			for (int i = 0; i < MAX_NR_ZONES; i++)
				sb_printf(sb, " %ld", z->lowmem_reserve[i]);
			sb_printf(sb, "\n");
		}
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = &m->nodes[n].node_zones[t];
			unsigned long total = 0;
			if (!z->present_pages)
				continue;
			sb_printf(sb, "Node %d %s: ", n, z->name);
			for (int o = 0; o < MAX_ORDER; o++) {
				sb_printf(sb, "%lu*%lukB ", z->free_area[o].nr_free, K(1UL << o));
				total += z->free_area[o].nr_free << o;
			}
			sb_printf(sb, "= %lukB\n", K(total));
		}
	}
	sb_printf(sb, "%ld total pagecache pages\n", global_node_page_state(m, NR_FILE_PAGES));
	sb_printf(sb, "%lu pages in swap cache\n", gn(m, NR_SWAPCACHE));
	sb_printf(sb, "Free swap  = %lukB\n", K((unsigned long)nr_swap_pages(m)));
	sb_printf(sb, "Total swap = %lukB\n", K((unsigned long)total_swap_pages(m)));
	sb_printf(sb, "%lu pages RAM\n", m->max_pfn);
	sb_printf(sb, "0 pages HighMem/MovableOnly\n");
	sb_printf(sb, "%lu pages reserved\n", reserved);
}
