/* tests/vm/vm_fixture.h - a machine (memsys + kernel page tables) and
 * helpers that play the CPU: an access looks the PTE up and, when the PTE
 * does not allow it, raises the #PF the hardware would (do_user_addr_fault),
 * then reads or writes the bytes through the frame. */
#ifndef MMSIM_TESTS_VM_FIXTURE_H
#define MMSIM_TESTS_VM_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/check.h"
#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/slab.h"
#include "mmu/memory.h"
#include "mmu/pgtable.h"
#include "traces/trace.h"

struct vfx {
	struct trace *t;
	struct memsys *m;
	struct kernel_pgtables k;
	unsigned long free0;       /* nr_free_pages after setup (zero page made) */
};

static inline void vfx_check(struct vfx *f)
{
	char err[256];
	if (mm_check(f->m, err, sizeof err))
		fail_msg("mm_check: %s", err);
}

static inline void vfx_check_mm(struct mm_struct *mm)
{
	char err[256];
	if (mm_check_vmas(mm, err, sizeof err))
		fail_msg("mm_check_vmas: %s", err);
}

/* A machine of MEM bytes of RAM and SWAP bytes of swap (0: none). */
static inline struct vfx *vfx_new_swap(uint64_t mem, uint64_t swap)
{
	struct vfx *f = calloc(1, sizeof *f);
	char err[256];
	struct mem_config cfg;

	assert_non_null(f);
	mem_config_default(&cfg);
	cfg.mem_bytes = mem;
	cfg.swap_bytes = swap;
	f->t = trace_open_none();
	f->m = memsys_create(&cfg, f->t, err, sizeof err);
	if (!f->m)
		fail_msg("memsys_create: %s", err);
	assert_int_equal(kernel_pgtables_init(f->m, &f->k), 0);
	assert_non_null(get_zero_page(f->m));
	f->free0 = nr_free_pages(f->m);
	vfx_check(f);
	return f;
}

static inline struct vfx *vfx_new(uint64_t mem)
{
	return vfx_new_swap(mem, 0);
}

static inline void vfx_free(struct vfx *f)
{
	kernel_pgtables_destroy(f->m, &f->k);
	memsys_destroy(f->m);
	trace_close(f->t);
	free(f);
}

/* Objects live in the slab cache NAME ("mm_struct", "vm_area_struct",
 * "anon_vma"), as /proc/slabinfo shows them; 0 before the cache exists. */
static inline long long vfx_slab_active(struct vfx *f, const char *name)
{
	char key[64], err[256];
	long long v;

	if (!kmem_cache_find(f->m, name))
		return 0;
	snprintf(key, sizeof key, "%s.active_objs", name);
	if (proc_stat_lookup(f->m, "slabinfo", key, &v, err, sizeof err))
		fail_msg("slabinfo %s: %s", key, err);
	return v;
}

/* Every address space is gone: no mm_struct, vm_area_struct or anon_vma is
 * live, and once the empty slabs the caches keep (SLUB's min_partial) are
 * shrunk, every page is free again (as `echo 1 > /sys/kernel/slab/X/shrink`
 * would give them back). */
static inline void vfx_assert_no_leak(struct vfx *f)
{
	static const char *const caches[] = {"mm_struct", "vm_area_struct", "anon_vma"};

	for (size_t i = 0; i < sizeof caches / sizeof caches[0]; i++) {
		struct kmem_cache *c = kmem_cache_find(f->m, caches[i]);
		if (vfx_slab_active(f, caches[i]))
			fail_msg("%lld %s objects leaked", vfx_slab_active(f, caches[i]), caches[i]);
		if (c)
			kmem_cache_shrink(f->m, c);
	}
	assert_int_equal(nr_free_pages(f->m), f->free0);
}

static inline struct mm_struct *vfx_mm(struct vfx *f)
{
	struct mm_struct *mm = mm_alloc(f->m, &f->k);
	assert_non_null(mm);
	return mm;
}

/* The CPU's view: fault as x86 would, then access.  Returns 0 or the signal. */
static inline int cpu_access(struct vfx *f, struct mm_struct *mm, uint64_t va, bool write, uint8_t *byte)
{
	for (int tries = 0; tries < 3; tries++) {
		pte_t *p = pte_lookup(f->m, mm, va);
		if (p && pte_present(*p) && (!write || pte_write(*p))) {
			uint8_t *b = (uint8_t *)phys_to_host(f->m, pte_pfn(*p) << PAGE_SHIFT) + (va & ~PAGE_MASK);
			if (write)
				*b = *byte;
			else
				*byte = *b;
			return 0;
		}
		unsigned ec = X86_PF_USER | (write ? X86_PF_WRITE : 0) | (p && pte_present(*p) ? X86_PF_PROT : 0);
		struct fault_info fi;
		int sig = do_user_addr_fault(f->m, mm, va, ec, 0x401000, &fi);
		if (sig)
			return sig;
	}
	fail_msg("access to %#llx still faults after 3 tries", (unsigned long long)va);
	return -1;
}

static inline int cpu_write(struct vfx *f, struct mm_struct *mm, uint64_t va, uint8_t v)
{
	return cpu_access(f, mm, va, true, &v);
}

static inline int cpu_read(struct vfx *f, struct mm_struct *mm, uint64_t va, uint8_t *v)
{
	return cpu_access(f, mm, va, false, v);
}

/* Number of VMAs and the I-th one. */
static inline struct vm_area_struct *vma_at(struct mm_struct *mm, int i)
{
	struct list_head *l;
	int n = 0;
	list_for_each(l, &mm->mmap) {
		if (n++ == i)
			return list_entry(l, struct vm_area_struct, vm_list);
	}
	return NULL;
}

#define assert_vma(mm, i, start, end, flags_mask, flags)                                   \
	do {                                                                               \
		struct vm_area_struct *v_ = vma_at(mm, i);                                 \
		assert_non_null(v_);                                                       \
		assert_int_equal(v_->vm_start, (start));                                   \
		assert_int_equal(v_->vm_end, (end));                                       \
		assert_int_equal(v_->vm_flags & (flags_mask), (flags));                    \
	} while (0)

#endif
