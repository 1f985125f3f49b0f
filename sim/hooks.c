/* sim/hooks.c - the modelled MMU in Unicorn's hooks, and user copies.
 *
 * Invariant: before any guest data access proceeds, the read/write hook has
 * translated every page the access touches through mmu_translate() (TLB,
 * walk), resolved page faults with do_user_addr_fault(), and made the host
 * page show exactly the frame the model returned.  A refused access leaves
 * scratch memory under the page (a store lands there, never in a frame) and
 * stops the slice; Unicorn rewinds RIP to the faulting instruction.
 * Instruction fetch gets the same treatment per block in the block hook;
 * when the frame under code changed, the block's translation is dropped and
 * the block restarts from the real frame.  A block's size only means
 * something once it was translated from the frames the model shows, so the
 * first page is checked (and a stale block restarted) before the size is
 * used; a block running onto a second page has that page fetched by the
 * instruction that first occupies it, as the CPU does (see hook_block).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "mm/mmap.h"
#include "mmu/memory.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
#include "mmu/smp.h"
#include "sim/engine_impl.h"
#include "sim/sys_internal.h"
#include "sim/process.h"
#include "sim/report.h"
#include "sim/sim.h"
#include "sim/syscall.h"

void engine_stop(struct engine *e, enum engine_stop stop)
{
	if (!e->stop_set) {
		e->stop_set = true;
		e->stop = stop;
	}
	uc_emu_stop(e->uc);
}

/* Instructions of the running block from RIP to its end (RIP included):
 * those the block hook counted but that have not retired when the
 * instruction at RIP faults.  Capstone walks the block's bytes from its
 * start to RIP; the answer is kept per (block, frame, RIP), as faults
 * recur at the same instructions (a loop touching fresh pages).  0 when
 * RIP is not an instruction boundary of the block counted last. */
static uint32_t block_rest(struct engine *e, uint64_t rip)
{
	if (!e->blk_n || rip < e->blk_addr || rip >= e->blk_addr + e->blk_size || !e->cs_ok)
		return 0;
	const uint32_t *shownp = physmap_shown(&e->pm, e->blk_addr);
	uint32_t shown = shownp ? *shownp : 0;
	struct rest_cache *rc = &e->rc[(rip ^ (rip >> 6)) & (sizeof e->rc / sizeof e->rc[0] - 1)];
	bool one_page = ((e->blk_addr ^ (e->blk_addr + e->blk_size - 1)) & PAGE_MASK) == 0;
	if (rc->rip == rip && rc->blk_addr == e->blk_addr && rc->blk_size == e->blk_size && rc->shown == shown &&
	    shown && one_page)
		return rc->k < e->blk_n ? e->blk_n - rc->k : 0;
	const uint8_t *code = physmap_host(&e->pm, e->blk_addr);
	if (!code)
		return 0;
	size_t left = rip - e->blk_addr;
	uint64_t a = e->blk_addr;
	uint32_t k = 0;
	cs_insn *insn = cs_malloc(e->cs);
	if (!insn)
		return 0;
	while (a < rip && cs_disasm_iter(e->cs, &code, &left, &a, insn))
		k++;
	cs_free(insn, 1);
	if (a != rip)
		return 0;
	if (one_page)
		*rc = (struct rest_cache){ .blk_addr = e->blk_addr, .rip = rip, .blk_size = e->blk_size, .shown = shown, .k = k };
	return k < e->blk_n ? e->blk_n - k : 0;
}

/* Take N counted instructions back (they did not retire), or give them
 * back (negative N: they will retire after all). */
static void uncount(struct engine *e, int64_t n)
{
	e->slice_insns -= (uint64_t)n;
	e->unflushed -= (uint64_t)n;
	e->blk_n -= (uint32_t)n;
}

void engine_uncount_from(struct engine *e, uint64_t rip)
{
	uncount(e, block_rest(e, rip));
}

void engine_need_slot(struct engine *e, uint64_t va)
{
	/* Measured on 2.0.1: a stop from a memory hook leaves RIP at the
	 * block's start although earlier instructions of the block have run;
	 * the RIP read inside the hook is the access's instruction, so restart
	 * exactly there (it is counted again when it runs). */
	uint64_t rip;
	uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
	uncount(e, block_rest(e, rip));
	e->need_slot = true;
	e->slot_va = va;
	e->rip_pending = true;
	e->pending_rip = rip;
	uc_emu_stop(e->uc);
}

int engine_sync_slots(struct engine *e)
{
	struct list_head *pos;
	if (!e->mm)
		return 0;
	list_for_each(pos, &e->mm->mmap) {
		struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);
		for (uint64_t a = vma->vm_start & ~(PHYSMAP_SLOT_SIZE - 1); a < vma->vm_end; a += PHYSMAP_SLOT_SIZE) {
			if (physmap_ensure(&e->pm, a) != 0) {
				snprintf(e->error, sizeof e->error, "%s", e->pm.err);
				return -1;
			}
		}
	}
	return 0;
}

void engine_flush_clock(struct engine *e)
{
	if (!e->unflushed)
		return;
	e->s->insns += e->unflushed;
	if (e->t)
		e->t->insns += e->unflushed;
	e->unflushed = 0;
	trace_set_clock(e->s->trace, e->s->insns, e->t ? e->t->pid : 0);
}

void engine_load_cr3(struct engine *e)
{
	struct smp *smp = e->s->smp;
	if (smp) {
		/* several CPUs: the engine runs on the scheduler's this_cpu */
		struct mmu *m = smp->cpu[smp->this_cpu].mmu;
		if (e->mmu != m) {
			e->mmu = m;
			e->lb_addr = UINT64_MAX; /* the same-block shortcut knew another CPU's iTLB */
		}
		if (m->cur_mm != e->mm || smp->cpu[smp->this_cpu].is_lazy)
			smp_switch_mm(smp, smp->this_cpu, e->mm);
		return;
	}
	if (e->mmu->cur_mm != e->mm)
		mmu_switch_mm(e->mmu, e->mm);
}

/* Record a fault that ends the slice. */
static void set_fault(struct engine *e, int signo, int si_code, enum engine_fault_kind kind, uint64_t addr,
		      uint64_t rip, unsigned access, uint32_t error_code)
{
	e->fault = (struct engine_fault){ .signo = signo, .si_code = si_code, .kind = kind, .addr = addr,
					  .rip = rip, .access = access, .error_code = error_code };
	engine_stop(e, ENGINE_FAULT);
}

static void set_error(struct engine *e, const char *msg)
{
	snprintf(e->error, sizeof e->error, "%s", msg);
	engine_stop(e, ENGINE_ERROR);
}

/* Map a do_user_addr_fault() outcome to the report's reason. */
static enum engine_fault_kind fault_kind(int sig, const struct fault_info *fi, unsigned access)
{
	if (sig == MMSIM_SIGBUS)
		return fi->vm_fault & VM_FAULT_OOM ? EFAULT_OOM : EFAULT_BUS;
	if (fi->si_code == SEGV_ACCERR_CODE)
		return (access & MMU_ACCESS_KIND) == MMU_EXEC ? EFAULT_EXEC : EFAULT_PROTECTION;
	return EFAULT_NOT_MAPPED;
}

/* True if the instruction at RIP reads and writes its destination, a
 * memory operand (add [m], r; inc; or; xchg; cmpxchg...).  The CPU reports
 * a fault of such a read-modify-write as a write (#PF error code W), so a
 * page it touches first takes one write fault, not a read fault then a
 * write fault.  Decoded (Capstone) only on a fault; the instructions are
 * listed, since Capstone 4's operand access flags call `test [m], imm` a
 * write too. */
static bool insn_is_rmw(struct engine *e, uint64_t rip)
{
	static const unsigned rmw_ids[] = {
		X86_INS_ADD, X86_INS_ADC, X86_INS_SUB, X86_INS_SBB, X86_INS_AND, X86_INS_OR, X86_INS_XOR,
		X86_INS_INC, X86_INS_DEC, X86_INS_NEG, X86_INS_NOT, X86_INS_SHL, X86_INS_SHR, X86_INS_SAR,
		X86_INS_SAL, X86_INS_ROL, X86_INS_ROR, X86_INS_RCL, X86_INS_RCR, X86_INS_XCHG, X86_INS_XADD,
		X86_INS_CMPXCHG, X86_INS_CMPXCHG8B, X86_INS_CMPXCHG16B, X86_INS_BTS, X86_INS_BTR, X86_INS_BTC,
		X86_INS_SHLD, X86_INS_SHRD,
	};
	const uint8_t *code = e->cs_ok ? physmap_host(&e->pm, rip) : NULL;
	if (!code)
		return false;
	size_t left = PAGE_SIZE - (rip & ~PAGE_MASK);
	if (left > 15)
		left = 15;
	bool rmw = false;
	cs_option(e->cs, CS_OPT_DETAIL, CS_OPT_ON);
	cs_insn *insn = cs_malloc(e->cs);
	uint64_t a = rip;
	if (insn && cs_disasm_iter(e->cs, &code, &left, &a, insn) && insn->detail &&
	    insn->detail->x86.op_count > 0 && insn->detail->x86.operands[0].type == X86_OP_MEM) {
		for (size_t i = 0; i < sizeof rmw_ids / sizeof rmw_ids[0]; i++)
			if (insn->id == rmw_ids[i])
				rmw = true;
	}
	if (insn)
		cs_free(insn, 1);
	cs_option(e->cs, CS_OPT_DETAIL, CS_OPT_OFF);
	return rmw;
}

/* engine_user_access after the first translation was made (result R,
 * physical address PA or #PF error code ERROR_CODE): show the frame, or
 * resolve the fault and translate again.  Scalars, not the mmu_xlate, so
 * the caller's stays in registers. */
static __attribute__((noinline)) int access_slow(struct engine *e, uint64_t va, unsigned access, uint64_t rip,
						 int r, uint64_t pa, uint32_t error_code)
{
	struct mmu *mmu = e->mmu;
	struct mmu_xlate x;
	x.pa = pa;
	x.error_code = error_code;
	if ((access & MMU_ACCESS_KIND) == MMU_EXEC)
		mmu->l1i_owner = NULL; /* the block hook records it again on success */

	for (int tries = 0; tries < 4; tries++) {
		if (tries)
			r = mmu_translate(mmu, va, access | MMU_USER, &x);
		if (r == 0) {
			int c = physmap_show(&e->pm, va, x.pa >> 12);
			if (c < 0) {
				if (!physmap_find(&e->pm, va)) {
					/* No slot yet (a stack grew into a new GiB):
					 * slots are only added between uc_emu_start
					 * calls, so restart the instruction. */
					engine_need_slot(e, va);
					return -1;
				}
				set_error(e, e->pm.err);
				return -1;
			}
			if (c > 0 && physmap_code_seen(&e->pm, va))
				uc_ctl_remove_cache(e->uc, va & PAGE_MASK, (va & PAGE_MASK) + PAGE_SIZE);
			return c;
		}
		if (!rip)
			uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		if (r == -EINVAL) {
			set_fault(e, SIGSEGV, 0x80 /* SI_KERNEL */, EFAULT_NON_CANONICAL, va, rip, access, 0);
			return -1;
		}
		if (r != MMU_FAULT) {
			char msg[160];
			snprintf(msg, sizeof msg, "internal error: translation of 0x%llx failed (%d)", (unsigned long long)va,
				 r);
			set_error(e, msg);
			return -1;
		}
		/* Guest time at the fault: the block's instructions before
		 * RIP have retired, the one at RIP and the rest not yet (the
		 * block hook counted them all).  An exec fault comes before the
		 * block is counted (blk_n is 0 then). */
		uint32_t rest = (access & MMU_ACCESS_KIND) == MMU_EXEC ? 0 : block_rest(e, rip);
		uncount(e, rest);
		engine_flush_clock(e);
		struct fault_info fi;
		memset(&fi, 0, sizeof fi);
		if ((access & MMU_ACCESS_KIND) == MMU_READ && !(x.error_code & X86_PF_WRITE) && insn_is_rmw(e, rip))
			x.error_code |= X86_PF_WRITE;
		/* Counted per mm by the fault path (min_flt, maj_flt,
		 * fault_stats); the scheduler folds it into the task. */
		int sig = do_user_addr_fault(e->s->mem, e->mm, va, x.error_code, rip, &fi);
		if (sig) {
			/* Never let the refused access reach a frame. */
			if ((access & MMU_ACCESS_KIND) == MMU_WRITE)
				physmap_scratch(&e->pm, va);
			set_fault(e, sig, fi.si_code, fault_kind(sig, &fi, access), va, rip, access, x.error_code);
			return -1;
		}
		uncount(e, -(int64_t)rest); /* resolved: they will retire */
		if (fi.io_ns) {
			/* A swap-in read: the page is mapped now, so the access
			 * completes; the slice ends at the next block boundary
			 * (count_block's budget check) and the task sleeps
			 * through the I/O while others run.  Stopping here
			 * instead would let Unicorn run the rest of the block and
			 * then rerun this instruction: its register effects
			 * would land twice. */
			e->io_wait_ns += fi.io_ns;
			e->budget = e->slice_insns ? e->slice_insns : 1;
		}
	}
	char msg[160];
	snprintf(msg, sizeof msg, "internal error: fault at 0x%llx resolved but the access still faults",
		 (unsigned long long)va);
	set_error(e, msg);
	return -1;
}

int engine_user_access(struct engine *e, uint64_t va, unsigned access, uint64_t rip)
{
	struct mmu_xlate x;
	int r = mmu_translate(e->mmu, va, access | MMU_USER, &x);
	return access_slow(e, va, access, rip, r, x.pa, x.error_code);
}

/* The hot path of every guest access: a modelled L1 TLB hit on a page that
 * already shows its frame costs one inline TLB probe (replacement state
 * and dTLB/iTLB lookup counters updated as for any access), one compare
 * against the cached slot and one array read.  Returns 0, 1 (frame
 * changed) or -1 like engine_user_access; on 0, *SHOWN (if not NULL) gets
 * the page's pfn[] value. */
static inline __attribute__((always_inline)) int user_access_fast(struct engine *e, uint64_t va, unsigned access,
								  uint64_t rip, uint32_t *shown)
{
	struct mmu_xlate x;
	int r = mmu_translate(e->mmu, va, access | MMU_USER, &x);
	if (__builtin_expect(r == 0, 1)) {
		const uint32_t *p = physmap_shown(&e->pm, va);
		uint32_t want = (uint32_t)(x.pa >> 12) + 1;
		if (__builtin_expect(p && *p == want, 1)) {
			if (shown)
				*shown = want;
			return 0;
		}
	}
	int c = access_slow(e, va, access, rip, r, x.pa, x.error_code);
	if (c >= 0 && shown) {
		const uint32_t *p = physmap_shown(&e->pm, va);
		*shown = p ? *p : 0;
	}
	return c;
}

/* UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE: the data side of the MMU. */
static __attribute__((flatten)) void hook_mem(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *ud)
{
	struct engine *e = ud;
	(void)uc;
	(void)value;
	if (e->stop_set || e->rip_pending) {
		/* The rest of the block runs after uc_emu_stop: its stores must
		 * land in scratch memory, never in a frame the model did not
		 * grant for this access. */
		if (type == UC_MEM_WRITE) {
			physmap_scratch(&e->pm, addr);
			physmap_scratch(&e->pm, addr + (uint64_t)(size > 0 ? size - 1 : 0));
		}
		return;
	}
	unsigned access = type == UC_MEM_WRITE ? MMU_WRITE : MMU_READ;
	if (user_access_fast(e, addr, access, 0, NULL) < 0)
		return;
	uint64_t last = addr + (uint64_t)(size > 0 ? size - 1 : 0);
	if (__builtin_expect(((addr ^ last) & PAGE_MASK) != 0, 0))
		user_access_fast(e, last, access, 0, NULL);
}

/* Instructions in the block at ADDR of SIZE bytes (cached per address and
 * frame; Capstone counts them on a miss). */
static uint32_t block_insns(struct engine *e, uint64_t addr, uint32_t size, uint64_t pfn)
{
	struct block_count *b = &e->bc[(addr ^ (addr >> 13)) & (BLOCK_CACHE_SIZE - 1)];
	if (__builtin_expect(b->addr == addr && b->size == size && b->pfn == pfn, 1))
		return b->ninsns;
	uint32_t n = 0;
	uint8_t *p = physmap_host(&e->pm, addr);
	if (p && e->cs_ok) {
		const uint8_t *code = p;
		size_t left = size;
		uint64_t a = addr;
		cs_insn *insn = cs_malloc(e->cs);
		if (insn) {
			while (left && cs_disasm_iter(e->cs, &code, &left, &a, insn))
				n++;
			cs_free(insn, 1);
		}
	}
	if (n == 0)
		n = 1;
	*b = (struct block_count){ .addr = addr, .size = size, .ninsns = n, .pfn = pfn };
	return n;
}

/* Address of the first instruction of the block at ADDR that has bytes on
 * the page starting at NEXT (ADDR's page shows its real frame): Capstone
 * walks the block's bytes before NEXT; an instruction it cannot complete
 * there is the one that runs onto the next page.  ADDR when Capstone is
 * missing. */
static uint64_t first_insn_on(struct engine *e, uint64_t addr, uint64_t next)
{
	const uint8_t *code = physmap_host(&e->pm, addr);
	if (!code || !e->cs_ok)
		return addr;
	cs_insn *insn = cs_malloc(e->cs);
	if (!insn)
		return addr;
	size_t left = next - addr;
	uint64_t a = addr;
	while (left && cs_disasm_iter(e->cs, &code, &left, &a, insn))
		;
	cs_free(insn, 1);
	return a;
}

/* Whether a user instruction fetch from the page at NEXT, reached from the
 * page at ADDR whose fetch was just allowed, is allowed by MM's page tables
 * as they stand (a present, user, executable PTE, or the same 2 MiB leaf as
 * ADDR); no TLB, statistic or fault is touched. */
static bool fetch_allowed(struct engine *e, uint64_t addr, uint64_t next)
{
	const pte_t *p = pte_lookup(e->s->mem, e->mm, next);
	if (!p) /* a huge leaf, or no page table: ADDR's PMD maps NEXT only if the former */
		return ((addr ^ next) & ~(PMD_SIZE - 1)) == 0;
	return pte_present(*p) && (p->pte & _PAGE_USER) && !(p->pte & _PAGE_NX);
}

/* Count the N instructions of the block at ADDR (SIZE bytes) into the
 * slice, or stop the slice before it when the budget would be exceeded. */
static inline __attribute__((always_inline)) void count_block(struct engine *e, uint64_t addr, uint32_t size,
								 uint32_t n)
{
	if (e->budget && e->slice_insns > 0 && e->slice_insns + n > e->budget) {
		engine_stop(e, ENGINE_BUDGET);
		return;
	}
	e->slice_insns += n;
	e->unflushed += n;
	e->blk_addr = addr;
	e->blk_size = size;
	e->blk_n = n;
}

/* Drop the translation of the block at ADDR and run it again from ADDR
 * once this uc_emu_start has returned. */
static void restart_block(struct engine *e, uint64_t addr)
{
	uc_ctl_remove_cache(e->uc, addr, addr + 1);
	e->rip_pending = true;
	e->pending_rip = addr;
	uc_emu_stop(e->uc);
}

/* UC_HOOK_BLOCK: the iTLB, code-frame changes, and the instruction budget.
 *
 * Same-block fast path: when this engine made the last access to the L1
 * iTLB, for this very block (one page), and since then no entry of the
 * iTLB was filled or invalidated, no page of this engine changed frame and
 * CR3's PCID is the same, then the fetch hits the entry that access left
 * most recently used: the lookup counter moves, the replacement state
 * would not (PLRU bits already point away from it, its LRU stamp is
 * already the newest, FIFO and random do not change on a hit), the page
 * still shows the frame and the block has the same instruction count.
 * So the result is what the full check gives, for a tight loop's cost.
 *
 * Fetch range: Unicorn may run the hook for a block it translated from
 * what the page showed before the model realised its frame (the harmless
 * placeholder of a page not touched yet), so SIZE is only trusted after the
 * first page is checked and shows the frame the block was translated from.
 * A block that runs onto a second page fetches that page only at the
 * instruction that first occupies it: if the page may fault, the slice
 * first runs the block up to that instruction (Unicorn's `until`), and the
 * block starting there checks the page; a refused fetch then reports that
 * instruction's RIP and the first address on the page, with the
 * instructions before it retired. */
static __attribute__((flatten)) void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	struct engine *e = ud;
	(void)uc;
	if (e->stop_set || e->rip_pending)
		return;
	struct mmu *mmu = e->mmu;
	const struct tlb *itlb = &mmu->tlb[TLB_L1I];
	if (addr == e->lb_addr && size == e->lb_size && mmu->l1i_owner == e && e->fastpath &&
	    itlb->fills + itlb->invalidations == e->lb_tlb_sig && e->pm.gen == e->lb_pm_gen &&
	    mmu->cur_pcid == e->lb_pcid) {
		mmu->stats.lookups[MMU_EXEC]++;
		count_block(e, addr, size, e->lb_n);
		return;
	}
	e->lb_addr = UINT64_MAX;
	e->blk_n = 0; /* nothing of this block counted yet */
	uint64_t last = addr + (size ? size - 1 : 0);
	bool two_pages = ((addr ^ last) & PAGE_MASK) != 0;
	/* Before the check: a refused fetch leaves a translated block too. */
	physmap_mark_code(&e->pm, addr);
	if (two_pages)
		physmap_mark_code(&e->pm, last);
	uint32_t shown = 0;
	int c = user_access_fast(e, addr, MMU_EXEC, addr, &shown);
	if (c == 0 && __builtin_expect(two_pages, 0)) {
		uint64_t next = last & PAGE_MASK; /* first byte on the second page */
		if (!fetch_allowed(e, addr, next)) {
			uint64_t k = first_insn_on(e, addr, next);
			if (k != addr) {
				/* Run up to the instruction that fetches from NEXT. */
				e->fetch_until = k;
				restart_block(e, addr);
				return;
			}
		}
		c = user_access_fast(e, next, MMU_EXEC, addr, NULL);
	}
	if (c < 0)
		return;
	if (c > 0) {
		/* This block was translated from what the page showed before: drop
		 * it and restart it from the real frame. */
		e->restarts++;
		restart_block(e, addr);
		return;
	}
	uint32_t n = block_insns(e, addr, size, shown);
	if (!two_pages) {
		mmu->l1i_owner = e;
		e->lb_addr = addr;
		e->lb_size = size;
		e->lb_n = n;
		e->lb_tlb_sig = itlb->fills + itlb->invalidations;
		e->lb_pm_gen = e->pm.gen;
		e->lb_pcid = mmu->cur_pcid;
	} else {
		mmu->l1i_owner = NULL;
	}
	count_block(e, addr, size, n);
}

/* Run x86-64 system call NR with ARGS for the 2-byte instruction at
 * INSN_RIP (SYSCALL, or `int $0x80` when IA32) and write the result back
 * (sim/syscall.h protocol); Unicorn resumes after the instruction. */
static void run_syscall(struct engine *e, long nr, const uint64_t args[6], uint64_t insn_rip, bool ia32)
{
	uc_engine *uc = e->uc;
	engine_flush_clock(e);
	if (!e->t) {
		set_error(e, "internal error: syscall on an engine without a task");
		return;
	}
	e->in_syscall = true;
	e->t->syscalls++;
	long ret = syscall_dispatch(e->s, e->t, (uint64_t)nr, args);
	e->in_syscall = false;
	if (e->destroy_pending) {
		engine_stop(e, ENGINE_SYSCALL);
		return;
	}
	if (ret == -ERESTARTNOINTR) {
		e->rip_pending = true;
		e->pending_rip = insn_rip;
		engine_stop(e, ENGINE_SYSCALL);
		return;
	}
	uint64_t rax = ia32 ? (uint64_t)(int64_t)(int32_t)ret : (uint64_t)ret;
	uc_reg_write(uc, UC_X86_REG_RAX, &rax);
	if (!ia32) {
		/* Linux clobbers RCX (return RIP) and R11 (RFLAGS) on SYSCALL. */
		uint64_t rcx = insn_rip + 2, r11;
		uc_reg_read(uc, UC_X86_REG_EFLAGS, &r11);
		uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
		uc_reg_write(uc, UC_X86_REG_R11, &r11);
	}
	if (e->rip_pending || task_must_stop(e->t)) {
		engine_stop(e, ENGINE_SYSCALL);
		return;
	}
	/* A new VMA in a GiB without a slot: add it outside Unicorn. */
	if (nr == SYS_mmap || nr == SYS_brk || nr == SYS_mremap) {
		struct list_head *pos;
		list_for_each(pos, &e->mm->mmap) {
			struct vm_area_struct *vma = list_entry(pos, struct vm_area_struct, vm_list);
			if (!physmap_find(&e->pm, vma->vm_start) || !physmap_find(&e->pm, vma->vm_end - 1)) {
				e->rip_pending = true;
				e->pending_rip = insn_rip + 2;
				uc_emu_stop(uc);
				return;
			}
		}
	}
}

/* UC_HOOK_INSN(SYSCALL): the x86-64 system call ABI (RAX; RDI, RSI, RDX,
 * R10, R8, R9).  RIP reads as the SYSCALL instruction here. */
static void hook_syscall(uc_engine *uc, void *ud)
{
	struct engine *e = ud;
	int ids[8] = { UC_X86_REG_RAX, UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
		       UC_X86_REG_R10, UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_RIP };
	uint64_t v[8];
	void *ptrs[8];
	for (int i = 0; i < 8; i++)
		ptrs[i] = &v[i];
	uc_reg_read_batch(uc, ids, ptrs, 8);
	uint64_t args[6] = { v[1], v[2], v[3], v[4], v[5], v[6] };
	run_syscall(e, (long)v[0], args, v[7], false);
}

/* `int $0x80` from 64-bit code: the i386 ABI (sim/syscall_ia32.c).  RIP
 * reads as the instruction after it here. */
static void ia32_syscall(struct engine *e, uint64_t next_rip)
{
	int ids[7] = { UC_X86_REG_EAX, UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX,
		       UC_X86_REG_ESI, UC_X86_REG_EDI, UC_X86_REG_EBP };
	uint32_t v[7] = { 0 };
	void *ptrs[7];
	for (int i = 0; i < 7; i++)
		ptrs[i] = &v[i];
	uc_reg_read_batch(e->uc, ids, ptrs, 7);
	uint64_t args[6] = { 0 };
	long nr = ia32_syscall_args(v[0], v + 1, args);
	/* No equivalent: a number outside the table, which syscall_dispatch
	 * answers with -ENOSYS, tallies and traces as "ia32_syscall". */
	run_syscall(e, nr < 0 ? IA32_UNKNOWN_BASE + (long)v[0] : nr, args, next_rip - 2, true);
}

/* UC_HOOK_INTR: CPU exceptions and INT n become signals. */
static void hook_intr(uc_engine *uc, uint32_t intno, void *ud)
{
	struct engine *e = ud;
	uint64_t rip;
	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	if (intno == 0x80) {
		ia32_syscall(e, rip);
		return;
	}
	int sig = SIGSEGV, code = 0x80;
	switch (intno) {
	case 0: sig = SIGFPE; code = 1; break;    /* #DE: FPE_INTDIV */
	case 1: case 3: sig = SIGTRAP; code = 0x80; break;
	case 6: sig = SIGILL; code = 2; break;    /* #UD: ILL_ILLOPN */
	case 16: case 19: sig = SIGFPE; code = 0; break;
	case 17: sig = SIGBUS; code = 1; break;   /* #AC: BUS_ADRALN */
	default: break;                           /* #GP, INT n: SIGSEGV SI_KERNEL */
	}
	/* Guest time: the block hook counted the whole block; the
	 * instructions from RIP on did not retire (a fault's RIP is the
	 * faulting instruction, a trap's the one after it). */
	uncount(e, block_rest(e, rip));
	e->fault = (struct engine_fault){ .signo = sig, .si_code = code, .kind = EFAULT_PROTECTION, .addr = 0,
					  .rip = rip, .access = MMU_EXEC, .error_code = intno };
	engine_stop(e, sig == SIGSEGV ? ENGINE_FAULT : ENGINE_SIGNAL);
}

/* UC_HOOK_MEM_UNMAPPED: an access outside every slot.  If a VMA covers it
 * (or a stack may grow into it), the slot is added once uc_emu_start has
 * returned (a region mapped from inside a hook breaks uc_ctl_remove_cache
 * for its blocks on Unicorn 2.0.1) and the instruction restarts; otherwise
 * the model's fault path decides the signal (and counts the fault). */
static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *ud)
{
	struct engine *e = ud;
	(void)size;
	(void)value;
	unsigned access = type == UC_MEM_WRITE_UNMAPPED ? MMU_WRITE : type == UC_MEM_FETCH_UNMAPPED ? MMU_EXEC : MMU_READ;
	if (e->stop_set || e->rip_pending)
		return false;
	if (addr < TASK_SIZE_MAX) { /* user half: canonical by construction */
		struct vm_area_struct *vma = find_vma(e->mm, addr);
		bool grows = vma && (vma->vm_flags & VM_GROWSDOWN) && addr < vma->vm_start;
		if (vma && (addr >= vma->vm_start || grows)) {
			if (access == MMU_EXEC)
				e->blk_n = 0; /* the block at ADDR was not counted */
			engine_need_slot(e, addr);
			if (access == MMU_EXEC)
				e->pending_rip = addr;
			return false;
		}
	}
	uint64_t rip;
	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	if (access == MMU_EXEC)
		rip = addr;
	/* No VMA: the fault path refuses it (SIGSEGV) and records the fault.
	 * Should it resolve, the slot is still missing: restart. */
	if (engine_user_access(e, addr, access, rip) >= 0)
		engine_need_slot(e, addr);
	return false;
}

int engine_install_hooks(struct engine *e)
{
	if (uc_hook_add(e->uc, &e->h_mem, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)hook_mem, e, 1, 0) ||
	    uc_hook_add(e->uc, &e->h_block, UC_HOOK_BLOCK, (void *)hook_block, e, 1, 0) ||
	    uc_hook_add(e->uc, &e->h_syscall, UC_HOOK_INSN, (void *)hook_syscall, e, 1, 0, UC_X86_INS_SYSCALL) ||
	    uc_hook_add(e->uc, &e->h_intr, UC_HOOK_INTR, (void *)hook_intr, e, 1, 0) ||
	    uc_hook_add(e->uc, &e->h_unmapped, UC_HOOK_MEM_UNMAPPED, (void *)hook_unmapped, e, 1, 0) ||
	    uc_hook_add(e->uc, &e->h_cpuid, UC_HOOK_INSN, (void *)cpuid_insn_hook, e, 1, 0, UC_X86_INS_CPUID))
		return -1;
	return 0;
}

/* ---- user copies (the kernel side of syscalls) ---- */

/* Host pointer to user byte VA for ACCESS, faulting the page in: the
 * supervisor access of copy_{from,to}_user through the modelled TLB.
 * Returns NULL on -EFAULT. */
static uint8_t *user_ptr(struct engine *e, uint64_t va, unsigned access)
{
	struct mmu_xlate x;
	if (va >= TASK_SIZE_MAX)
		return NULL;
	engine_load_cr3(e);
	for (int tries = 0; tries < 4; tries++) {
		int r = mmu_translate(e->mmu, va, access, &x);
		if (r == 0)
			return phys_to_host(e->s->mem, x.pa);
		if (r != MMU_FAULT)
			return NULL;
		struct fault_info fi;
		memset(&fi, 0, sizeof fi);
		uint64_t rip = 0;
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		if (do_user_addr_fault(e->s->mem, e->mm, va, x.error_code, rip, &fi))
			return NULL;
	}
	return NULL;
}

/* Copy LEN bytes between host BUF and user address UADDR, page by page
 * through the modelled MMU (TO_USER: a write).  Returns 0 or -EFAULT. */
static int copy_user(struct engine *e, uint64_t uaddr, uint8_t *buf, size_t len, bool to_user)
{
	while (len) {
		size_t n = PAGE_SIZE - (uaddr & ~PAGE_MASK);
		if (n > len)
			n = len;
		uint8_t *p = user_ptr(e, uaddr, to_user ? MMU_WRITE : MMU_READ);
		if (!p)
			return -EFAULT;
		if (to_user)
			memcpy(p, buf, n);
		else
			memcpy(buf, p, n);
		buf += n;
		uaddr += n;
		len -= n;
	}
	return 0;
}

int copy_from_user(struct engine *e, void *dst, uint64_t src, size_t len)
{
	return copy_user(e, src, dst, len, false);
}

int copy_to_user(struct engine *e, uint64_t dst, const void *src, size_t len)
{
	return copy_user(e, dst, (uint8_t *)src, len, true);
}


int clear_user(struct engine *e, uint64_t dst, size_t len)
{
	while (len) {
		size_t n = PAGE_SIZE - (dst & ~PAGE_MASK);
		if (n > len)
			n = len;
		uint8_t *p = user_ptr(e, dst, MMU_WRITE);
		if (!p)
			return -EFAULT;
		memset(p, 0, n);
		dst += n;
		len -= n;
	}
	return 0;
}

long strncpy_from_user(struct engine *e, char *dst, uint64_t src, size_t n)
{
	size_t done = 0;
	while (done < n) {
		size_t chunk = PAGE_SIZE - (src & ~PAGE_MASK);
		if (chunk > n - done)
			chunk = n - done;
		const char *p = (const char *)user_ptr(e, src, MMU_READ);
		if (!p)
			return -EFAULT;
		const char *z = memchr(p, 0, chunk);
		size_t take = z ? (size_t)(z - p) + 1 : chunk;
		memcpy(dst + done, p, take);
		done += take;
		if (z)
			return (long)(done - 1);
		src += chunk;
	}
	return -ENAMETOOLONG;
}

int access_remote_vm(struct sim *s, struct mm_struct *mm, uint64_t addr, void *buf, size_t len, bool write)
{
	return access_process_vm(s->mem, mm, addr, buf, len, write) == len ? 0 : -EFAULT;
}
