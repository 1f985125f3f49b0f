/* sim/engine_impl.h - struct engine, shared by engine.c, hooks.c and
 * report.c only (everyone else sees the opaque type of sim/engine.h). */
#ifndef MMSIM_SIM_ENGINE_IMPL_H
#define MMSIM_SIM_ENGINE_IMPL_H

#include <capstone/capstone.h>
#include <unicorn/unicorn.h>

#include "sim/engine.h"
#include "sim/physmap.h"

#define BLOCK_CACHE_SIZE 8192 /* power of two */

/* Instruction count of one translated block, keyed by address and frame. */
struct block_count {
	uint64_t addr;
	uint32_t size;
	uint32_t ninsns;
	uint64_t pfn;
};

struct engine {
	struct sim *s;
	struct task *t;
	struct mm_struct *mm;
	struct mmu *mmu;             /* s->mmu (set by engine_create) */
	uc_engine *uc;
	uc_hook h_mem, h_block, h_syscall, h_intr, h_unmapped, h_cpuid;
	csh cs;
	bool cs_ok;
	struct physmap pm;
	struct block_count *bc;      /* BLOCK_CACHE_SIZE entries */

	/* slice state */
	bool running;
	bool destroy_pending;
	bool stop_set;
	enum engine_stop stop;
	uint64_t budget;
	uint64_t slice_insns;        /* retired this slice */
	uint64_t unflushed;          /* retired but not yet added to sim/task */
	uint64_t blk_addr;           /* the running block (last block hook) */
	uint32_t blk_size;
	uint32_t blk_n;              /* instructions counted for it (0: none yet) */
	bool rip_pending;            /* apply pending_rip after uc_emu_start */
	uint64_t pending_rip;
	uint64_t fetch_until;        /* run only up to this instruction (0: no limit):
	                              * it is the first to fetch from a second page
	                              * that may fault (hook_block) */
	bool need_slot;              /* add a slot for slot_va, restart the instruction */
	uint64_t slot_va;
	bool in_syscall;
	bool in_fault;               /* recursion guard for the fault path */
	uint64_t io_wait_ns;         /* swap-in I/O the task must sleep through
	                              * before the faulting instruction reruns */
	struct engine_fault fault;
	char error[320];
	unsigned long restarts;      /* blocks restarted after a code frame change */

	/* The last block the hook checked in full (single-page blocks only):
	 * the same block again, with no L1 iTLB access by anyone else and no
	 * iTLB or page change since, is an iTLB hit on the most recently used
	 * entry (replacement state unchanged) and needs no re-check. */
	bool fastpath;               /* cfg.fastpath */
	uint64_t lb_addr;
	uint32_t lb_size;
	uint32_t lb_n;
	unsigned long lb_tlb_sig;    /* L1 iTLB fills + invalidations then */
	uint64_t lb_pm_gen;          /* pm.gen then */
	unsigned lb_pcid;

	/* Instructions before RIP in a block (block_rest), for recent faults. */
	struct rest_cache {
		uint64_t blk_addr, rip;
		uint32_t blk_size, shown, k;
	} rc[64];
};

/* hooks.c */
/* Install the hooks and count E's host VMAs into the sim's budget
 * (physmap_set_budget).  Returns 0 or -1. */
int engine_install_hooks(struct engine *e);
/* Translate guest VA for ACCESS (MMU_READ/WRITE/EXEC) as the CPU would for
 * a user access at RIP, faulting the page in; realise the frame on the
 * host.  Returns 0, 1 if the frame under the page changed, or -1 after
 * recording the fault/error in E (the slice must stop). */
int engine_user_access(struct engine *e, uint64_t va, unsigned access, uint64_t rip);
/* Record STOP as the reason and stop the emulation. */
void engine_stop(struct engine *e, enum engine_stop stop);
/* An access needs a slot that does not exist yet: stop, add it outside
 * Unicorn, restart the instruction (engine_run does it). */
void engine_need_slot(struct engine *e, uint64_t va);
/* Add a slot for every GiB some VMA of E's mm touches.  Returns 0 or -1
 * with E's error set. */
int engine_sync_slots(struct engine *e);
/* Make sure the modelled MMU's current address space is E's mm. */
void engine_load_cr3(struct engine *e);
/* The instruction at RIP and the rest of the block counted last did not
 * retire (RIP outside that block: nothing changes). */
void engine_uncount_from(struct engine *e, uint64_t rip);
/* Add retired instructions to the sim's and task's clocks. */
void engine_flush_clock(struct engine *e);

/* report.c */
struct task;
void engine_report_fault(struct engine *e, FILE *out);

#endif
