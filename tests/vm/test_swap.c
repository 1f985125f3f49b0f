/* tests/vm/test_swap.c - reclaim and swap under a randomized workload.
 *
 * Several address spaces write, read, fork, exit and MADV_DONTNEED over
 * anonymous memory worth several times the RAM, with swap; a shadow model
 * says what every page must hold.  After every step mm_check() (buddy,
 * slab, LRU lists, swap area) and the swap-slot accounting (swap_map counts
 * equal the mms' swap entries) must hold, every read must return the
 * model's byte, and at the end every page and every slot is free again.
 */
#include "vm_fixture.h"

#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"

#define NMM 4
#define BASE 0x10000000ULL
#define NPAGES 2048          /* 8 MiB per address space */

struct model {
	struct mm_struct *mm[NMM];
	uint8_t val[NMM][NPAGES];
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void check_all(struct vfx *f, struct model *md, long step)
{
	char err[256];
	long swapents = 0;

	if (f->m->bad_pages)
		fail_msg("step %ld: %lu bad page reports", step, f->m->bad_pages);
	if (mm_check(f->m, err, sizeof err))
		fail_msg("step %ld: mm_check: %s", step, err);
	for (int i = 0; i < NMM; i++)
		if (md->mm[i])
			swapents += (long)md->mm[i]->swapents;
	if (swap_check_refs(f->m, swapents, err, sizeof err))
		fail_msg("step %ld: %s", step, err);
}

static struct mm_struct *new_space(struct vfx *f)
{
	struct mm_struct *mm = vfx_mm(f);
	uint64_t addr;
	assert_int_equal(do_mmap(f->m, mm, BASE, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &addr), 0);
	return mm;
}

static void test_random_swap(void **state)
{
	(void)state;
	struct vfx *f = vfx_new_swap(8ULL << 20, 48ULL << 20);
	struct model *md = calloc(1, sizeof *md);
	uint64_t seed = 0x5eed1234abcdULL;

	assert_non_null(md);
	md->mm[0] = new_space(f);
	for (long step = 0; step < 1500; step++) {
		uint64_t r = rnd(&seed);
		int i = (int)(r % NMM), op = (int)((r >> 8) % 100);
		struct mm_struct *mm = md->mm[i];
		if (!mm) {
			md->mm[i] = new_space(f);
			memset(md->val[i], 0, NPAGES);
			continue;
		}
		if (op < 45) { /* write a run of pages */
			unsigned start = (unsigned)((r >> 16) % NPAGES), n = 1 + (unsigned)((r >> 32) % 128);
			for (unsigned p = start; p < start + n && p < NPAGES; p++) {
				uint8_t v = (uint8_t)(1 + (rnd(&seed) % 255));
				assert_int_equal(cpu_write(f, mm, BASE + p * PAGE_SIZE + (p % 4000), v), 0);
				md->val[i][p] = v;
			}
		} else if (op < 85) { /* read a run back */
			unsigned start = (unsigned)((r >> 16) % NPAGES), n = 1 + (unsigned)((r >> 32) % 256);
			for (unsigned p = start; p < start + n && p < NPAGES; p++) {
				uint8_t v = 0xee;
				assert_int_equal(cpu_read(f, mm, BASE + p * PAGE_SIZE + (p % 4000), &v), 0);
				if (v != md->val[i][p])
					fail_msg("step %ld: mm %d page %u holds %#x, expected %#x", step, i, p, v,
						 md->val[i][p]);
			}
		} else if (op < 91) { /* fork into a free slot */
			for (int j = 0; j < NMM; j++)
				if (!md->mm[j]) {
					md->mm[j] = dup_mm(f->m, &f->k, mm);
					assert_non_null(md->mm[j]);
					memcpy(md->val[j], md->val[i], NPAGES);
					break;
				}
		} else if (op < 95) { /* MADV_DONTNEED a range */
			unsigned start = (unsigned)((r >> 16) % NPAGES), n = 1 + (unsigned)((r >> 32) % 64);
			if (start + n > NPAGES)
				n = NPAGES - start;
			assert_int_equal(do_madvise(f->m, mm, BASE + start * PAGE_SIZE, n * PAGE_SIZE, MADV_DONTNEED), 0);
			memset(md->val[i] + start, 0, n);
		} else if (op < 98) { /* exit */
			mmput(f->m, mm);
			md->mm[i] = NULL;
		} else { /* kswapd gets a turn */
			kswapd_run(f->m, (uint64_t)step * 1000000000ULL);
		}
		check_all(f, md, step);
	}
	assert_true(f->m->vm_events[PSWPOUT] > 0);
	assert_true(f->m->vm_events[PSWPIN] > 0);
	for (int i = 0; i < NMM; i++)
		if (md->mm[i])
			mmput(f->m, md->mm[i]);
	check_all(f, md, -1);
	/* every slot and every page back */
	assert_int_equal(f->m->swap->inuse_pages, 0);
	assert_int_equal(global_node_page_state(f->m, NR_SWAPCACHE), 0);
	assert_int_equal(lru_pages_total(f->m), 0);
	vfx_assert_no_leak(f);
	free(md);
	vfx_free(f);
}

/* A machine with NFILE active page-cache pages (of backing *FB) and
 * NANON written anonymous pages in a new mm (*MM), swappiness SW. */
static struct vfx *mixed_machine(int sw, unsigned nfile, unsigned nanon, struct file_backing **fb,
				 struct mm_struct **mm)
{
	struct vfx *f = vfx_new_swap(32ULL << 20, 32ULL << 20);
	uint8_t *img = malloc((size_t)nfile * PAGE_SIZE);
	uint64_t addr;

	f->m->sysctl.swappiness = sw;
	assert_non_null(img);
	for (unsigned i = 0; i < nfile; i++) /* page i of the file holds byte i */
		memset(img + (size_t)i * PAGE_SIZE, (int)(i & 0xff), PAGE_SIZE);
	*fb = file_backing_create("/data", img, (uint64_t)nfile * PAGE_SIZE, true);
	free(img);
	for (unsigned i = 0; i < nfile; i++) {
		bool major;
		int err;
		struct page *p = filemap_get_page(f->m, *fb, i, &major, &err);
		assert_non_null(p);
		mark_page_accessed(f->m, p);
		mark_page_accessed(f->m, p);
		put_page(f->m, p);
	}
	*mm = vfx_mm(f);
	assert_int_equal(do_mmap(f->m, *mm, BASE, (uint64_t)nanon * PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &addr), 0);
	for (unsigned i = 0; i < nanon; i++)
		assert_int_equal(cpu_write(f, *mm, BASE + i * PAGE_SIZE, (uint8_t)(i | 1)), 0);
	vfx_check(f);
	return f;
}

static void free_mixed(struct vfx *f, struct file_backing *fb, struct mm_struct *mm)
{
	mmput(f->m, mm);
	file_backing_put(f->m, fb);
	vfx_check(f);
	assert_int_equal(f->m->swap->inuse_pages, 0);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* swappiness 0: with enough file cache, only file pages go; a reread of
 * them counts as file refaults.  swappiness 200: only anonymous pages. */
static void test_swappiness(void **state)
{
	(void)state;
	struct file_backing *fb;
	struct mm_struct *mm;
	struct vfx *f = mixed_machine(0, 2048, 2048, &fb, &mm);

	for (int i = 0; i < 8; i++)
		assert_true(try_to_free_pages(f->m, GFP_KERNEL, 0) > 0);
	vfx_check(f);
	assert_true(f->m->vm_events[PGSTEAL_FILE] >= 8 * SWAP_CLUSTER_MAX);
	assert_int_equal(f->m->vm_events[PGSTEAL_ANON], 0);
	assert_int_equal(f->m->vm_events[PSWPOUT], 0);
	for (unsigned i = 0; i < 2048; i++) {
		bool major;
		int err;
		struct page *p = filemap_get_page(f->m, fb, i, &major, &err);
		assert_non_null(p);
		assert_int_equal(((uint8_t *)page_address(f->m, p))[100], i & 0xff);
		put_page(f->m, p);
	}
	assert_int_equal(global_node_page_state(f->m, WORKINGSET_REFAULT_FILE), f->m->vm_events[PGSTEAL_FILE]);
	free_mixed(f, fb, mm);

	f = mixed_machine(200, 2048, 2048, &fb, &mm);
	for (int i = 0; i < 8; i++)
		assert_true(try_to_free_pages(f->m, GFP_KERNEL, 0) > 0);
	vfx_check(f);
	assert_true(f->m->vm_events[PGSTEAL_ANON] >= 8 * SWAP_CLUSTER_MAX);
	assert_int_equal(f->m->vm_events[PGSTEAL_FILE], 0);
	assert_int_equal(f->m->vm_events[PSWPOUT], f->m->vm_events[PGSTEAL_ANON]);
	for (unsigned i = 0; i < 2048; i++) {
		uint8_t v;
		assert_int_equal(cpu_read(f, mm, BASE + i * PAGE_SIZE, &v), 0);
		assert_int_equal(v, (uint8_t)(i | 1));
	}
	assert_true(global_node_page_state(f->m, WORKINGSET_REFAULT_ANON) > 0);
	free_mixed(f, fb, mm);
}

/* MADV_PAGEOUT swaps a private range out at once; MADV_COLD deactivates;
 * drop_caches drops the unmapped clean cache. */
static void test_pageout_cold_drop(void **state)
{
	(void)state;
	struct file_backing *fb;
	struct mm_struct *mm;
	struct vfx *f = mixed_machine(60, 256, 256, &fb, &mm);
	long active = global_node_page_state(f->m, NR_ACTIVE_FILE);

	assert_int_equal(do_madvise(f->m, mm, BASE, 64 * PAGE_SIZE, MADV_COLD), 0);
	assert_int_equal(do_madvise(f->m, mm, BASE + 64 * PAGE_SIZE, 128 * PAGE_SIZE, MADV_PAGEOUT), 0);
	assert_int_equal(f->m->vm_events[PSWPOUT], 128);
	assert_int_equal(mm->swapents, 128);
	assert_int_equal(mm->rss_anon, 128);
	vfx_check(f);
	for (unsigned i = 0; i < 256; i++) {
		uint8_t v;
		assert_int_equal(cpu_read(f, mm, BASE + i * PAGE_SIZE, &v), 0);
		assert_int_equal(v, (uint8_t)(i | 1));
	}
	assert_true(f->m->vm_events[PGMAJFAULT] > 0);
	assert_true(active >= 256);
	assert_int_equal(drop_caches(f->m, 1), 256);
	assert_int_equal(global_node_page_state(f->m, NR_ACTIVE_FILE) + global_node_page_state(f->m, NR_INACTIVE_FILE), 0);
	vfx_check(f);
	free_mixed(f, fb, mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_swap),
		cmocka_unit_test(test_swappiness),
		cmocka_unit_test(test_pageout_cold_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
