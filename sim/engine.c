/* sim/engine.c - engine life cycle, slices, registers (see sim/engine.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/mmu.h"
#include "sim/engine_impl.h"
#include "sim/exec.h"
#include "sim/process.h"
#include "sim/report.h"
#include "sim/sim.h"

static const int reg_ids[EREG__COUNT] = {
	[EREG_R15] = UC_X86_REG_R15, [EREG_R14] = UC_X86_REG_R14, [EREG_R13] = UC_X86_REG_R13,
	[EREG_R12] = UC_X86_REG_R12, [EREG_RBP] = UC_X86_REG_RBP, [EREG_RBX] = UC_X86_REG_RBX,
	[EREG_R11] = UC_X86_REG_R11, [EREG_R10] = UC_X86_REG_R10, [EREG_R9] = UC_X86_REG_R9,
	[EREG_R8] = UC_X86_REG_R8, [EREG_RAX] = UC_X86_REG_RAX, [EREG_RCX] = UC_X86_REG_RCX,
	[EREG_RDX] = UC_X86_REG_RDX, [EREG_RSI] = UC_X86_REG_RSI, [EREG_RDI] = UC_X86_REG_RDI,
	[EREG_ORIG_RAX] = -1, [EREG_RIP] = UC_X86_REG_RIP, [EREG_CS] = UC_X86_REG_CS,
	[EREG_EFLAGS] = UC_X86_REG_EFLAGS, [EREG_RSP] = UC_X86_REG_RSP, [EREG_SS] = UC_X86_REG_SS,
	[EREG_FS_BASE] = UC_X86_REG_FS_BASE, [EREG_GS_BASE] = UC_X86_REG_GS_BASE, [EREG_DS] = UC_X86_REG_DS,
	[EREG_ES] = UC_X86_REG_ES, [EREG_FS] = UC_X86_REG_FS, [EREG_GS] = UC_X86_REG_GS,
};

struct engine_context {
	uc_context *ctx;
};

/* Free everything E owns (not E's task or mm). */
static void engine_free(struct engine *e)
{
	/* Close the engine first: uc_mem_unmap of a 1 GiB slot clears
	 * Unicorn's jump cache page by page (~15 ms a slot on 2.0.1), while
	 * uc_close drops the regions wholesale; physmap then only returns
	 * the host memory. */
	if (e->uc)
		uc_close(e->uc);
	e->pm.uc = NULL;
	physmap_destroy(&e->pm);
	if (e->cs_ok)
		cs_close(&e->cs);
	free(e->bc);
	free(e);
}

struct engine *engine_create(struct sim *s, struct task *t, char *err, size_t errlen)
{
	struct engine *e = calloc(1, sizeof *e);
	uc_err ue;

	if (!e) {
		snprintf(err, errlen, "out of host memory for an engine");
		return NULL;
	}
	e->s = s;
	e->t = t;
	e->mm = t ? t->mm : NULL;
	e->bc = calloc(BLOCK_CACHE_SIZE, sizeof *e->bc);
	if (!e->bc) {
		snprintf(err, errlen, "out of host memory for an engine");
		goto err;
	}
	ue = uc_open(UC_ARCH_X86, UC_MODE_64, &e->uc);
	if (ue != UC_ERR_OK) {
		e->uc = NULL;
		snprintf(err, errlen, "Unicorn: cannot create an x86-64 engine: %s", uc_strerror(ue));
		goto err;
	}
	/* CR4.OSFXSR|OSXMMEXCPT, as every x86-64 kernel sets them: without
	 * OSFXSR Unicorn's FXSAVE/FXRSTOR skip the XMM registers, and ld.so's
	 * lazy-binding trampoline (_dl_runtime_resolve_fxsave on a CPU
	 * without XSAVE) would lose a function's floating-point arguments. */
	uint64_t cr4 = 0;
	uc_reg_read(e->uc, UC_X86_REG_CR4, &cr4);
	cr4 |= (1u << 9) | (1u << 10);
	uc_reg_write(e->uc, UC_X86_REG_CR4, &cr4);
	e->cs_ok = cs_open(CS_ARCH_X86, CS_MODE_64, &e->cs) == CS_ERR_OK;
	physmap_init(&e->pm, e->uc, s->mem->phys_fd, s->mem->max_pfn);
	/* All engines of the sim share one host VMA budget (sim/physmap.h). */
	physmap_set_budget(&e->pm, &s->host_maps, s->cfg.host_map_limit);
	e->mmu = s->mmu;
	e->fastpath = s->cfg.fastpath;
	e->lb_addr = UINT64_MAX;
	if (engine_install_hooks(e)) {
		snprintf(err, errlen, "Unicorn: cannot install the MMU hooks");
		goto err;
	}
	return e;
err:
	engine_free(e);
	return NULL;
}

struct engine *engine_clone(struct engine *parent, struct task *child, char *err, size_t errlen)
{
	struct engine *e = engine_create(parent->s, child, err, errlen);
	if (!e)
		return NULL;
	uc_context *ctx;
	if (uc_context_alloc(parent->uc, &ctx) != UC_ERR_OK) {
		snprintf(err, errlen, "out of host memory for a CPU context");
		engine_free(e);
		return NULL;
	}
	uc_context_save(parent->uc, ctx);
	uc_context_restore(e->uc, ctx);
	uc_context_free(ctx);
	/* A fork from inside SYSCALL: the child resumes after the instruction,
	 * which the parent's engine only does once its hook returns. */
	if (parent->in_syscall) {
		uint64_t rip;
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		rip += 2;
		uc_reg_write(e->uc, UC_X86_REG_RIP, &rip);
		uint64_t rflags;
		uc_reg_read(e->uc, UC_X86_REG_EFLAGS, &rflags);
		uc_reg_write(e->uc, UC_X86_REG_RCX, &rip);
		uc_reg_write(e->uc, UC_X86_REG_R11, &rflags);
	}
	return e;
}

void engine_destroy(struct engine *e)
{
	if (!e)
		return;
	if (e->running) {
		e->destroy_pending = true;
		uc_emu_stop(e->uc);
		return;
	}
	engine_free(e);
}

enum engine_stop engine_run(struct engine *e, uint64_t budget, uint64_t *retired)
{
	uint64_t rip;
	uc_err ue = UC_ERR_OK;

	e->stop_set = false;
	e->budget = budget;
	e->slice_insns = 0;
	e->error[0] = 0;
	e->running = true;
	engine_load_cr3(e);
	/* Invariant: Unicorn regions are only added here, between
	 * uc_emu_start calls (see hook_unmapped). */
	for (;;) {
		if (engine_sync_slots(e) != 0 ||
		    (e->need_slot && physmap_ensure(&e->pm, e->slot_va) != 0 &&
		     snprintf(e->error, sizeof e->error, "%s", e->pm.err) >= 0)) {
			e->stop_set = true;
			e->stop = ENGINE_ERROR;
			break;
		}
		e->need_slot = false;
		e->rip_pending = false;
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		ue = uc_emu_start(e->uc, rip, e->fetch_until, 0, 0);
		if (e->rip_pending)
			uc_reg_write(e->uc, UC_X86_REG_RIP, &e->pending_rip);
		else if (e->stop_set && e->stop == ENGINE_FAULT && e->fault.rip)
			/* A stop from a memory hook leaves RIP at the block start
			 * (2.0.1), after the block's earlier instructions ran:
			 * point it at the faulting instruction, as the CPU does. */
			uc_reg_write(e->uc, UC_X86_REG_RIP, &e->fault.rip);
		if (e->destroy_pending || e->stop_set)
			break;
		if (e->need_slot || e->rip_pending) {
			/* restart: a slot to add, or a block whose code frame
			 * changed, or a syscall that added a VMA */
			ue = UC_ERR_OK;
			continue;
		}
		if (ue != UC_ERR_OK)
			break;
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		if (e->fetch_until && rip == e->fetch_until) {
			/* The instructions before the one that fetches from a
			 * second page have run: go on from it (its block checks
			 * that page). */
			e->fetch_until = 0;
			continue;
		}
		/* Stopped with no reason: the program ran into address 0 (the
		 * `until` address) or HLT; both are SIGSEGV in user mode. */
		e->fault = (struct engine_fault){ .signo = SIGSEGV, .si_code = rip ? 0x80 : 1,
						  .kind = rip ? EFAULT_PROTECTION : EFAULT_NOT_MAPPED,
						  .addr = rip, .rip = rip ? rip - 1 : 0, .access = 2 };
		e->stop_set = true;
		e->stop = ENGINE_FAULT;
		break;
	}
	e->running = false;
	e->fetch_until = 0;
	if (!e->stop_set && ue != UC_ERR_OK) {
		/* Unicorn stopped at RIP (#UD, an unmapped fetch...): the
		 * instructions of the counted block from RIP on did not retire. */
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		engine_uncount_from(e, rip);
	}
	engine_flush_clock(e);
	if (retired)
		*retired = e->slice_insns;
	if (e->destroy_pending) {
		engine_free(e);
		return ENGINE_SYSCALL;
	}
	if (!e->stop_set && ue != UC_ERR_OK) {
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		int sig = ue == UC_ERR_INSN_INVALID ? SIGILL : SIGSEGV;
		e->fault = (struct engine_fault){ .signo = sig, .si_code = sig == SIGILL ? 2 : 0x80,
						  .kind = ue == UC_ERR_FETCH_UNMAPPED || ue == UC_ERR_FETCH_PROT ? EFAULT_EXEC
						  : EFAULT_PROTECTION,
						  .addr = rip, .rip = rip, .access = 2,
						  .error_code = sig == SIGILL ? 6 /* #UD */ : 0 };
		e->stop_set = true;
		e->stop = sig == SIGILL ? ENGINE_SIGNAL : ENGINE_FAULT;
		if (sig == SIGSEGV && ue != UC_ERR_FETCH_UNMAPPED && ue != UC_ERR_READ_UNMAPPED &&
		    ue != UC_ERR_WRITE_UNMAPPED && ue != UC_ERR_EXCEPTION) {
			snprintf(e->error, sizeof e->error, "Unicorn stopped: %s at RIP 0x%llx", uc_strerror(ue),
				 (unsigned long long)rip);
			e->stop = ENGINE_ERROR;
		}
	}
	/* The caller (the scheduler) reports the fault and sends the signal. */
	return e->stop;
}

const struct engine_fault *engine_fault(const struct engine *e)
{
	return &e->fault;
}

const char *engine_error(const struct engine *e)
{
	return e->error;
}

uint64_t engine_reg_read(struct engine *e, enum engine_reg r)
{
	uint64_t v = 0;
	if (r < EREG__COUNT && reg_ids[r] >= 0)
		uc_reg_read(e->uc, reg_ids[r], &v);
	return v;
}

void engine_reg_write(struct engine *e, enum engine_reg r, uint64_t v)
{
	if (r >= EREG__COUNT || reg_ids[r] < 0)
		return;
	if (r == EREG_RIP && e->in_syscall) {
		/* Writing RIP inside the SYSCALL hook resumes at RIP + 2 on
		 * Unicorn 2.0.1: apply it once the slice has stopped. */
		e->rip_pending = true;
		e->pending_rip = v;
		return;
	}
	uc_reg_write(e->uc, reg_ids[r], &v);
}

void engine_regs_read(struct engine *e, struct engine_regs *out)
{
	for (int i = 0; i < EREG__COUNT; i++)
		out->r[i] = engine_reg_read(e, (enum engine_reg)i);
}

void engine_regs_write(struct engine *e, const struct engine_regs *in)
{
	for (int i = 0; i < EREG__COUNT; i++)
		if (i != EREG_CS && i != EREG_SS && i != EREG_DS && i != EREG_ES && i != EREG_FS && i != EREG_GS)
			engine_reg_write(e, (enum engine_reg)i, in->r[i]);
}

struct engine_context *engine_context_save(struct engine *e)
{
	struct engine_context *c = malloc(sizeof *c);
	if (!c)
		return NULL;
	if (uc_context_alloc(e->uc, &c->ctx) != UC_ERR_OK) {
		free(c);
		return NULL;
	}
	uc_context_save(e->uc, c->ctx);
	return c;
}

void engine_context_restore(struct engine *e, const struct engine_context *c)
{
	uc_context_restore(e->uc, c->ctx);
	if (e->in_syscall) {
		uint64_t rip;
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		engine_reg_write(e, EREG_RIP, rip);
	}
}

void engine_context_free(struct engine_context *c)
{
	if (!c)
		return;
	uc_context_free(c->ctx);
	free(c);
}

struct fp80 {
	uint64_t mant;
	uint16_t exp;
};

void engine_fxsave(struct engine *e, uint8_t fx[512])
{
	uint16_t fcw = 0, fsw = 0, ftw = 0, fop = 0;
	uint32_t mxcsr = 0, mxcsr_mask = 0xffff;
	uint64_t fip = 0, fdp = 0;
	memset(fx, 0, 512);
	uc_reg_read(e->uc, UC_X86_REG_FPCW, &fcw);
	uc_reg_read(e->uc, UC_X86_REG_FPSW, &fsw);
	uc_reg_read(e->uc, UC_X86_REG_FPTAG, &ftw);
	uc_reg_read(e->uc, UC_X86_REG_FOP, &fop);
	uc_reg_read(e->uc, UC_X86_REG_FIP, &fip);
	uc_reg_read(e->uc, UC_X86_REG_FDP, &fdp);
	uc_reg_read(e->uc, UC_X86_REG_MXCSR, &mxcsr);
	uint8_t aftw = 0; /* abridged: bit i set when physical register i is not empty */
	for (int i = 0; i < 8; i++)
		if (((ftw >> (2 * i)) & 3) != 3)
			aftw |= (uint8_t)(1u << i);
	memcpy(fx + 0, &fcw, 2);
	memcpy(fx + 2, &fsw, 2);
	fx[4] = aftw;
	memcpy(fx + 6, &fop, 2);
	memcpy(fx + 8, &fip, 8);
	memcpy(fx + 16, &fdp, 8);
	memcpy(fx + 24, &mxcsr, 4);
	memcpy(fx + 28, &mxcsr_mask, 4);
	/* ST(i) is physical register (TOP + i) & 7; Unicorn's FP0-7 are physical. */
	int top = (fsw >> 11) & 7;
	for (int i = 0; i < 8; i++) {
		struct fp80 f = { 0, 0 };
		uc_reg_read(e->uc, UC_X86_REG_FP0 + ((top + i) & 7), &f);
		memcpy(fx + 32 + 16 * i, &f.mant, 8);
		memcpy(fx + 40 + 16 * i, &f.exp, 2);
	}
	for (int i = 0; i < 16; i++)
		uc_reg_read(e->uc, UC_X86_REG_XMM0 + i, fx + 160 + 16 * i);
}

void engine_fxrstor(struct engine *e, const uint8_t fx[512])
{
	uint16_t fcw, fsw, fop, ftw = 0;
	uint32_t mxcsr;
	uint64_t fip, fdp;
	memcpy(&fcw, fx + 0, 2);
	memcpy(&fsw, fx + 2, 2);
	memcpy(&fop, fx + 6, 2);
	memcpy(&fip, fx + 8, 8);
	memcpy(&fdp, fx + 16, 8);
	memcpy(&mxcsr, fx + 24, 4);
	mxcsr &= 0xffff;
	int top = (fsw >> 11) & 7;
	for (int i = 0; i < 8; i++) {
		struct fp80 f = { 0, 0 };
		memcpy(&f.mant, fx + 32 + 16 * i, 8);
		memcpy(&f.exp, fx + 40 + 16 * i, 2);
		uc_reg_write(e->uc, UC_X86_REG_FP0 + ((top + i) & 7), &f);
	}
	/* Full tag word from the abridged one: empty (3) or valid (0); the
	 * emulator only keeps empty / not empty. */
	for (int i = 0; i < 8; i++)
		if (!(fx[4] & (1u << i)))
			ftw |= (uint16_t)(3u << (2 * i));
	uc_reg_write(e->uc, UC_X86_REG_FPCW, &fcw);
	uc_reg_write(e->uc, UC_X86_REG_FPSW, &fsw);
	uc_reg_write(e->uc, UC_X86_REG_FPTAG, &ftw);
	uc_reg_write(e->uc, UC_X86_REG_FOP, &fop);
	uc_reg_write(e->uc, UC_X86_REG_FIP, &fip);
	uc_reg_write(e->uc, UC_X86_REG_FDP, &fdp);
	uc_reg_write(e->uc, UC_X86_REG_MXCSR, &mxcsr);
	for (int i = 0; i < 16; i++)
		uc_reg_write(e->uc, UC_X86_REG_XMM0 + i, fx + 160 + 16 * i);
}

void engine_fpu_init(struct engine *e)
{
	uint8_t fx[512];
	memset(fx, 0, sizeof fx);
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(fx, &fcw, 2);
	memcpy(fx + 24, &mxcsr, 4);
	engine_fxrstor(e, fx);
}

void engine_exec_start(struct engine *e, uint64_t entry, uint64_t sp)
{
	static const int gprs[] = { UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX,
				    UC_X86_REG_RSI, UC_X86_REG_RDI, UC_X86_REG_RBP, UC_X86_REG_R8,
				    UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11, UC_X86_REG_R12,
				    UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_FS_BASE,
				    UC_X86_REG_GS_BASE };
	uint64_t zero = 0, flags = 0x202;
	for (size_t i = 0; i < sizeof gprs / sizeof gprs[0]; i++)
		uc_reg_write(e->uc, gprs[i], &zero);
	uc_reg_write(e->uc, UC_X86_REG_RSP, &sp);
	uc_reg_write(e->uc, UC_X86_REG_EFLAGS, &flags);
	engine_reg_write(e, EREG_RIP, entry);
	uint64_t mxcsr = 0x1f80, fpcw = 0x37f, fptag = 0xffff; /* FNINIT: every register empty */
	uc_reg_write(e->uc, UC_X86_REG_MXCSR, &mxcsr);
	uc_reg_write(e->uc, UC_X86_REG_FPCW, &fpcw);
	uc_reg_write(e->uc, UC_X86_REG_FPTAG, &fptag);
}

unsigned long engine_host_maps(const struct engine *e)
{
	return (unsigned long)(e->pm.host_maps < 0 ? 0 : e->pm.host_maps);
}

uint64_t engine_take_io_wait(struct engine *e)
{
	uint64_t ns = e->io_wait_ns;
	e->io_wait_ns = 0;
	return ns;
}
