/* mm/mprotect.c - mprotect(2) with Linux's (6.1) checks, splitting and
 * merging: each VMA piece of the range gets the new protection through
 * mprotect_fixup(), which merges with a neighbour if it can and splits
 * otherwise, then rewrites the PTEs (mm->pt_ops->change_protection).
 * As in Linux, pieces before a hole keep their new protection when the
 * call fails with -ENOMEM at the hole.
 */
#include <errno.h>
#include <stdio.h>

#include "mm/mmap.h"
#include "mm/overcommit.h"
#include "mm/vma_internal.h"

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

/* Give [start, end) of VMA the flags NEWFLAGS.  *PPREV is the VMA before
 * the range (or VMA itself when START is inside it) and is set to the VMA
 * now holding the range.  Returns 0 or -ENOMEM. */
static int mprotect_fixup(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
			  struct vm_area_struct **pprev, uint64_t start, uint64_t end, unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	int r;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	/* Making a private mapping writable charges it (VM_ACCOUNT). */
	if ((newflags & VM_WRITE) && !(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
		if (m && security_vm_enough_memory_mm(m, mm, (long)((end - start) >> PAGE_SHIFT)))
			return -ENOMEM;
		newflags |= VM_ACCOUNT;
	}
	r = vma_modify_flags(m, mm, vma, pprev, start, end, newflags);
	if (r)
		return r;
	if (mm->pt_ops)
		mm->pt_ops->change_protection(m, mm, *pprev, start, end);
	return 0;
}

int do_mprotect(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len, unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	struct vm_area_struct *vma, *prev;
	uint64_t end, nstart, tmp;
	int error;

	prot &= ~(unsigned long)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | 0x8 /* PROT_SEM */))
		return -EINVAL;

	vma = find_vma(mm, start);
	if (!vma)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			return -ENOMEM;
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else {
		if (vma->vm_start > start)
			return -ENOMEM;
		if ((grows & PROT_GROWSUP))
			return -EINVAL; /* no VM_GROWSUP on x86 */
	}
	prev = start > vma->vm_start ? vma : vma_prev(mm, vma);

	error = 0;
	for (nstart = start;;) {
		unsigned long newflags = calc_vm_flags(prot, 0) | (vma->vm_flags & ~(unsigned long)VM_ACCESS_FLAGS);

		/* newflags >> 4 puts VM_MAY* in place of VM_* */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = mprotect_fixup(m, mm, vma, &prev, nstart, tmp, newflags);
		if (error)
			break;
		nstart = tmp;
		if (nstart < prev->vm_end)
			nstart = prev->vm_end;
		if (nstart >= end)
			break;
		vma = vma_next(mm, prev);
		if (!vma || vma->vm_start != nstart) {
			error = -ENOMEM;
			break;
		}
	}
	if (!error) {
		char d[32];
		snprintf(d, sizeof(d), "mprotect %c%c%c", (prot & PROT_READ) ? 'r' : '-', (prot & PROT_WRITE) ? 'w' : '-',
			 (prot & PROT_EXEC) ? 'x' : '-');
		trace_vma(m, TEV_VMA, start, end - start, d);
	}
	return error;
}
