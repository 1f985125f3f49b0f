/* tests/vm/test_kobjs.c - address-space objects (mm_struct, vm_area_struct,
 * anon_vma) come from slab caches in simulated RAM: /proc/slabinfo counts
 * them while processes live and drops to zero after teardown; when the slab
 * cannot get a page, mmap/munmap/mprotect/fork/faults fail cleanly with
 * ENOMEM and every invariant still holds. */
#include <errno.h>

#include "mm/rmap.h"
#include "vm_fixture.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define NR_MM 10

static long long L(struct vfx *f, const char *view, const char *key)
{
	char err[256];
	long long v;

	if (proc_stat_lookup(f->m, view, key, &v, err, sizeof err))
		fail_msg("%s.%s: %s", view, key, err);
	return v;
}

/* A process-like address space: stack, a writable data area (written, so
 * it has an anon_vma), a read-only area, a file mapping: 4 VMAs. */
static struct mm_struct *make_proc(struct vfx *f, struct file_backing *file)
{
	struct mm_struct *mm = vfx_mm(f);
	uint64_t out;

	assert_int_equal(mm_setup_stack(f->m, mm, 0x7ffffff00000ULL, 8 * P), 0);
	assert_int_equal(do_mmap(f->m, mm, 0x10000000, 4 * P, RW, ANON | MAP_FIXED, NULL, 0, &out), 0);
	assert_int_equal(do_mmap(f->m, mm, 0x10004000, 2 * P, PROT_READ, ANON | MAP_FIXED, NULL, 0, &out), 0);
	assert_int_equal(do_mmap(f->m, mm, 0x400000, 2 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, file, 0, &out), 0);
	assert_int_equal(cpu_write(f, mm, 0x10000000, 1), 0);
	assert_int_equal(cpu_write(f, mm, 0x7ffffff00000ULL - 8, 2), 0);
	assert_int_equal(mm->map_count, 4);
	vfx_check_mm(mm);
	return mm;
}

/* True if OBJ lies in a PG_slab page of simulated RAM. */
static bool in_slab(struct vfx *f, const void *obj)
{
	const uint8_t *p = obj;
	if (p < f->m->phys_base || p >= f->m->phys_base + f->m->cfg.mem_bytes)
		return false;
	return PageSlab(virt_to_page(f->m, obj));
}

static void test_slabinfo_ten_processes(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(64 << 20);
	static const char img[2 * 4096] = "ELF";
	struct file_backing *file = file_backing_create("bin/true", img, sizeof img, false);
	struct mm_struct *mm[NR_MM + 1];
	struct strbuf sb = {0};

	assert_non_null(file);
	/* no address space yet: no cache (slabinfo stays as the boot made it) */
	assert_null(kmem_cache_find(f->m, "vm_area_struct"));
	long long unrecl0 = L(f, "vmstat", "nr_slab_unreclaimable");

	for (int i = 0; i < NR_MM; i++)
		mm[i] = make_proc(f, file);
	assert_int_equal(L(f, "slabinfo", "mm_struct.active_objs"), NR_MM);
	assert_int_equal(L(f, "slabinfo", "vm_area_struct.active_objs"), 4 * NR_MM);
	assert_int_equal(L(f, "slabinfo", "anon_vma.active_objs"), 2 * NR_MM); /* data + stack */
	assert_true(L(f, "slabinfo", "vm_area_struct.objsize") >= (long long)sizeof(struct vm_area_struct));
	assert_int_equal(L(f, "slabinfo", "vm_area_struct.objsize") % 64, 0); /* SLAB_HWCACHE_ALIGN */
	assert_true(L(f, "slabinfo", "mm_struct.objsize") >= (long long)sizeof(struct mm_struct));
	assert_true(L(f, "slabinfo", "anon_vma.objsize") >= (long long)sizeof(struct anon_vma));
	/* the objects live in slab pages of simulated RAM */
	assert_true(in_slab(f, mm[3]));
	assert_true(in_slab(f, vma_at(mm[3], 0)));
	assert_true(in_slab(f, find_vma(mm[3], 0x10000000)->anon_vma));
	/* and are accounted as unreclaimable slab */
	long long pages = 0;
	for (const char *const *c = (const char *const[]){"mm_struct", "vm_area_struct", "anon_vma", NULL}; *c; c++) {
		char key[64];
		snprintf(key, sizeof key, "%s.num_slabs", *c);
		long long slabs = L(f, "slabinfo", key);
		snprintf(key, sizeof key, "%s.pagesperslab", *c);
		pages += slabs * L(f, "slabinfo", key);
	}
	assert_true(pages >= 3);
	assert_int_equal(L(f, "vmstat", "nr_slab_unreclaimable") - unrecl0, pages);

	/* /proc/slabinfo text: one line per cache, parsed back above */
	proc_slabinfo(f->m, &sb);
	char want[160];
	snprintf(want, sizeof want, "\n%-17s %6d", "vm_area_struct", 4 * NR_MM);
	if (!strstr(sb.buf, want))
		fail_msg("no '%s' in:\n%s", want + 1, sb.buf);
	snprintf(want, sizeof want, "\n%-17s %6d", "mm_struct", NR_MM);
	assert_non_null(strstr(sb.buf, want));
	assert_non_null(strstr(sb.buf, "\nanon_vma     "));
	sb_free(&sb);

	/* fork: the child's VMAs are new objects; its anon VMAs join the
	 * parent's anon_vma (mm/rmap.h's simplification of anon_vma_chain) */
	mm[NR_MM] = dup_mm(f->m, &f->k, mm[0]);
	assert_non_null(mm[NR_MM]);
	assert_int_equal(L(f, "slabinfo", "mm_struct.active_objs"), NR_MM + 1);
	assert_int_equal(L(f, "slabinfo", "vm_area_struct.active_objs"), 4 * (NR_MM + 1));
	assert_int_equal(L(f, "slabinfo", "anon_vma.active_objs"), 2 * NR_MM);
	/* splits and merges: two splits (+2 VMAs), then merged back */
	assert_int_equal(do_mprotect(f->m, mm[1], 0x10001000, P, PROT_READ), 0);
	assert_int_equal(L(f, "slabinfo", "vm_area_struct.active_objs"), 4 * (NR_MM + 1) + 2);
	assert_int_equal(do_mprotect(f->m, mm[1], 0x10001000, P, RW), 0);
	assert_int_equal(L(f, "slabinfo", "vm_area_struct.active_objs"), 4 * (NR_MM + 1));
	vfx_check(f);

	for (int i = NR_MM; i >= 0; i--)
		mmput(f->m, mm[i]);
	assert_int_equal(L(f, "slabinfo", "mm_struct.active_objs"), 0);
	assert_int_equal(L(f, "slabinfo", "vm_area_struct.active_objs"), 0);
	assert_int_equal(L(f, "slabinfo", "anon_vma.active_objs"), 0);
	vfx_check(f);
	file_backing_put(f->m, file);
	vfx_assert_no_leak(f);
	assert_int_equal(L(f, "vmstat", "nr_slab_unreclaimable"), unrecl0);
	vfx_check(f);
	vfx_free(f);
}

/* Take every free page (GFP_KERNEL, down to the min watermark) into HOG.
 * Returns the count. */
static int hog_all(struct vfx *f, struct page **hog, int max)
{
	int n = 0;
	struct page *p;

	while (n < max && (p = alloc_pages(f->m, GFP_KERNEL | __GFP_NOWARN, 0)))
		hog[n++] = p;
	assert_true(n < max);
	return n;
}

static void test_enomem_when_slab_has_no_page(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(8 << 20);
	static struct page *hog[4096];
	struct mm_struct *mm = vfx_mm(f), *child;
	uint64_t out = 0, a = 0x20000000;
	int r = 0, n, i, count;
	char maps0[8192], maps1[8192];

	assert_int_equal(do_mmap(f->m, mm, 0x10000000, 8 * P, RW, ANON | MAP_FIXED, NULL, 0, &out), 0);
	assert_int_equal(cpu_write(f, mm, 0x10000000, 5), 0);
	mm_set_brk(mm, 0x600000);
	n = hog_all(f, hog, 4096);
	assert_true(n > 100);

	/* New VMAs (alternating protections: no merging) until the slab's
	 * free objects are used up and it needs a page it cannot get. */
	for (i = 0; i < 200; i++, a += 2 * P) {
		count = mm->map_count;
		r = do_mmap(f->m, mm, a, P, (i & 1) ? PROT_READ : RW, ANON | MAP_FIXED, NULL, 0, &out);
		if (r)
			break;
		assert_int_equal(mm->map_count, count + 1);
	}
	assert_int_equal(r, -ENOMEM);
	assert_true(i > 0);
	assert_int_equal(mm->map_count, count);
	assert_null(find_vma_intersection(mm, a, a + P));
	vfx_check_mm(mm);
	vfx_check(f);

	/* Each needs a new vm_area_struct: refused, nothing changed. */
	mm_format_maps(mm, maps0, sizeof maps0);
	assert_int_equal(do_munmap(f->m, mm, 0x10001000, P), -ENOMEM);
	assert_int_equal(do_mprotect(f->m, mm, 0x10002000, P, PROT_READ), -ENOMEM);
	assert_int_equal(do_mremap(f->m, mm, 0x10000000, 2 * P, P, 0, 0, &out), -ENOMEM); /* split */
	assert_int_equal(do_brk(f->m, mm, mm->brk + P), mm->brk);
	mm_format_maps(mm, maps1, sizeof maps1);
	assert_string_equal(maps0, maps1);
	uint8_t b;
	assert_int_equal(cpu_read(f, mm, 0x10000000, &b), 0);
	assert_int_equal(b, 5);
	vfx_check_mm(mm);
	vfx_check(f);

	/* fork without memory: NULL, nothing leaked, parent intact */
	long long vmas = vfx_slab_active(f, "vm_area_struct");
	long long mms = vfx_slab_active(f, "mm_struct");
	child = dup_mm(f->m, &f->k, mm);
	assert_null(child);
	assert_int_equal(vfx_slab_active(f, "vm_area_struct"), vmas);
	assert_int_equal(vfx_slab_active(f, "mm_struct"), mms);
	/* a write to a never-touched anonymous VMA cannot get its page (or
	 * anon_vma): the fault fails (OOM), nothing is mapped */
	struct fault_info fi;
	int sig = do_user_addr_fault(f->m, mm, 0x20000000, X86_PF_USER | X86_PF_WRITE, 0x401000, &fi);
	assert_int_not_equal(sig, 0);
	pte_t *pte = pte_lookup(f->m, mm, 0x20000000);
	assert_true(!pte || !pte_present(*pte));
	vfx_check_mm(mm);
	vfx_check(f);

	/* memory back: everything works again */
	for (i = 0; i < n; i++)
		__free_pages(f->m, hog[i], 0);
	assert_int_equal(do_munmap(f->m, mm, 0x10001000, P), 0);
	child = dup_mm(f->m, &f->k, mm);
	assert_non_null(child);
	assert_int_equal(cpu_write(f, child, 0x10000000, 6), 0);
	assert_int_equal(cpu_read(f, mm, 0x10000000, &b), 0);
	assert_int_equal(b, 5);
	vfx_check_mm(mm);
	vfx_check_mm(child);
	vfx_check(f);
	mmput(f->m, child);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_check(f);
	vfx_free(f);
}

/* mm_alloc itself fails when neither the mm_struct slab nor the pgd can be
 * had; the first mm_alloc creates the caches even when it then fails. */
static void test_mm_alloc_enomem(void **state)
{
	(void)state;
	struct vfx *f = vfx_new(8 << 20);
	static struct page *hog[4096];
	int n = hog_all(f, hog, 4096);

	assert_null(mm_alloc(f->m, &f->k));
	assert_non_null(kmem_cache_find(f->m, "mm_struct"));
	assert_int_equal(vfx_slab_active(f, "mm_struct"), 0);
	vfx_check(f);
	for (int i = 0; i < n; i++)
		__free_pages(f->m, hog[i], 0);
	struct mm_struct *mm = vfx_mm(f);
	assert_int_equal(vfx_slab_active(f, "mm_struct"), 1);
	mmput(f->m, mm);
	vfx_assert_no_leak(f);
	vfx_free(f);
}

/* Two machines in one process have their own caches. */
static void test_two_machines(void **state)
{
	(void)state;
	struct vfx *f1 = vfx_new(16 << 20), *f2 = vfx_new(16 << 20);
	struct mm_struct *a = vfx_mm(f1), *b = vfx_mm(f2), *c = vfx_mm(f2);

	assert_ptr_not_equal(f1->m->vm_area_cachep, f2->m->vm_area_cachep);
	assert_int_equal(vfx_slab_active(f1, "mm_struct"), 1);
	assert_int_equal(vfx_slab_active(f2, "mm_struct"), 2);
	assert_true(in_slab(f1, a));
	assert_true(in_slab(f2, b));
	mmput(f1->m, a);
	mmput(f2->m, b);
	mmput(f2->m, c);
	vfx_assert_no_leak(f1);
	vfx_assert_no_leak(f2);
	vfx_free(f1);
	vfx_free(f2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slabinfo_ten_processes),
		cmocka_unit_test(test_enomem_when_slab_has_no_page),
		cmocka_unit_test(test_mm_alloc_enomem),
		cmocka_unit_test(test_two_machines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
