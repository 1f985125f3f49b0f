/* mm/mremap.c - mremap(2) with Linux's (6.1) rules: shrink in place, grow
 * in place when the following range is free, else move (MREMAP_MAYMOVE) or
 * move to a given address (MREMAP_FIXED).  A move copies the VMA and moves
 * the PTEs (mm->pt_ops->move_page_tables): the frames stay, no data is
 * copied, and anonymous pages keep their index because the new VMA keeps
 * the old linear pgoff.
 */
#include <errno.h>

#include "mm/mmap.h"
#include "mm/overcommit.h"
#include "mm/rmap.h"
#include "mm/vma_internal.h"

/* The VMA containing ADDR, or NULL (Linux's vma_lookup). */
static struct vm_area_struct *vma_lookup(struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *v = find_vma(mm, addr);
	return v && v->vm_start <= addr ? v : NULL;
}

/* Linux's vma_to_resize(), with the overcommit charge of the growth
 * (NEW_LEN - OLD_LEN pages of a VM_ACCOUNT VMA; all of NEW_LEN for
 * MREMAP_DONTUNMAP, whose old range stays).  Returns the VMA or NULL with
 * *ERR set. */
static struct vm_area_struct *vma_to_resize(struct memsys *m, struct mm_struct *mm, uint64_t addr,
					    uint64_t old_len, uint64_t new_len, unsigned long flags, int *err)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	uint64_t pgoff;

	*err = -EFAULT;
	if (!vma)
		return NULL;
	if (old_len > vma->vm_end - addr)
		return NULL; /* can't remap across VMA boundaries */
	if ((vma->vm_flags & VM_ACCOUNT) && m && ((flags & MREMAP_DONTUNMAP) || new_len > old_len) &&
	    security_vm_enough_memory_mm(m, mm, (long)(((flags & MREMAP_DONTUNMAP) ? new_len : new_len - old_len) >>
							PAGE_SHIFT))) {
		*err = -ENOMEM;
		return NULL;
	}
	if (new_len == old_len)
		return vma;
	pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff) {
		*err = -EINVAL;
		return NULL;
	}
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return NULL;
	return vma;
}

/* Copy VMA's [addr, addr+len) piece to NEW_ADDR (free range): merge with a
 * neighbour there or link a new VMA.  Returns it or NULL (no memory). */
static struct vm_area_struct *copy_vma(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
				       uint64_t new_addr, uint64_t len, uint64_t pgoff)
{
	struct vm_area_struct *prev, *n;

	/* An anonymous VMA never faulted takes the pgoff of its new place. */
	if (!vma->vm_file && !vma->anon_vma)
		pgoff = new_addr >> PAGE_SHIFT;
	prev = vma_prev_of_addr(mm, new_addr);
	n = vma_merge(m, mm, prev, new_addr, new_addr + len, vma->vm_flags, vma->vm_file, pgoff, vma->anon_vma,
		      vma->name);
	if (n)
		return n;
	n = vm_area_dup(m, vma);
	if (!n)
		return NULL;
	n->vm_start = new_addr;
	n->vm_end = new_addr + len;
	n->vm_pgoff = pgoff;
	if (insert_vm_struct(mm, n)) {
		vm_area_free(m, n);
		return NULL;
	}
	return n;
}

/* Move [old_addr, old_addr+old_len) of VMA to NEW_ADDR with NEW_LEN.
 * Returns 0 or -ENOMEM. */
static int move_vma(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t old_addr,
		    uint64_t old_len, uint64_t new_len, uint64_t new_addr, unsigned long flags)
{
	uint64_t pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *nv;
	uint64_t moved = old_len;
	/* Both ranges are mapped for a moment: the munmap that ends it must
	 * not make that total_vm the peak (Linux restores hiwater_vm too). */
	unsigned long hiwater_vm = mm->hiwater_vm;
	int r;

	if (mm->map_count >= mm->max_map_count - 3)
		return -ENOMEM;
	nv = copy_vma(m, mm, vma, new_addr, new_len, pgoff);
	if (!nv)
		return -ENOMEM;
	if (mm->pt_ops)
		moved = mm->pt_ops->move_page_tables(m, mm, old_addr, new_addr, old_len);
	if (moved < old_len) {
		/* Put back what moved and drop the new VMA (Linux does the same). */
		if (mm->pt_ops)
			mm->pt_ops->move_page_tables(m, mm, new_addr, old_addr, moved);
		__do_munmap(m, mm, new_addr, new_addr + new_len);
		mm->hiwater_vm = hiwater_vm;
		return -ENOMEM;
	}
	if (flags & MREMAP_DONTUNMAP) {
		/* The old range stays mapped, now empty (pages moved). */
		return 0;
	}
	r = __do_munmap(m, mm, old_addr, old_addr + old_len);
	mm->hiwater_vm = hiwater_vm;
	return r;
}

/* MREMAP_FIXED / MREMAP_DONTUNMAP (Linux's mremap_to). */
static int mremap_to(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t old_len, uint64_t new_addr,
		     uint64_t new_len, unsigned long flags, uint64_t *out)
{
	struct vm_area_struct *vma;
	unsigned long map_flags = 0;
	int r;

	if (new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (!range_in_task(mm, new_addr, new_len))
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL; /* overlap */
	if (mm->map_count + 2 >= mm->max_map_count - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		r = __do_munmap(m, mm, new_addr, new_addr + new_len);
		if (r)
			return r;
	}
	if (old_len > new_len) {
		r = __do_munmap(m, mm, addr + new_len, addr + old_len);
		if (r)
			return r;
		old_len = new_len;
	}
	vma = vma_to_resize(m, mm, addr, old_len, new_len, flags, &r);
	if (!vma)
		return r;
	if (flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	r = get_unmapped_area(mm, new_addr, new_len, map_flags, &new_addr);
	if (r)
		return r;
	r = move_vma(m, mm, vma, addr, old_len, new_len, new_addr, flags);
	if (r)
		return r;
	*out = new_addr;
	return 0;
}

int do_mremap(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t old_len, uint64_t new_len,
	      unsigned long flags, uint64_t new_addr, uint64_t *out)
{
	struct vm_area_struct *vma, *next;
	int r;

	if (flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	if (!vma_lookup(mm, addr))
		return -EFAULT;
	if ((flags & MREMAP_DONTUNMAP)) {
		vma = vma_lookup(mm, addr);
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL; /* private anonymous only */
	}

	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		r = mremap_to(m, mm, addr, old_len, new_addr, new_len, flags, out);
		goto done;
	}
	if (old_len >= new_len) { /* shrink (or no-op) in place */
		if (old_len != new_len) {
			r = __do_munmap(m, mm, addr + new_len, addr + old_len);
			if (r)
				return r;
		}
		*out = addr;
		r = 0;
		goto done;
	}
	vma = vma_to_resize(m, mm, addr, old_len, new_len, flags, &r);
	if (!vma)
		return r;
	/* old_len exactly to the end of the VMA: can we just expand it? */
	if (old_len == vma->vm_end - addr) {
		uint64_t delta = new_len - old_len, nend = vma->vm_end + delta;
		next = vma_next(mm, vma);
		if (nend > vma->vm_end && nend <= mm->task_size && (!next || next->vm_start >= nend)) {
			/* vma_merge with the range [vm_end, nend): grows VMA, and
			 * absorbs NEXT when it now touches a mergeable one. */
			if (!vma_merge(m, mm, vma, vma->vm_end, nend, vma->vm_flags, vma->vm_file,
				       vma->vm_pgoff + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT), vma->anon_vma,
				       vma->name)) {
				vma_unaccount(mm, vma);
				vma->vm_end = nend;
				vma_account(mm, vma);
			}
			*out = addr;
			r = 0;
			goto done;
		}
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	r = get_unmapped_area(mm, 0, new_len, (vma->vm_flags & VM_MAYSHARE) ? MAP_SHARED : 0, &new_addr);
	if (r)
		return r;
	r = move_vma(m, mm, vma, addr, old_len, new_len, new_addr, flags);
	if (!r)
		*out = new_addr;
done:
	if (!r)
		trace_vma(m, TEV_VMA, *out, new_len, "mremap");
	return r;
}
