/* mm/mlock.c - mlock, mlock2, munlock, mlockall, munlockall (see
 * mm/mlock.h).  The VMA side (VM_LOCKED, VM_LOCKONFAULT, splitting and
 * merging, locked_vm) is done here; the pages are reached through
 * mm->pt_ops (populate, then mlock_range to set or clear PG_mlocked on
 * what is mapped). */
#include "mm/mlock.h"

#include <errno.h>

#include "mm/mmap.h"
#include "mm/vma_internal.h"

void mlock_page(struct memsys *m, struct page *page)
{
	if (PageMlocked(page))
		return;
	page->flags |= 1u << PG_mlocked;
	mod_zone_page_state(page_zone(m, page), NR_MLOCK, 1);
	__count_vm_event(m, UNEVICTABLE_PGMLOCKED);
	check_move_unevictable_page(m, page);
}

void munlock_page(struct memsys *m, struct page *page)
{
	if (!PageMlocked(page))
		return;
	page->flags &= ~(1u << PG_mlocked);
	mod_zone_page_state(page_zone(m, page), NR_MLOCK, -1);
	__count_vm_event(m, UNEVICTABLE_PGMUNLOCKED);
	check_move_unevictable_page(m, page);
}

void mlock_page_freed(struct memsys *m, struct page *page)
{
	page->flags &= ~(1u << PG_mlocked);
	mod_zone_page_state(page_zone(m, page), NR_MLOCK, -1);
	__count_vm_event(m, UNEVICTABLE_PGCLEARED);
}

/* Set or clear PG_mlocked on what VMA maps in [start, end). */
static void mlock_pages(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t start,
			uint64_t end, bool lock)
{
	if (mm->pt_ops && mm->pt_ops->mlock_range)
		mm->pt_ops->mlock_range(m, mm, vma, start, end, lock);
}

/* Linux's mlock_fixup: give [start, end) of VMA the lock bits NEWFLAGS
 * (merging or splitting) and lock or unlock its pages.  Special VMAs
 * (VM_IO, VM_PFNMAP...) are left alone.  *PREV as vma_modify_flags. */
static int mlock_fixup(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
		       struct vm_area_struct **prev, uint64_t start, uint64_t end, unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	int r;

	if (newflags == oldflags || (oldflags & (VM_SPECIAL | VM_HUGETLB))) {
		*prev = vma;
		return 0;
	}
	r = vma_modify_flags(m, mm, vma, prev, start, end, newflags);
	if (r)
		return r;
	if ((newflags & VM_LOCKED) && !(oldflags & VM_LOCKED))
		mlock_pages(m, mm, *prev, start, end, true);
	else if (!(newflags & VM_LOCKED) && (oldflags & VM_LOCKED))
		mlock_pages(m, mm, *prev, start, end, false);
	return 0;
}

/* Linux's apply_vma_lock_flags: FLAGS on every VMA of [start, start+len),
 * which must be mapped without holes.  Returns 0, -EINVAL or -ENOMEM. */
static int apply_vma_lock_flags(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len,
				unsigned long flags)
{
	uint64_t end = start + len, nstart, tmp;
	struct vm_area_struct *vma, *prev;
	int error = 0;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	prev = start > vma->vm_start ? vma : vma_prev(mm, vma);
	for (nstart = start;;) {
		unsigned long newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = mlock_fixup(m, mm, vma, &prev, nstart, tmp, newflags);
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
	return error;
}

/* Pages of MM's VM_LOCKED VMAs inside [start, start+len) (Linux's
 * count_mm_mlocked_page_nr: what is locked already is not charged twice). */
static uint64_t count_mm_mlocked_page_nr(struct mm_struct *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + len, count = 0;
	struct list_head *l;

	list_for_each(l, &mm->mmap) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_list);
		if (!(v->vm_flags & VM_LOCKED) || v->vm_start >= end || v->vm_end <= start)
			continue;
		uint64_t s = v->vm_start > start ? v->vm_start : start, e = v->vm_end < end ? v->vm_end : end;
		count += (e - s) >> PAGE_SHIFT;
	}
	return count;
}

/* Linux's __mm_populate for [start, start+len) after locking: fault in
 * every accessible VM_LOCKED (not ONFAULT) VMA, writable private ones for
 * writing (COW broken), then mark what is mapped mlocked.  Returns 0 or
 * the first population error. */
static int mm_populate_locked(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	struct vm_area_struct *v = find_vma(mm, start);
	int ret = 0;

	if (!mm->pt_ops)
		return 0;
	for (; v && v->vm_start < end; v = vma_next(mm, v)) {
		uint64_t s = v->vm_start > start ? v->vm_start : start, e = v->vm_end < end ? v->vm_end : end;
		if ((v->vm_flags & VM_LOCKED_MASK) != VM_LOCKED || (v->vm_flags & (VM_IO | VM_PFNMAP)))
			continue;
		if (v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) {
			int r = mm->pt_ops->populate(m, mm, v, s, e, (v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE);
			if (r && !ret)
				ret = r;
		}
		mlock_pages(m, mm, v, s, e, true);
	}
	return ret;
}

int do_mlock(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len, unsigned long flags,
	     uint64_t lock_limit, bool capable)
{
	int error;

	if (!capable && lock_limit == 0 && flags)
		return -EPERM; /* can_do_mlock */
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	if (flags) {
		uint64_t locked = len >> PAGE_SHIFT, limit = lock_limit >> PAGE_SHIFT;
		locked += mm->locked_vm;
		if (locked > limit && !capable) {
			/* what is locked already in the range is not counted twice */
			locked -= count_mm_mlocked_page_nr(mm, start, len);
			if (locked > limit)
				return -ENOMEM;
		}
	}
	error = apply_vma_lock_flags(m, mm, start, len, flags);
	if (error || !flags)
		return error;
	error = mm_populate_locked(m, mm, start, len);
	/* __mlock_posix_error_return */
	return error == -EFAULT ? -ENOMEM : error == -ENOMEM ? -EAGAIN : error;
}

int do_mlockall(struct memsys *m, struct mm_struct *mm, int flags, uint64_t lock_limit, bool capable)
{
	unsigned long to_add = 0;

	if (flags == 0) { /* munlockall */
		mm->def_flags &= ~VM_LOCKED_MASK;
		goto apply;
	}
	if (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!capable && lock_limit == 0)
		return -EPERM;
	if ((flags & MCL_CURRENT) && !capable && mm->total_vm > (lock_limit >> PAGE_SHIFT))
		return -ENOMEM;
	/* apply_mlockall_flags */
	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return 0;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
apply:;
	struct vm_area_struct *prev = NULL, *v = list_empty(&mm->mmap) ? NULL
					       : list_entry(mm->mmap.next, struct vm_area_struct, vm_list);
	while (v) {
		unsigned long newflags = (v->vm_flags & ~VM_LOCKED_MASK) | to_add;
		if (mlock_fixup(m, mm, v, &prev, v->vm_start, v->vm_end, newflags))
			prev = v; /* no memory to split: this one keeps its flags */
		v = vma_next(mm, prev);
	}
	if (to_add)
		mm_populate_locked(m, mm, 0, mm->task_size);
	return 0;
}
