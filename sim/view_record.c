/* sim/view_record.c - recording the per-process /proc views with each
 * stored event (the record format is in sim/view_record.h).
 *
 * Invariant: replaying, in seq order, the newest checkpoint's VR_FULL
 * state and then the blob of every later stored event up to SEQ gives
 * exactly the PTEs, page and slot counts, shmem swap slots, VMA lists and
 * task numbers that /proc/PID/{maps,smaps,status} read when event SEQ was
 * made.  Changes that happen inside the mm code (PTEs, counts) are logged
 * by the view_log hooks the moment they happen, so an event made halfway
 * through an unmap sees the half-done state, as the live /proc would; the
 * task numbers and VMA lists are compared at each event instead (cheap:
 * tens of numbers per task, a hash per address space).
 */
#include <stdlib.h>
#include <string.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/proc.h"
#include "mm/shmem.h"
#include "mm/swapfile.h"
#include "mm/view_log.h"
#include "mmu/pgtable.h"
#include "sim/pid_views.h"
#include "sim/sys_internal.h"
#include "sim/view_record.h"
#include "traces/varint.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

struct vr_task {
	bool live;
	uint64_t stamp;
	struct pid_sig_cache sig;
	int64_t v[PID_STATUS_N];
};

struct vr_mm {
	uint64_t hash;
	bool known;
};

struct view_record {
	struct sim *s;
	struct buf log;           /* changes since the last step */
	struct buf out;           /* the blob handed to the trace */
	struct vr_task *tasks;    /* by pid */
	size_t ntasks;
	int *live;                /* pids with tasks[pid].live */
	size_t nlive, live_cap;
	struct vr_mm *mms;        /* by mm serial */
	size_t nmms;
	struct mm_struct **mm_live; /* every mm_struct there is, creation order
				     * but for swap-deletes */
	size_t nmm_live, mm_live_cap;
	const struct file_backing **shmem; /* shmem file number - 1 */
	size_t nshmem, shmem_cap;
	uint64_t stamp;
	uint64_t cr3_pgd;         /* the last pgd pte_cr3 resolved, and its mm */
	uint32_t cr3_serial;
};

/* Room for N more bytes in B.  Returns false (B->oom set) if out of memory. */
static bool reserve(struct buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap * 2 : 4096;
	while (cap < b->len + n)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void put_u(struct buf *b, uint64_t x)
{
	if (reserve(b, 10))
		b->len += put_varint(b->p + b->len, x);
}

static void put_bytes(struct buf *b, const char *s, size_t n)
{
	put_u(b, n);
	if (reserve(b, n)) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	}
}

/* Grow the array *A of *N elements of SIZE bytes to hold index I (new
 * elements zeroed).  Returns false if out of memory. */
static bool grow_to(void *a, size_t *n, size_t size, size_t i)
{
	if (i < *n)
		return true;
	size_t cap = *n ? *n : 64;
	while (cap <= i)
		cap *= 2;
	uint8_t *p = realloc(*(void **)a, cap * size);
	if (!p)
		return false;
	memset(p + *n * size, 0, (cap - *n) * size);
	*(void **)a = p;
	*n = cap;
	return true;
}

/* The number of shmem file F, 0 for other files and none. */
static uint64_t shmem_number(struct view_record *vr, const struct file_backing *f)
{
	if (!f || !f->shmem)
		return 0;
	for (size_t i = 0; i < vr->nshmem; i++)
		if (vr->shmem[i] == f)
			return i + 1;
	if (vr->nshmem == vr->shmem_cap) {
		size_t cap = vr->shmem_cap ? vr->shmem_cap * 2 : 16;
		const struct file_backing **p = realloc(vr->shmem, cap * sizeof *p);
		if (!p) {
			vr->log.oom = true;
			return 0;
		}
		vr->shmem = p;
		vr->shmem_cap = cap;
	}
	vr->shmem[vr->nshmem++] = f;
	return vr->nshmem;
}

static uint64_t rotl1(uint64_t x) { return x << 1 | x >> 63; }

static void on_pte(void *ctx, const struct mm_struct *mm, uint64_t va, uint64_t pteval)
{
	struct view_record *vr = ctx;
	put_u(&vr->log, VR_PTE);
	put_u(&vr->log, mm->serial);
	put_u(&vr->log, va >> PAGE_SHIFT);
	put_u(&vr->log, rotl1(pteval));
}

/* The serial of the mm whose top-level table is PGD, or 0. */
static uint32_t mm_of_pgd(struct view_record *vr, uint64_t pgd)
{
	if (pgd == vr->cr3_pgd && vr->cr3_serial)
		return vr->cr3_serial;
	for (size_t i = 0; i < vr->nmm_live; i++)
		if (vr->mm_live[i]->pgd_pfn == pgd) {
			vr->cr3_pgd = pgd;
			vr->cr3_serial = vr->mm_live[i]->serial;
			return vr->cr3_serial;
		}
	return 0;
}

static void on_pte_cr3(void *ctx, uint64_t pgd, uint64_t va, uint64_t pteval)
{
	struct view_record *vr = ctx;
	uint32_t serial = mm_of_pgd(vr, pgd);
	if (!serial)
		return;
	put_u(&vr->log, VR_PTE);
	put_u(&vr->log, serial);
	put_u(&vr->log, va >> PAGE_SHIFT);
	put_u(&vr->log, rotl1(pteval));
}

static void on_mapcount(void *ctx, uint64_t pfn, int mapcount, enum smaps_page_kind kind)
{
	struct view_record *vr = ctx;
	put_u(&vr->log, VR_MAP);
	put_u(&vr->log, pfn);
	put_u(&vr->log, zigzag(mapcount));
	put_u(&vr->log, kind);
}

static void on_swapcount(void *ctx, uint64_t off, int count)
{
	struct view_record *vr = ctx;
	put_u(&vr->log, VR_SWAP);
	put_u(&vr->log, off);
	put_u(&vr->log, zigzag(count));
}

static void on_shmem(void *ctx, const struct file_backing *f, uint64_t index, bool swapped)
{
	struct view_record *vr = ctx;
	put_u(&vr->log, VR_SHMEM);
	put_u(&vr->log, shmem_number(vr, f));
	put_u(&vr->log, index);
	put_u(&vr->log, swapped);
}

static void on_mm_new(void *ctx, struct mm_struct *mm)
{
	struct view_record *vr = ctx;
	for (size_t i = 0; i < vr->nmm_live; i++)
		if (vr->mm_live[i] == mm)
			return;
	if (!grow_to(&vr->mm_live, &vr->mm_live_cap, sizeof *vr->mm_live, vr->nmm_live)) {
		vr->log.oom = true;
		return;
	}
	vr->mm_live[vr->nmm_live++] = mm;
}

static void on_mm_gone(void *ctx, struct mm_struct *mm)
{
	struct view_record *vr = ctx;
	if (vr->cr3_serial == mm->serial)
		vr->cr3_serial = 0; /* its top-level frame may serve another mm next */
	for (size_t i = 0; i < vr->nmm_live; i++)
		if (vr->mm_live[i] == mm) {
			vr->mm_live[i] = vr->mm_live[--vr->nmm_live];
			return;
		}
}

static const struct view_log_ops view_record_ops = { on_pte,        on_pte_cr3, on_mapcount, on_swapcount,
						     on_shmem,      on_mm_new,  on_mm_gone };

struct view_record *view_record_create(struct sim *s)
{
	struct view_record *vr = calloc(1, sizeof *vr);
	if (!vr)
		return NULL;
	vr->s = s;
	s->mem->vlog = &view_record_ops;
	s->mem->vlog_ctx = vr;
	if (s->procs) { /* the address spaces made before recording began */
		struct list_head *pos;
		list_for_each(pos, &s->procs->tasks) {
			struct task *t = list_entry(pos, struct task, tasks);
			if (t->mm)
				on_mm_new(vr, t->mm);
		}
	}
	return vr;
}

void view_record_destroy(struct view_record *vr)
{
	if (!vr)
		return;
	if (vr->s->mem->vlog_ctx == vr) {
		vr->s->mem->vlog = NULL;
		vr->s->mem->vlog_ctx = NULL;
	}
	free(vr->log.p);
	free(vr->out.p);
	free(vr->tasks);
	free(vr->live);
	free(vr->mms);
	free(vr->mm_live);
	free(vr->shmem);
	free(vr);
}

/* A hash of what MM's maps lines are made of. */
static uint64_t vmas_hash(const struct mm_struct *mm)
{
	uint64_t h = 1469598103934665603ULL ^ mm->brk ^ (mm->start_brk << 7);
	struct list_head *pos;
	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *v = list_entry(pos, struct vm_area_struct, vm_list);
		uint64_t name;
		memcpy(&name, v->name, sizeof name);
		uint64_t x[6] = { v->vm_start, v->vm_end, v->vm_flags, v->vm_pgoff, (uint64_t)(uintptr_t)v->vm_file,
				  name };
		for (int i = 0; i < 6; i++)
			h = (h ^ x[i]) * 1099511628211ULL;
	}
	return h;
}

/* Append MM's VMA list to B, and the swap slots of its shmem VMAs' pages. */
static void put_vmas(struct view_record *vr, struct buf *b, const struct mm_struct *mm)
{
	struct strbuf sb = { 0 };
	size_t n = 0;
	struct list_head *pos;
	list_for_each(pos, &mm->mmap)
		n++;
	put_u(b, VR_VMAS);
	put_u(b, mm->serial);
	put_u(b, n);
	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *v = list_entry(pos, struct vm_area_struct, vm_list);
		put_u(b, v->vm_start);
		put_u(b, v->vm_end);
		put_u(b, v->vm_flags);
		put_u(b, v->vm_pgoff);
		put_u(b, v->vm_file != NULL);
		put_u(b, shmem_number(vr, v->vm_file));
		sb.len = 0;
		pid_maps_line(&sb, mm, v);
		put_bytes(b, sb.buf ? sb.buf : "", sb.len);
	}
	sb_free(&sb);
	/* a shmem file met before its first mapping: its pages in swap now
	 * (later changes come through on_shmem) */
	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *v = list_entry(pos, struct vm_area_struct, vm_list);
		const struct file_backing *f = v->vm_file;
		if (!f || !f->shmem || !f->swapped)
			continue;
		uint64_t first = v->vm_pgoff, last = linear_page_index(v, v->vm_end);
		for (uint64_t i = first; i < last && i < f->mapping.nr_slots; i++)
			if (shmem_index_swapped(f, i)) {
				put_u(b, VR_SHMEM);
				put_u(b, shmem_number(vr, f));
				put_u(b, i);
				put_u(b, 1);
			}
	}
}

static void put_task(struct buf *b, int pid, const int64_t *v)
{
	put_u(b, VR_TASK);
	put_u(b, (uint64_t)pid);
	for (int i = 0; i < PID_STATUS_N; i++)
		put_u(b, zigzag(v[i]));
}

/* Append every PTE of MM with the counts of what they point to. */
static void put_ptes(struct view_record *vr, struct buf *b, const struct mm_struct *mm)
{
	struct memsys *m = vr->s->mem;
	struct list_head *pos;
	list_for_each(pos, &mm->mmap) {
		const struct vm_area_struct *v = list_entry(pos, struct vm_area_struct, vm_list);
		pte_t *p;
		for (uint64_t va = v->vm_start; (p = next_pte(m, mm, &va, v->vm_end)); va += PAGE_SIZE) {
			pte_t e = *p;
			if (pte_none(e))
				continue;
			put_u(b, VR_PTE);
			put_u(b, mm->serial);
			put_u(b, va >> PAGE_SHIFT);
			put_u(b, rotl1(e.pte));
			if (pte_present(e)) {
				const struct page *pg = pfn_to_page(m, pte_pfn(e));
				put_u(b, VR_MAP);
				put_u(b, pte_pfn(e));
				put_u(b, zigzag(page_mapcount(pg)));
				put_u(b, smaps_kind_of(pg));
			} else if (is_swap_pte(e)) {
				put_u(b, VR_SWAP);
				put_u(b, swp_offset(pte_to_swp_entry(e)));
				put_u(b, zigzag(swap_count(m, pte_to_swp_entry(e))));
			}
		}
	}
}

/* Note task P (live at this step) in VR; append VR_TASK to B if FULL or
 * its numbers changed. */
static void visit_task(struct view_record *vr, struct buf *b, struct task *p, bool full)
{
	int64_t v[PID_STATUS_N];
	if (p->pid < 0 || !grow_to(&vr->tasks, &vr->ntasks, sizeof *vr->tasks, (size_t)p->pid)) {
		b->oom = true;
		return;
	}
	struct vr_task *t = &vr->tasks[p->pid];
	if (!t->live)
		t->sig.valid = false; /* a new task under a reused pid */
	pid_status_gather(vr->s, p, v, &t->sig);
	if (full || !t->live) {
		put_task(b, p->pid, v);
		memcpy(t->v, v, sizeof v);
	} else if (memcmp(v, t->v, sizeof v)) {
		int n = 0;
		for (int i = 0; i < PID_STATUS_N; i++)
			n += v[i] != t->v[i];
		put_u(b, VR_TASK_CHANGE);
		put_u(b, (uint64_t)p->pid);
		put_u(b, (uint64_t)n);
		for (int i = 0; i < PID_STATUS_N; i++)
			if (v[i] != t->v[i]) {
				put_u(b, (uint64_t)i);
				put_u(b, zigzag((int64_t)((uint64_t)v[i] - (uint64_t)t->v[i])));
			}
		memcpy(t->v, v, sizeof v);
	}
	if (!t->live) {
		if (!grow_to(&vr->live, &vr->live_cap, sizeof *vr->live, vr->nlive)) {
			b->oom = true;
			return;
		}
		vr->live[vr->nlive++] = p->pid;
		t->live = true;
	}
	t->stamp = vr->stamp;
}

/* Append MM's VMA list to B if FULL or it changed, and if FULL its PTEs. */
static void visit_mm(struct view_record *vr, struct buf *b, const struct mm_struct *mm, bool full)
{
	if (!grow_to(&vr->mms, &vr->nmms, sizeof *vr->mms, mm->serial)) {
		b->oom = true;
		return;
	}
	struct vr_mm *x = &vr->mms[mm->serial];
	uint64_t h = vmas_hash(mm);
	if (full || !x->known || h != x->hash)
		put_vmas(vr, b, mm);
	x->hash = h;
	x->known = true;
	if (full)
		put_ptes(vr, b, mm);
}

const uint8_t *view_record_step(void *ctx, bool full, size_t *len)
{
	struct view_record *vr = ctx;
	struct sim *s = vr->s;
	struct buf *b = &vr->out;
	b->len = 0;
	b->oom = false;
	if (full) {
		put_u(b, VR_FULL);
		put_u(b, VIEW_RECORD_VERSION);
	} else if (vr->log.len && reserve(b, vr->log.len)) {
		memcpy(b->p, vr->log.p, vr->log.len);
		b->len = vr->log.len;
	}
	b->oom |= vr->log.oom;
	vr->log.len = 0;
	vr->log.oom = false;
	vr->stamp++;
	if (s->procs) {
		struct list_head *pos;
		list_for_each(pos, &s->procs->tasks) {
			struct task *p = list_entry(pos, struct task, tasks);
			if (p->state != EXIT_DEAD)
				visit_task(vr, b, p, full);
		}
	}
	for (size_t i = 0; i < vr->nmm_live; i++)
		visit_mm(vr, b, vr->mm_live[i], full);
	for (size_t i = 0; i < vr->nlive;) {
		int pid = vr->live[i];
		if (vr->tasks[pid].stamp == vr->stamp) {
			i++;
			continue;
		}
		if (!full) {
			put_u(b, VR_EXIT);
			put_u(b, (uint64_t)pid);
		}
		vr->tasks[pid].live = false;
		vr->live[i] = vr->live[--vr->nlive];
	}
	if (b->oom) {
		/* an incomplete record would mislead proc --at: store a gap
		 * (tag 0), which sends its readers back to re-execution */
		static const uint8_t gap = 0;
		*len = 1;
		return &gap;
	}
	*len = b->len;
	return b->len ? b->p : NULL;
}
