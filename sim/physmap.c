/* sim/physmap.c - slots of guest address space realised on the host.
 * See sim/physmap.h for the design. */
#include "sim/physmap.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* The host's vm.max_map_count (65530 if unreadable). */
static long read_max_map_count(void)
{
	long v = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1 || v <= 0)
			v = 65530;
		fclose(f);
	}
	return v;
}

void physmap_init(struct physmap *pm, uc_engine *uc, int phys_fd, uint64_t max_pfn)
{
	memset(pm, 0, sizeof *pm);
	pm->uc = uc;
	pm->phys_fd = phys_fd;
	pm->max_pfn = max_pfn;
	pm->total = &pm->own_total;
	pm->cache_gva = UINT64_MAX;
	pm->limit = LONG_MAX;
	pm->max_map_count = read_max_map_count();
}

void physmap_set_budget(struct physmap *pm, long *total, long limit)
{
	*pm->total -= pm->host_maps;
	pm->total = total;
	pm->host_maps += PHYSMAP_ENGINE_MAPS;
	*pm->total += pm->host_maps;
	pm->limit_from_config = limit > 0;
	if (limit > 0)
		pm->limit = limit;
	else if (pm->max_map_count > 2 * PHYSMAP_HOST_RESERVE)
		pm->limit = pm->max_map_count - PHYSMAP_HOST_RESERVE;
	else
		pm->limit = pm->max_map_count / 2;
}

/* Add D host VMAs to this engine's and the shared count. */
static void count_maps(struct physmap *pm, long d)
{
	pm->host_maps += d;
	*pm->total += d;
}

/* Would D more host VMAs exceed the limit?  Then set pm->err: what
 * happened, the numbers, and how to fix it (one line). */
static bool over_limit(struct physmap *pm, long d)
{
	if (d <= 0 || *pm->total + d <= pm->limit)
		return false;
	long sug = 262144;
	while (sug < 4 * pm->max_map_count)
		sug *= 2;
	if (pm->limit_from_config)
		snprintf(pm->err, sizeof pm->err,
			 "host map limit reached: guest memory needs %ld host mappings, host_map_limit=%ld; raise "
			 "it, or touch fewer or more contiguous pages",
			 *pm->total + d, pm->limit);
	else
		snprintf(pm->err, sizeof pm->err,
			 "host map limit reached: guest memory needs %ld host mappings, limit %ld (vm.max_map_count "
			 "%ld minus %d reserved); fix: sysctl -w vm.max_map_count=%ld (as root), or touch fewer or "
			 "more contiguous pages",
			 *pm->total + d, pm->limit, pm->max_map_count, PHYSMAP_HOST_RESERVE, sug);
	return true;
}

void physmap_destroy(struct physmap *pm)
{
	for (int i = 0; i < pm->nr_slots; i++) {
		struct physmap_slot *s = &pm->slot[i];
		if (pm->uc)
			uc_mem_unmap(pm->uc, s->gva, PHYSMAP_SLOT_SIZE);
		munmap(s->host, PHYSMAP_SLOT_SIZE);
		munmap(s->pfn, PHYSMAP_SLOT_PAGES * sizeof(uint32_t));
		free(s->code);
	}
	pm->nr_slots = 0;
	pm->gen++;
	pm->cache_gva = UINT64_MAX;
	pm->cache_pfn = NULL;
	*pm->total -= pm->host_maps;
	pm->host_maps = 0;
}

int physmap_ensure(struct physmap *pm, uint64_t va)
{
	if (physmap_find(pm, va))
		return 0;
	if (pm->nr_slots == PHYSMAP_MAX_SLOTS) {
		snprintf(pm->err, sizeof pm->err, "guest address space too scattered: more than %d GiB regions in use",
			 PHYSMAP_MAX_SLOTS);
		return -1;
	}
	/* a fresh slot: one scratch VMA, one for its pfn[] */
	if (over_limit(pm, 2))
		return -1;
	struct physmap_slot *s = &pm->slot[pm->nr_slots];
	s->gva = va & ~(PHYSMAP_SLOT_SIZE - 1);
	s->host = mmap(NULL, PHYSMAP_SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (s->host == MAP_FAILED) {
		snprintf(pm->err, sizeof pm->err, "host refused to reserve 1 GiB of address space: %s", strerror(errno));
		return -1;
	}
	s->pfn = mmap(NULL, PHYSMAP_SLOT_PAGES * sizeof(uint32_t), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (s->pfn == MAP_FAILED) {
		munmap(s->host, PHYSMAP_SLOT_SIZE);
		snprintf(pm->err, sizeof pm->err, "host out of memory: %s", strerror(errno));
		return -1;
	}
	s->code = calloc(PHYSMAP_SLOT_PAGES / 64, sizeof(uint64_t));
	if (!s->code) {
		munmap(s->host, PHYSMAP_SLOT_SIZE);
		munmap(s->pfn, PHYSMAP_SLOT_PAGES * sizeof(uint32_t));
		snprintf(pm->err, sizeof pm->err, "host out of memory");
		return -1;
	}
	uc_err ue = uc_mem_map_ptr(pm->uc, s->gva, PHYSMAP_SLOT_SIZE, UC_PROT_ALL, s->host);
	if (ue != UC_ERR_OK) {
		munmap(s->host, PHYSMAP_SLOT_SIZE);
		munmap(s->pfn, PHYSMAP_SLOT_PAGES * sizeof(uint32_t));
		free(s->code);
		snprintf(pm->err, sizeof pm->err, "Unicorn refused a region at 0x%llx: %s", (unsigned long long)s->gva,
			 uc_strerror(ue));
		return -1;
	}
	pm->last = pm->nr_slots++;
	pm->cache_gva = s->gva;
	pm->cache_pfn = s->pfn;
	count_maps(pm, 2);
	return 0;
}

/* Is there a host VMA boundary between two neighbouring pages showing
 * A and B (pfn[] values)?  Scratch next to scratch merges (one private
 * anonymous VMA), as do frames at adjacent memfd offsets (one shared VMA). */
static inline long vma_break(uint32_t a, uint32_t b)
{
	return !((a == 0 && b == 0) || (a && b == a + 1));
}

/* Change in the host VMAs of slot S if page I goes from showing OLD to NEW
 * (pfn[] values).  The slot has 1 + (breaks between its pages) VMAs. */
static long vmas_delta(const struct physmap_slot *s, uint64_t i, uint32_t old, uint32_t new)
{
	long d = 0;
	if (i > 0)
		d += vma_break(s->pfn[i - 1], new) - vma_break(s->pfn[i - 1], old);
	if (i + 1 < PHYSMAP_SLOT_PAGES)
		d += vma_break(new, s->pfn[i + 1]) - vma_break(old, s->pfn[i + 1]);
	return d;
}

int physmap_set(struct physmap *pm, struct physmap_slot *s, uint64_t va, uint64_t pfn)
{
	uint64_t i = (va - s->gva) >> 12;
	if (s->pfn[i] == pfn + 1)
		return 0;
	if (pfn >= pm->max_pfn) {
		snprintf(pm->err, sizeof pm->err, "internal error: frame 0x%llx outside simulated RAM",
			 (unsigned long long)pfn);
		return -1;
	}
	long d = vmas_delta(s, i, s->pfn[i], (uint32_t)(pfn + 1));
	if (over_limit(pm, d))
		return -1;
	void *p = mmap(s->host + (i << 12), 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, pm->phys_fd,
		       (off_t)(pfn << 12));
	if (p == MAP_FAILED) {
		if (errno == ENOMEM)
			snprintf(pm->err, sizeof pm->err,
				 "host refused a mapping (%ld host mappings counted, vm.max_map_count %ld): raise it "
				 "with 'sysctl -w vm.max_map_count=%ld' (as root) or touch fewer pages",
				 *pm->total, pm->max_map_count, pm->max_map_count * 4);
		else
			snprintf(pm->err, sizeof pm->err, "host mmap of frame 0x%llx failed: %s",
				 (unsigned long long)pfn, strerror(errno));
		return -1;
	}
	s->pfn[i] = (uint32_t)(pfn + 1);
	count_maps(pm, d);
	pm->remaps++;
	pm->gen++;
	return 1;
}

int physmap_scratch(struct physmap *pm, uint64_t va)
{
	struct physmap_slot *s = physmap_find(pm, va);
	if (!s)
		return 0;
	uint64_t i = (va - s->gva) >> 12;
	if (!s->pfn[i])
		return 0;
	long d = vmas_delta(s, i, s->pfn[i], 0);
	void *p = mmap(s->host + (i << 12), 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(pm->err, sizeof pm->err, "host mmap of scratch memory failed: %s", strerror(errno));
		return -1;
	}
	s->pfn[i] = 0;
	count_maps(pm, d);
	pm->gen++;
	return 0;
}
