/* mm/vmstat.c - counter names as /proc/vmstat prints them (Linux 6.1
 * mm/vmstat.c vmstat_text), and global sums of zone and node counters. */
#include "mm/mmzone.h"

static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	[NR_FREE_PAGES] = "nr_free_pages",
	[NR_ZONE_INACTIVE_ANON] = "nr_zone_inactive_anon",
	[NR_ZONE_ACTIVE_ANON] = "nr_zone_active_anon",
	[NR_ZONE_INACTIVE_FILE] = "nr_zone_inactive_file",
	[NR_ZONE_ACTIVE_FILE] = "nr_zone_active_file",
	[NR_ZONE_UNEVICTABLE] = "nr_zone_unevictable",
	[NR_ZONE_WRITE_PENDING] = "nr_zone_write_pending",
	[NR_MLOCK] = "nr_mlock",
	[NR_BOUNCE] = "nr_bounce",
	[NR_FREE_CMA_PAGES] = "nr_free_cma",
};

static const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_INACTIVE_ANON] = "nr_inactive_anon",
	[NR_ACTIVE_ANON] = "nr_active_anon",
	[NR_INACTIVE_FILE] = "nr_inactive_file",
	[NR_ACTIVE_FILE] = "nr_active_file",
	[NR_UNEVICTABLE] = "nr_unevictable",
	[NR_SLAB_RECLAIMABLE_B] = "nr_slab_reclaimable",
	[NR_SLAB_UNRECLAIMABLE_B] = "nr_slab_unreclaimable",
	[NR_ISOLATED_ANON] = "nr_isolated_anon",
	[NR_ISOLATED_FILE] = "nr_isolated_file",
	[WORKINGSET_NODES] = "workingset_nodes",
	[WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[WORKINGSET_RESTORE_ANON] = "workingset_restore_anon",
	[WORKINGSET_RESTORE_FILE] = "workingset_restore_file",
	[WORKINGSET_NODERECLAIM] = "workingset_nodereclaim",
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_FILE_MAPPED] = "nr_mapped",
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_SHMEM] = "nr_shmem",
	[NR_ANON_THPS] = "nr_anon_transparent_hugepages",
	[NR_KERNEL_STACK_KB] = "nr_kernel_stack",
	[NR_PAGETABLE] = "nr_page_table_pages",
	[NR_SWAPCACHE] = "nr_swapcached",
	[NR_VMALLOC] = "nr_vmalloc",
	[NR_KERNEL_MISC_RECLAIMABLE] = "nr_kernel_misc_reclaimable",
};

static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGPGIN] = "pgpgin", [PGPGOUT] = "pgpgout", [PSWPIN] = "pswpin", [PSWPOUT] = "pswpout",
	[PGALLOC_DMA] = "pgalloc_dma", [PGALLOC_DMA32] = "pgalloc_dma32",
	[PGALLOC_NORMAL] = "pgalloc_normal", [PGALLOC_MOVABLE] = "pgalloc_movable",
	[ALLOCSTALL_DMA] = "allocstall_dma", [ALLOCSTALL_DMA32] = "allocstall_dma32",
	[ALLOCSTALL_NORMAL] = "allocstall_normal", [ALLOCSTALL_MOVABLE] = "allocstall_movable",
	[PGSKIP_DMA] = "pgskip_dma", [PGSKIP_DMA32] = "pgskip_dma32",
	[PGSKIP_NORMAL] = "pgskip_normal", [PGSKIP_MOVABLE] = "pgskip_movable",
	[PGFREE] = "pgfree", [PGACTIVATE] = "pgactivate", [PGDEACTIVATE] = "pgdeactivate",
	[PGLAZYFREE] = "pglazyfree",
	[PGFAULT] = "pgfault", [PGMAJFAULT] = "pgmajfault", [PGLAZYFREED] = "pglazyfreed",
	[PGREFILL] = "pgrefill",
	[PGREUSE] = "pgreuse",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd", [PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSCAN_KSWAPD] = "pgscan_kswapd", [PGSCAN_DIRECT] = "pgscan_direct",
	[PGSCAN_DIRECT_THROTTLE] = "pgscan_direct_throttle",
	[PGSCAN_ANON] = "pgscan_anon", [PGSCAN_FILE] = "pgscan_file",
	[PGSTEAL_ANON] = "pgsteal_anon", [PGSTEAL_FILE] = "pgsteal_file",
	[PGINODESTEAL] = "pginodesteal", [SLABS_SCANNED] = "slabs_scanned",
	[KSWAPD_INODESTEAL] = "kswapd_inodesteal",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[PAGEOUTRUN] = "pageoutrun",
	[PGROTATED] = "pgrotated",
	[DROP_PAGECACHE] = "drop_pagecache", [DROP_SLAB] = "drop_slab",
	[OOM_KILL] = "oom_kill",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success", [PGMIGRATE_FAIL] = "pgmigrate_fail",
	[COMPACT_STALL] = "compact_stall", [COMPACT_FAIL] = "compact_fail",
	[COMPACT_SUCCESS] = "compact_success",
	[UNEVICTABLE_PGCULLED] = "unevictable_pgs_culled",
	[UNEVICTABLE_PGSCANNED] = "unevictable_pgs_scanned",
	[UNEVICTABLE_PGRESCUED] = "unevictable_pgs_rescued",
	[UNEVICTABLE_PGMLOCKED] = "unevictable_pgs_mlocked",
	[UNEVICTABLE_PGMUNLOCKED] = "unevictable_pgs_munlocked",
	[UNEVICTABLE_PGCLEARED] = "unevictable_pgs_cleared",
	[UNEVICTABLE_PGSTRANDED] = "unevictable_pgs_stranded",
	[THP_FAULT_ALLOC] = "thp_fault_alloc", [THP_FAULT_FALLBACK] = "thp_fault_fallback",
	[NR_TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[NR_TLB_REMOTE_FLUSH_RECEIVED] = "nr_tlb_remote_flush_received",
	[NR_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
	[NR_TLB_LOCAL_FLUSH_ONE] = "nr_tlb_local_flush_one",
	[SWAP_RA] = "swap_ra", [SWAP_RA_HIT] = "swap_ra_hit",
	[KSWAPD_WAKEUP] = "kswapd_wakeup",
	[PGALLOC_FAIL] = "pgalloc_fail",
};

const char *zone_stat_name(enum zone_stat_item i)
{
	return (unsigned)i < NR_VM_ZONE_STAT_ITEMS ? zone_stat_names[i] : "unknown";
}

const char *node_stat_name(enum node_stat_item i)
{
	return (unsigned)i < NR_VM_NODE_STAT_ITEMS ? node_stat_names[i] : "unknown";
}

const char *vm_event_name(enum vm_event_item i)
{
	return (unsigned)i < NR_VM_EVENT_ITEMS ? vm_event_names[i] : "unknown";
}

/* Sum of zone counter I over every zone of every node. */
long global_zone_page_state(const struct memsys *m, enum zone_stat_item i)
{
	long sum = 0;
	for (int n = 0; n < m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			sum += m->nodes[n].node_zones[t].vm_stat[i];
	return sum;
}

/* Sum of node counter I over the nodes. */
long global_node_page_state(const struct memsys *m, enum node_stat_item i)
{
	long sum = 0;
	for (int n = 0; n < m->nr_nodes; n++)
		sum += m->nodes[n].vm_stat[i];
	return sum;
}
