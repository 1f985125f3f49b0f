/* tests/vm/test_shmem_swap.c - shmem pages under memory pressure: a tmpfs
 * file and MAP_SHARED|MAP_ANONYMOUS memory twice the RAM go to swap and
 * come back intact (shmem_writepage, shmem_swapin), Shmem / SwapCached and
 * the tmpfs blocks stay right, and truncation, unmapping and the last
 * reference free every slot.  mm_check() and the swap-slot accounting
 * (swap_map counts = the mms' swap PTEs + the shmem files' swap entries)
 * are checked after every step.  Also: direct reclaim only below min.
 */
#include <errno.h>

#include "vm_fixture.h"

#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mm/vmscan.h"
#include "mm/workingset.h"

#define P PAGE_SIZE
#define BASE 0x10000000ULL
#define NPAGES 4096 /* 16 MiB: twice the 8 MiB machine */

static void check_refs(struct vfx *f, struct mm_struct **mms, int n, const char *where)
{
	char err[256];
	long swapents = 0;

	if (f->m->bad_pages)
		fail_msg("%s: %lu bad page reports", where, f->m->bad_pages);
	if (mm_check(f->m, err, sizeof err))
		fail_msg("%s: mm_check: %s", where, err);
	for (int i = 0; i < n; i++)
		if (mms[i])
			swapents += (long)mms[i]->swapents;
	if (swap_check_refs(f->m, swapents, err, sizeof err))
		fail_msg("%s: %s", where, err);
}

static uint8_t pattern(unsigned page, unsigned gen) { return (uint8_t)(1 + (page * 7 + gen * 31) % 251); }

/* Write page I of tmpfs file FB as tmpfs_write does. */
static void file_write(struct vfx *f, struct file_backing *fb, unsigned i, uint8_t v)
{
	struct page *p;

	assert_int_equal(shmem_get_page(f->m, fb, i, SGP_WRITE, &p), 0);
	memset(page_address(f->m, p), v, P);
	SetPageDirty(p);
	put_page(f->m, p);
	if ((uint64_t)(i + 1) * P > fb->size)
		fb->size = (uint64_t)(i + 1) * P;
}

/* The byte at OFF of page I of FB (0 for a hole), as tmpfs_read sees it. */
static uint8_t file_read(struct vfx *f, struct file_backing *fb, unsigned i, unsigned off)
{
	struct page *p = NULL;
	uint8_t v;

	assert_int_equal(shmem_get_page(f->m, fb, i, SGP_READ, &p), 0);
	if (!p)
		return 0;
	v = ((uint8_t *)page_address(f->m, p))[off];
	put_page(f->m, p);
	return v;
}

/* A tmpfs file twice the RAM: written, swapped, read back identical;
 * Shmem + swapped entries = the file's blocks; truncation and the last
 * put free every slot and block. */
static void test_tmpfs_file_swap(void **state)
{
	(void)state;
	struct vfx *f = vfx_new_swap(8ULL << 20, 48ULL << 20);
	struct shmem_sb_info *sb = shmem_sb_create(0, 0);
	struct file_backing *fb = shmem_file_create(sb, "/tmp/big");

	assert_non_null(fb);
	for (unsigned i = 0; i < NPAGES; i++) {
		file_write(f, fb, i, pattern(i, 0));
		if (i % 512 == 511)
			check_refs(f, NULL, 0, "writing");
	}
	assert_true(f->m->vm_events[PSWPOUT] > NPAGES / 2);
	assert_true(fb->swapped > 0);
	assert_int_equal(fb->mapping.nrpages + fb->swapped, NPAGES);
	assert_int_equal(sb->used_blocks, NPAGES);
	assert_int_equal(shmem_blocks(fb), (uint64_t)NPAGES * (P / 512));
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), (long)fb->mapping.nrpages);
	/* read everything back (twice: the second pass swaps the first's out) */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < NPAGES; i++) {
			uint8_t v = file_read(f, fb, i, (i * 13) % P);
			if (v != pattern(i, 0))
				fail_msg("pass %d: page %u holds %#x, expected %#x", pass, i, v, pattern(i, 0));
		}
	check_refs(f, NULL, 0, "read back");
	assert_true(f->m->vm_events[PSWPIN] > 0);
	assert_int_equal(sb->used_blocks, NPAGES);
	/* a cut in a swapped-out page: it comes back and its tail is zeroed */
	unsigned cut = NPAGES / 2;
	for (unsigned i = 0; i < NPAGES && !xa_is_value(fb->mapping.pages[cut]); i++)
		(void)file_read(f, fb, (cut + 1 + i) % NPAGES, 0); /* push it out */
	assert_int_equal(shmem_setsize(f->m, fb, (uint64_t)cut * P + 100), 0);
	check_refs(f, NULL, 0, "truncated");
	assert_int_equal(sb->used_blocks, cut + 1);
	assert_int_equal(fb->mapping.nrpages + fb->swapped, cut + 1);
	assert_int_equal(file_read(f, fb, cut, 99), pattern(cut, 0));
	assert_int_equal(file_read(f, fb, cut, 100), 0);
	/* every swapped page has a slot; swap-cache pages (readahead) may share them */
	assert_true(f->m->swap->inuse_pages >= fb->swapped);
	assert_true(f->m->swap->inuse_pages <= fb->swapped + (unsigned long)global_node_page_state(f->m, NR_SWAPCACHE));
	/* the last reference (unlink + last close) frees every slot and page */
	file_backing_put(f->m, fb);
	check_refs(f, NULL, 0, "put");
	assert_int_equal(sb->used_blocks, 0);
	assert_int_equal(f->m->swap->inuse_pages, 0);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 0);
	assert_int_equal(global_node_page_state(f->m, NR_SWAPCACHE), 0);
	assert_int_equal(lru_pages_total(f->m), 0);
	shmem_sb_put(sb);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* MAP_SHARED|MAP_ANONYMOUS memory twice the RAM, shared by a parent and a
 * child (fork): each writes half of it, both read all of it back through
 * swap, and a write by one is seen by the other; with private anonymous
 * memory and a randomized order the accounting holds after every step. */
static void test_shared_anon_fork_swap(void **state)
{
	(void)state;
	struct vfx *f = vfx_new_swap(8ULL << 20, 64ULL << 20);
	struct mm_struct *mm[2];
	static uint8_t val[NPAGES];
	uint64_t addr, seed = 0x51a4edULL;

	mm[0] = vfx_mm(f);
	mm[1] = NULL;
	assert_int_equal(do_mmap(f->m, mm[0], BASE, NPAGES * P, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &addr), 0);
	for (unsigned i = 0; i < NPAGES / 4; i++) { /* some data before the fork */
		val[i] = pattern(i, 1);
		assert_int_equal(cpu_write(f, mm[0], BASE + i * P + i % 4000, val[i]), 0);
	}
	mm[1] = dup_mm(f->m, &f->k, mm[0]);
	assert_non_null(mm[1]);
	check_refs(f, mm, 2, "fork");
	for (unsigned i = 0; i < NPAGES; i++) { /* parent even pages, child odd */
		val[i] = pattern(i, 2);
		assert_int_equal(cpu_write(f, mm[i & 1], BASE + i * P + i % 4000, val[i]), 0);
		if (i % 512 == 511)
			check_refs(f, mm, 2, "writing");
	}
	assert_true(f->m->vm_events[PSWPOUT] > NPAGES / 2);
	for (int who = 0; who < 2; who++)
		for (unsigned i = 0; i < NPAGES; i++) {
			uint8_t v = 0xee;
			assert_int_equal(cpu_read(f, mm[who], BASE + i * P + i % 4000, &v), 0);
			if (v != val[i])
				fail_msg("mm %d page %u holds %#x, expected %#x", who, i, v, val[i]);
		}
	check_refs(f, mm, 2, "read back");
	assert_true(f->m->vm_events[PSWPIN] > 0);
	/* randomized: writes, reads by either, kswapd, MADV_PAGEOUT of a range */
	for (long step = 0; step < 3000; step++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		unsigned i = (unsigned)(seed % NPAGES), who = (unsigned)(seed >> 20) & 1, op = (unsigned)(seed >> 24) % 10;
		uint8_t v = 0xee;
		if (op < 4) {
			val[i] = pattern(i, (unsigned)step);
			assert_int_equal(cpu_write(f, mm[who], BASE + i * P + i % 4000, val[i]), 0);
		} else if (op < 9) {
			assert_int_equal(cpu_read(f, mm[who], BASE + i * P + i % 4000, &v), 0);
			if (v != val[i])
				fail_msg("step %ld: mm %u page %u holds %#x, expected %#x", step, who, i, v, val[i]);
		} else {
			kswapd_run(f->m, (uint64_t)step * 1000000000ULL);
		}
		if (step % 100 == 0)
			check_refs(f, mm, 2, "random");
	}
	/* the child exits: the parent still sees everything */
	mmput(f->m, mm[1]);
	mm[1] = NULL;
	check_refs(f, mm, 2, "child exit");
	for (unsigned i = 0; i < NPAGES; i++) {
		uint8_t v = 0xee;
		assert_int_equal(cpu_read(f, mm[0], BASE + i * P + i % 4000, &v), 0);
		if (v != val[i])
			fail_msg("after exit: page %u holds %#x, expected %#x", i, v, val[i]);
	}
	/* munmap of the last mapping frees the object, its pages and slots */
	assert_int_equal(do_munmap(f->m, mm[0], BASE, NPAGES * P), 0);
	check_refs(f, mm, 2, "munmap");
	assert_int_equal(f->m->swap->inuse_pages, 0);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 0);
	mmput(f->m, mm[0]);
	vfx_check(f);
	assert_int_equal(lru_pages_total(f->m), 0);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* Without swap shmem pages stay (activated), and a clean never-written
 * page of a shared mapping is simply dropped as a hole. */
static void test_no_swap_keeps_shmem(void **state)
{
	(void)state;
	struct vfx *f = vfx_new_swap(16ULL << 20, 0);
	struct shmem_sb_info *sb = shmem_sb_create(0, 0);
	struct file_backing *fb = shmem_file_create(sb, "/tmp/x");

	for (unsigned i = 0; i < 512; i++)
		file_write(f, fb, i, pattern(i, 3));
	for (int i = 0; i < 4; i++)
		try_to_free_pages(f->m, GFP_KERNEL, 0);
	vfx_check(f);
	assert_int_equal(fb->mapping.nrpages, 512);
	assert_int_equal(fb->swapped, 0);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(file_read(f, fb, i, 5), pattern(i, 3));
	file_backing_put(f->m, fb);
	shmem_sb_put(sb);
	vfx_check(f);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* True if some zone GFP_HIGHUSER_MOVABLE may use has more than SLACK
 * pages above its min watermark (and lowmem reserve). */
static bool above_min(struct vfx *f, unsigned long slack)
{
	enum zone_type hi = gfp_zone(GFP_HIGHUSER_MOVABLE);

	for (int t = (int)hi; t >= 0; t--) {
		struct zone *z = &f->m->nodes[0].node_zones[t];
		if (z->managed_pages && zone_watermark_ok(f->m, z, 0, min_wmark_pages(z) + slack, hi, 0))
			return true;
	}
	return false;
}

/* Direct reclaim (allocstall) happens only when an allocation cannot be met
 * above min: while a zone has room above min, faults never stall, however
 * far below low the zones are (kswapd is not run here). */
static void test_direct_only_below_min(void **state)
{
	(void)state;
	struct vfx *f = vfx_new_swap(32ULL << 20, 64ULL << 20);
	struct mm_struct *mm = vfx_mm(f);
	unsigned long stalls = 0, checked = 0;
	uint64_t addr;

	assert_int_equal(do_mmap(f->m, mm, BASE, 12288 * P, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &addr), 0);
	for (unsigned i = 0; i < 12288; i++) {
		bool room = above_min(f, 8); /* a fault takes a page and maybe page tables */
		unsigned long before = f->m->vm_events[ALLOCSTALL_NORMAL] + f->m->vm_events[ALLOCSTALL_DMA32] +
				       f->m->vm_events[ALLOCSTALL_MOVABLE] + f->m->vm_events[ALLOCSTALL_DMA];
		assert_int_equal(cpu_write(f, mm, BASE + i * P, (uint8_t)(i | 1)), 0);
		unsigned long after = f->m->vm_events[ALLOCSTALL_NORMAL] + f->m->vm_events[ALLOCSTALL_DMA32] +
				      f->m->vm_events[ALLOCSTALL_MOVABLE] + f->m->vm_events[ALLOCSTALL_DMA];
		if (after != before) {
			if (room)
				fail_msg("page %u: direct reclaim with a zone above min", i);
			stalls++;
		}
		checked += room;
	}
	assert_true(stalls > 0);
	assert_true(checked > 0);
	assert_true(f->m->vm_events[PGSCAN_DIRECT] > 0);
	vfx_check(f);
	mmput(f->m, mm);
	vfx_check(f);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tmpfs_file_swap),
		cmocka_unit_test(test_shared_anon_fork_swap),
		cmocka_unit_test(test_no_swap_keeps_shmem),
		cmocka_unit_test(test_direct_only_below_min),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
