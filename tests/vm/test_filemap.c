/* tests/vm/test_filemap.c - filemap_populate(), the warm page cache
 * (page_cache=warm): a whole file cached without a fault being counted,
 * faults on it minor with full fault-around, a budget in small memories
 * that never wakes kswapd, reclaims or fails, and shmem left alone. */
#include <errno.h>

#include "vm_fixture.h"

#define P PAGE_SIZE

/* A file of NP pages less 100 bytes whose page i holds the byte i + 1. */
static struct file_backing *make_file(const char *path, uint64_t np)
{
	uint64_t size = np * P - 100;
	uint8_t *img = malloc(size);
	assert_non_null(img);
	for (uint64_t i = 0; i < size; i++)
		img[i] = (uint8_t)(i / P + 1);
	struct file_backing *fb = file_backing_create(path, img, size, true);
	free(img);
	assert_non_null(fb);
	return fb;
}

static unsigned long events(struct vfx *f, enum vm_event_item a, enum vm_event_item b)
{
	unsigned long n = 0;
	for (int i = a; i <= (int)b; i++)
		n += f->m->vm_events[i];
	return n;
}

static void test_populate_whole_file(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	const uint64_t NP = 100;
	struct file_backing *fb = make_file("/bin/prog", NP);
	uint64_t a;
	uint8_t b;

	unsigned long free0 = nr_free_pages(f->m);
	assert_int_equal(filemap_populate(f->m, fb), NP);
	assert_int_equal(fb->mapping.nrpages, NP);
	assert_int_equal(global_node_page_state(f->m, NR_FILE_PAGES), NP);
	assert_int_equal(free0 - nr_free_pages(f->m), NP);
	/* warming is not a fault and not fault read-around */
	assert_int_equal(fb->mapping.nr_major, 0);
	assert_int_equal(fb->mapping.nr_readahead, 0);
	assert_int_equal(fb->mapping.mmap_miss, 0);
	assert_int_equal(f->m->vm_events[PGMAJFAULT], 0);
	assert_int_equal(f->m->vm_events[PGFAULT], 0);
	/* every page is a cache page with the file's bytes, tail zeroed */
	for (uint64_t i = 0; i < NP; i++) {
		struct page *p = find_page(fb, i);
		assert_non_null(p);
		assert_true(page_is_file_cache(p) && PageUptodate(p));
		assert_int_equal(p->index, i);
		assert_int_equal(page_count(p), 1);
		assert_int_equal(((uint8_t *)page_address(f->m, p))[0], i + 1);
	}
	assert_int_equal(((uint8_t *)page_address(f->m, find_page(fb, NP - 1)))[P - 1], 0);
	/* a second call adds nothing */
	assert_int_equal(filemap_populate(f->m, fb), 0);
	vfx_check(f);

	/* faults on the warm file: all minor, 16 pages mapped per read fault
	 * of a 64 KiB-aligned mapping */
	assert_int_equal(vm_mmap(f->m, mm, 0x40000000, NP * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fb, 0, &a), 0);
	for (uint64_t i = 0; i < NP; i++) {
		assert_int_equal(cpu_read(f, mm, a + i * P + 7, &b), 0);
		assert_int_equal(b, i + 1);
	}
	assert_int_equal(mm->maj_flt, 0);
	assert_int_equal(f->m->vm_events[PGMAJFAULT], 0);
	assert_int_equal(f->m->vm_events[PGFAULT], (NP + 15) / 16);
	assert_int_equal(fb->mapping.nrpages, NP);
	assert_int_equal(do_munmap(f->m, mm, a, NP * P), 0);
	mmput(f->m, mm);
	/* the cache's pages go with the last reference */
	file_backing_put(f->m, fb);
	assert_int_equal(global_node_page_state(f->m, NR_FILE_PAGES), 0);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* Pages a populate of an unlimited file could take: half of the free pages
 * above the high watermarks. */
static unsigned long budget(struct vfx *f)
{
	unsigned long room = 0;
	for (int n = 0; n < f->m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &f->m->nodes[n].node_zones[t];
			long r = z->vm_stat[NR_FREE_PAGES] - (long)high_wmark_pages(z) -
				 z->lowmem_reserve[gfp_zone(GFP_HIGHUSER_MOVABLE)];
			if (z->managed_pages && t <= (int)gfp_zone(GFP_HIGHUSER_MOVABLE) && r > 0)
				room += (unsigned long)r;
		}
	return room / 2;
}

static void test_populate_small_memory(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(4 << 20); /* 1024 pages */
	struct mm_struct *mm = vfx_mm(f);
	const uint64_t NP = 2000;         /* twice the RAM */
	struct file_backing *fb = make_file("/data/huge", NP);
	struct file_backing *fb2 = make_file("/data/second", NP);
	unsigned long want = budget(f);
	uint64_t a;
	uint8_t b;

	assert_true(want > 0 && want < NP);
	assert_int_equal(filemap_populate(f->m, fb), want);
	assert_int_equal(fb->mapping.nrpages, want);
	/* the first WANT pages, in file order */
	assert_non_null(find_page(fb, want - 1));
	assert_null(find_page(fb, want));
	/* no memory pressure was caused */
	assert_int_equal(events(f, ALLOCSTALL_DMA, ALLOCSTALL_MOVABLE), 0);
	assert_int_equal(f->m->vm_events[KSWAPD_WAKEUP], 0);
	assert_int_equal(f->m->vm_events[PGALLOC_FAIL], 0);
	for (int n = 0; n < f->m->nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &f->m->nodes[n].node_zones[t];
			if (z->managed_pages)
				assert_true(z->vm_stat[NR_FREE_PAGES] > (long)high_wmark_pages(z));
		}
	/* a second file gets half of what is left */
	unsigned long want2 = budget(f);
	assert_int_equal(filemap_populate(f->m, fb2), want2);
	assert_true(want2 <= want / 2 + 1);
	/* the uncached rest of the file is cold: a fault there is major */
	assert_int_equal(vm_mmap(f->m, mm, 0, NP * P, PROT_READ, MAP_PRIVATE, fb, 0, &a), 0);
	assert_int_equal(cpu_read(f, mm, a + 3 * P, &b), 0);
	assert_int_equal(b, 4);
	assert_int_equal(mm->maj_flt, 0);
	assert_int_equal(cpu_read(f, mm, a + (NP - 1) * P, &b), 0);
	assert_int_equal(b, NP % 256);
	assert_int_equal(mm->maj_flt, 1);
	vfx_check(f);
	mmput(f->m, mm);
	file_backing_put(f->m, fb);
	file_backing_put(f->m, fb2);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_populate_when_memory_is_low(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(4 << 20);
	struct file_backing *fb = make_file("/bin/x", 8);
	unsigned long held = 0;
	struct page *pages[1024];

	/* take pages until no zone is above its high watermark */
	while (budget(f) > 0 && held < 1024) {
		pages[held] = alloc_page(f->m, GFP_KERNEL | __GFP_NOWARN);
		assert_non_null(pages[held]);
		held++;
	}
	assert_int_equal(budget(f), 0);
	unsigned long freeb = nr_free_pages(f->m);
	assert_int_equal(filemap_populate(f->m, fb), -ENOMEM);
	assert_int_equal(fb->mapping.nrpages, 0);
	assert_int_equal(nr_free_pages(f->m), freeb);
	assert_int_equal(f->m->vm_events[PGALLOC_FAIL], 0);
	for (unsigned long i = 0; i < held; i++)
		__free_page(f->m, pages[i]);
	file_backing_put(f->m, fb);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_populate_leaves_shmem_alone(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(16 << 20);
	struct file_backing *sh = shmem_backing_create("/dev/zero (deleted)", 32 * P);

	assert_non_null(sh);
	assert_int_equal(filemap_populate(f->m, sh), 0);
	assert_int_equal(sh->mapping.nrpages, 0);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 0);
	file_backing_put(f->m, sh);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_populate_whole_file),
		cmocka_unit_test(test_populate_small_memory),
		cmocka_unit_test(test_populate_when_memory_is_low),
		cmocka_unit_test(test_populate_leaves_shmem_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
