/* tests/sim/test_physmap.c - physmap's host VMA count against the host's
 * own /proc/self/maps, and the host map limit (refused before the remap,
 * one-line message, nothing changed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/physmap.h"

#define NR_FRAMES 2048
#define SLOT_VA 0x40000000ULL

struct fixture {
	int fd;
	uc_engine *uc;
	struct physmap *pm;
	long total; /* the shared count (struct sim's host_maps) */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->fd = memfd_create("test_physmap", 0);
	assert_true(f->fd >= 0);
	assert_int_equal(ftruncate(f->fd, NR_FRAMES * 4096L), 0);
	assert_int_equal(uc_open(UC_ARCH_X86, UC_MODE_64, &f->uc), UC_ERR_OK);
	f->pm = malloc(sizeof *f->pm);
	assert_non_null(f->pm);
	physmap_init(f->pm, f->uc, f->fd, NR_FRAMES);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	physmap_destroy(f->pm);
	uc_close(f->uc);
	close(f->fd);
	free(f->pm);
	free(f);
	return 0;
}

/* Host VMAs intersecting [LO, HI) according to /proc/self/maps. */
static long host_vmas(uintptr_t lo, uintptr_t hi)
{
	FILE *m = fopen("/proc/self/maps", "r");
	char line[512];
	long n = 0;
	assert_non_null(m);
	while (fgets(line, sizeof line, m)) {
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a < hi && b > lo)
			n++;
	}
	fclose(m);
	return n;
}

/* The count physmap keeps for one slot (without engine overhead) equals
 * the host's: VMAs in the slot's range, plus one for its pfn[]. */
static void check_count(struct physmap *pm)
{
	struct physmap_slot *s = &pm->slot[0];
	uintptr_t lo = (uintptr_t)s->host;
	assert_int_equal(pm->host_maps, host_vmas(lo, lo + PHYSMAP_SLOT_SIZE) + 1);
	assert_int_equal(*pm->total, pm->host_maps);
}

static uint64_t rng(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Sequential ascending frames are one host VMA; random remaps, scratch and
 * pages at the slot's edges keep the count exact. */
static void test_count_matches_host(void **state)
{
	struct fixture *f = *state;
	struct physmap *pm = f->pm;
	assert_int_equal(physmap_ensure(pm, SLOT_VA), 0);
	check_count(pm);
	assert_int_equal(pm->host_maps, 2);
	for (uint64_t i = 0; i < 100; i++)
		assert_int_equal(physmap_show(pm, SLOT_VA + i * 4096, 500 + i), 1);
	assert_int_equal(physmap_show(pm, SLOT_VA + 5 * 4096, 505), 0);
	check_count(pm);
	assert_int_equal(pm->host_maps, 3); /* frames 500-599, scratch, pfn[] */
	uint64_t x = 88172645463325252ULL;
	uint64_t last = PHYSMAP_SLOT_PAGES - 1;
	for (int op = 0; op < 1500; op++) {
		uint64_t r = rng(&x);
		uint64_t page = r % 3 == 0 ? last - (r >> 8) % 40 : (r >> 8) % 120;
		uint64_t va = SLOT_VA + page * 4096;
		switch ((r >> 20) % 4) {
		case 0: /* the "natural" frame: adjacent to its neighbours' */
			assert_true(physmap_show(pm, va, page % NR_FRAMES) >= 0);
			break;
		case 1:
			assert_true(physmap_show(pm, va, (r >> 32) % NR_FRAMES) >= 0);
			break;
		case 2:
			assert_int_equal(physmap_scratch(pm, va), 0);
			break;
		default: /* next to the left neighbour's frame */
			if (page && pm->slot[0].pfn[page - 1])
				assert_true(physmap_show(pm, va, pm->slot[0].pfn[page - 1] % NR_FRAMES) >= 0);
			break;
		}
		check_count(pm);
	}
}

/* A remap that would exceed the limit is refused before it happens. */
static void test_limit(void **state)
{
	struct fixture *f = *state;
	struct physmap *pm = f->pm;
	long *total = &f->total;
	physmap_set_budget(pm, total, 40);
	assert_int_equal(*total, PHYSMAP_ENGINE_MAPS);
	assert_int_equal(physmap_ensure(pm, SLOT_VA), 0);
	assert_int_equal(*total, PHYSMAP_ENGINE_MAPS + 2);
	int refused = -1;
	for (int i = 0; i < 40; i++) {
		/* every other page, non-adjacent frames: 2 more VMAs each */
		int rc = physmap_show(pm, SLOT_VA + 8192ULL * (uint64_t)i + 4096, (uint64_t)(7 * i + 3));
		assert_true(*total <= 40);
		if (rc < 0) {
			refused = i;
			break;
		}
		assert_int_equal(rc, 1);
	}
	/* 8 + 2 + 2 per page: the 16th page would make 42 */
	assert_int_equal(refused, 15);
	assert_int_equal(*total, 40);
	assert_int_equal(pm->slot[0].pfn[2 * 15 + 1], 0);
	assert_non_null(strstr(pm->err, "host map limit reached: guest memory needs 42 host mappings"));
	assert_non_null(strstr(pm->err, "host_map_limit=40"));
	assert_null(strchr(pm->err, '\n'));
	/* a remap that merges (no new VMA) is still allowed at the limit */
	assert_int_equal(physmap_show(pm, SLOT_VA + 2 * 4096, 4), 1);
	assert_int_equal(*total, 40 - 1); /* joins frame 3, still next to 10 */
	physmap_destroy(pm);
	assert_int_equal(*total, 0);
}

/* Without host_map_limit: vm.max_map_count minus the reserve, and the
 * message says how to raise it. */
static void test_default_limit(void **state)
{
	struct fixture *f = *state;
	struct physmap *pm = f->pm;
	long mmc = 0;
	FILE *p = fopen("/proc/sys/vm/max_map_count", "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%ld", &mmc), 1);
	fclose(p);
	physmap_set_budget(pm, &f->total, 0);
	assert_int_equal(pm->max_map_count, mmc);
	if (mmc > 2 * PHYSMAP_HOST_RESERVE)
		assert_int_equal(pm->limit, mmc - PHYSMAP_HOST_RESERVE);
	/* pretend the other engines used all but 3 */
	f->total = pm->limit - 3;
	assert_int_equal(physmap_ensure(pm, SLOT_VA), 0);
	assert_int_equal(physmap_show(pm, SLOT_VA + 4096, 9), -1);
	assert_non_null(strstr(pm->err, "sysctl -w vm.max_map_count="));
	assert_non_null(strstr(pm->err, "minus 4096 reserved"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_count_matches_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
