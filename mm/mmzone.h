/* mm/mmzone.h - nodes, zones, free areas, and struct memsys: the whole
 * simulated physical memory of one machine.
 *
 * Simulated RAM is one memfd (memsys->phys_fd), mapped once into the host at
 * memsys->phys_base, so frame PFN's bytes are at phys_base + (pfn << 12).
 * That host mapping is mmsim's realisation of the kernel direct map:
 * page_address() returns a host pointer into it, and kva_of() turns such a
 * pointer into the guest-kernel virtual address PAGE_OFFSET + phys.
 */
#ifndef MMSIM_MM_MMZONE_H
#define MMSIM_MM_MMZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/gfp.h"
#include "mm/list.h"
#include "mm/mm_types.h"
#include "mm/page.h"
#include "mm/vmstat.h"

struct trace;
struct view_log_ops;

enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, MAX_NR_ZONES };
/* "DMA", "DMA32", "Normal", "Movable" (mm/zone.c) */
extern const char *const zone_names[MAX_NR_ZONES];
#define MAX_NUMNODES 2

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;
};

/* CPUs a memsys can serve (the upper layer's --cpus limit is the same). */
#define MM_MAX_CPUS 64

/* One CPU's cache of free order-0 pages of one zone (Linux 6.1's struct
 * per_cpu_pages, mm/page_pcp.c).  Pages on LIST are free (refcount 0) but
 * not PG_buddy and not counted in NR_FREE_PAGES. */
struct per_cpu_pages {
	int count;                     /* pages on LIST */
	int high;                      /* free_pcppages_bulk when count >= high */
	int batch;                     /* pages moved to/from the buddy lists at once */
	short free_factor;             /* frees without allocation scale the drain */
	struct list_head list;         /* page->lru; head = hottest */
};

struct zone {
	/* Configured zones only; an empty zone has spanned_pages == 0. */
	const char *name;              /* "DMA", "DMA32", "Normal", "Movable" */
	int node;
	enum zone_type type;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;   /* end - start, holes included */
	unsigned long present_pages;   /* physical pages present */
	unsigned long managed_pages;   /* present less reserved: what buddy manages */
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	long lowmem_reserve[MAX_NR_ZONES];
	struct free_area free_area[MAX_ORDER];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	/* per-CPU page lists (mm/page_pcp.c); entries >= memsys->nr_cpus unused */
	int pageset_high, pageset_batch;
	int stat_threshold;            /* calculate_normal_threshold, for zoneinfo */
	struct per_cpu_pages per_cpu_pageset[MM_MAX_CPUS];
};

#define min_wmark_pages(z)  ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z)  ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)

/* The LRU lists of one node (Linux's struct lruvec; one per node here, one
 * per node and memory cgroup in Linux).  Reclaim only ever goes through a
 * lruvec, so per-cgroup LRUs can be added by giving each cgroup its own.
 * Order matters: inactive before active, anon before file (lru_list). */
enum lru_list {
	LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, LRU_UNEVICTABLE, NR_LRU_LISTS
};
#define LRU_ACTIVE 1
#define LRU_FILE 2
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];  /* page->lru; head = most recent */
	unsigned long anon_cost, file_cost;    /* lru_note_cost: I/O to refill each type */
	uint64_t nonresident_age;              /* workingset clock: evictions + activations */
	unsigned long refaults[2];             /* WORKINGSET_ACTIVATE_* at the last reclaim */
	int node;
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	long vm_stat[NR_VM_NODE_STAT_ITEMS];
	struct lruvec __lruvec;         /* mm/swap.c, mm/vmscan.c */
	/* kswapd (mm/vmscan.c): woken by wakeup_kswapd, run by the upper
	 * layer's scheduler through kswapd_run() */
	bool kswapd_woken;
	int kswapd_order;
	int kswapd_highest_zoneidx;
	int kswapd_failures;            /* balance runs that reclaimed nothing */
	uint64_t kswapd_nap_until;      /* napping after a run until this time (0: not) */
} pg_data_t;

/* Hooks the reclaim layer (a later issue) fills in.  Defaults free nothing. */
struct reclaim_ops {
	void *ctx;
	/* Try to free pages for an allocation of ORDER in ZONEIDX's zonelist;
	 * return pages reclaimed. */
	unsigned long (*try_to_free_pages)(void *ctx, struct memsys *m, gfp_t gfp, unsigned order);
	/* Wake kswapd for ZONE. */
	void (*wakeup_kswapd)(void *ctx, struct memsys *m, struct zone *zone, unsigned order);
	/* Linux's out_of_memory(): called by the allocator's slow path when
	 * reclaim made no progress.  Returns true if memory was freed (a victim
	 * was killed and reaped), so the allocation is retried; NULL or false:
	 * the allocation fails. */
	bool (*out_of_memory)(void *ctx, struct memsys *m, gfp_t gfp, unsigned order);
};

/* The vm.* sysctls (/proc/sys/vm, --sysctl vm.NAME=VALUE), Linux's defaults
 * set by memsys_create().  min_free_kbytes stays in struct memsys. */
struct vm_sysctl {
	int swappiness;                /* 0..200, 60 */
	int page_cluster;              /* swap readahead 2^N pages, 3 */
	int overcommit_memory;         /* 0 heuristic, 1 always, 2 never */
	int overcommit_ratio;          /* percent of RAM for mode 2, 50 */
	unsigned long overcommit_kbytes; /* overrides the ratio when non-zero */
	int watermark_scale_factor;    /* 1/10000 of a zone, 10 */
	int panic_on_oom;              /* 0, 1, 2 */
	int oom_kill_allocating_task;  /* 0 */
	int vfs_cache_pressure;        /* 100 */
	int drop_caches;               /* last value written */
	/* added with the OOM/overcommit work (mm/sysctl_vm.c, sim/oom_kill.c) */
	int oom_dump_tasks;            /* 1: the OOM report lists every task */
	unsigned long user_reserve_kbytes;  /* min(3% of free, 128M) at boot */
	unsigned long admin_reserve_kbytes; /* min(3% of free, 8M) at boot */
};

/* Configuration of the physical memory.  Filled by mem_config_default() and
 * mem_config_set() (keys "mem", "zones", "numa", "min_free_kbytes"). */
struct mem_config {
	uint64_t mem_bytes;            /* total RAM */
	int nr_nodes;                  /* 1 or 2 */
	int nr_zone_specs;             /* 0 = default x86-64 split */
	struct { enum zone_type type; uint64_t bytes; } zone_spec[MAX_NR_ZONES];
	long min_free_kbytes;          /* -1 = computed by Linux's rule */
	bool slab_debug;               /* slub_debug=PZ for every cache */
	bool mem_explicit;             /* mem= was given (else zones= sets it) */
	/* swap (mm/swapfile.c) */
	uint64_t swap_bytes;           /* swap=SIZE, 0 = none */
	uint64_t swap_latency_ns;      /* swap_latency=NS per page of I/O */
	char swap_dir[256];            /* swap_file=DIR: slots in a temp file there ("" = host memory) */
	bool pcp;                      /* pcp=on: per-CPU page lists (mmsim run's default) */
	bool cpu_slab;                 /* cpu_slab=on: SLUB's per-CPU slabs (mmsim run's default) */
};

struct kmem_cache;

struct memsys {
	struct mem_config cfg;
	pg_data_t nodes[MAX_NUMNODES];
	int nr_nodes;
	struct zone *zonelist[MAX_NUMNODES * MAX_NR_ZONES]; /* all populated zones, highest first */
	int nr_zonelist;
	unsigned long max_pfn;         /* pfns are 0 .. max_pfn-1 */
	struct page *mem_map;          /* max_pfn entries */
	int phys_fd;                   /* memfd backing simulated RAM */
	uint8_t *phys_base;            /* host mapping of all RAM */
	unsigned long totalram_pages;
	unsigned long totalreserve_pages;
	long min_free_kbytes;
	unsigned long vm_events[NR_VM_EVENT_ITEMS];
	unsigned long bad_pages;       /* BAD_PAGE reports */
	struct reclaim_ops reclaim;
	struct vm_sysctl sysctl;
	/* Committed_AS: pages of every VM_ACCOUNT VMA of every mm (mm/vma.c's
	 * vma_stat keeps it; __vm_enough_memory checks it, mm/util.c). */
	long vm_committed_as;
	struct trace *trace;           /* never NULL after memsys_create */
	/* The per-process views' change listener (mm/view_log.h), or NULL */
	const struct view_log_ops *vlog;
	void *vlog_ctx;
	uint32_t mm_serial_next;       /* the last mm_struct.serial given */
	/* The trace's counter array when its sink only counts, else NULL;
	 * valid once trace_counts_cached (mm_trace_count_only, mm/internal.h). */
	uint64_t *trace_counts;
	bool trace_counts_cached;
	/* slab state (mm/slab.c) */
	struct list_head slab_caches;  /* all kmem_caches, creation order */
	unsigned long slab_caches_gen; /* bumped at every create and destroy (mm/proc_state.c) */
	struct kmem_cache *kmalloc_caches[16]; /* see mm/slab.h */
	struct kmem_cache *kmem_cache_cache;   /* the "kmem_cache" cache */
	unsigned long slab_errors;     /* SLAB_ERROR reports */
	/* vmalloc bookkeeping is in mmu/vmalloc.c; it only updates NR_VMALLOC */
	uint64_t vmalloc_total_bytes;
	/* Direct-map leaves by size (4K, 2M, 1G), set by mmu/kernel_pgtables.c,
	 * for meminfo DirectMap4k/2M/1G (kB = count * 4 / 2048 / 1048576). */
	unsigned long direct_map_leaves[3];
	/* Address spaces (helper "vm": mm/mmap.c, mmu/memory.c): the shared
	 * zero page (PG_zero|PG_reserved, allocated at first use, never freed
	 * before memsys_destroy) and the machine-wide fault split. */
	struct page *zero_page;
	struct fault_stats faults;
	/* Slab caches of the address-space objects, Linux's names (created at
	 * the first mm_alloc by proc_caches_init, mm/vma.c; NULL before). */
	struct kmem_cache *mm_cachep;        /* "mm_struct" */
	struct kmem_cache *vm_area_cachep;   /* "vm_area_struct" */
	struct kmem_cache *anon_vma_cachep;  /* "anon_vma" (mm/rmap.c) */
	void *owner;                   /* the upper layer's context, for hooks */
	/* Reclaim and swap (mm/vmscan.c, mm/swapfile.c) */
	struct swap_info_struct *swap; /* the one swap area, NULL without --swap */
	/* shmem backings holding swap entries (mm/shmem.c: Linux's
	 * shmem_swaplist), for swap_check_refs. */
	struct list_head shmem_swaplist;
	/* Simulated time of kernel work (ns), for the upper layer's clock:
	 * kswapd_ns accrues while kswapd runs (charged to the machine);
	 * stall_ns accrues in direct reclaim and swap I/O waits of the
	 * current task (the upper layer takes it and charges that task). */
	uint64_t kswapd_ns;
	uint64_t stall_ns;
	bool in_kswapd;                /* current_is_kswapd() */
	/* CPUs (mm/page_pcp.c): the upper layer sets nr_cpus once with
	 * memsys_set_nr_cpus() and this_cpu (smp_processor_id) whenever its
	 * scheduler moves to another CPU; page lists are per this_cpu. */
	int nr_cpus;
	int this_cpu;
	bool pcp_enabled;              /* cfg.pcp */
	bool cpu_slab_enabled;         /* cfg.cpu_slab: caches get per-CPU slabs (mm/slub_cpu.c) */
};

/* Set CFG to the defaults: 256 MiB, one node, default zone split, no
 * per-CPU page lists (pcp=off) and no per-CPU slabs (cpu_slab=off); the
 * simulator turns both on. */
void mem_config_default(struct mem_config *cfg);

/* Apply one KEY=VALUE setting ("mem=1G", "zones=DMA:1M,Normal:15M",
 * "numa=2", "min_free_kbytes=128", "slub_debug=1").  Returns 0, 1 if KEY is
 * not a memory key (caller tries others), or -1 with a message in ERR. */
int mem_config_set(struct mem_config *cfg, const char *key, const char *value, char *err, size_t errlen);

/* Check that CFG's settings fit together (mem range, zone sizes sum to mem,
 * 1 or 2 nodes).  Returns 0, or -1 with a one-line message in ERR. */
int mem_config_validate(const struct mem_config *cfg, char *err, size_t errlen);

/* Parse a size with an optional K/M/G/T suffix (powers of 1024), like
 * Linux's memparse().  Returns 0, or -1 if S is not a size. */
int memparse(const char *s, uint64_t *out);
/* The 1-based position of the first empty item of the comma-separated
 * LIST ("a,,b" -> 2, ",a" -> 1, "a," -> 2), or 0 when there is none (an
 * empty LIST is the caller's concern). */
int list_empty_item(const char *list);
/* Parse VALUE of KEY as on/1 or off/0 (any case) into *OUT.  Returns 0, or
 * -1 with "KEY: 'VALUE' is not on or off" in ERR (mm/config.c). */
int parse_on_off(const char *key, const char *value, bool *out, char *err, size_t errlen);
/* The shift of size suffix C (K 10, M 20, G 30, T 40, either case), or 0. */
unsigned memparse_shift(char c);
/* BYTES in the largest exact unit ("16M", "1G", "4095") into BUF; BUF. */
const char *memformat(uint64_t bytes, char *buf, size_t len);

/* Build the memory: mem_map, zones, watermarks, free lists, kmalloc caches.
 * TRACE must outlive the memsys.  Returns NULL with a message in ERR when
 * the configuration is impossible or the host refuses memory. */
struct memsys *memsys_create(const struct mem_config *cfg, struct trace *trace, char *err, size_t errlen);
void memsys_destroy(struct memsys *m);

static inline struct page *pfn_to_page(struct memsys *m, unsigned long pfn) { return &m->mem_map[pfn]; }
static inline unsigned long page_to_pfn(struct memsys *m, const struct page *p) { return (unsigned long)(p - m->mem_map); }
static inline struct zone *page_zone(struct memsys *m, const struct page *p)
{
	return &m->nodes[p->node].node_zones[p->zone];
}

#define PAGE_OFFSET 0xffff888000000000ULL  /* direct map base */
/* Host pointer to the bytes of PAGE (our direct map). */
static inline void *page_address(struct memsys *m, const struct page *p)
{
	return m->phys_base + (page_to_pfn(m, p) << PAGE_SHIFT);
}
/* The page containing host pointer ADDR, which must lie inside simulated RAM. */
static inline struct page *virt_to_page(struct memsys *m, const void *addr)
{
	return &m->mem_map[(size_t)((const uint8_t *)addr - m->phys_base) >> PAGE_SHIFT];
}
static inline bool addr_in_ram(const struct memsys *m, const void *addr)
{
	const uint8_t *a = addr;
	return a >= m->phys_base && a < m->phys_base + (m->max_pfn << PAGE_SHIFT);
}
/* Guest-kernel direct-map virtual address of host pointer ADDR (__va form). */
static inline uint64_t kva_of(const struct memsys *m, const void *addr)
{
	return PAGE_OFFSET + (uint64_t)((const uint8_t *)addr - m->phys_base);
}
/* Host pointer for physical address PHYS (the __va() of the simulator). */
static inline void *phys_to_host(const struct memsys *m, uint64_t phys) { return m->phys_base + phys; }

static inline void __count_vm_event(struct memsys *m, enum vm_event_item i) { m->vm_events[i]++; }
static inline void __count_vm_events(struct memsys *m, enum vm_event_item i, long n) { m->vm_events[i] += (unsigned long)n; }
static inline void mod_zone_page_state(struct zone *z, enum zone_stat_item i, long d) { z->vm_stat[i] += d; }
static inline void mod_node_page_state(struct memsys *m, int node, enum node_stat_item i, long d) { m->nodes[node].vm_stat[i] += d; }
/* Sums over zones / nodes. */
long global_zone_page_state(const struct memsys *m, enum zone_stat_item i);
long global_node_page_state(const struct memsys *m, enum node_stat_item i);

#endif
