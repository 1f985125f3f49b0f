/* sim/engine.h - the emulator core: one Unicorn engine per guest process.
 *
 * Design (measured on Debian's Unicorn 2.0.1, see docs/design.md):
 *   - Guest user space is covered by a few large Unicorn regions ("slots",
 *     1 GiB aligned, created on demand for the VMAs of the task's mm), each
 *     backed by a reserved host range.  Guest-virtual to host-virtual never
 *     changes, so Unicorn's own TLB never goes stale.
 *   - Simulated RAM is memsys->phys_fd.  The frame the *modelled* MMU
 *     (mmu_translate: TLB, page walk) returns for a guest page is realised by
 *     mmap(MAP_FIXED|MAP_SHARED, phys_fd, pfn << 12) over that page's host
 *     address.  A page the model has not mapped is backed by private
 *     anonymous scratch memory, so a refused access can never touch a frame.
 *   - UC_HOOK_MEM_READ|WRITE runs before every data access: modelled TLB
 *     lookup, walk, page fault (handle_mm_fault), retry; a fault that cannot
 *     be resolved ends the slice with ENGINE_FAULT (SIGSEGV/SIGBUS).
 *   - Instruction fetch is modelled in UC_HOOK_BLOCK (iTLB: each page a block
 *     spans is translated with MMU_EXEC); when the frame under code changes
 *     the translated blocks of that page are dropped (uc_ctl_remove_cache)
 *     and the block restarts.  The instruction budget is counted there too.
 *   - SYSCALL is handled inside the engine: it calls syscall_dispatch()
 *     (sim/syscall.h) and stops the slice when task_must_stop().
 *
 * Guest time: instructions retired, counted per translated block; a block
 * cut short by a page fault counts exactly up to the faulting instruction
 * (a CPU exception such as #DE or #UD still counts its whole block).
 */
#ifndef MMSIM_SIM_ENGINE_H
#define MMSIM_SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim;
struct task;
struct engine;
struct mm_struct;

/* Why engine_run() returned. */
enum engine_stop {
	ENGINE_BUDGET = 0,   /* the instruction budget is used up */
	ENGINE_SYSCALL,      /* a syscall asked the slice to end (task_must_stop) */
	ENGINE_FAULT,        /* unresolvable page fault or #GP: see engine_fault() */
	ENGINE_SIGNAL,       /* other CPU exception: SIGILL, SIGFPE, SIGTRAP ... */
	ENGINE_ERROR,        /* host-side failure (message in engine_error()) */
};

/* Fault reasons for the SIGSEGV/SIGBUS report. */
enum engine_fault_kind {
	EFAULT_NOT_MAPPED = 0, /* no VMA covers the address (SEGV_MAPERR) */
	EFAULT_PROTECTION,     /* VMA forbids the access (SEGV_ACCERR) */
	EFAULT_NON_CANONICAL,  /* #GP: address not canonical */
	EFAULT_BUS,            /* SIGBUS: beyond end of a file mapping */
	EFAULT_OOM,            /* the fault handler ran out of simulated memory */
	EFAULT_EXEC,           /* instruction fetch refused (NX / not mapped) */
};

struct engine_fault {
	int signo;             /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
	int si_code;           /* SEGV_MAPERR (1), SEGV_ACCERR (2), BUS_ADRERR (2), ILL_ILLOPN ... */
	enum engine_fault_kind kind;
	uint64_t addr;         /* faulting data/fetch address (si_addr) */
	uint64_t rip;          /* address of the faulting instruction */
	unsigned access;       /* enum mmu_access (mmu/walk.h) */
	uint32_t error_code;   /* x86 #PF error code (PF_* bits) */
};

/* Registers, in Linux's struct user_regs_struct order. */
enum engine_reg {
	EREG_R15, EREG_R14, EREG_R13, EREG_R12, EREG_RBP, EREG_RBX, EREG_R11,
	EREG_R10, EREG_R9, EREG_R8, EREG_RAX, EREG_RCX, EREG_RDX, EREG_RSI,
	EREG_RDI, EREG_ORIG_RAX, EREG_RIP, EREG_CS, EREG_EFLAGS, EREG_RSP,
	EREG_SS, EREG_FS_BASE, EREG_GS_BASE, EREG_DS, EREG_ES, EREG_FS, EREG_GS,
	EREG__COUNT
};
/* Same layout as Linux's struct user_regs_struct (27 x u64). */
struct engine_regs {
	uint64_t r[EREG__COUNT];
};

/* Create an engine for task T (T->mm is its address space; T->mm may have
 * no VMAs yet: slots are added as VMAs appear).  Returns NULL with a
 * one-line message in ERR (Unicorn refused, host out of address space). */
struct engine *engine_create(struct sim *s, struct task *t, char *err, size_t errlen);

/* fork: a new engine for CHILD (CHILD->mm already holds the copied page
 * tables) whose CPU state (all registers, FPU/SSE state, FS/GS base) equals
 * PARENT's.  The child's memory is realised lazily from its own page tables
 * on first access.  Returns NULL with a message in ERR. */
struct engine *engine_clone(struct engine *parent, struct task *child, char *err, size_t errlen);

/* Free the engine and its host mappings.  Safe to call from inside a
 * syscall running on this engine: destruction then happens when
 * engine_run() returns. */
void engine_destroy(struct engine *e);

/* Run up to BUDGET guest instructions (0 = no limit) from the current RIP.
 * Returns why it stopped; *RETIRED (may be NULL) gets the instructions
 * retired in this slice (also added to the task's insns and sim->insns). */
enum engine_stop engine_run(struct engine *e, uint64_t budget, uint64_t *retired);

/* The fault/signal that ended the last ENGINE_FAULT/ENGINE_SIGNAL slice. */
const struct engine_fault *engine_fault(const struct engine *e);
/* The message of the last ENGINE_ERROR ("" if none). */
const char *engine_error(const struct engine *e);
/* Simulated I/O wait (ns) a page fault of the last slice left for the task
 * (a swap-in read): returned once, then 0.  The slice ended at the
 * faulting instruction, which reruns after the wait. */
uint64_t engine_take_io_wait(struct engine *e);

/* Registers.  FS_BASE/GS_BASE are the MSR values (arch_prctl). */
uint64_t engine_reg_read(struct engine *e, enum engine_reg r);
void engine_reg_write(struct engine *e, enum engine_reg r, uint64_t v);
void engine_regs_read(struct engine *e, struct engine_regs *out);
void engine_regs_write(struct engine *e, const struct engine_regs *in);

/* Full CPU state (registers + x87/SSE) for signal frames / sigreturn.
 * engine_context_save returns an opaque blob (free with
 * engine_context_free) or NULL on allocation failure. */
struct engine_context;
struct engine_context *engine_context_save(struct engine *e);
void engine_context_restore(struct engine *e, const struct engine_context *c);
void engine_context_free(struct engine_context *c);

/* x87/SSE state in the 512-byte FXSAVE image (Intel SDM vol. 1, 10.5.1,
 * 64-bit layout: FCW, FSW, abridged FTW, FOP, FIP, FDP, MXCSR, MXCSR_MASK,
 * ST0-7 as 16-byte slots, XMM0-15; bytes 416-511 zero), which is what
 * Linux puts at uc_mcontext.fpstate on a CPU without XSAVE.  The guest CPU
 * has no AVX, so this is the whole user FPU state.
 *   engine_fxsave: fill FX.
 *   engine_fxrstor: load FX (MXCSR reserved bits are cleared, as Linux's
 *     sanitising does).
 *   engine_fpu_init: the state after FNINIT + LDMXCSR 0x1f80 with XMM0-15
 *     zeroed (what a signal handler starts with, like a new program). */
void engine_fxsave(struct engine *e, uint8_t fx[512]);
void engine_fxrstor(struct engine *e, const uint8_t fx[512]);
void engine_fpu_init(struct engine *e);

/* User memory access from "kernel" code (syscalls), through the modelled MMU
 * of the engine's mm: each page is translated with MMU_READ/MMU_WRITE as a
 * user access, faulted in by handle_mm_fault when needed (a copy_to_user to
 * a COW page copies it, as on Linux).  Never crash on bad pointers.
 *   copy_from_user / copy_to_user: 0, or -EFAULT if any byte is inaccessible
 *     (bytes before it may have been copied).
 *   strncpy_from_user: copies up to N bytes including the NUL; returns the
 *     string length (without NUL), -ENAMETOOLONG if no NUL within N bytes,
 *     or -EFAULT.
 *   clear_user: zero LEN bytes; 0 or -EFAULT. */
int copy_from_user(struct engine *e, void *dst, uint64_t src, size_t len);
int copy_to_user(struct engine *e, uint64_t dst, const void *src, size_t len);
long strncpy_from_user(struct engine *e, char *dst, uint64_t src, size_t n);
int clear_user(struct engine *e, uint64_t dst, size_t len);

/* Same, for any task's mm without an engine (exec builds the new stack
 * before the engine exists, /proc/PID/cmdline reads another task): S's MMU
 * is used with MM's page tables. */
int access_remote_vm(struct sim *s, struct mm_struct *mm, uint64_t addr, void *buf, size_t len,
		     bool write);

/* Host mappings currently used by all engines of this process (for the
 * vm.max_map_count check and the summary). */
unsigned long engine_host_maps(const struct engine *e);

#endif
