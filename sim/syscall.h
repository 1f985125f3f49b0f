/* sim/syscall.h - Linux x86-64 system call emulation: the table and its
 * dispatcher, which the engine calls on every SYSCALL instruction.
 *
 * Protocol with the engine (sim/engine.c):
 *   1. On SYSCALL the engine reads RAX (number) and RDI, RSI, RDX, R10, R8,
 *      R9 (arguments), and calls syscall_dispatch().
 *   2. The return value goes to RAX, except -ERESTARTNOINTR (513, Linux's
 *      value): then RAX and the argument registers are left alone and RIP
 *      is set back to the SYSCALL instruction, so the call runs again the
 *      next time the task is scheduled (wait4 with no child ready, a vfork
 *      parent).  Handlers may return any of Linux's restart codes below;
 *      syscall_dispatch() hands the engine -ERESTARTNOINTR for all of them
 *      and keeps the real one in the task, for signal delivery to decide
 *      between restarting and -EINTR (sim/signal.c: handle_signal).
 *   3. After the call, if task_must_stop(t) (sim/process.h) the engine stops
 *      its slice (uc_emu_stop): the task blocked, exited, exec'ed, yielded
 *      or forked.  A task that exited or exec'ed has t->eng changed or NULL
 *      by the time the scheduler looks at it; the engine that was running
 *      must not touch T after its slice ends (the scheduler frees it).
 *
 * No host system call is ever made on the guest's behalf: files come from
 * the in-memory read-only root (sim/vfs.h), time from instruction counts,
 * randomness from the seed.  Unknown numbers return -ENOSYS and are counted
 * (proc_note_unknown_syscall) for the run summary.
 */
#ifndef MMSIM_SIM_SYSCALL_H
#define MMSIM_SIM_SYSCALL_H

#include <stdint.h>

struct sim;
struct task;

/* Linux's internal restart codes (include/linux/errno.h); never seen by
 * the guest. */
#define ERESTARTSYS 512           /* restart with SA_RESTART, else -EINTR */
#define ERESTARTNOINTR 513        /* always restart */
#define ERESTARTNOHAND 514        /* restart only if no handler ran */
#define ERESTART_RESTARTBLOCK 516 /* restart through restart_syscall */

/* Execute system call NR with ARGS for T (the current task).  Returns the
 * value for RAX (negative errno on failure) or -ERESTARTNOINTR. */
long syscall_dispatch(struct sim *s, struct task *t, uint64_t nr, const uint64_t args[6]);

/* Name of syscall NR ("mmap"), or NULL if mmsim does not know it. */
const char *syscall_name(long nr);

/* `int $0x80` (sim/syscall_ia32.c): i386 call NR32 with the 32-bit
 * registers REGS (EBX, ECX, EDX, ESI, EDI, EBP).  Returns the x86-64 number
 * to dispatch with ARGS filled (extended as the i386 types say), or -1 if
 * mmsim has no equivalent for it. */
long ia32_syscall_args(uint32_t nr32, const uint32_t regs[6], uint64_t args[6]);
/* Unknown-syscall tally key of i386 call NR32 is IA32_UNKNOWN_BASE + NR32
 * (syscall_name: "ia32_syscall"). */
#define IA32_UNKNOWN_BASE 0x40000000L

#endif
