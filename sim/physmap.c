/* sim/physmap.c - slots of guest address space realised on the host.
 * See sim/physmap.h for the design. */
#include "sim/physmap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* The host's vm.max_map_count (65530 if unreadable). */
static long read_max_map_count(void)
{
	long v = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
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
	pm->max_map_count = read_max_map_count();
}

void physmap_destroy(struct physmap *pm)
{
	for (int i = 0; i < pm->nr_slots; i++) {
		struct physmap_slot *s = &pm->slot[i];
		if (pm->uc)
			uc_mem_unmap(pm->uc, s->gva, PHYSMAP_SLOT_SIZE);
		munmap(s->host, PHYSMAP_SLOT_SIZE);
		munmap(s->pfn, PHYSMAP_SLOT_PAGES * sizeof(uint32_t));
	}
	pm->nr_slots = 0;
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
	uc_err ue = uc_mem_map_ptr(pm->uc, s->gva, PHYSMAP_SLOT_SIZE, UC_PROT_ALL, s->host);
	if (ue != UC_ERR_OK) {
		munmap(s->host, PHYSMAP_SLOT_SIZE);
		munmap(s->pfn, PHYSMAP_SLOT_PAGES * sizeof(uint32_t));
		snprintf(pm->err, sizeof pm->err, "Unicorn refused a region at 0x%llx: %s", (unsigned long long)s->gva,
			 uc_strerror(ue));
		return -1;
	}
	pm->last = pm->nr_slots++;
	return 0;
}

/* Does page I of S show a frame adjacent (in the memfd) to PFN on side DIR? */
static bool adjacent(const struct physmap_slot *s, uint64_t i, int dir, uint64_t pfn)
{
	if ((dir < 0 && i == 0) || (dir > 0 && i + 1 == PHYSMAP_SLOT_PAGES))
		return false;
	uint32_t v = s->pfn[i + (uint64_t)(int64_t)dir];
	return v && (uint64_t)v - 1 == pfn + (uint64_t)(int64_t)dir;
}

/* Change in frame runs if page I of S goes from showing OLD to NEW (pfn+1, 0 = none). */
static long runs_delta(const struct physmap_slot *s, uint64_t i, uint32_t old, uint32_t new)
{
	long d = 0;
	if (old)
		d -= 1 - adjacent(s, i, -1, old - 1) - adjacent(s, i, 1, old - 1);
	if (new)
		d += 1 - adjacent(s, i, -1, new - 1) - adjacent(s, i, 1, new - 1);
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
	long d = runs_delta(s, i, s->pfn[i], (uint32_t)(pfn + 1));
	void *p = mmap(s->host + (i << 12), 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, pm->phys_fd,
		       (off_t)(pfn << 12));
	if (p == MAP_FAILED) {
		if (errno == ENOMEM)
			snprintf(pm->err, sizeof pm->err,
				 "host limit reached: %ld frame mappings exceed vm.max_map_count (%ld); raise it with "
				 "'sysctl -w vm.max_map_count=%ld' (as root) or use less memory",
				 pm->host_maps, pm->max_map_count, pm->max_map_count * 4);
		else
			snprintf(pm->err, sizeof pm->err, "host mmap of frame 0x%llx failed: %s",
				 (unsigned long long)pfn, strerror(errno));
		return -1;
	}
	s->pfn[i] = (uint32_t)(pfn + 1);
	pm->host_maps += d;
	pm->remaps++;
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
	long d = runs_delta(s, i, s->pfn[i], 0);
	void *p = mmap(s->host + (i << 12), 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(pm->err, sizeof pm->err, "host mmap of scratch memory failed: %s", strerror(errno));
		return -1;
	}
	s->pfn[i] = 0;
	pm->host_maps += d;
	return 0;
}
