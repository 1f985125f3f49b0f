/* mm/mmap.c - mmap, munmap, brk, stack growth and free-area search, with
 * the checks and errno values of Linux's mm/mmap.c (6.1).
 *
 * PTE work is delegated to mm->pt_ops (see mm/mmap.h): pages of VMAs about
 * to be removed are zapped first, then the VMA list is settled.
 * mprotect, mremap, madvise and mincore are in mm/mprotect.c, mm/mremap.c
 * and mm/madvise.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/overcommit.h"
#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/rmap.h"
#include "mm/vma_internal.h"

void trace_vma(struct memsys *m, enum trace_event_type type, uint64_t addr, uint64_t len,
		      const char *detail)
{
	struct trace_event ev = trace_event_init(type);
	ev.addr = addr;
	ev.size = len;
	ev.detail = detail;
	trace_emit(m->trace, &ev);
}

void mm_init_vmas(struct mm_struct *mm)
{
	INIT_LIST_HEAD(&mm->mmap);
	mm->map_count = 0;
	mm->mmap_cache = NULL;
	mm->task_size = TASK_SIZE;
	mm->stack_rlimit = DEFAULT_STACK_RLIMIT;
	mm->data_rlimit = RLIM_INFINITY_U64;
	mm->max_map_count = DEFAULT_MAX_MAP_COUNT;
	/* Linux's mmap_base(): gap = stack rlimit + guard gap, clamped to
	 * [128 MiB, 5/6 of TASK_SIZE]; no randomisation. */
	uint64_t gap = mm->stack_rlimit + STACK_GUARD_GAP;
	if (gap < (128ULL << 20))
		gap = 128ULL << 20;
	if (gap > TASK_SIZE / 6 * 5)
		gap = TASK_SIZE / 6 * 5;
	mm->mmap_base = PAGE_ALIGN(TASK_SIZE - gap);
}

void mm_free_vmas(struct memsys *m, struct mm_struct *mm)
{
	struct list_head *l, *n;

	list_for_each_safe(l, n, &mm->mmap) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_list);
		vma_unlink(mm, v);
		vm_area_free(m, v);
	}
}

unsigned long calc_vm_flags(unsigned long prot, unsigned long flags)
{
	unsigned long f = 0;

	if (prot & PROT_READ)
		f |= VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	if (flags & MAP_GROWSDOWN)
		f |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		f |= VM_LOCKED;
	return f;
}

/* Start of VMA including the guard gap below a stack (vm_start_gap). */
uint64_t vm_start_gap(const struct vm_area_struct *v)
{
	uint64_t s = v->vm_start;
	if (v->vm_flags & VM_GROWSDOWN) {
		s -= STACK_GUARD_GAP;
		if (s > v->vm_start)
			s = 0;
	}
	return s;
}

/*
 * Gap search.  Top down: the highest [addr, addr+len) with addr+len <= high,
 * addr >= low, that fits between the end of one VMA and vm_start_gap() of
 * the next.  Bottom up: the lowest such range.
 */
static int unmapped_area(struct mm_struct *mm, uint64_t len, uint64_t low, uint64_t high, bool topdown,
			 uint64_t *out)
{
	struct list_head *l;
	uint64_t gap_start = 0, best = 0;
	bool found = false;

	if (len > high || high - len < low)
		return -ENOMEM;
	/* Walk gaps in ascending order; the gap after the last VMA ends at TASK_SIZE. */
	for (l = mm->mmap.next;; l = l->next) {
		uint64_t gap_end = l == &mm->mmap ? mm->task_size
						  : vm_start_gap(list_entry(l, struct vm_area_struct, vm_list));
		uint64_t s = gap_start > low ? gap_start : low;
		uint64_t e = gap_end < high ? gap_end : high;
		if (e > s && e - s >= len) {
			if (!topdown) {
				*out = s;
				return 0;
			}
			best = e - len;
			found = true;
		}
		if (l == &mm->mmap)
			break;
		gap_start = list_entry(l, struct vm_area_struct, vm_list)->vm_end;
		if (gap_start >= high)
			break;
	}
	if (!found)
		return -ENOMEM;
	*out = best;
	return 0;
}

int get_unmapped_area(struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long flags, uint64_t *out)
{
	if (len > mm->task_size)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr > mm->task_size - len)
			return -ENOMEM;
		*out = addr;
		return 0;
	}
	if (flags & MAP_32BIT)
		return unmapped_area(mm, len, 0x40000000ULL, 0x80000000ULL, false, out);
	if (addr) {
		struct vm_area_struct *v, *p;
		addr = PAGE_ALIGN(addr);
		v = find_vma(mm, addr);
		p = vma_prev_of_addr(mm, addr);
		if (addr >= MMAP_MIN_ADDR && mm->task_size - len >= addr && (!v || addr + len <= vm_start_gap(v)) &&
		    (!p || addr >= p->vm_end)) {
			*out = addr;
			return 0;
		}
	}
	if (unmapped_area(mm, len, PAGE_SIZE > MMAP_MIN_ADDR ? PAGE_SIZE : MMAP_MIN_ADDR, mm->mmap_base, true,
			  out) == 0)
		return 0;
	/* Linux falls back to a bottom-up search from TASK_UNMAPPED_BASE. */
	return unmapped_area(mm, len, PAGE_ALIGN(mm->task_size / 3), mm->task_size, false, out);
}

/* Remove the VMAs in [start, end), which must start and end on VMA
 * boundaries: zap their pages, unlink and free them (Linux's remove_mt,
 * with the high-water mark of total_vm taken first). */
static void remove_vmas(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vm_area_struct *v = find_vma(mm, start);

	update_hiwater_vm(mm);
	while (v && v->vm_start < end) {
		struct vm_area_struct *n = vma_next(mm, v);
		if (mm->pt_ops)
			mm->pt_ops->zap_range(m, mm, v, v->vm_start, v->vm_end);
		vma_unlink(mm, v);
		vm_area_free(m, v);
		v = n;
	}
	if (mm->pt_ops && mm->pt_ops->free_pgtables) {
		struct vm_area_struct *prev = vma_prev_of_addr(mm, start);
		mm->pt_ops->free_pgtables(m, mm, prev ? prev->vm_end : 0, v ? v->vm_start : 1ULL << 47);
	}
}

/* Split so that START and END are VMA boundaries (Linux's munmap part of
 * do_vmi_align_munmap).  Returns 0 or -ENOMEM. */
static int split_at(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vm_area_struct *v = find_vma(mm, start);
	int r;

	if (!v || v->vm_start >= end)
		return 0;
	if (start > v->vm_start) {
		/* A split of both ends of one VMA needs two new slots. */
		if (end < v->vm_end && mm->map_count >= mm->max_map_count)
			return -ENOMEM;
		r = split_vma(m, mm, v, start, 0);
		if (r)
			return r;
	}
	v = find_vma(mm, end);
	if (v && v->vm_start < end) {
		r = split_vma(m, mm, v, end, 1);
		if (r)
			return r;
	}
	return 0;
}

/* Unmap [start, end), both page aligned.  Returns 0 or -ENOMEM. */
int __do_munmap(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	int r = split_at(m, mm, start, end);
	if (r)
		return r;
	remove_vmas(m, mm, start, end);
	return 0;
}

int do_munmap(struct memsys *m, struct mm_struct *mm, uint64_t start, uint64_t len)
{
	uint64_t end;
	int r;

	if ((start & ~PAGE_MASK) || !range_in_task(mm, start, len))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (len == 0)
		return -EINVAL;
	r = __do_munmap(m, mm, start, end);
	if (!r)
		trace_vma(m, TEV_UNMAP, start, len, NULL);
	return r;
}

/* Linux's accountable_mapping(): private writable memory is charged. */
static bool accountable(unsigned long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* Linux's mmap_region: unmap what is there, merge or insert a new VMA.
 * Returns 0 with the VMA in *OUT_VMA, or -ENOMEM. */
static int mmap_region(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t len,
		       unsigned long vm_flags, struct file_backing *file, uint64_t pgoff, const char *name,
		       struct vm_area_struct **out_vma)
{
	struct vm_area_struct *vma, *prev;
	uint64_t end = addr + len;
	int r;

	r = __do_munmap(m, mm, addr, end);
	if (r)
		return r;
	if (accountable(vm_flags)) {
		/* charged after the old mappings went, as Linux's mmap_region */
		if (m && security_vm_enough_memory_mm(m, mm, (long)(len >> PAGE_SHIFT)))
			return -ENOMEM;
		vm_flags |= VM_ACCOUNT;
	}
	prev = vma_prev_of_addr(mm, addr);
	if (!(file && file->shmem)) {
		vma = vma_merge(m, mm, prev, addr, end, vm_flags, file, pgoff, NULL, name);
		if (vma) {
			*out_vma = vma;
			return 0;
		}
	}
	vma = vm_area_alloc(m, mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	if (name)
		snprintf(vma->name, sizeof(vma->name), "%s", name);
	if (file) {
		vma->vm_file = file_backing_get(file);
		vma_link_file(vma);
	}
	r = insert_vm_struct(mm, vma);
	if (r) {
		vm_area_free(m, vma);
		return r;
	}
	*out_vma = vma;
	return 0;
}

int do_mmap(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, struct file_backing *file, uint64_t pgoff, uint64_t *out)
{
	struct file_backing *shm = NULL;
	struct vm_area_struct *vma;
	unsigned long vm_flags;
	int r;

	if (!len)
		return -EINVAL;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP | 0x8))
		return -EINVAL;
	if (!(flags & MAP_FIXED) && addr && addr < MMAP_MIN_ADDR)
		addr = PAGE_ALIGN(MMAP_MIN_ADDR); /* round_hint_to_min */
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > mm->max_map_count)
		return -ENOMEM;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if ((flags & MAP_HUGETLB) && !file)
		return -ENOMEM; /* no hugetlb pages reserved (nr_hugepages=0) */
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_PRIVATE:
		break;
	case MAP_SHARED_VALIDATE:
		if (!file)
			return -EINVAL;
		if (flags & ~(unsigned long)(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN |
					     MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE |
					     MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE))
			return -EOPNOTSUPP;
		break;
	default:
		return -EINVAL;
	}
	if ((flags & MAP_FIXED) && addr < MMAP_MIN_ADDR && !(addr & ~PAGE_MASK))
		return -EPERM; /* security_mmap_addr: below vm.mmap_min_addr */
	r = get_unmapped_area(mm, addr, len, flags, &addr);
	if (r)
		return r;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;

	vm_flags = calc_vm_flags(prot, flags) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (file) {
		if ((flags & MAP_TYPE) != MAP_PRIVATE) {
			if ((prot & PROT_WRITE) && !file->writable)
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!file->writable)
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		}
		if (vm_flags & VM_GROWSDOWN)
			return -EINVAL;
	} else if ((flags & MAP_TYPE) == MAP_SHARED) {
		if (vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		shm = shmem_backing_create("dev/zero", len);
		if (!shm)
			return -ENOMEM;
		file = shm;
		pgoff = 0;
	} else {
		pgoff = addr >> PAGE_SHIFT;
	}
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;

	r = mmap_region(m, mm, addr, len, vm_flags, file, pgoff, NULL, &vma);
	if (shm)
		file_backing_put(m, shm); /* the VMA holds its own reference */
	if (r)
		return r;
	if (m) {
		char perm[5], detail[300];
		snprintf(detail, sizeof(detail), "%s %s", vma_perm_str(vma, perm),
			 file ? (file->shmem ? "shmem" : file->path) : "anon");
		trace_vma(m, TEV_MAP, addr, len, detail);
	}
	if (((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE) && mm->pt_ops) {
		/* mm_populate: errors are ignored, as in Linux; a VM_LOCKONFAULT
		 * mapping is not populated, and what is mapped of a locked one
		 * is mlocked */
		struct vm_area_struct *v = find_vma(mm, addr);
		while (v && v->vm_start < addr + len) {
			uint64_t s = v->vm_start > addr ? v->vm_start : addr;
			uint64_t e = v->vm_end < addr + len ? v->vm_end : addr + len;
			if ((v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) && !(v->vm_flags & VM_LOCKONFAULT))
				mm->pt_ops->populate(m, mm, v, s, e, (v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE);
			if ((v->vm_flags & VM_LOCKED) && mm->pt_ops->mlock_range)
				mm->pt_ops->mlock_range(m, mm, v, s, e, true);
			v = vma_next(mm, v);
		}
	}
	*out = addr;
	return 0;
}

int vm_mmap(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, struct file_backing *file, uint64_t offset, uint64_t *out)
{
	if (offset & ~PAGE_MASK)
		return -EINVAL;
	if (offset + PAGE_ALIGN(len) < offset)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && !file)
		return -EBADF;
	return do_mmap(m, mm, addr, len, prot, flags, (flags & MAP_ANONYMOUS) ? NULL : file, offset >> PAGE_SHIFT,
		       out);
}

void mm_set_brk(struct mm_struct *mm, uint64_t end_of_bss)
{
	mm->start_brk = mm->brk = PAGE_ALIGN(end_of_bss);
}

uint64_t do_brk(struct memsys *m, struct mm_struct *mm, uint64_t brk)
{
	uint64_t origbrk = mm->brk, newbrk, oldbrk;
	struct vm_area_struct *next, *prev, *vma;
	unsigned long flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;

	if (brk < mm->start_brk)
		return origbrk;
	if (mm->data_rlimit != RLIM_INFINITY_U64 &&
	    brk - mm->start_brk + (mm->end_data - mm->start_data) > mm->data_rlimit)
		return origbrk;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk) { /* always allow shrinking */
		mm->brk = brk;
		if (__do_munmap(m, mm, newbrk, oldbrk)) {
			mm->brk = origbrk;
			return origbrk;
		}
		trace_vma(m, TEV_VMA, newbrk, oldbrk - newbrk, "brk shrink");
		return brk;
	}
	if (newbrk > mm->task_size)
		return origbrk;
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		return origbrk;
	prev = vma_prev_of_addr(mm, oldbrk);
	if (mm->map_count > mm->max_map_count)
		return origbrk;
	if (m && security_vm_enough_memory_mm(m, mm, (long)((newbrk - oldbrk) >> PAGE_SHIFT)))
		return origbrk;
	vma = vma_merge(m, mm, prev, oldbrk, newbrk, flags, NULL, oldbrk >> PAGE_SHIFT, NULL, NULL);
	if (!vma) {
		vma = vm_area_alloc(m, mm);
		if (!vma)
			return origbrk;
		vma->vm_start = oldbrk;
		vma->vm_end = newbrk;
		vma->vm_flags = flags;
		vma->vm_pgoff = oldbrk >> PAGE_SHIFT;
		if (insert_vm_struct(mm, vma)) {
			vm_area_free(m, vma);
			return origbrk;
		}
	}
	mm->brk = brk;
	trace_vma(m, TEV_VMA, oldbrk, newbrk - oldbrk, "brk");
	if ((flags & VM_LOCKED) && mm->pt_ops) { /* mlockall(MCL_FUTURE): mm_populate */
		if (!(flags & VM_LOCKONFAULT))
			mm->pt_ops->populate(m, mm, vma, oldbrk, newbrk, true);
		if (mm->pt_ops->mlock_range)
			mm->pt_ops->mlock_range(m, mm, vma, oldbrk, newbrk, true);
	}
	return brk;
}

int mm_setup_stack(struct memsys *m, struct mm_struct *mm, uint64_t top, uint64_t size)
{
	struct vm_area_struct *v;
	uint64_t start;

	if ((top & ~PAGE_MASK) || top > mm->task_size || !size)
		return -EINVAL;
	size = PAGE_ALIGN(size);
	if (size > top)
		return -EINVAL;
	start = top - size;
	if (find_vma_intersection(mm, start, top))
		return -ENOMEM;
	if (m && security_vm_enough_memory_mm(m, mm, (long)(size >> PAGE_SHIFT)))
		return -ENOMEM; /* insert_vm_struct charges the VM_ACCOUNT stack */
	v = vm_area_alloc(m, mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = start;
	v->vm_end = top;
	v->vm_flags = VM_DATA_DEFAULT_FLAGS | VM_GROWSDOWN | VM_ACCOUNT;
	v->vm_pgoff = start >> PAGE_SHIFT;
	snprintf(v->name, sizeof(v->name), "[stack]");
	if (insert_vm_struct(mm, v)) {
		vm_area_free(m, v);
		return -ENOMEM;
	}
	mm->start_stack = top;
	trace_vma(m, TEV_VMA, start, size, "stack");
	return 0;
}

int expand_stack(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr)
{
	struct vm_area_struct *prev;
	uint64_t grow;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	addr &= PAGE_MASK;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	if (addr >= vma->vm_start)
		return 0;
	prev = vma_prev(mm, vma);
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
		if (addr < prev->vm_end || addr - prev->vm_end < STACK_GUARD_GAP)
			return -ENOMEM;
	} else if (prev && addr < prev->vm_end) {
		return -ENOMEM;
	}
	grow = (vma->vm_start - addr) >> PAGE_SHIFT;
	if (grow > vma->vm_pgoff)
		return -ENOMEM;
	if (vma->vm_end - addr > mm->stack_rlimit)
		return -ENOMEM; /* acct_stack_growth: RLIMIT_STACK */
	if ((vma->vm_flags & VM_ACCOUNT) && m && security_vm_enough_memory_mm(m, mm, (long)grow))
		return -ENOMEM; /* acct_stack_growth: the overcommit policy */
	vma_unaccount(mm, vma);
	vma->vm_start = addr;
	vma->vm_pgoff -= grow;
	vma_account(mm, vma);
	trace_vma(m, TEV_VMA, addr, grow << PAGE_SHIFT, "expand_stack");
	return 0;
}
