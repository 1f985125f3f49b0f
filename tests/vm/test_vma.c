/* tests/vm/test_vma.c - VMA semantics of mmap/munmap/mprotect/mremap/brk/
 * madvise/mincore: exact VMA lists after merges and splits, and Linux's
 * errno values. */
#include <errno.h>

#include "vm_fixture.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define ACC (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)

static uint64_t map(struct vfx *f, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long prot,
		    unsigned long flags)
{
	uint64_t out = 0;
	int r = do_mmap(f->m, mm, addr, len, prot, flags, NULL, 0, &out);
	if (r)
		fail_msg("mmap(%#llx, %#llx) = %d", (unsigned long long)addr, (unsigned long long)len, r);
	return out;
}

static void test_mmap_topdown_and_merge(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);

	assert_int_equal(mm->mmap_base, TASK_SIZE - (128ULL << 20));
	uint64_t a = map(f, mm, 0, 4 * P, RW, ANON);
	assert_int_equal(a, mm->mmap_base - 4 * P);
	uint64_t b = map(f, mm, 0, 4 * P, RW, ANON);
	assert_int_equal(b, a - 4 * P);
	assert_int_equal(mm->map_count, 1); /* merged */
	assert_vma(mm, 0, b, a + 4 * P, ACC, VM_READ | VM_WRITE);
	uint64_t c = map(f, mm, 0, 4 * P, PROT_READ, ANON);
	assert_int_equal(c, b - 4 * P);
	assert_int_equal(mm->map_count, 2);
	assert_vma(mm, 0, c, b, ACC, VM_READ);
	assert_vma(mm, 1, b, a + 4 * P, ACC | VM_ACCOUNT, VM_READ | VM_WRITE | VM_ACCOUNT);
	/* mprotect makes it identical (VM_ACCOUNT added): one VMA again */
	assert_int_equal(do_mprotect(f->m, mm, c, 4 * P, RW), 0);
	assert_int_equal(mm->map_count, 1);
	assert_vma(mm, 0, c, a + 4 * P, ACC | VM_ACCOUNT, VM_READ | VM_WRITE | VM_ACCOUNT);
	assert_int_equal(mm->total_vm, 12);
	vfx_check_mm(mm);
	/* a hint that is free is used as is */
	uint64_t h = map(f, mm, 0x10000000, 2 * P, RW, ANON);
	assert_int_equal(h, 0x10000000);
	/* a hint below mmap_min_addr is rounded up to it */
	uint64_t lo = map(f, mm, 0x1000, P, RW, ANON);
	assert_int_equal(lo, MMAP_MIN_ADDR);
	vfx_check_mm(mm);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_munmap_split(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t a = map(f, mm, 0x20000000, 8 * P, RW, ANON | MAP_FIXED);

	assert_int_equal(do_munmap(f->m, mm, a + 2 * P, 2 * P), 0);
	assert_int_equal(mm->map_count, 2);
	assert_vma(mm, 0, a, a + 2 * P, 0, 0);
	assert_vma(mm, 1, a + 4 * P, a + 8 * P, 0, 0);
	assert_int_equal(vma_at(mm, 1)->vm_pgoff, (a + 4 * P) >> PAGE_SHIFT);
	assert_int_equal(do_munmap(f->m, mm, a + 1, P), -EINVAL);
	assert_int_equal(do_munmap(f->m, mm, a, 0), -EINVAL);
	assert_int_equal(do_munmap(f->m, mm, TASK_SIZE, P), -EINVAL);
	assert_int_equal(do_munmap(f->m, mm, 0x30000000, P), 0); /* nothing there: fine */
	/* unaligned length rounds up */
	assert_int_equal(do_munmap(f->m, mm, a + 7 * P, 1), 0);
	assert_vma(mm, 1, a + 4 * P, a + 7 * P, 0, 0);
	/* filling the hole merges all three back */
	assert_int_equal(map(f, mm, a + 2 * P, 2 * P, RW, ANON | MAP_FIXED), a + 2 * P);
	assert_int_equal(mm->map_count, 1);
	assert_vma(mm, 0, a, a + 7 * P, 0, 0);
	/* one munmap across several VMAs */
	map(f, mm, a + 8 * P, 2 * P, PROT_READ, ANON | MAP_FIXED);
	assert_int_equal(mm->map_count, 2);
	assert_int_equal(do_munmap(f->m, mm, a + P, 8 * P), 0);
	assert_int_equal(mm->map_count, 2);
	assert_vma(mm, 0, a, a + P, 0, 0);
	assert_vma(mm, 1, a + 9 * P, a + 10 * P, ACC, VM_READ);
	vfx_check_mm(mm);
	mmput(f->m, mm);
	vfx_free(f);
}

static void test_mprotect_split_merge(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t a = map(f, mm, 0x20000000, 8 * P, RW, ANON | MAP_FIXED);

	assert_int_equal(do_mprotect(f->m, mm, a + 2 * P, 2 * P, PROT_READ), 0);
	assert_int_equal(mm->map_count, 3);
	assert_vma(mm, 0, a, a + 2 * P, ACC, VM_READ | VM_WRITE);
	assert_vma(mm, 1, a + 2 * P, a + 4 * P, ACC, VM_READ);
	assert_vma(mm, 2, a + 4 * P, a + 8 * P, ACC, VM_READ | VM_WRITE);
	/* the head of the r/w tail becomes r: merges into the middle (case 5) */
	assert_int_equal(do_mprotect(f->m, mm, a + 4 * P, P, PROT_READ), 0);
	assert_int_equal(mm->map_count, 3);
	assert_vma(mm, 1, a + 2 * P, a + 5 * P, ACC, VM_READ);
	assert_vma(mm, 2, a + 5 * P, a + 8 * P, ACC, VM_READ | VM_WRITE);
	/* the tail of the first becomes r: merges into the next (case 4) */
	assert_int_equal(do_mprotect(f->m, mm, a + P, P, PROT_READ), 0);
	assert_vma(mm, 0, a, a + P, ACC, VM_READ | VM_WRITE);
	assert_vma(mm, 1, a + P, a + 5 * P, ACC, VM_READ);
	/* all back to rw: one VMA (case 6) */
	assert_int_equal(do_mprotect(f->m, mm, a + P, 4 * P, RW), 0);
	assert_int_equal(mm->map_count, 1);
	assert_vma(mm, 0, a, a + 8 * P, ACC, VM_READ | VM_WRITE);
	vfx_check_mm(mm);
	/* errors */
	assert_int_equal(do_mprotect(f->m, mm, a + 1, P, PROT_READ), -EINVAL);
	assert_int_equal(do_mprotect(f->m, mm, a, P, 0x40), -EINVAL);
	assert_int_equal(do_mprotect(f->m, mm, 0x30000000, P, PROT_READ), -ENOMEM);
	assert_int_equal(do_mprotect(f->m, mm, a, 0, PROT_READ), 0);
	/* a hole: ENOMEM, but the part before it was changed (as Linux) */
	assert_int_equal(do_mprotect(f->m, mm, a, 16 * P, PROT_READ), -ENOMEM);
	assert_vma(mm, 0, a, a + 8 * P, ACC, VM_READ);
	/* PROT_GROWSDOWN on a non-stack VMA */
	assert_int_equal(do_mprotect(f->m, mm, a, P, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	assert_int_equal(do_mprotect(f->m, mm, a, P, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	vfx_check_mm(mm);
	mmput(f->m, mm);
	vfx_free(f);
}

static void test_mmap_errors(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t out, a = map(f, mm, 0x20000000, 4 * P, RW, ANON | MAP_FIXED);

	assert_int_equal(do_mmap(f->m, mm, 0, 0, RW, ANON, NULL, 0, &out), -EINVAL);
	assert_int_equal(do_mmap(f->m, mm, a + 1, P, RW, ANON | MAP_FIXED, NULL, 0, &out), -EINVAL);
	assert_int_equal(do_mmap(f->m, mm, a, P, RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0, &out), -EEXIST);
	assert_int_equal(do_mmap(f->m, mm, a + 3 * P, 2 * P, RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0, &out), -EEXIST);
	assert_int_equal(do_mmap(f->m, mm, a + 4 * P, P, RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0, &out), 0);
	assert_int_equal(out, a + 4 * P);
	assert_int_equal(do_mmap(f->m, mm, 0, P, RW, MAP_ANONYMOUS, NULL, 0, &out), -EINVAL);
	assert_int_equal(do_mmap(f->m, mm, 0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, NULL, 0, &out), -EINVAL);
	assert_int_equal(do_mmap(f->m, mm, 0x1000, P, RW, ANON | MAP_FIXED, NULL, 0, &out), -EPERM);
	assert_int_equal(do_mmap(f->m, mm, TASK_SIZE - P, 2 * P, RW, ANON | MAP_FIXED, NULL, 0, &out), -ENOMEM);
	assert_int_equal(do_mmap(f->m, mm, 0, TASK_SIZE + P, RW, ANON, NULL, 0, &out), -ENOMEM);
	assert_int_equal(do_mmap(f->m, mm, 0, P, RW, ANON | MAP_GROWSDOWN, NULL, 0, &out), 0);
	assert_int_equal(do_mmap(f->m, mm, 0, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, NULL, 0, &out),
			 -EINVAL);
	assert_int_equal(do_mmap(f->m, mm, 0, P, RW, ANON | MAP_HUGETLB, NULL, 0, &out), -ENOMEM);
	/* MAP_FIXED over an existing mapping replaces it */
	assert_int_equal(do_mmap(f->m, mm, a + P, P, PROT_READ, ANON | MAP_FIXED, NULL, 0, &out), 0);
	assert_vma(mm, 0, a, a + P, ACC, VM_READ | VM_WRITE);
	assert_vma(mm, 1, a + P, a + 2 * P, ACC, VM_READ);
	assert_vma(mm, 2, a + 2 * P, a + 5 * P, ACC, VM_READ | VM_WRITE);
	vfx_check_mm(mm);
	mmput(f->m, mm);

	/* vm.max_map_count: Linux checks map_count > limit before mapping */
	mm = vfx_mm(f);
	mm->max_map_count = 8;
	int r = 0, i;
	for (i = 0; i < 20 && r == 0; i++)
		r = do_mmap(f->m, mm, 0, P, (i & 1) ? PROT_READ : RW, ANON, NULL, 0, &out);
	assert_int_equal(r, -ENOMEM);
	assert_int_equal(mm->map_count, 9);
	/* a split that needs a new VMA now fails too */
	struct vm_area_struct *v = vma_at(mm, 0);
	assert_int_equal(do_munmap(f->m, mm, v->vm_start, P), 0); /* whole VMA: no split */
	map(f, mm, 0x20000000, 4 * P, RW, ANON | MAP_FIXED);
	assert_int_equal(mm->map_count, 9);
	assert_int_equal(do_munmap(f->m, mm, 0x20000000 + P, P), -ENOMEM);
	assert_int_equal(do_mprotect(f->m, mm, 0x20000000 + P, P, PROT_READ), -ENOMEM);
	vfx_check_mm(mm);
	mmput(f->m, mm);
	vfx_free(f);
}

static void test_file_mappings(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint8_t img[10 * 4096];
	uint64_t out;

	for (size_t i = 0; i < sizeof img; i++)
		img[i] = (uint8_t)(i / 4096 + 1);
	struct file_backing *fb = file_backing_create("/bin/prog", img, sizeof img, true);
	assert_non_null(fb);
	assert_int_equal(do_mmap(f->m, mm, 0, 4 * P, RW, MAP_SHARED, fb, 0, &out), -EACCES);
	assert_int_equal(vm_mmap(f->m, mm, 0, 4 * P, PROT_READ, MAP_PRIVATE, fb, 100, &out), -EINVAL);
	assert_int_equal(vm_mmap(f->m, mm, 0, 4 * P, PROT_READ, MAP_PRIVATE, NULL, 0, &out), -EBADF);
	assert_int_equal(do_mmap(f->m, mm, 0, 4 * P, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fb, 0, &out), -EINVAL);
	assert_int_equal(do_mmap(f->m, mm, 0, 4 * P, PROT_READ, MAP_SHARED, fb, 0, &out), 0);
	struct vm_area_struct *v = find_vma(mm, out);
	assert_int_equal(v->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_MAYWRITE), VM_MAYSHARE);
	assert_int_equal(do_mprotect(f->m, mm, out, P, RW), -EACCES);
	assert_int_equal(do_mprotect(f->m, mm, out, P, PROT_READ | PROT_EXEC), 0);
	/* private file mappings may become writable */
	uint64_t p;
	assert_int_equal(vm_mmap(f->m, mm, 0, 4 * P, PROT_READ, MAP_PRIVATE, fb, 2 * P, &p), 0);
	assert_int_equal(do_mprotect(f->m, mm, p, 4 * P, RW), 0);
	v = find_vma(mm, p);
	assert_int_equal(v->vm_pgoff, 2);
	assert_ptr_equal(v->vm_file, fb);
	/* two adjacent private mappings of consecutive file pages merge */
	uint64_t q;
	assert_int_equal(vm_mmap(f->m, mm, p + 4 * P, 2 * P, RW, MAP_PRIVATE | MAP_FIXED, fb, 6 * P, &q), 0);
	v = find_vma(mm, p);
	assert_int_equal(v->vm_end, p + 6 * P);
	vfx_check_mm(mm);
	mmput(f->m, mm);
	assert_int_equal(fb->refcount, 1);
	file_backing_put(f->m, fb);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_mremap(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t out, a = map(f, mm, 0x20000000, 4 * P, RW, ANON | MAP_FIXED);
	uint8_t b;

	for (int i = 0; i < 4; i++)
		assert_int_equal(cpu_write(f, mm, a + i * P, (uint8_t)(0x10 + i)), 0);
	/* grow in place */
	assert_int_equal(do_mremap(f->m, mm, a, 4 * P, 8 * P, 0, 0, &out), 0);
	assert_int_equal(out, a);
	assert_int_equal(mm->map_count, 1);
	assert_vma(mm, 0, a, a + 8 * P, 0, 0);
	/* blocked above: ENOMEM without MREMAP_MAYMOVE */
	map(f, mm, a + 8 * P, P, PROT_READ, ANON | MAP_FIXED);
	assert_int_equal(do_mremap(f->m, mm, a, 8 * P, 16 * P, 0, 0, &out), -ENOMEM);
	int64_t pfn0 = follow_pfn(f->m, mm, a);
	assert_true(pfn0 >= 0);
	/* move: same frames, data kept, old range gone */
	assert_int_equal(do_mremap(f->m, mm, a, 8 * P, 16 * P, MREMAP_MAYMOVE, 0, &out), 0);
	assert_true(out != a);
	assert_int_equal(follow_pfn(f->m, mm, out), pfn0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(cpu_read(f, mm, out + i * P, &b), 0);
		assert_int_equal(b, 0x10 + i);
	}
	assert_null(find_vma_intersection(mm, a, a + 8 * P));
	assert_int_equal(mm->rss_anon, 4);
	/* the moved pages are still COW-able anon pages of the new VMA */
	struct page *pg = pfn_to_page(f->m, (unsigned long)pfn0);
	assert_int_equal(page_mapcount(pg), 1);
	assert_int_equal(pg->index, linear_page_index(find_vma(mm, out), out));
	/* shrink */
	assert_int_equal(do_mremap(f->m, mm, out, 16 * P, 2 * P, 0, 0, &out), 0);
	assert_vma(mm, 1, out, out + 2 * P, 0, 0);
	assert_int_equal(mm->rss_anon, 2);
	/* errors */
	assert_int_equal(do_mremap(f->m, mm, 0x30000000, P, 2 * P, MREMAP_MAYMOVE, 0, &out), -EFAULT);
	assert_int_equal(do_mremap(f->m, mm, out, P, 2 * P, 8, 0, &out), -EINVAL);
	assert_int_equal(do_mremap(f->m, mm, out, P, 2 * P, MREMAP_FIXED, 0x40000000, &out), -EINVAL);
	assert_int_equal(do_mremap(f->m, mm, out + 1, P, 2 * P, 0, 0, &out), -EINVAL);
	assert_int_equal(do_mremap(f->m, mm, out, P, 0, 0, 0, &out), -EINVAL);
	assert_int_equal(do_mremap(f->m, mm, out, 4 * P, 8 * P, MREMAP_MAYMOVE, 0, &out), -EFAULT);
	uint64_t src = out;
	assert_int_equal(do_mremap(f->m, mm, src, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, src + P, &out),
			 -EINVAL); /* overlap */
	/* MREMAP_FIXED onto an existing mapping replaces it */
	map(f, mm, 0x50000000, 4 * P, PROT_READ, ANON | MAP_FIXED);
	assert_int_equal(do_mremap(f->m, mm, src, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, 0x50000000, &out), 0);
	assert_int_equal(out, 0x50000000);
	assert_int_equal(cpu_read(f, mm, out + P, &b), 0);
	assert_int_equal(b, 0x11);
	assert_vma(mm, 0, 0x20000000 + 8 * P, 0x20000000 + 9 * P, 0, 0);
	assert_int_equal(find_vma(mm, 0x50000000)->vm_end, 0x50000000 + 2 * P);
	assert_int_equal(find_vma(mm, 0x50000000 + 2 * P)->vm_start, 0x50000000 + 2 * P);
	vfx_check_mm(mm);
	vfx_check(f);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_brk(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint8_t b;

	mm_set_brk(mm, 0x600123);
	assert_int_equal(mm->start_brk, 0x601000);
	assert_int_equal(do_brk(f->m, mm, 0), 0x601000); /* query */
	assert_int_equal(do_brk(f->m, mm, 0x602005), 0x602005);
	assert_int_equal(mm->map_count, 1);
	assert_vma(mm, 0, 0x601000, 0x603000, ACC, VM_READ | VM_WRITE);
	assert_int_equal(cpu_write(f, mm, 0x602004, 7), 0);
	assert_int_equal(do_brk(f->m, mm, 0x605000), 0x605000); /* grows the same VMA */
	assert_int_equal(mm->map_count, 1);
	assert_vma(mm, 0, 0x601000, 0x605000, 0, 0);
	assert_int_equal(cpu_read(f, mm, 0x602004, &b), 0);
	assert_int_equal(b, 7);
	char maps[256], want[256];
	mm_format_maps(mm, maps, sizeof maps);
	snprintf(want, sizeof want, "%-73s[heap]\n", "00601000-00605000 rw-p 00000000 00:00 0");
	assert_string_equal(maps, want);
	/* below start_brk: refused, the old break comes back */
	assert_int_equal(do_brk(f->m, mm, 0x500000), 0x605000);
	/* shrink frees */
	assert_int_equal(do_brk(f->m, mm, 0x602000), 0x602000);
	assert_vma(mm, 0, 0x601000, 0x602000, 0, 0);
	assert_int_equal(mm->rss_anon, 0);
	/* growth must leave a page below the next mapping */
	map(f, mm, 0x700000, P, RW, ANON | MAP_FIXED);
	assert_int_equal(do_brk(f->m, mm, 0x700000), 0x602000);
	assert_int_equal(do_brk(f->m, mm, 0x6ff000), 0x6ff000);
	/* a reshrink to start_brk removes the heap VMA */
	assert_int_equal(do_brk(f->m, mm, 0x601000), 0x601000);
	assert_int_equal(mm->map_count, 1);
	vfx_check_mm(mm);
	mmput(f->m, mm);
	vfx_free(f);
}

static void test_madvise(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t a = map(f, mm, 0x20000000, 8 * P, RW, ANON | MAP_FIXED);
	uint8_t b;

	for (int i = 0; i < 8; i++)
		assert_int_equal(cpu_write(f, mm, a + i * P + 5, 0xab), 0);
	assert_int_equal(mm->rss_anon, 8);
	unsigned long free1 = nr_free_pages(f->m);
	assert_int_equal(do_madvise(f->m, mm, a, 4 * P, MADV_DONTNEED), 0);
	assert_int_equal(mm->rss_anon, 4);
	assert_int_equal(nr_free_pages(f->m), free1 + 4);
	assert_int_equal(cpu_read(f, mm, a + P + 5, &b), 0);
	assert_int_equal(b, 0); /* zero-fill on demand again */
	assert_int_equal(cpu_read(f, mm, a + 5 * P + 5, &b), 0);
	assert_int_equal(b, 0xab);
	/* MADV_FREE: lazyfree, data still there until reclaim */
	unsigned long lf = f->m->vm_events[PGLAZYFREE];
	assert_int_equal(do_madvise(f->m, mm, a + 4 * P, 4 * P, MADV_FREE), 0);
	assert_int_equal(f->m->vm_events[PGLAZYFREE], lf + 4);
	assert_int_equal(cpu_read(f, mm, a + 6 * P + 5, &b), 0);
	assert_int_equal(b, 0xab);
	/* errors */
	assert_int_equal(do_madvise(f->m, mm, a, P, 77), -EINVAL);
	assert_int_equal(do_madvise(f->m, mm, a, P, MADV_MERGEABLE), -EINVAL);
	assert_int_equal(do_madvise(f->m, mm, a + 1, P, MADV_DONTNEED), -EINVAL);
	assert_int_equal(do_madvise(f->m, mm, a, 0, MADV_DONTNEED), 0);
	assert_int_equal(do_madvise(f->m, mm, a, 16 * P, MADV_DONTNEED), -ENOMEM); /* hole after */
	assert_int_equal(mm->rss_anon, 0);  /* ... but the mapped part was advised */
	assert_int_equal(do_madvise(f->m, mm, 0x30000000, P, MADV_NORMAL), -ENOMEM);
	/* flag advice splits and merges */
	assert_int_equal(do_madvise(f->m, mm, a + 2 * P, 2 * P, MADV_DONTFORK), 0);
	assert_int_equal(mm->map_count, 3);
	assert_vma(mm, 1, a + 2 * P, a + 4 * P, VM_DONTCOPY, VM_DONTCOPY);
	assert_int_equal(do_madvise(f->m, mm, a + 2 * P, 2 * P, MADV_DOFORK), 0);
	assert_int_equal(mm->map_count, 1);
	/* MADV_FREE is for anonymous memory only */
	uint8_t img[4096] = { 1 };
	struct file_backing *fb = file_backing_create("/f", img, sizeof img, true);
	uint64_t fm;
	assert_int_equal(do_mmap(f->m, mm, 0, P, PROT_READ, MAP_PRIVATE, fb, 0, &fm), 0);
	assert_int_equal(do_madvise(f->m, mm, fm, P, MADV_FREE), -EINVAL);
	assert_int_equal(do_madvise(f->m, mm, fm, P, MADV_WILLNEED), 0);
	assert_int_equal(fb->mapping.nrpages, 1); /* read into the cache */
	/* populate */
	assert_int_equal(do_madvise(f->m, mm, a, 8 * P, MADV_POPULATE_WRITE), 0);
	assert_int_equal(mm->rss_anon, 8);
	assert_int_equal(do_madvise(f->m, mm, fm, P, MADV_POPULATE_WRITE), -EFAULT);
	vfx_check_mm(mm);
	vfx_check(f);
	mmput(f->m, mm);
	file_backing_put(f->m, fb);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

static void test_mincore(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	struct mm_struct *mm = vfx_mm(f);
	uint64_t a = map(f, mm, 0x20000000, 8 * P, RW, ANON | MAP_FIXED);
	unsigned char vec[8];
	uint8_t b;

	cpu_write(f, mm, a, 1);
	cpu_write(f, mm, a + 2 * P, 1);
	cpu_write(f, mm, a + 5 * P, 1);
	cpu_read(f, mm, a + 7 * P, &b); /* zero page: mapped, so resident */
	assert_int_equal(do_mincore(f->m, mm, a, 8 * P - 100, vec), 0);
	const unsigned char want[8] = { 1, 0, 1, 0, 0, 1, 0, 1 };
	assert_memory_equal(vec, want, 8);
	assert_int_equal(do_mincore(f->m, mm, a + 1, P, vec), -EINVAL);
	assert_int_equal(do_mincore(f->m, mm, a, 9 * P, vec), -ENOMEM);
	assert_int_equal(do_mincore(f->m, mm, TASK_SIZE, P, vec), -ENOMEM);
	assert_int_equal(do_mincore(f->m, mm, a, 0, vec), 0);
	mmput(f->m, mm);
	vfx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mmap_topdown_and_merge),
		cmocka_unit_test(test_munmap_split),
		cmocka_unit_test(test_mprotect_split_merge),
		cmocka_unit_test(test_mmap_errors),
		cmocka_unit_test(test_file_mappings),
		cmocka_unit_test(test_mremap),
		cmocka_unit_test(test_brk),
		cmocka_unit_test(test_madvise),
		cmocka_unit_test(test_mincore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
