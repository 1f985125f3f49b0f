/* sim/syscall_ia32.c - `int $0x80` from 64-bit code: the i386 system call ABI.
 *
 * Linux built with IA32_EMULATION (Debian's kernels are) runs `int $0x80`
 * from a 64-bit process through the i386 table: number in EAX, arguments
 * in EBX, ECX, EDX, ESI, EDI, EBP, each truncated to 32 bits; the result
 * comes back in RAX and no other register changes.  Hand-written "hello
 * world" programs use it.  mmsim runs the i386 calls whose arguments mean
 * the same in both ABIs (integers, and pointers to bytes or C strings) on
 * the x86-64 handlers; calls that take structures whose i386 layout
 * differs (stat, old mmap, timespec, ...) return -ENOSYS and are listed
 * as unknown ("ia32_syscall", number 0x40000000 + N).
 */
#include "sim/syscall.h"

#include <stddef.h>
#include <sys/syscall.h>

/* An i386 number, its x86-64 counterpart and its arguments: 'i' a signed
 * int (sign-extended: fds such as AT_FDCWD, pids such as -1), 'u' an
 * unsigned value or a pointer (zero-extended). */
struct ia32_call {
	uint16_t nr32;
	uint16_t nr64;
	const char *args;
};

static const struct ia32_call ia32_calls[] = {
	{ 1, SYS_exit, "i" },
	{ 2, SYS_fork, "" },
	{ 3, SYS_read, "iuu" },
	{ 4, SYS_write, "iuu" },
	{ 5, SYS_open, "uiu" },
	{ 6, SYS_close, "i" },
	{ 7, SYS_wait4, "iui" },          /* waitpid(pid, status, options): wait4 without rusage */
	{ 12, SYS_chdir, "u" },
	{ 20, SYS_getpid, "" },
	{ 29, SYS_pause, "" },
	{ 33, SYS_access, "ui" },
	{ 37, SYS_kill, "ii" },
	{ 41, SYS_dup, "i" },
	{ 42, SYS_pipe, "u" },
	{ 45, SYS_brk, "u" },
	{ 54, SYS_ioctl, "iuu" },
	{ 63, SYS_dup2, "ii" },
	{ 64, SYS_getppid, "" },
	{ 65, SYS_getpgrp, "" },
	{ 85, SYS_readlink, "uuu" },
	{ 91, SYS_munmap, "uu" },
	{ 125, SYS_mprotect, "uuu" },
	{ 158, SYS_sched_yield, "" },
	{ 183, SYS_getcwd, "uu" },
	{ 190, SYS_vfork, "" },
	{ 199, SYS_getuid, "" },
	{ 200, SYS_getgid, "" },
	{ 201, SYS_geteuid, "" },
	{ 202, SYS_getegid, "" },
	{ 224, SYS_gettid, "" },
	{ 252, SYS_exit_group, "i" },
	{ 295, SYS_openat, "iuiu" },
	{ 355, SYS_getrandom, "uuu" },
};

/* See sim/syscall.h.  Returns the x86-64 number with ARGS filled, or -1. */
long ia32_syscall_args(uint32_t nr32, const uint32_t regs[6], uint64_t args[6])
{
	for (size_t i = 0; i < sizeof ia32_calls / sizeof ia32_calls[0]; i++) {
		if (ia32_calls[i].nr32 != nr32)
			continue;
		const char *a = ia32_calls[i].args;
		for (int k = 0; k < 6; k++) {
			if (!a[0]) {
				args[k] = 0;
				continue;
			}
			args[k] = *a == 'i' ? (uint64_t)(int64_t)(int32_t)regs[k] : regs[k];
			a++;
		}
		return ia32_calls[i].nr64;
	}
	return -1;
}
