/* mmu/memory.c - the user page-fault path (Linux: mm/memory.c
 * handle_mm_fault and its helpers, arch/x86/mm/fault.c do_user_addr_fault).
 *
 * handle_pte_fault() dispatches on the PTE: none -> do_anonymous_page or
 * do_fault (read / cow / shared); present but read-only on a write ->
 * do_wp_page (mmu/cow.c); present and sufficient -> a spurious fault (the
 * accessed/dirty bits are set).  See mmu/memory.h for the counting rules.
 *
 * Page references: a mapped normal page holds one reference and one
 * mapcount per PTE; a page-cache page also holds the cache's reference.  The
 * zero page is never counted (vm_normal_page returns NULL for it).
 */
#include <errno.h>
#include <string.h>

#include "mm/mlock.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/swapfile.h"
#include "mmu/memory_internal.h"
#include "traces/trace.h"

struct page *get_zero_page(struct memsys *m)
{
	if (!m->zero_page) {
		struct page *p = alloc_page(m, GFP_KERNEL | __GFP_ZERO);
		if (!p)
			return NULL;
		SetPageZero(p);
		SetPageReserved(p);
		m->zero_page = p;
	}
	return m->zero_page;
}

struct page *vm_normal_page(struct memsys *m, pte_t pte)
{
	uint64_t pfn = pte_pfn(pte);
	struct page *p;

	if (pfn >= m->max_pfn)
		return NULL;
	p = pfn_to_page(m, pfn);
	return PageZero(p) ? NULL : p;
}

void mm_rss_page(struct mm_struct *mm, const struct page *page, long delta)
{
	unsigned long rss;

	if (PageAnon(page))
		mm->rss_anon += (unsigned long)delta;
	else if (page_is_shmem(page))
		mm->rss_shmem += (unsigned long)delta;
	else
		mm->rss_file += (unsigned long)delta;
	rss = mm->rss_anon + mm->rss_file + mm->rss_shmem;
	if (rss > mm->hiwater_rss)
		mm->hiwater_rss = rss;
}

pteval_t vm_get_page_prot(unsigned long vm_flags)
{
	pteval_t p;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROTNONE | _PAGE_ACCESSED;
	p = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
	if ((vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE))
		p |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC))
		p |= _PAGE_NX;
	return p;
}

void mm_flush_tlb_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	if (mm->tlb_ops && mm->tlb_ops->flush_range)
		mm->tlb_ops->flush_range(mm->tlb_ctx, mm, start, end);
}

void mm_flush_tlb_mm(struct mm_struct *mm)
{
	if (mm->tlb_ops && mm->tlb_ops->flush_mm)
		mm->tlb_ops->flush_mm(mm->tlb_ctx, mm);
}

void trace_cow(struct memsys *m, uint64_t addr, uint64_t pfn)
{
	struct trace_event ev = trace_event_init(TEV_COW);
	ev.addr = addr;
	ev.pfn = (int64_t)pfn;
	trace_emit(m->trace, &ev);
}

/* None PTE in an anonymous VMA.  Read: the zero page, read-only.  Write: a
 * fresh zeroed page.  Returns 0 or VM_FAULT_OOM. */
static unsigned do_anonymous_page(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	pteval_t prot = vm_get_page_prot(vma->vm_flags);
	struct page *page;

	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		page = get_zero_page(m);
		if (!page)
			return VM_FAULT_OOM;
		set_user_pte(m, mm, vmf->pte, vmf->address, mk_pte_pfn(page_to_pfn(m, page), prot & ~_PAGE_RW));
		vmf->fi->kind = FK_ZERO;
		vmf->fi->pfn = page_to_pfn(m, page);
		return 0;
	}
	if (anon_vma_prepare(m, vma))
		return VM_FAULT_OOM;
	page = alloc_page(m, GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
	if (!page)
		return VM_FAULT_OOM;
	page_add_new_anon_rmap(m, page, vma, vmf->address);
	lru_cache_add_inactive_or_unevictable(m, page, vma);
	mm_rss_page(mm, page, 1);
	set_user_pte(m, mm, vmf->pte, vmf->address,
		     maybe_mkwrite(pte_mkdirty(mk_pte_pfn(page_to_pfn(m, page), prot)), vma));
	vmf->fi->kind = FK_ANON;
	vmf->fi->pfn = page_to_pfn(m, page);
	return 0;
}

/* Map page-cache PAGE (a reference already taken for the mapping) at VA. */
static void map_file_page(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, pte_t *slot,
			  uint64_t va, struct page *page, bool write)
{
	pte_t e = mk_pte_pfn(page_to_pfn(m, page), vm_get_page_prot(vma->vm_flags));

	if (write) {
		e = pte_mkdirty(e);
		SetPageDirty(page);
	}
	page_add_file_rmap(m, page);
	mm_rss_page(mm, page, 1);
	set_user_pte(m, mm, slot, va, e);
}

/*
 * Fault-around (Linux's do_fault_around + filemap_map_pages): map every
 * page of the window around the fault that is already in the page cache
 * and uptodate, inside the VMA and the file, whose PTE is none.  The
 * window is FAULT_AROUND_BYTES long and starts at the aligned boundary
 * below the fault, or at the VMA's start if that is higher (then it runs
 * on past the next boundary, as Linux's does); it ends at the VMA's end or
 * the end of the page table, whichever comes first.  Pages not cached are left alone (no I/O here).
 * Every cached page it sees is a hit for the read-around heuristic.
 * Returns true if the faulting address itself got mapped.
 */
static bool do_fault_around(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct file_backing *f = vma->vm_file;
	uint64_t win = FAULT_AROUND_BYTES;
	uint64_t start = vmf->address & ~(win - 1);
	uint64_t nfile = file_nr_pages(f);
	bool hit = false;

	if (start < vma->vm_start)
		start = vma->vm_start;
	uint64_t end = start + win;
	uint64_t pt_end = (start | ((1ULL << PMD_SHIFT) - 1)) + 1;
	if (end > pt_end)
		end = pt_end;
	if (end > vma->vm_end)
		end = vma->vm_end;
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t idx = linear_page_index(vma, va);
		struct page *page;
		pte_t *slot;

		if (idx >= nfile)
			break;
		page = find_page(f, idx);
		if (!page || !PageUptodate(page))
			continue;
		if (f->mapping.mmap_miss > 0) /* a cache hit, as filemap_map_pages counts */
			f->mapping.mmap_miss--;
		slot = va == vmf->address ? vmf->pte : pte_lookup(m, mm, va);
		if (!slot || !pte_none(*slot))
			continue;
		get_page(m, page);
		map_file_page(m, mm, vma, slot, va, page, false);
		if (va == vmf->address)
			hit = true;
		else
			vmf->fi->nr_around++;
	}
	return hit;
}

/* The page cache page backing VMF's address, read in if needed (Linux's
 * __do_fault).  Returns 0 with a reference on *PAGE and *MAJOR set (it
 * came from "disk"), or VM_FAULT_OOM / VM_FAULT_SIGBUS (beyond the file). */
static unsigned __do_fault(struct memsys *m, struct vm_fault *vmf, struct page **page, bool *major)
{
	int err;

	*page = filemap_fault(m, vmf->vma->vm_file, linear_page_index(vmf->vma, vmf->address), major, &err);
	if (!*page)
		return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	/* A shmem page read back from swap (shmem_swapin): the task waits
	 * for the read as do_swap_page's does. */
	if (*major && vmf->vma->vm_file->shmem && m->swap)
		vmf->fi->io_ns = m->swap->latency_ns;
	return 0;
}

/* Map the cache page at VMF's address into the none PTE, writable if WRITE
 * (a shared VMA).  Returns 0, VM_FAULT_MAJOR, or __do_fault's error. */
static unsigned map_cache_page(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf, bool write)
{
	struct page *page;
	bool major;
	unsigned r = __do_fault(m, vmf, &page, &major);

	if (r)
		return r;
	map_file_page(m, mm, vmf->vma, vmf->pte, vmf->address, page, write);
	vmf->fi->pfn = page_to_pfn(m, page);
	return major ? VM_FAULT_MAJOR : 0;
}

/* Read fault on a none PTE of a file VMA: fault-around first. */
static unsigned do_read_fault(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	vmf->fi->kind = FK_FILE;
	if ((FAULT_AROUND_BYTES >> PAGE_SHIFT) > 1 && do_fault_around(m, mm, vmf)) {
		vmf->fi->pfn = pte_pfn(*vmf->pte);
		return 0;
	}
	return map_cache_page(m, mm, vmf, false);
}

/* Write fault on a none PTE of a private file VMA: a private copy of the
 * cache page (Linux's do_cow_fault). */
static unsigned do_cow_fault(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *src, *page;
	bool major;
	unsigned r;

	vmf->fi->kind = FK_COW;
	if (anon_vma_prepare(m, vma))
		return VM_FAULT_OOM;
	page = alloc_page(m, GFP_HIGHUSER_MOVABLE);
	if (!page)
		return VM_FAULT_OOM;
	r = __do_fault(m, vmf, &src, &major);
	if (r) {
		put_page(m, page);
		return r;
	}
	memcpy(page_address(m, page), page_address(m, src), PAGE_SIZE);
	put_page(m, src);
	page_add_new_anon_rmap(m, page, vma, vmf->address);
	lru_cache_add_inactive_or_unevictable(m, page, vma);
	mm_rss_page(mm, page, 1);
	set_user_pte(m, mm, vmf->pte, vmf->address,
		     maybe_mkwrite(pte_mkdirty(mk_pte_pfn(page_to_pfn(m, page), vm_get_page_prot(vma->vm_flags))),
				   vma));
	vmf->fi->pfn = page_to_pfn(m, page);
	trace_cow(m, vmf->address, page_to_pfn(m, page));
	return major ? VM_FAULT_MAJOR : 0;
}

/* Write fault on a none PTE of a shared file VMA: the cache page itself. */
static unsigned do_shared_fault(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	vmf->fi->kind = FK_FILE;
	return map_cache_page(m, mm, vmf, true);
}

static unsigned handle_pte_fault(struct memsys *m, struct mm_struct *mm, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	pte_t e;

	vmf->pte = pte_alloc_map(m, mm, vmf->address);
	if (!vmf->pte)
		return VM_FAULT_OOM;
	e = vmf->orig_pte = *vmf->pte;
	if (pte_none(e)) {
		if (!vma->vm_file)
			return do_anonymous_page(m, mm, vmf);
		if (!write)
			return do_read_fault(m, mm, vmf);
		if (!(vma->vm_flags & VM_SHARED))
			return do_cow_fault(m, mm, vmf);
		return do_shared_fault(m, mm, vmf);
	}
	if (is_swap_pte(e))
		return do_swap_page(m, mm, vmf);
	if (!pte_present(e))
		return VM_FAULT_SIGBUS; /* PROT_NONE entries: the VMA check refused those */
	if (write && !pte_write(e))
		return do_wp_page(m, mm, vmf);
	/* The PTE allows the access: a stale TLB entry (spurious fault). */
	e = pte_mkyoung(e);
	if (write)
		e = pte_mkdirty(e);
	if (e.pte != vmf->orig_pte.pte)
		set_user_pte(m, mm, vmf->pte, vmf->address, e);
	vmf->fi->kind = FK_SPURIOUS;
	vmf->fi->pfn = pte_pfn(e);
	return 0;
}

/* The page_fault event's detail: the fault_stats bucket the fault counts in,
 * plus " major" when a page had to be read (VM_FAULT_MAJOR), so that the
 * events' kinds add up to the faults.KIND counters. */
static const char *kind_name(const struct fault_info *fi)
{
	switch (fi->kind) {
	case FK_ANON: return "anon";
	case FK_ZERO: return "zero";
	case FK_FILE: return fi->major ? "file major" : "file";
	case FK_COW: return fi->major ? "cow major" : "cow";
	case FK_INVALID: return "invalid";
	case FK_SPURIOUS: return "spurious";
	case FK_SWAP: return fi->major ? "swap major" : "swap";
	default: return "none";
	}
}

static void count_kind(struct fault_stats *s, enum fault_kind k)
{
	switch (k) {
	case FK_ANON: s->anon++; break;
	case FK_ZERO: s->zero++; break;
	case FK_FILE: s->file++; break;
	case FK_COW: s->cow++; break;
	case FK_INVALID: s->invalid++; break;
	case FK_SPURIOUS: s->spurious++; break;
	case FK_SWAP: s->swap++; break;
	default: break;
	}
}

static void trace_fault(struct memsys *m, uint64_t addr, uint64_t ip, unsigned ec, const struct fault_info *fi)
{
	struct trace_event ev = trace_event_init(TEV_PAGE_FAULT);
	ev.addr = addr;
	ev.ip = ip;
	ev.value = ec;
	ev.detail = kind_name(fi);
	if (fi->kind != FK_INVALID)
		ev.pfn = (int64_t)fi->pfn;
	trace_emit(m->trace, &ev);
}

/* Record a fault that ends in a signal (no handle_mm_fault accounting). */
static void account_invalid(struct memsys *m, struct mm_struct *mm, uint64_t addr, uint64_t ip, unsigned ec,
			    struct fault_info *fi, int signo, int code)
{
	fi->kind = FK_INVALID;
	fi->signo = signo;
	fi->si_code = code;
	count_kind(&mm->faults, FK_INVALID);
	count_kind(&m->faults, FK_INVALID);
	trace_fault(m, addr, ip, ec, fi);
}

static unsigned fault_core(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
			   unsigned flags, uint64_t ip, unsigned ec, struct fault_info *fi)
{
	struct vm_fault vmf = { .vma = vma, .address = addr & PAGE_MASK, .flags = flags, .fi = fi };
	unsigned ret;

	memset(fi, 0, sizeof(*fi));
	__count_vm_event(m, PGFAULT);
	ret = handle_pte_fault(m, mm, &vmf);
	fi->vm_fault = ret;
	if (ret & VM_FAULT_ERROR) {
		fi->kind = FK_INVALID;
		fi->signo = (ret & VM_FAULT_OOM) ? MMSIM_SIGKILL : (ret & VM_FAULT_SIGBUS) ? MMSIM_SIGBUS : MMSIM_SIGSEGV;
		fi->si_code = (ret & VM_FAULT_SIGBUS) ? BUS_ADRERR_CODE : SEGV_MAPERR_CODE;
	} else {
		if (__builtin_expect(!!(vma->vm_flags & VM_LOCKED), 0) && fi->kind != FK_ZERO && fi->pfn < m->max_pfn)
			mlock_page(m, pfn_to_page(m, fi->pfn)); /* a page mapped into a locked VMA */
		if (ret & VM_FAULT_MAJOR) {
			fi->major = true;
			__count_vm_event(m, PGMAJFAULT);
			mm->maj_flt++;
		} else {
			mm->min_flt++;
		}
	}
	count_kind(&mm->faults, fi->kind);
	count_kind(&m->faults, fi->kind);
	trace_fault(m, addr, ip, ec, fi);
	return ret;
}

unsigned handle_mm_fault(struct memsys *m, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
			 unsigned flags, struct fault_info *out)
{
	struct fault_info local;
	unsigned ec = 0;

	if (flags & FAULT_FLAG_WRITE)
		ec |= X86_PF_WRITE;
	if (flags & FAULT_FLAG_USER)
		ec |= X86_PF_USER;
	if (flags & FAULT_FLAG_INSTRUCTION)
		ec |= X86_PF_INSTR;
	return fault_core(m, mm, vma, addr, flags, 0, ec, out ? out : &local);
}

/* Linux's access_error(): may this fault's access touch VMA at all? */
static bool access_error(unsigned ec, const struct vm_area_struct *vma)
{
	if (ec & X86_PF_PK)
		return true;
	if (ec & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (ec & X86_PF_PROT) /* read of a present page: not a fault we fix */
		return true;
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

int do_user_addr_fault(struct memsys *m, struct mm_struct *mm, uint64_t addr, unsigned error_code, uint64_t ip,
		       struct fault_info *out)
{
	struct fault_info local;
	struct fault_info *fi = out ? out : &local;
	struct vm_area_struct *vma;
	unsigned flags = FAULT_FLAG_USER, ret;

	memset(fi, 0, sizeof(*fi));
	if (error_code & X86_PF_RSVD) { /* corrupted page table: Linux oopses */
		account_invalid(m, mm, addr, ip, error_code, fi, MMSIM_SIGBUS, BUS_ADRERR_CODE);
		return fi->signo;
	}
	if (addr >= mm->task_size) {
		account_invalid(m, mm, addr, ip, error_code, fi, MMSIM_SIGSEGV, SEGV_MAPERR_CODE);
		return fi->signo;
	}
	vma = find_vma(mm, addr);
	if (!vma) {
		account_invalid(m, mm, addr, ip, error_code, fi, MMSIM_SIGSEGV, SEGV_MAPERR_CODE);
		return fi->signo;
	}
	if (vma->vm_start > addr) {
		if (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(m, mm, vma, addr)) {
			account_invalid(m, mm, addr, ip, error_code, fi, MMSIM_SIGSEGV, SEGV_MAPERR_CODE);
			return fi->signo;
		}
	}
	if (access_error(error_code, vma)) {
		account_invalid(m, mm, addr, ip, error_code, fi, MMSIM_SIGSEGV, SEGV_ACCERR_CODE);
		return fi->signo;
	}
	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	ret = fault_core(m, mm, vma, addr, flags, ip, error_code, fi);
	return (ret & VM_FAULT_ERROR) ? fi->signo : 0;
}

int64_t follow_pfn(struct memsys *m, struct mm_struct *mm, uint64_t addr)
{
	pte_t *p = pte_lookup(m, mm, addr);
	return p && pte_present(*p) ? (int64_t)pte_pfn(*p) : -1;
}

/* May a get_user_pages-style access (FOLL_FORCE) touch VMA? */
static bool gup_allowed(const struct vm_area_struct *vma, bool write)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return false;
	if (write) {
		if (vma->vm_flags & VM_WRITE)
			return true;
		/* FOLL_FORCE: private mappings that could be writable break COW */
		return (vma->vm_flags & (VM_MAYWRITE | VM_SHARED)) == VM_MAYWRITE;
	}
	return vma->vm_flags & (VM_READ | VM_MAYREAD);
}

/* The page at ADDR ready for the access, faulting it in; NULL if not possible. */
static struct page *get_user_page(struct memsys *m, struct mm_struct *mm, uint64_t addr, bool write)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct fault_info fi;

	if (!vma)
		return NULL;
	if (vma->vm_start > addr && ((vma->vm_flags & VM_GROWSDOWN) == 0 || expand_stack(m, mm, vma, addr)))
		return NULL;
	if (!gup_allowed(vma, write))
		return NULL;
	for (int tries = 0; tries < 3; tries++) {
		pte_t *p = pte_lookup(m, mm, addr);
		if (p && pte_present(*p)) {
			struct page *pg = pfn_to_page(m, pte_pfn(*p));
			if (!write || pte_write(*p))
				return pg;
			/* FOLL_COW: a forced write was already COWed into an exclusive anon page */
			if (tries > 0 && PageAnon(pg) && page_mapcount(pg) == 1)
				return pg;
		}
		if (handle_mm_fault(m, mm, vma, addr, FAULT_FLAG_REMOTE | (write ? FAULT_FLAG_WRITE : 0), &fi) &
		    VM_FAULT_ERROR)
			return NULL;
	}
	return NULL;
}

size_t access_process_vm(struct memsys *m, struct mm_struct *mm, uint64_t addr, void *buf, size_t len, bool write)
{
	size_t done = 0;
	uint8_t *b = buf;

	while (done < len) {
		uint64_t a = addr + done;
		size_t off = a & ~PAGE_MASK, n = PAGE_SIZE - off;
		struct page *pg;

		if (n > len - done)
			n = len - done;
		if (a < addr || a >= mm->task_size)
			break;
		pg = get_user_page(m, mm, a & PAGE_MASK, write);
		if (!pg)
			break;
		if (write) {
			memcpy((uint8_t *)page_address(m, pg) + off, b + done, n);
			if (page_is_file_cache(pg))
				SetPageDirty(pg);
		} else {
			memcpy(b + done, (uint8_t *)page_address(m, pg) + off, n);
		}
		done += n;
	}
	return done;
}
