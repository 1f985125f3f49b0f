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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_swap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
