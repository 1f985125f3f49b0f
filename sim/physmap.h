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
 * costs one array read.  Each non-adjacent frame run is one host VMA; the
 * count is kept against the host's vm.max_map_count.
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

struct physmap_slot {
	uint64_t gva;          /* guest base (slot aligned) */
	uint8_t *host;         /* host base */
	uint32_t *pfn;         /* PHYSMAP_SLOT_PAGES entries: 0 scratch, else pfn+1 */
};

struct physmap {
	uc_engine *uc;
	int phys_fd;
	uint64_t max_pfn;
	struct physmap_slot slot[PHYSMAP_MAX_SLOTS];
	int nr_slots;
	int last;               /* index of the last slot found */
	long host_maps;         /* frame runs mapped (each ~1-2 host VMAs) */
	long max_map_count;     /* host's vm.max_map_count */
	unsigned long remaps;   /* frame changes realised */
	char err[256];
};

/* Set up PM for UC over PHYS_FD (frames 0..MAX_PFN-1). */
void physmap_init(struct physmap *pm, uc_engine *uc, int phys_fd, uint64_t max_pfn);
/* Unmap every slot from UC and the host. */
void physmap_destroy(struct physmap *pm);

/* The slot holding VA, or NULL. */
static inline struct physmap_slot *physmap_find(struct physmap *pm, uint64_t va)
{
	uint64_t base = va & ~(PHYSMAP_SLOT_SIZE - 1);
	if (pm->nr_slots && pm->slot[pm->last].gva == base)
		return &pm->slot[pm->last];
	for (int i = 0; i < pm->nr_slots; i++)
		if (pm->slot[i].gva == base) {
			pm->last = i;
			return &pm->slot[i];
		}
	return NULL;
}

/* Make sure a slot covers VA (adds a Unicorn region).  Returns 0, or -1 with
 * pm->err (too many slots, host out of address space, Unicorn refused). */
int physmap_ensure(struct physmap *pm, uint64_t va);

/* Show frame PFN at guest page VA (slot must exist).  Returns 1 if the page
 * changed, 0 if it already showed PFN, -1 with pm->err on host failure
 * (vm.max_map_count reached: the message says what to do). */
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
/* Put scratch memory back under page VA (no frame visible).  Returns 0 or -1. */
int physmap_scratch(struct physmap *pm, uint64_t va);
/* Host pointer for guest VA (slot must exist), or NULL. */
static inline uint8_t *physmap_host(struct physmap *pm, uint64_t va)
{
	struct physmap_slot *s = physmap_find(pm, va);
	return s ? s->host + (va - s->gva) : NULL;
}

#endif
