/* sim/syscall.c - the system call table and dispatcher.
 *
 * One handler per implemented x86-64 syscall number; every other number
 * returns -ENOSYS and is counted for the summary.  Each call (implemented
 * or not) is one SYSCALL trace event: value = number, size = return value,
 * detail = name.
 */
#include "sim/sys_internal.h"
#include "sim/pipe.h"
#include "sim/wait.h"

#include <string.h>
#include <sys/syscall.h>

#include "sim/syscall_names.h"

#define NR_SYSCALLS ((long)(sizeof(syscall_names) / sizeof(syscall_names[0])))

static const sys_fn syscall_table[] = {
	[SYS_read] = sys_read,
	[SYS_write] = sys_write,
	[SYS_open] = sys_open,
	[SYS_close] = sys_close,
	[SYS_stat] = sys_stat,
	[SYS_fstat] = sys_fstat,
	[SYS_lstat] = sys_lstat,
	[SYS_poll] = sys_poll,
	[SYS_lseek] = sys_lseek,
	[SYS_mmap] = sys_mmap,
	[SYS_mprotect] = sys_mprotect,
	[SYS_munmap] = sys_munmap,
	[SYS_brk] = sys_brk,
	[SYS_rt_sigaction] = sys_rt_sigaction,
	[SYS_rt_sigprocmask] = sys_rt_sigprocmask,
	[SYS_rt_sigreturn] = sys_rt_sigreturn,
	[SYS_rt_sigpending] = sys_rt_sigpending,
	[SYS_rt_sigtimedwait] = sys_rt_sigtimedwait,
	[SYS_rt_sigqueueinfo] = sys_rt_sigqueueinfo,
	[SYS_rt_tgsigqueueinfo] = sys_rt_tgsigqueueinfo,
	[SYS_alarm] = sys_alarm,
	[SYS_getitimer] = sys_getitimer,
	[SYS_setitimer] = sys_setitimer,
	[SYS_ioctl] = sys_ioctl,
	[SYS_pread64] = sys_pread64,
	[SYS_readv] = sys_readv,
	[SYS_writev] = sys_writev,
	[SYS_access] = sys_access,
	[SYS_pipe] = sys_pipe,
	[SYS_sched_yield] = sys_sched_yield,
	[SYS_mremap] = sys_mremap,
	[SYS_msync] = sys_msync,
	[SYS_mincore] = sys_mincore,
	[SYS_madvise] = sys_madvise,
	[SYS_dup] = sys_dup,
	[SYS_dup2] = sys_dup2,
	[SYS_nanosleep] = sys_nanosleep,
	[SYS_getpid] = sys_getpid,
	[SYS_sendfile] = sys_sendfile,
	[SYS_clone] = sys_clone,
	[SYS_fork] = sys_fork,
	[SYS_vfork] = sys_vfork,
	[SYS_execve] = sys_execve,
	[SYS_exit] = sys_exit,
	[SYS_wait4] = sys_wait4,
	[SYS_kill] = sys_kill,
	[SYS_uname] = sys_uname,
	[SYS_fcntl] = sys_fcntl,
	[SYS_fsync] = sys_fsync,
	[SYS_fdatasync] = sys_fsync,
	[SYS_truncate] = sys_truncate,
	[SYS_ftruncate] = sys_ftruncate,
	[SYS_getcwd] = sys_getcwd,
	[SYS_chdir] = sys_chdir,
	[SYS_fchdir] = sys_fchdir,
	[SYS_rename] = sys_rename,
	[SYS_mkdir] = sys_mkdir,
	[SYS_rmdir] = sys_rmdir,
	[SYS_creat] = sys_creat,
	[SYS_link] = sys_link,
	[SYS_unlink] = sys_unlink,
	[SYS_symlink] = sys_symlink,
	[SYS_readlink] = sys_readlink,
	[SYS_chmod] = sys_chmod,
	[SYS_fchmod] = sys_fchmod,
	[SYS_chown] = sys_chown,
	[SYS_fchown] = sys_fchown,
	[SYS_lchown] = sys_lchown,
	[SYS_umask] = sys_umask,
	[SYS_gettimeofday] = sys_gettimeofday,
	[SYS_getrlimit] = sys_getrlimit,
	[SYS_getrusage] = sys_getrusage,
	[SYS_sysinfo] = sys_sysinfo,
	[SYS_times] = sys_times,
	[SYS_getuid] = sys_getuid,
	[SYS_getgid] = sys_getuid,
	[SYS_setuid] = sys_setuid,
	[SYS_setgid] = sys_setuid,
	[SYS_geteuid] = sys_getuid,
	[SYS_getegid] = sys_getuid,
	[SYS_setpgid] = sys_setpgid,
	[SYS_getppid] = sys_getppid,
	[SYS_getpgrp] = sys_getpgrp,
	[SYS_setsid] = sys_setsid,
	[SYS_getgroups] = sys_getgroups,
	[SYS_getresuid] = sys_getresuid,
	[SYS_getresgid] = sys_getresuid,
	[SYS_getpgid] = sys_getpgid,
	[SYS_getsid] = sys_getsid,
	[SYS_sigaltstack] = sys_sigaltstack,
	[SYS_rt_sigsuspend] = sys_rt_sigsuspend,
	[SYS_pause] = sys_pause,
	[SYS_prctl] = sys_prctl,
	[SYS_arch_prctl] = sys_arch_prctl,
	[SYS_setrlimit] = sys_setrlimit,
	[SYS_mlock] = sys_mlock,
	[SYS_munlock] = sys_munlock,
	[SYS_mlock2] = sys_mlock2,
	[SYS_mlockall] = sys_mlockall,
	[SYS_munlockall] = sys_munlockall,
	[SYS_gettid] = sys_gettid,
	[SYS_tkill] = sys_tkill,
	[SYS_time] = sys_time,
	[SYS_futex] = sys_futex,
	[SYS_sched_getaffinity] = sys_sched_getaffinity,
	[SYS_getdents64] = sys_getdents64,
	[SYS_set_tid_address] = sys_set_tid_address,
	[SYS_clock_gettime] = sys_clock_gettime,
	[SYS_clock_getres] = sys_clock_getres,
	[SYS_clock_nanosleep] = sys_clock_nanosleep,
	[SYS_exit_group] = sys_exit_group,
	[SYS_tgkill] = sys_tgkill,
	[SYS_waitid] = sys_waitid,
	[SYS_openat] = sys_openat,
	[SYS_mkdirat] = sys_mkdirat,
	[SYS_newfstatat] = sys_newfstatat,
	[SYS_unlinkat] = sys_unlinkat,
	[SYS_renameat] = sys_renameat,
	[SYS_linkat] = sys_linkat,
	[SYS_symlinkat] = sys_symlinkat,
	[SYS_readlinkat] = sys_readlinkat,
	[SYS_fchmodat] = sys_fchmodat,
	[SYS_faccessat] = sys_faccessat,
	[SYS_set_robust_list] = sys_set_robust_list,
	[SYS_get_robust_list] = sys_get_robust_list,
	[SYS_utimensat] = sys_utimensat,
	[SYS_dup3] = sys_dup3,
	[SYS_splice] = sys_splice,
	[SYS_tee] = sys_tee,
	[SYS_copy_file_range] = sys_copy_file_range,
	[SYS_select] = sys_select,
	[SYS_pselect6] = sys_pselect6,
	[SYS_ppoll] = sys_ppoll,
	[SYS_pipe2] = sys_pipe2,
	[SYS_prlimit64] = sys_prlimit64,
	[SYS_getcpu] = sys_getcpu,
	[SYS_getrandom] = sys_getrandom,
	[SYS_execveat] = sys_execveat,
	[SYS_statx] = sys_statx,
	[SYS_fadvise64] = sys_fadvise64,
	[SYS_getxattr] = sys_getxattr,
	[SYS_lgetxattr] = sys_lgetxattr,
	[SYS_fgetxattr] = sys_fgetxattr,
	[SYS_listxattr] = sys_listxattr,
	[SYS_llistxattr] = sys_llistxattr,
	[SYS_flistxattr] = sys_flistxattr,
	[SYS_setxattr] = sys_setxattr,
	[SYS_lsetxattr] = sys_lsetxattr,
	[SYS_fsetxattr] = sys_fsetxattr,
	[SYS_removexattr] = sys_removexattr,
	[SYS_lremovexattr] = sys_lremovexattr,
	[SYS_fremovexattr] = sys_fremovexattr,
	[SYS_statfs] = sys_statfs,
	[SYS_fstatfs] = sys_fstatfs,
	[SYS_rseq] = sys_rseq,
	[SYS_clone3] = sys_clone3,
	[SYS_faccessat2] = sys_faccessat2,
	[SYS_renameat2] = sys_renameat2,
	[SYS_fchownat] = sys_fchownat,
	[SYS_pwrite64] = sys_pwrite64,
	[SYS_fallocate] = sys_fallocate,
	[SYS_utimes] = sys_utimes,
	[SYS_mknod] = sys_mknod,
	[SYS_mknodat] = sys_mknodat,
};

const char *syscall_name(long nr)
{
	if (nr >= IA32_UNKNOWN_BASE && nr < IA32_UNKNOWN_BASE + 1024)
		return "ia32_syscall"; /* an i386 call via int $0x80 (number - 0x40000000) */
	if (nr < 0 || nr >= NR_SYSCALLS)
		return NULL;
	return syscall_names[nr];
}

static bool is_restart(long ret)
{
	return ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK;
}

/* What a handler makes of a call that returned -ERESTARTNOINTR to sleep:
 * wait4 and pipe I/O are -ERESTARTSYS in Linux, poll -ERESTARTNOHAND. */
static int restart_kind(const struct task *t, uint64_t nr)
{
	if (nr == SYS_poll || nr == SYS_ppoll || nr == SYS_select || nr == SYS_pselect6)
		return ERESTARTNOHAND;
	if (t->block == BLOCK_SIGNAL)
		return ERESTARTNOHAND;
	return ERESTARTSYS;
}

/* Dispatch: look the handler up, run it, trace the call.
 *
 * Restart protocol (see sim/signal.c): handlers return Linux's restart codes
 * (-ERESTARTSYS, -ERESTARTNOINTR, -ERESTARTNOHAND, -ERESTART_RESTARTBLOCK)
 * when they sleep or are interrupted; the engine only knows
 * -ERESTARTNOINTR (re-execute the SYSCALL), so every code becomes that,
 * and t->in_restart / t->restart_code remember the real one.  A call that
 * would sleep while an unblocked signal is pending does not sleep: it is
 * left interrupted for do_signal. */
long syscall_dispatch(struct sim *s, struct task *t, uint64_t nr, const uint64_t args[6])
{
	sys_fn fn = NULL;
	long ret;

	t->restarting = t->in_restart;
	t->in_restart = false;
	if (!t->restarting)
		fifo_open_abort(t); /* a FIFO open a handler interrupted is over */
	t->restart_code = 0;
	t->sleep_rem = 0;
	t->sleep_interrupted = false;
	if (nr < sizeof(syscall_table) / sizeof(syscall_table[0]))
		fn = syscall_table[nr];
	if (fn) {
		ret = fn(s, t, args);
	} else {
		proc_note_unknown_syscall(s, (long)nr);
		ret = -ENOSYS;
	}
	t->restarting = false;
	if (is_restart(ret) && t->state < EXIT_ZOMBIE) {
		int code = ret == -ERESTARTNOINTR ? restart_kind(t, nr) : (int)-ret;
		t->in_restart = true;
		if (t->sigpending & ~t->sigmask) {
			if (t->state == TASK_INTERRUPTIBLE && t->block != BLOCK_VFORK)
				task_wake(t);
			t->restart_code = code;
		}
		ret = -ERESTARTNOINTR;
	}
	if (ret != -ERESTARTNOINTR && s->trace) {
		struct trace_event ev = trace_event_init(TEV_SYSCALL);
		ev.value = (int64_t)nr;
		ev.size = (uint64_t)ret;
		ev.detail = syscall_name((long)nr);
		trace_emit(s->trace, &ev);
	}
	return ret;
}

/* Tally NR in the unknown-syscall table (kept sorted by number). */
void proc_note_unknown_syscall(struct sim *s, long nr)
{
	struct proc_table *pt = s->procs;
	if (!pt)
		return;
	pt->unknown_total++;
	int i;
	for (i = 0; i < pt->nr_unknown; i++) {
		if (pt->unknown[i].nr == nr) {
			pt->unknown[i].count++;
			return;
		}
		if (pt->unknown[i].nr > nr)
			break;
	}
	int cap = (int)(sizeof(pt->unknown) / sizeof(pt->unknown[0]));
	if (pt->nr_unknown == cap)
		return; /* counted in unknown_total only */
	memmove(&pt->unknown[i + 1], &pt->unknown[i], (size_t)(pt->nr_unknown - i) * sizeof(pt->unknown[0]));
	pt->unknown[i].nr = nr;
	pt->unknown[i].count = 1;
	pt->nr_unknown++;
}
