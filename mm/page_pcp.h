/* mm/page_pcp.h - per-CPU page lists (Linux 6.1's struct per_cpu_pages,
 * "pagesets" in /proc/zoneinfo).  See the design comment in page_pcp.c. */
#ifndef MMSIM_MM_PAGE_PCP_H
#define MMSIM_MM_PAGE_PCP_H

#include "mm/mmzone.h"

/* Give M NR CPUs (1..MM_MAX_CPUS; the upper layer calls this once, right
 * after memsys_create, before any task runs) and recompute every zone's
 * high, batch and vm stats threshold for that many.  Returns 0, or -1 if
 * NR is out of range. */
int memsys_set_nr_cpus(struct memsys *m, int nr);

/* The CPU whose code runs now (smp_processor_id): allocations and frees of
 * order-0 pages use its lists.  CPU must be below m->nr_cpus. */
static inline void memsys_set_this_cpu(struct memsys *m, int cpu) { m->this_cpu = cpu; }

/* Recompute ZONE's pcp high and batch (zone_pcp_update) and its stat
 * threshold from its managed pages, low watermark and m->nr_cpus. */
void zone_pcp_update(struct memsys *m, struct zone *zone);

/* Return every page on CPU's lists of ZONE to the buddy allocator
 * (drain_pages_zone). */
void drain_pages_zone(struct memsys *m, int cpu, struct zone *zone);
/* Drain every CPU's lists of ZONE, or of all zones when ZONE is NULL
 * (drain_all_pages).  Returns the pages moved. */
unsigned long drain_all_pages(struct memsys *m, struct zone *zone);

/* Free pages on the per-CPU lists of ZONE, all CPUs (free_pcp in
 * show_mem), and of every zone. */
unsigned long zone_pcp_count(const struct memsys *m, const struct zone *zone);
unsigned long nr_free_pcp_pages(const struct memsys *m);

/* Move up to COUNT of PCP's coldest pages to ZONE's buddy lists. */
void free_pcppages_bulk(struct memsys *m, struct zone *zone, int count, struct per_cpu_pages *pcp);

/* mm_check's part: every CPU's lists of ZONE hold free, non-buddy pages of
 * ZONE that no free block covers (marked in FREEMAP here), their length
 * is pcp->count, and CPUs >= nr_cpus have none.  Returns 0 or -1 + ERR. */
int pcp_check(struct memsys *m, struct zone *zone, uint8_t *freemap, char *err, size_t errlen);

#endif
