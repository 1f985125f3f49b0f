/* mm/vma.c - VMA lookup, allocation, linking, splitting and merging.
 *
 * Invariant (checked by mm_check_vmas): mm->mmap holds mm->map_count VMAs
 * sorted by vm_start, each [vm_start, vm_end) page aligned, non-empty, and
 * not overlapping the next; no two adjacent VMAs could be merged.
 * total_vm, data_vm, exec_vm, stack_vm and locked_vm always equal the sums
 * over the linked VMAs: every change of a linked VMA's range or flags goes
 * through vma_unaccount() before and vma_account() after.
 *
 * The list is linear: find_vma is O(n) on a cache miss (mm->mmap_cache
 * keeps the last hit).  Linux uses a maple tree; a tree can replace the list
 * behind these functions without changing callers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/proc.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/vma_internal.h"

static inline struct vm_area_struct *vma_of(struct list_head *l)
{
	return list_entry(l, struct vm_area_struct, vm_list);
}

/* Add (SIGN 1) or remove (SIGN -1) VMA's pages in MM's per-type totals
 * (Linux's vm_stat_account). */
static void vma_stat(struct mm_struct *mm, const struct vm_area_struct *vma, long sign)
{
	long npages = (long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) * sign;
	unsigned long f = vma->vm_flags;

	mm->total_vm += (unsigned long)npages;
	if ((f & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC)
		mm->exec_vm += (unsigned long)npages;
	else if (f & VM_STACK)
		mm->stack_vm += (unsigned long)npages;
	else if ((f & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		mm->data_vm += (unsigned long)npages;
	if (f & VM_LOCKED)
		mm->locked_vm += (unsigned long)npages;
	if ((f & VM_ACCOUNT) && mm->committed_as)
		*mm->committed_as += npages;
}

void vma_account(struct mm_struct *mm, const struct vm_area_struct *vma) { vma_stat(mm, vma, 1); }
void vma_unaccount(struct mm_struct *mm, const struct vm_area_struct *vma) { vma_stat(mm, vma, -1); }

struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *c = mm->mmap_cache;
	struct list_head *l;

	if (c && c->vm_start <= addr && addr < c->vm_end)
		return c;
	list_for_each(l, &mm->mmap) {
		struct vm_area_struct *v = vma_of(l);
		if (v->vm_end > addr) {
			mm->mmap_cache = v;
			return v;
		}
	}
	return NULL;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vm_area_struct *v = find_vma(mm, start);
	if (v && end <= v->vm_start)
		v = NULL;
	return v;
}

struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_list.prev == &mm->mmap ? NULL : vma_of(vma->vm_list.prev);
}

struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (!vma)
		return list_empty(&mm->mmap) ? NULL : vma_of(mm->mmap.next);
	return vma->vm_list.next == &mm->mmap ? NULL : vma_of(vma->vm_list.next);
}

struct vm_area_struct *vma_last(struct mm_struct *mm)
{
	return list_empty(&mm->mmap) ? NULL : vma_of(mm->mmap.prev);
}

struct vm_area_struct *vma_prev_of_addr(struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *v = find_vma(mm, addr);
	return v ? vma_prev(mm, v) : vma_last(mm);
}

/*
 * Linux's proc_caches_init (kernel/fork.c) and anon_vma_init (mm/rmap.c):
 * the "mm_struct" and "vm_area_struct" caches, then "anon_vma".  Called by
 * mm_alloc (and any allocator below) until it succeeds, so a machine that
 * never builds an address space shows no such caches.  Returns 0, or -1
 * with a reason in ERR (no host memory, or a user cache already took one of
 * the names); caches created before the failure are kept.
 */
int proc_caches_init(struct memsys *m, char *err, size_t errlen)
{
	if (!m->mm_cachep) {
		m->mm_cachep = kmem_cache_create(m, "mm_struct", sizeof(struct mm_struct),
						 _Alignof(struct mm_struct),
						 SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT,
						 NULL, err, errlen);
		if (!m->mm_cachep)
			return -1;
	}
	if (!m->vm_area_cachep) {
		m->vm_area_cachep = kmem_cache_create(m, "vm_area_struct", sizeof(struct vm_area_struct),
						      _Alignof(struct vm_area_struct),
						      SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL, err, errlen);
		if (!m->vm_area_cachep)
			return -1;
	}
	return anon_vma_init(m, err, errlen);
}

/* proc_caches_init if needed.  Returns 0, or -1 after a one-line message on
 * stderr (the allocator then fails with ENOMEM). */
int proc_caches_ensure(struct memsys *m)
{
	char err[256];

	if (m->mm_cachep && m->vm_area_cachep && m->anon_vma_cachep)
		return 0;
	if (proc_caches_init(m, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "proc_caches_init: %s\n", err);
	return -1;
}

struct vm_area_struct *vm_area_alloc(struct memsys *m, struct mm_struct *mm)
{
	struct vm_area_struct *v;

	if (proc_caches_ensure(m))
		return NULL;
	v = kmem_cache_zalloc(m, m->vm_area_cachep, GFP_KERNEL);
	if (!v)
		return NULL;
	INIT_LIST_HEAD(&v->vm_list);
	INIT_LIST_HEAD(&v->anon_vma_node);
	v->vm_mm = mm;
	return v;
}

struct vm_area_struct *vm_area_dup(struct memsys *m, struct vm_area_struct *orig)
{
	struct vm_area_struct *v = vm_area_alloc(m, orig->vm_mm);
	if (!v)
		return NULL;
	v->vm_start = orig->vm_start;
	v->vm_end = orig->vm_end;
	v->vm_flags = orig->vm_flags;
	v->vm_pgoff = orig->vm_pgoff;
	memcpy(v->name, orig->name, sizeof(v->name));
	if (orig->vm_file) {
		v->vm_file = file_backing_get(orig->vm_file);
		vma_link_file(v);
	}
	if (orig->anon_vma)
		anon_vma_clone(m, v, orig);
	return v;
}

void vm_area_free(struct memsys *m, struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		unlink_anon_vmas(m, vma);
	if (vma->vm_file) {
		vma_unlink_file(vma);
		file_backing_put(m, vma->vm_file);
	}
	kmem_cache_free(m, m->vm_area_cachep, vma);
}

int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct list_head *l, *pos = &mm->mmap;

	list_for_each(l, &mm->mmap) {
		struct vm_area_struct *v = vma_of(l);
		if (v->vm_start >= vma->vm_end) {
			pos = l;
			break;
		}
		if (v->vm_end > vma->vm_start)
			return -EINVAL;
	}
	vma->vm_mm = mm;
	list_add_tail(&vma->vm_list, pos); /* before pos */
	mm->map_count++;
	vma_account(mm, vma);
	return 0;
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_unaccount(mm, vma);
	list_del(&vma->vm_list);
	mm->map_count--;
	if (mm->mmap_cache == vma)
		mm->mmap_cache = NULL;
}

int split_vma(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr, int new_below)
{
	struct vm_area_struct *n;

	if (addr <= vma->vm_start || addr >= vma->vm_end || (addr & ~PAGE_MASK))
		return -EINVAL;
	if (mm->map_count >= mm->max_map_count)
		return -ENOMEM;
	n = vm_area_dup(m, vma);
	if (!n)
		return -ENOMEM;
	vma_unaccount(mm, vma);
	if (new_below) {
		n->vm_end = addr;
		vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_start = addr;
		list_add_tail(&n->vm_list, &vma->vm_list); /* before vma */
	} else {
		n->vm_start = addr;
		n->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_end = addr;
		list_add(&n->vm_list, &vma->vm_list); /* after vma */
	}
	mm->map_count++;
	vma_account(mm, vma);
	vma_account(mm, n);
	return 0;
}

/* Linux's is_mergeable_anon_vma: either has none yet, or the same. */
static bool anon_compatible(const struct anon_vma *a, const struct anon_vma *b)
{
	return !a || !b || a == b;
}

static bool mergeable(const struct vm_area_struct *v, unsigned long flags, const struct file_backing *file,
		      const struct anon_vma *av, const char *name)
{
	return v->vm_flags == flags && v->vm_file == file && anon_compatible(v->anon_vma, av) &&
	       strncmp(v->name, name ? name : "", sizeof(v->name)) == 0;
}

/* Remove linked VMA V, whose range a neighbour has just absorbed. */
static void vma_absorbed(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *into,
			 struct vm_area_struct *v)
{
	if (!into->anon_vma && v->anon_vma)
		anon_vma_clone(m, into, v);
	vma_unlink(mm, v);
	vm_area_free(m, v);
}

/* Set a linked VMA's range, keeping the totals right. */
static void vma_set_range(struct mm_struct *mm, struct vm_area_struct *v, uint64_t start, uint64_t end,
			  uint64_t pgoff)
{
	vma_unaccount(mm, v);
	v->vm_start = start;
	v->vm_end = end;
	v->vm_pgoff = pgoff;
	vma_account(mm, v);
}

/*
 * The cases of Linux's vma_merge() (mm/mmap.c), with PREV the VMA before the
 * range (or containing its start, cases 4), AREA the VMA at the range, NEXT
 * the one after it:
 *     AAAA             AAAA                   AAAA
 *  PPPPPPNNNNNN    PPPPPPNNNNNN    PPPPPPNNNNNN    PPPP      NNNN
 *  cannot merge    might become    might become    might become
 *                  PPNNNNNNNNNN    PPPPPPPPPPNN    PPPPPPPPPPPPPP 6 or
 *      mmap, brk or case 4 below   case 5 below    PPPPPPPPNNNN 7 or
 *      mremap move:                                PPPPNNNNNNNN 8
 *          AAAA
 *      PPPP    NNNN    PPPPNNNNXXXX    PPPPPPPPPPPP    PPPPPPPPNNNN
 *      might become    case 1 below    case 2 below    case 3 below
 * The merged VMA takes a non-NULL anon_vma from any VMA it absorbs.
 */
struct vm_area_struct *vma_merge(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *prev,
				 uint64_t addr, uint64_t end, unsigned long vm_flags, struct file_backing *file,
				 uint64_t pgoff, struct anon_vma *anon_vma, const char *name)
{
	uint64_t pglen = (end - addr) >> PAGE_SHIFT;
	struct vm_area_struct *area, *next;
	bool merge_prev, merge_next;

	if (vm_flags & VM_SPECIAL)
		return NULL;
	next = vma_next(mm, prev);
	area = next;
	if (area && area->vm_end == end) /* cases 6, 7, 8 */
		next = vma_next(mm, area);

	merge_prev = prev && prev->vm_end == addr && mergeable(prev, vm_flags, file, anon_vma, name) &&
		     prev->vm_pgoff + ((prev->vm_end - prev->vm_start) >> PAGE_SHIFT) == pgoff;
	merge_next = next && end == next->vm_start && mergeable(next, vm_flags, file, anon_vma, name) &&
		     next->vm_pgoff == pgoff + pglen;

	if (merge_prev) {
		if (merge_next && anon_compatible(prev->anon_vma, next->anon_vma)) {
			/* cases 1, 6 */
			uint64_t nend = next->vm_end;
			if (area != next && area && area->vm_start == addr)
				vma_absorbed(m, mm, prev, area);
			vma_absorbed(m, mm, prev, next);
			vma_set_range(mm, prev, prev->vm_start, nend, prev->vm_pgoff);
		} else {
			/* cases 2, 5, 7 */
			if (area && area->vm_start < end && area->vm_start >= addr) {
				if (area->vm_end == end) {
					vma_absorbed(m, mm, prev, area); /* 7 */
				} else {                                 /* 5 */
					if (!prev->anon_vma && area->anon_vma)
						anon_vma_clone(m, prev, area);
					vma_set_range(mm, area, end, area->vm_end,
						      area->vm_pgoff + ((end - area->vm_start) >> PAGE_SHIFT));
				}
			}
			vma_set_range(mm, prev, prev->vm_start, end, prev->vm_pgoff);
		}
		return prev;
	}
	if (merge_next) {
		if (prev && addr < prev->vm_end) { /* case 4 */
			if (!next->anon_vma && prev->anon_vma)
				anon_vma_clone(m, next, prev);
			vma_set_range(mm, prev, prev->vm_start, addr, prev->vm_pgoff);
		} else if (area != next && area && area->vm_start == addr) { /* case 8 */
			vma_absorbed(m, mm, next, area);
		}
		vma_set_range(mm, next, addr, next->vm_end, next->vm_pgoff - pglen);
		return next;
	}
	return NULL;
}

/*
 * Give [start, end) of VMA (START and END inside it) the flags NEWFLAGS,
 * merging the range into PREV or the next VMA when the flags allow it and
 * splitting it off VMA otherwise (Linux's vma_modify_flags() and the flag
 * update its callers do).  *PREV is the VMA before the range (or VMA itself
 * when START is inside it); it is set to the VMA now holding the range.
 * Returns 0, or split_vma's -ENOMEM (the range then keeps its old flags).
 */
int vma_modify_flags(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma,
		     struct vm_area_struct **prev, uint64_t start, uint64_t end, unsigned long newflags)
{
	struct vm_area_struct *merged;
	int r;

	if (newflags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	merged = vma_merge(m, mm, *prev, start, end, newflags, vma->vm_file, linear_page_index(vma, start),
			   vma->anon_vma, vma->name);
	if (merged) {
		vma = merged;
	} else {
		if (start != vma->vm_start && (r = split_vma(m, mm, vma, start, 1)))
			return r;
		if (end != vma->vm_end && (r = split_vma(m, mm, vma, end, 0)))
			return r;
	}
	*prev = vma;
	vma_unaccount(mm, vma);
	vma->vm_flags = newflags;
	vma_account(mm, vma);
	return 0;
}

char *vma_perm_str(const struct vm_area_struct *vma, char buf[5])
{
	buf[0] = (vma->vm_flags & VM_READ) ? 'r' : '-';
	buf[1] = (vma->vm_flags & VM_WRITE) ? 'w' : '-';
	buf[2] = (vma->vm_flags & VM_EXEC) ? 'x' : '-';
	buf[3] = (vma->vm_flags & VM_MAYSHARE) ? 's' : 'p';
	buf[4] = 0;
	return buf;
}

int mm_check_vmas(struct mm_struct *mm, char *err, size_t errlen)
{
	struct list_head *l;
	struct vm_area_struct *prev = NULL;
	unsigned long total = 0;
	int n = 0;

	list_for_each(l, &mm->mmap) {
		struct vm_area_struct *v = vma_of(l);
		n++;
		if ((v->vm_start | v->vm_end) & ~PAGE_MASK || v->vm_start >= v->vm_end) {
			snprintf(err, errlen, "vma %#llx-%#llx: bad range", (unsigned long long)v->vm_start,
				 (unsigned long long)v->vm_end);
			return -1;
		}
		if (v->vm_mm != mm) {
			snprintf(err, errlen, "vma %#llx: vm_mm is not its mm", (unsigned long long)v->vm_start);
			return -1;
		}
		if (prev && prev->vm_end > v->vm_start) {
			snprintf(err, errlen, "vma %#llx-%#llx overlaps or is out of order after %#llx-%#llx",
				 (unsigned long long)v->vm_start, (unsigned long long)v->vm_end,
				 (unsigned long long)prev->vm_start, (unsigned long long)prev->vm_end);
			return -1;
		}
		if (prev && prev->vm_end == v->vm_start && !(v->vm_flags & VM_SPECIAL) &&
		    mergeable(prev, v->vm_flags, v->vm_file, v->anon_vma, v->name) &&
		    anon_compatible(prev->anon_vma, v->anon_vma) &&
		    prev->vm_pgoff + ((prev->vm_end - prev->vm_start) >> PAGE_SHIFT) == v->vm_pgoff) {
			snprintf(err, errlen, "vmas %#llx-%#llx and %#llx-%#llx should have been merged",
				 (unsigned long long)prev->vm_start, (unsigned long long)prev->vm_end,
				 (unsigned long long)v->vm_start, (unsigned long long)v->vm_end);
			return -1;
		}
		total += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
		prev = v;
	}
	if (n != mm->map_count) {
		snprintf(err, errlen, "map_count %d but %d vmas linked", mm->map_count, n);
		return -1;
	}
	if (total != mm->total_vm) {
		snprintf(err, errlen, "total_vm %lu but vmas span %lu pages", mm->total_vm, total);
		return -1;
	}
	return 0;
}

void show_map_vma(struct strbuf *sb, const struct mm_struct *mm, const struct vm_area_struct *v, const char *dev,
		  unsigned long ino)
{
	const char *name = v->name;
	char perm[5];
	size_t start = sb->len;

	if (v->vm_file)
		name = v->vm_file->shmem && !v->vm_file->sbinfo ? "/dev/zero (deleted)" : v->vm_file->path;
	else if (!name[0] && mm->brk > mm->start_brk && v->vm_start <= mm->brk && v->vm_end >= mm->start_brk)
		name = "[heap]";
	/* Linux's show_vma_header_prefix, then seq_pad to column 73 before a name */
	sb_printf(sb, "%08llx-%08llx %s %08llx %s %lu ", (unsigned long long)v->vm_start,
		  (unsigned long long)v->vm_end, vma_perm_str(v, perm),
		  (unsigned long long)(v->vm_file ? v->vm_pgoff << PAGE_SHIFT : 0), dev, ino);
	if (name[0]) {
		int k = (int)(sb->len - start);
		sb_printf(sb, "%*s%s", k < 73 ? 73 - k : 0, "", name);
	}
	sb_printf(sb, "\n");
}

size_t mm_format_maps(struct mm_struct *mm, char *buf, size_t len)
{
	struct strbuf sb = { 0 };
	struct list_head *l;

	list_for_each(l, &mm->mmap)
		show_map_vma(&sb, mm, list_entry(l, struct vm_area_struct, vm_list), "00:00", 0);
	if (len)
		snprintf(buf, len, "%s", sb.buf ? sb.buf : "");
	size_t n = sb.len;
	sb_free(&sb);
	return n;
}
