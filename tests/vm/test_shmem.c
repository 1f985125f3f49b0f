/* tests/vm/test_shmem.c - mm/shmem.c: tmpfs files' pages charged to their
 * instance (ENOSPC at size=, SIGBUS for a fault), holes read without
 * allocating, truncation freeing pages and zeroing a cut page, MAP_SHARED
 * faults sharing the file's frames between two address spaces, and every
 * page back on the free lists once the last reference goes. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "mm/shmem.h"
#include "vm_fixture.h"

#define P PAGE_SIZE

static void test_blocks_and_enospc(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct shmem_sb_info *sb = shmem_sb_create(8, 4);
	struct file_backing *fb = shmem_file_create(sb, "/tmp/a");
	struct page *p;

	assert_non_null(fb);
	assert_int_equal(shmem_setsize(f->m, fb, 20 * P), 0);
	/* a hole reads as nothing, allocates nothing */
	assert_int_equal(shmem_get_page(f->m, fb, 3, SGP_READ, &p), 0);
	assert_null(p);
	assert_int_equal(sb->used_blocks, 0);
	for (uint64_t i = 0; i < 8; i++) {
		assert_int_equal(shmem_get_page(f->m, fb, i * 2, SGP_WRITE, &p), 0);
		assert_true(PageSwapBacked(p) && PageUptodate(p));
		memset(page_address(f->m, p), 0x5a, P);
		put_page(f->m, p);
	}
	assert_int_equal(sb->used_blocks, 8);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 8);
	assert_int_equal(global_node_page_state(f->m, NR_FILE_PAGES), 8);
	assert_int_equal(shmem_get_page(f->m, fb, 1, SGP_WRITE, &p), -ENOSPC);
	/* a fault on a hole of a full instance is a SIGBUS (-EFAULT) */
	bool major;
	int err;
	assert_null(filemap_get_page(f->m, fb, 1, &major, &err));
	assert_int_equal(err, -EFAULT);
	/* past the size: SIGBUS too */
	assert_null(filemap_get_page(f->m, fb, 20, &major, &err));
	assert_int_equal(err, -EFAULT);
	/* truncating to 5 pages + 100 bytes frees pages 6, 8 ... 14 and zeroes page 4's tail */
	assert_int_equal(shmem_setsize(f->m, fb, 4 * P + 100), 0);
	assert_int_equal(sb->used_blocks, 3);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 3);
	p = find_page(fb, 4);
	assert_non_null(p);
	assert_int_equal(((uint8_t *)page_address(f->m, p))[99], 0x5a);
	assert_int_equal(((uint8_t *)page_address(f->m, p))[100], 0);
	assert_null(find_page(fb, 6));
	/* room again */
	assert_int_equal(shmem_get_page(f->m, fb, 1, SGP_WRITE, &p), 0);
	put_page(f->m, p);
	assert_int_equal(sb->used_blocks, 4);
	/* inodes */
	for (int i = 0; i < 4; i++)
		assert_int_equal(shmem_reserve_inode(sb), 0);
	assert_int_equal(shmem_reserve_inode(sb), -ENOSPC);
	shmem_free_inode(sb);
	assert_int_equal(shmem_reserve_inode(sb), 0);
	file_backing_put(f->m, fb);
	assert_int_equal(sb->used_blocks, 0);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 0);
	shmem_sb_put(sb);
	vfx_assert_no_leak(f);
	vfx_check(f);
	vfx_free(f);
}

static void test_shared_file_mapping(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct shmem_sb_info *sb = shmem_sb_create(0, 0);
	struct file_backing *fb = shmem_file_create(sb, "/dev/shm/seg");
	struct mm_struct *a = vfx_mm(f), *b = vfx_mm(f);
	uint64_t va, vb;
	uint8_t v;
	struct page *p;

	assert_int_equal(shmem_setsize(f->m, fb, 4 * P), 0);
	assert_int_equal(vm_mmap(f->m, a, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0, &va), 0);
	assert_int_equal(vm_mmap(f->m, b, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0, &vb), 0);
	assert_int_equal(cpu_write(f, a, va + 2 * P + 7, 42), 0);
	assert_int_equal(cpu_read(f, b, vb + 2 * P + 7, &v), 0);
	assert_int_equal(v, 42);
	/* write(2)'s view: the same page */
	assert_int_equal(shmem_get_page(f->m, fb, 2, SGP_READ, &p), 0);
	assert_int_equal(((uint8_t *)page_address(f->m, p))[7], 42);
	assert_int_equal(page_mapcount(p), 2);
	assert_true(PageDirty(p));
	put_page(f->m, p);
	assert_int_equal(a->rss_shmem, 1);
	assert_int_equal(b->rss_shmem, 1);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 1);
	/* the file's own reference is dropped first (unlinked): the mappings keep it */
	file_backing_put(f->m, fb);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 1);
	mmput(f->m, a);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 1);
	mmput(f->m, b);
	assert_int_equal(global_node_page_state(f->m, NR_SHMEM), 0);
	shmem_sb_put(sb);
	vfx_assert_no_leak(f);
	vfx_check(f);
	vfx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_and_enospc),
		cmocka_unit_test(test_shared_file_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
