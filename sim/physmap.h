/* sim/physmap.h - realising the modelled MMU's decisions on the host.
 *
 * Guest user space is covered by "slots": 1 GiB-aligned Unicorn regions
 * (uc_mem_map_ptr), each backed by a host reservation of private anonymous
 * scratch memory (MAP_NORESERVE).  A guest page the model maps to frame PFN
 * is realised by mmap(MAP_FIXED|MAP_SHARED, phys_fd, PFN << 12) over the
 * page's host address; a page the model does not map is scratch.  The host
 * address of a guest page never changes, so Unicorn's internal TLB stays
 * valid; only the frame under it changes.
 *
 * pfn[] per slot remembers which frame each page shows (0 = scratch,
 * else pfn + 1), so a translation that returns the frame already shown
 * costs one array read.
 *
 * Host VMAs (vm.max_map_count): Linux merges neighbouring scratch pages
 * into one private anonymous VMA and neighbouring frames whose memfd
 * offsets are adjacent into one shared VMA; every other boundary between
 * two pages is a VMA boundary.  So a slot occupies exactly 1 + (number of
 * such breaks) host VMAs inside its range, plus one for its pfn[] array.
 * host_maps keeps that count (exact; merging with whatever lies next to a
 * slot on the host can only make the real count smaller), plus
 * PHYSMAP_ENGINE_MAPS for the engine's own Unicorn mappings.  All engines
 * of a sim add into one shared total, checked *before* each remap against
 * a limit: host_map_limit=N, or vm.max_map_count minus PHYSMAP_HOST_RESERVE.
 */
#ifndef MMSIM_SIM_PHYSMAP_H
#define MMSIM_SIM_PHYSMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

#define PHYSMAP_SLOT_SHIFT 30
#define PHYSMAP_SLOT_SIZE (1ULL << PHYSMAP_SLOT_SHIFT)
#define PHYSMAP_SLOT_PAGES (PHYSMAP_SLOT_SIZE >> 12)
#define PHYSMAP_MAX_SLOTS 512
/* Host VMAs left to the libraries, heap, SQLite, memfd and stacks of the
 * mmsim process when the limit comes from vm.max_map_count. */
#define PHYSMAP_HOST_RESERVE 4096
/* Host VMAs one Unicorn 2.0.1 engine uses besides its slots (measured: 4-5). */
#define PHYSMAP_ENGINE_MAPS 8

struct physmap_slot {
	uint64_t gva;          /* guest base (slot aligned) */
	uint8_t *host;         /* host base */
	uint32_t *pfn;         /* PHYSMAP_SLOT_PAGES entries: 0 scratch, else pfn+1 */
	uint64_t *code;        /* PHYSMAP_SLOT_PAGES bits: Unicorn may hold
	                        * translated code for the page (set before the
	                        * block hook checks a fetch; never cleared) */
};

struct physmap {
	uc_engine *uc;
	int phys_fd;
	uint64_t max_pfn;
	struct physmap_slot slot[PHYSMAP_MAX_SLOTS];
	int nr_slots;
	int last;               /* index of the last slot found */
	uint64_t cache_gva;     /* slot[last].gva, or UINT64_MAX (no slot yet) */
	uint32_t *cache_pfn;    /* slot[last].pfn */
	long host_maps;         /* host VMAs this engine uses (see above) */
	long *total;            /* all engines' host VMAs (shared), or &own_total */
	long own_total;
	long limit;             /* *total may not exceed it; LONG_MAX = no check */
	long max_map_count;     /* host's vm.max_map_count (for the message) */
	bool limit_from_config; /* limit is host_map_limit=N */
	unsigned long remaps;   /* frame changes realised */
	uint64_t gen;           /* bumped whenever any page changes what it shows */
	char err[256];
};

/* Set up PM for UC over PHYS_FD (frames 0..MAX_PFN-1). */
void physmap_init(struct physmap *pm, uc_engine *uc, int phys_fd, uint64_t max_pfn);
/* Count PM's host VMAs into the shared TOTAL (e.g. &sim->host_maps) with
 * PHYSMAP_ENGINE_MAPS for the engine, and check every later remap against
 * LIMIT host VMAs in all (0: the host's vm.max_map_count minus
 * PHYSMAP_HOST_RESERVE).  Call once, before any slot exists. */
void physmap_set_budget(struct physmap *pm, long *total, long limit);
/* Unmap every slot from UC and the host; take PM's VMAs off the total. */
void physmap_destroy(struct physmap *pm);

/* The slot holding VA, or NULL. */
static inline struct physmap_slot *physmap_find(struct physmap *pm, uint64_t va)
{
	uint64_t base = va & ~(PHYSMAP_SLOT_SIZE - 1);
	if (pm->cache_gva == base)
		return &pm->slot[pm->last];
	for (int i = 0; i < pm->nr_slots; i++)
		if (pm->slot[i].gva == base) {
			pm->last = i;
			pm->cache_gva = base;
			pm->cache_pfn = pm->slot[i].pfn;
			return &pm->slot[i];
		}
	return NULL;
}

/* The pfn[] entry of guest page VA (what it shows), or NULL without a
 * slot.  VA must be a user address (below 2^47: the UINT64_MAX "no slot"
 * marker is in a GiB no user address shares). */
static inline const uint32_t *physmap_shown(struct physmap *pm, uint64_t va)
{
	if (__builtin_expect(((va ^ pm->cache_gva) >> PHYSMAP_SLOT_SHIFT) == 0, 1))
		return pm->cache_pfn + ((va >> 12) & (PHYSMAP_SLOT_PAGES - 1));
	struct physmap_slot *s = physmap_find(pm, va);
	return s ? s->pfn + ((va - s->gva) >> 12) : NULL;
}

/* Make sure a slot covers VA (adds a Unicorn region).  Returns 0, or -1 with
 * pm->err (too many slots, host VMA limit, host out of address space,
 * Unicorn refused). */
int physmap_ensure(struct physmap *pm, uint64_t va);

/* Show frame PFN at guest page VA (slot must exist).  Returns 1 if the page
 * changed, 0 if it already showed PFN, -1 with pm->err on host failure or
 * when the remap would take the host VMAs over the limit (nothing changed;
 * the one-line message gives the numbers and what to do). */
int physmap_set(struct physmap *pm, struct physmap_slot *s, uint64_t va, uint64_t pfn);
static inline int physmap_show(struct physmap *pm, uint64_t va, uint64_t pfn)
{
	struct physmap_slot *s = physmap_find(pm, va);
	if (!s)
		return -1;
	if (s->pfn[(va - s->gva) >> 12] == pfn + 1)
		return 0;
	return physmap_set(pm, s, va, pfn);
}
/* Put scratch memory back under page VA (no frame visible).  Returns 0 or -1.
 * Not held to the limit (it guards against stray stores; the reserve
 * absorbs the at most few VMAs it can add before the slice stops). */
int physmap_scratch(struct physmap *pm, uint64_t va);
/* Note that Unicorn may translate code from the page of VA (no-op without
 * a slot). */
static inline void physmap_mark_code(struct physmap *pm, uint64_t va)
{
	struct physmap_slot *s = physmap_find(pm, va);
	if (s) {
		uint64_t i = (va - s->gva) >> 12;
		s->code[i >> 6] |= 1ULL << (i & 63);
	}
}

/* Whether Unicorn may hold translated code for the page of VA: only then
 * must a frame change under it drop translations (uc_ctl_remove_cache). */
static inline bool physmap_code_seen(struct physmap *pm, uint64_t va)
{
	struct physmap_slot *s = physmap_find(pm, va);
	if (!s)
		return true;
	uint64_t i = (va - s->gva) >> 12;
	return (s->code[i >> 6] >> (i & 63)) & 1;
}

/* Host pointer for guest VA (slot must exist), or NULL. */
static inline uint8_t *physmap_host(struct physmap *pm, uint64_t va)
{
	struct physmap_slot *s = physmap_find(pm, va);
	return s ? s->host + (va - s->gva) : NULL;
}

#endif
