/* mm/madvise.c - madvise(2) and mincore(2) with Linux's (6.1) checks.
 *
 * madvise walks the VMAs of the range like madvise_walk_vmas(): holes make
 * the call return -ENOMEM after advising the mapped parts.  Advice that
 * changes vm_flags (DONTFORK, DONTDUMP, RANDOM, SEQUENTIAL, WIPEONFORK,
 * HUGEPAGE...) splits and merges VMAs like mprotect.  MADV_FREE marks
 * exclusive anonymous pages lazyfree (PGLAZYFREE); freeing them is
 * reclaim's job (a later issue), until then they stay mapped with their
 * data, which Linux also allows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/vma_internal.h"

static bool behavior_valid(int b)
{
	switch (b) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK:
	case MADV_DOFORK: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP:
	case MADV_DODUMP: case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD:
	case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return true;
	default:
		return false; /* MERGEABLE/UNMERGEABLE: no KSM; HWPOISON etc. */
	}
}

static int madvise_vma(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
		       struct vm_area_struct **prev, uint64_t start, uint64_t end, int behavior)
{
	unsigned long nf = vma->vm_flags;

	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_FREE:
		*prev = vma;
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		if (behavior == MADV_FREE) {
			if (vma->vm_file)
				return -EINVAL; /* anonymous private only */
			if (mm->pt_ops)
				mm->pt_ops->lazyfree_range(m, mm, vma, start, end);
		} else if (mm->pt_ops) {
			mm->pt_ops->zap_range(m, mm, vma, start, end);
		}
		return 0;
	case MADV_REMOVE:
		*prev = vma;
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) != (VM_SHARED | VM_WRITE))
			return -EACCES;
		return -EOPNOTSUPP; /* hole punching is not modelled */
	case MADV_WILLNEED:
		*prev = vma;
		if (vma->vm_file && !vma->vm_file->shmem) {
			/* Read the range into the page cache (no mapping). */
			for (uint64_t a = start; a < end; a += PAGE_SIZE) {
				bool major;
				int err;
				struct page *p = filemap_get_page(m, vma->vm_file, linear_page_index(vma, a), &major, &err);
				if (!p)
					break;
				put_page(m, p);
			}
		}
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		*prev = vma;
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		if (mm->pt_ops && mm->pt_ops->cold_range)
			mm->pt_ops->cold_range(m, mm, vma, start, end, behavior == MADV_PAGEOUT);
		return 0;
	case MADV_NORMAL:
		nf &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_RANDOM:
		nf = (nf & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_SEQUENTIAL:
		nf = (nf & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_DONTFORK:
		nf |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (vma->vm_flags & VM_IO)
			return -EINVAL;
		nf &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		nf |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		nf &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		nf |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (vma->vm_flags & VM_SPECIAL)
			return -EINVAL;
		nf &= ~VM_DONTDUMP;
		break;
	case MADV_HUGEPAGE:
		nf = (nf & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		nf = (nf & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	default:
		return -EINVAL;
	}
	return vma_modify_flags(m, mm, vma, prev, start, end, nf);
}

/* MADV_POPULATE_READ/WRITE (Linux's madvise_populate). */
static int madvise_populate(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t end, bool write)
{
	while (start < end) {
		struct vm_area_struct *v = find_vma(mm, start);
		uint64_t e;
		if (!v || v->vm_start > start)
			return -ENOMEM;
		if (v->vm_flags & (VM_IO | VM_PFNMAP))
			return -EINVAL;
		if (write ? !(v->vm_flags & VM_WRITE) : !(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
			return -EFAULT;
		e = v->vm_end < end ? v->vm_end : end;
		if (mm->pt_ops) {
			int r = mm->pt_ops->populate(m, mm, v, start, e, write);
			if (r == -ENOMEM)
				return -ENOMEM;
			if (r)
				return -EFAULT;
		}
		start = e;
	}
	return 0;
}

int do_madvise(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len_in, int behavior)
{
	struct vm_area_struct *vma, *prev;
	uint64_t len, end, tmp;
	int unmapped_error = 0, r;

	if (!behavior_valid(behavior))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		return madvise_populate(m, mm, start, end, behavior == MADV_POPULATE_WRITE);

	vma = find_vma(mm, start);
	prev = vma ? vma_prev(mm, vma) : NULL;
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		r = madvise_vma(m, mm, vma, &prev, start, tmp, behavior);
		if (r)
			return r;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = prev ? vma_next(mm, prev) : find_vma(mm, start);
	}
	if (!unmapped_error) {
		char d[32];
		snprintf(d, sizeof(d), "madvise %d", behavior);
		trace_vma(m, TEV_VMA, end - len, len, d);
	}
	return unmapped_error;
}

int do_mincore(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len, unsigned char *vec)
{
	uint64_t pages, end;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!range_in_task(mm, start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	end = start + (pages << PAGE_SHIFT);
	while (start < end) {
		struct vm_area_struct *v = find_vma(mm, start);
		uint64_t e;
		if (!v || v->vm_start > start)
			return -ENOMEM;
		e = v->vm_end < end ? v->vm_end : end;
		if (mm->pt_ops)
			mm->pt_ops->mincore_range(m, mm, v, start, e, vec);
		else
			memset(vec, 0, (e - start) >> PAGE_SHIFT);
		vec += (e - start) >> PAGE_SHIFT;
		start = e;
	}
	return 0;
}
