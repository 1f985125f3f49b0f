/* mmu/psc.h - paging-structure caches (Intel SDM vol. 3, 4.10.3).
 *
 * Three caches of *non-leaf* paging-structure entries, tagged with PCID:
 *   PML4E cache  indexed by VA[47:39]  -> pfn of the PDPT   (walk resumes at level 3)
 *   PDPTE cache  indexed by VA[47:30]  -> pfn of the PD     (walk resumes at level 2)
 *   PDE   cache  indexed by VA[47:21]  -> pfn of the PT     (walk resumes at level 1)
 * Each entry also holds the rights accumulated down to it, as the SDM says:
 * R/W and U/S are the AND of the entries above and including it, XD the OR.
 * A walk that hits in the PDE cache reads only the PTE (1 memory reference),
 * a PDPTE hit reads PDE + PTE (2), a PML4E hit 3, a miss 4.
 *
 * Entries are created by the walker only for successful translations (so the
 * A bits of the cached entries are already set) and never for a huge-page
 * leaf.  Invalidation follows the SDM:
 *   - INVLPG / INVPCID type 0 invalidate *all* entries of the current PCID,
 *     whatever their address (SDM 4.10.4.1) - psc_invlpg();
 *   - a page fault invalidates the entries that would be used for the
 *     faulting address (psc_invalidate_va(), called by the walker);
 *   - MOV to CR3 without the no-flush bit / INVPCID type 1 flush one PCID
 *     (psc_flush_pcid()); INVPCID types 2/3 and CR4 changes flush all
 *     (psc_flush_all()).  Global pages are never in the PSCs.
 *
 * Organisation: each cache has `entries` entries in `ways`-way sets
 * (ways == entries or 0: fully associative), LRU replacement with a
 * deterministic use counter.  A cache with 0 entries is off.  The whole PSC
 * is off by default (struct walker's psc == NULL).
 */
#ifndef MMSIM_MMU_PSC_H
#define MMSIM_MMU_PSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum psc_kind { PSC_PML4E, PSC_PDPTE, PSC_PDE, PSC_NR_KINDS };

struct psc_cache_config {
	unsigned entries;   /* 0 = this cache is off */
	unsigned ways;      /* 0 or == entries: fully associative */
};

struct psc_config {
	struct psc_cache_config c[PSC_NR_KINDS];
};

/* What a lookup found: the walk resumes reading the table at TABLE_PFN, at
 * LEVEL (3 after a PML4E hit, 2 after PDPTE, 1 after PDE); RW/US are the AND
 * and NX the OR of the rights of the skipped levels.  LEVEL is 4 on a miss. */
struct psc_hit {
	int level;
	uint64_t table_pfn;
	bool rw, us, nx;
};

struct psc_stats {
	unsigned long lookups;
	unsigned long hits[PSC_NR_KINDS];
	unsigned long fills[PSC_NR_KINDS];
	unsigned long evictions[PSC_NR_KINDS];
	unsigned long invalidations;   /* entries dropped by invlpg/flush/fault */
};

struct psc;

/* Default config: PML4E 2 entries, PDPTE 4, PDE 32 (fully associative) -
 * small like real parts; used when "psc=on". */
void psc_config_default(struct psc_config *cfg);

/* Parse "off", "on" (defaults) or "pml4e=N[:W],pdpte=N[:W],pde=N[:W]"
 * (any subset; unnamed caches are off).  Returns 0 with *ENABLED telling if
 * any cache is on, or -1 with the bad item in ERR. */
int psc_config_parse(const char *s, struct psc_config *cfg, bool *enabled, char *err, size_t errlen);

/* Render CFG as psc_config_parse accepts it into BUF; returns BUF. */
char *psc_config_format(const struct psc_config *cfg, char *buf, size_t len);

/* Create the caches.  Returns NULL with a reason in ERR (ways not dividing
 * entries, more than 4096 entries, host out of memory). */
struct psc *psc_create(const struct psc_config *cfg, char *err, size_t errlen);
void psc_destroy(struct psc *p);

/* Longest-prefix lookup for (PCID, VA): PDE cache, then PDPTE, then PML4E.
 * Fills *HIT (level 4 on a miss) and returns true on a hit.  Updates LRU and
 * statistics. */
bool psc_lookup(struct psc *p, uint16_t pcid, uint64_t va, struct psc_hit *hit);

/* Record a non-leaf entry read at LEVEL (4 = PML4E, 3 = PDPTE, 2 = PDE) that
 * points to the table at NEXT_PFN, with the rights accumulated down to and
 * including it.  A no-op when that cache is off. */
void psc_fill(struct psc *p, uint16_t pcid, uint64_t va, int level, uint64_t next_pfn, bool rw, bool us,
	      bool nx);

/* INVLPG: drop every entry of PCID (SDM: regardless of address). */
void psc_invlpg(struct psc *p, uint16_t pcid, uint64_t va);
/* Drop the entries of PCID that translate VA (at every level). */
void psc_invalidate_va(struct psc *p, uint16_t pcid, uint64_t va);
/* Drop every entry of PCID / every entry. */
void psc_flush_pcid(struct psc *p, uint16_t pcid);
void psc_flush_all(struct psc *p);

const struct psc_stats *psc_stats(const struct psc *p);
const struct psc_config *psc_get_config(const struct psc *p);
/* Number of valid entries in cache KIND (tests, show). */
unsigned psc_occupancy(const struct psc *p, enum psc_kind kind);
/* "PML4E", "PDPTE", "PDE". */
const char *psc_kind_name(enum psc_kind kind);

#endif
