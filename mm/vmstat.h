/* mm/vmstat.h - counters with Linux's /proc/vmstat names.
 *
 * Zone counters (per zone, summed for /proc/vmstat), node counters and event
 * counters.  Every counter is incremented in exactly one place; the name
 * tables in mm/vmstat.c give the text /proc/vmstat prints.
 */
#ifndef MMSIM_MM_VMSTAT_H
#define MMSIM_MM_VMSTAT_H

#include <stdint.h>

enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum node_stat_item {
	NR_INACTIVE_ANON,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B, /* in pages here; /proc/vmstat prints nr_slab_reclaimable */
	NR_SLAB_UNRECLAIMABLE_B,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	NR_ANON_MAPPED,
	NR_FILE_MAPPED,
	NR_FILE_PAGES,
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_SHMEM,
	NR_ANON_THPS,
	NR_KERNEL_STACK_KB,
	NR_PAGETABLE,
	NR_SWAPCACHE,
	NR_VMALLOC,          /* pages backing vmalloc areas (meminfo VmallocUsed) */
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_VM_NODE_STAT_ITEMS
};

enum vm_event_item {
	PGPGIN, PGPGOUT, PSWPIN, PSWPOUT,
	PGALLOC_DMA, PGALLOC_DMA32, PGALLOC_NORMAL, PGALLOC_MOVABLE,
	ALLOCSTALL_DMA, ALLOCSTALL_DMA32, ALLOCSTALL_NORMAL, ALLOCSTALL_MOVABLE,
	PGSKIP_DMA, PGSKIP_DMA32, PGSKIP_NORMAL, PGSKIP_MOVABLE,
	PGFREE, PGACTIVATE, PGDEACTIVATE, PGLAZYFREE,
	PGFAULT, PGMAJFAULT, PGLAZYFREED,
	PGREFILL,
	PGREUSE,
	PGSTEAL_KSWAPD, PGSTEAL_DIRECT,
	PGSCAN_KSWAPD, PGSCAN_DIRECT,
	PGSCAN_DIRECT_THROTTLE,
	PGINODESTEAL, SLABS_SCANNED, KSWAPD_INODESTEAL,
	KSWAPD_LOW_WMARK_HIT_QUICKLY, KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	PAGEOUTRUN,
	PGROTATED,
	DROP_PAGECACHE, DROP_SLAB,
	OOM_KILL,
	PGMIGRATE_SUCCESS, PGMIGRATE_FAIL,
	COMPACT_STALL, COMPACT_FAIL, COMPACT_SUCCESS,
	UNEVICTABLE_PGCULLED,
	THP_FAULT_ALLOC, THP_FAULT_FALLBACK,
	NR_TLB_REMOTE_FLUSH, NR_TLB_REMOTE_FLUSH_RECEIVED,
	NR_TLB_LOCAL_FLUSH_ALL, NR_TLB_LOCAL_FLUSH_ONE,
	SWAP_RA, SWAP_RA_HIT,
	/* mmsim's own: allocation failures and kswapd wakeups */
	KSWAPD_WAKEUP,          /* "kswapd_wakeup" (not in Linux's vmstat) */
	PGALLOC_FAIL,           /* "pgalloc_fail" (not in Linux's vmstat) */
	NR_VM_EVENT_ITEMS
};

/* Text names as /proc/vmstat prints them. */
const char *zone_stat_name(enum zone_stat_item i);
const char *node_stat_name(enum node_stat_item i);
const char *vm_event_name(enum vm_event_item i);

#endif
