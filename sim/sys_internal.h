/* sim/sys_internal.h - what the sys_*.c files share: the handler type,
 * every handler's declaration, and small helpers for user memory and fds.
 * Internal to sim/ (syscall.c, sys_*.c, fork.c, signal.c, procfs.c). */
#ifndef MMSIM_SIM_SYS_INTERNAL_H
#define MMSIM_SIM_SYS_INTERNAL_H

#include <errno.h>
#include <stdint.h>

#include "sim/elf_load.h"
#include "sim/engine.h"
#include "sim/process.h"
#include "sim/sim.h"
#include "sim/syscall.h"
#include "sim/vfs.h"

typedef long (*sys_fn)(struct sim *s, struct task *t, const uint64_t *a);

#define SYSCALL_DEFINE(name) long sys_##name(struct sim *s, struct task *t, const uint64_t *a)

/* sys_fs.c */
SYSCALL_DEFINE(read);
SYSCALL_DEFINE(write);
SYSCALL_DEFINE(open);
SYSCALL_DEFINE(close);
SYSCALL_DEFINE(stat);
SYSCALL_DEFINE(fstat);
SYSCALL_DEFINE(lstat);
SYSCALL_DEFINE(lseek);
SYSCALL_DEFINE(ioctl);
SYSCALL_DEFINE(pread64);
SYSCALL_DEFINE(readv);
SYSCALL_DEFINE(writev);
SYSCALL_DEFINE(access);
SYSCALL_DEFINE(pipe);
SYSCALL_DEFINE(pipe2);
SYSCALL_DEFINE(dup);
SYSCALL_DEFINE(dup2);
SYSCALL_DEFINE(dup3);
SYSCALL_DEFINE(fcntl);
SYSCALL_DEFINE(getdents64);
SYSCALL_DEFINE(getcwd);
SYSCALL_DEFINE(chdir);
SYSCALL_DEFINE(fchdir);
SYSCALL_DEFINE(readlink);
SYSCALL_DEFINE(openat);
SYSCALL_DEFINE(newfstatat);
SYSCALL_DEFINE(readlinkat);
SYSCALL_DEFINE(faccessat);
SYSCALL_DEFINE(faccessat2);
SYSCALL_DEFINE(statx);
SYSCALL_DEFINE(creat);
SYSCALL_DEFINE(fadvise64);      /* sys_fadvise.c */
SYSCALL_DEFINE(getxattr);       /* sys_xattr.c */
SYSCALL_DEFINE(lgetxattr);
SYSCALL_DEFINE(fgetxattr);
SYSCALL_DEFINE(listxattr);
SYSCALL_DEFINE(llistxattr);
SYSCALL_DEFINE(flistxattr);
SYSCALL_DEFINE(setxattr);
SYSCALL_DEFINE(lsetxattr);
SYSCALL_DEFINE(fsetxattr);
SYSCALL_DEFINE(removexattr);
SYSCALL_DEFINE(lremovexattr);
SYSCALL_DEFINE(fremovexattr);
SYSCALL_DEFINE(rofs);          /* every call that would modify the root */
SYSCALL_DEFINE(fsync);

/* sys_namei.c: names and attributes (tmpfs is writable, the root is not) */
SYSCALL_DEFINE(mkdir);
SYSCALL_DEFINE(mkdirat);
SYSCALL_DEFINE(unlink);
SYSCALL_DEFINE(unlinkat);
SYSCALL_DEFINE(rmdir);
SYSCALL_DEFINE(rename);
SYSCALL_DEFINE(renameat);
SYSCALL_DEFINE(renameat2);
SYSCALL_DEFINE(link);
SYSCALL_DEFINE(linkat);
SYSCALL_DEFINE(symlink);
SYSCALL_DEFINE(symlinkat);
SYSCALL_DEFINE(chmod);
SYSCALL_DEFINE(fchmod);
SYSCALL_DEFINE(fchmodat);
SYSCALL_DEFINE(chown);
SYSCALL_DEFINE(lchown);
SYSCALL_DEFINE(fchown);
SYSCALL_DEFINE(fchownat);
SYSCALL_DEFINE(truncate);
SYSCALL_DEFINE(ftruncate);
SYSCALL_DEFINE(fallocate);
SYSCALL_DEFINE(utimensat);
SYSCALL_DEFINE(utimes);
SYSCALL_DEFINE(pwrite64);
SYSCALL_DEFINE(mknod);
SYSCALL_DEFINE(mknodat);

/* splice.c */
SYSCALL_DEFINE(sendfile);
SYSCALL_DEFINE(splice);
SYSCALL_DEFINE(tee);
SYSCALL_DEFINE(copy_file_range);

/* mounts.c */
SYSCALL_DEFINE(statfs);
SYSCALL_DEFINE(fstatfs);

/* poll.c */
SYSCALL_DEFINE(poll);
SYSCALL_DEFINE(ppoll);
SYSCALL_DEFINE(select);
SYSCALL_DEFINE(pselect6);

/* sys_mm.c */
SYSCALL_DEFINE(brk);
SYSCALL_DEFINE(mmap);
SYSCALL_DEFINE(munmap);
SYSCALL_DEFINE(mprotect);
SYSCALL_DEFINE(mremap);
SYSCALL_DEFINE(madvise);
SYSCALL_DEFINE(mincore);
SYSCALL_DEFINE(msync);
SYSCALL_DEFINE(mlock);
SYSCALL_DEFINE(mlock2);
SYSCALL_DEFINE(munlock);
SYSCALL_DEFINE(mlockall);
SYSCALL_DEFINE(munlockall);

/* sys_proc.c, fork.c */
SYSCALL_DEFINE(fork);
SYSCALL_DEFINE(vfork);
SYSCALL_DEFINE(clone);
SYSCALL_DEFINE(clone3);
SYSCALL_DEFINE(execve);
SYSCALL_DEFINE(execveat);
SYSCALL_DEFINE(exit);
SYSCALL_DEFINE(exit_group);
SYSCALL_DEFINE(wait4);
SYSCALL_DEFINE(waitid);
SYSCALL_DEFINE(getpid);
SYSCALL_DEFINE(getppid);
SYSCALL_DEFINE(gettid);
SYSCALL_DEFINE(getpgid);
SYSCALL_DEFINE(getpgrp);
SYSCALL_DEFINE(setpgid);
SYSCALL_DEFINE(getsid);
SYSCALL_DEFINE(setsid);
SYSCALL_DEFINE(getuid);        /* all ids: 0 */
SYSCALL_DEFINE(setuid);
SYSCALL_DEFINE(getgroups);
SYSCALL_DEFINE(getresuid);
SYSCALL_DEFINE(set_tid_address);
SYSCALL_DEFINE(set_robust_list);
SYSCALL_DEFINE(get_robust_list); /* futex.c */
SYSCALL_DEFINE(arch_prctl);
SYSCALL_DEFINE(prlimit64);
SYSCALL_DEFINE(getrlimit);
SYSCALL_DEFINE(setrlimit);
SYSCALL_DEFINE(getrusage);
SYSCALL_DEFINE(prctl);
SYSCALL_DEFINE(umask);

/* signal.c */
SYSCALL_DEFINE(kill);
SYSCALL_DEFINE(tkill);
SYSCALL_DEFINE(tgkill);
SYSCALL_DEFINE(rt_sigaction);
SYSCALL_DEFINE(rt_sigprocmask);
SYSCALL_DEFINE(rt_sigreturn);
SYSCALL_DEFINE(sigaltstack);
SYSCALL_DEFINE(rt_sigsuspend);
SYSCALL_DEFINE(pause);
SYSCALL_DEFINE(rt_sigpending);
SYSCALL_DEFINE(rt_sigtimedwait);
SYSCALL_DEFINE(rt_sigqueueinfo);
SYSCALL_DEFINE(rt_tgsigqueueinfo);
SYSCALL_DEFINE(alarm);
SYSCALL_DEFINE(getitimer);
SYSCALL_DEFINE(setitimer);

/* sys_time.c */
SYSCALL_DEFINE(clock_gettime);
SYSCALL_DEFINE(clock_getres);
SYSCALL_DEFINE(gettimeofday);
SYSCALL_DEFINE(time);
SYSCALL_DEFINE(nanosleep);
SYSCALL_DEFINE(clock_nanosleep);
SYSCALL_DEFINE(getrandom);
SYSCALL_DEFINE(times);

/* sys_misc.c */
SYSCALL_DEFINE(uname);
SYSCALL_DEFINE(sysinfo);
SYSCALL_DEFINE(sched_yield);
SYSCALL_DEFINE(futex);
SYSCALL_DEFINE(rseq);
SYSCALL_DEFINE(sched_getaffinity);
SYSCALL_DEFINE(getcpu);

/* poll(2) event bits (asm-generic/poll.h) */
#define POLLIN_ 0x001
#define POLLPRI_ 0x002
#define POLLOUT_ 0x004
#define POLLERR_ 0x008
#define POLLHUP_ 0x010
#define POLLNVAL_ 0x020
#define POLLRDNORM_ 0x040
#define POLLRDBAND_ 0x080
#define POLLWRNORM_ 0x100
#define POLLWRBAND_ 0x200

/* --- helpers --- */

/* One segment of a readv/writev (struct iovec). */
struct user_iovec {
	uint64_t base, len;
};

/* Where the bytes of a read or write go to or come from (Linux's
 * iov_iter): user memory of ENG at UADDR, the NR_SEGS user segments of IOV
 * one after the other (readv/writev: one call, so a pipe write of them is
 * one write), or (KADDR not NULL) a kernel buffer: sendfile and splice
 * move bytes between files without a user buffer. */
struct iobuf {
	struct engine *eng;
	uint64_t uaddr;
	const struct user_iovec *iov;
	unsigned nr_segs;
	uint8_t *kaddr;
};

/* sys_fs.c: copy N bytes between segmented IO at offset OFF and BUF (TO:
 * into IO).  Returns 0 or -EFAULT. */
int iob_copy_iov(const struct iobuf *io, uint64_t off, void *buf, size_t n, bool to);

static inline struct iobuf iob_user(struct task *t, uint64_t uaddr)
{
	return (struct iobuf){ .eng = t->eng, .uaddr = uaddr };
}

static inline struct iobuf iob_kernel(void *kaddr)
{
	return (struct iobuf){ .kaddr = (uint8_t *)kaddr };
}

/* Copy N bytes of SRC to IO at offset OFF.  Returns 0 or -EFAULT. */
static inline int iob_copy_to(const struct iobuf *io, uint64_t off, const void *src, size_t n)
{
	if (io->kaddr) {
		__builtin_memcpy(io->kaddr + off, src, n);
		return 0;
	}
	if (io->iov)
		return iob_copy_iov(io, off, (void *)src, n, true);
	return copy_to_user(io->eng, io->uaddr + off, src, n) ? -EFAULT : 0;
}

/* Copy N bytes from IO at offset OFF into DST.  Returns 0 or -EFAULT. */
static inline int iob_copy_from(const struct iobuf *io, uint64_t off, void *dst, size_t n)
{
	if (io->kaddr) {
		__builtin_memcpy(dst, io->kaddr + off, n);
		return 0;
	}
	if (io->iov)
		return iob_copy_iov(io, off, dst, n, false);
	return copy_from_user(io->eng, dst, io->uaddr + off, n) ? -EFAULT : 0;
}

/* sys_fs.c: read up to LEN bytes of F at *POS into IO (read, pread,
 * sendfile, splice).  Returns bytes, 0 at end of file, -errno or
 * -ERESTARTNOINTR (the task sleeps). */
long file_read(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len, uint64_t *pos);
/* sys_fs.c: write LEN bytes of IO to F.  Returns bytes, -errno or
 * -ERESTARTNOINTR (the task sleeps). */
long file_write(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len);

/* Host descriptor slot for guest fd FD of T, or NULL if not open. */
static inline struct file *fget(struct task *t, long fd)
{
	if (fd < 0 || !t->files || fd >= (long)t->files->max_fds)
		return NULL;
	return t->files->fd[fd];
}
/* Drop one reference to F. */
void fput(struct file *f);
/* Install F at the lowest free fd >= MIN.  Returns the fd, or -EMFILE
 * (none below RLIMIT_NOFILE), -ENOMEM. */
int fd_install(struct task *t, struct file *f, int min);
/* FILES as an empty table of NR_OPEN_DEFAULT slots (FILES is zeroed). */
void files_init(struct files_struct *files);
/* Grow FILES so that descriptor NR has a slot.  Returns 0 or -ENOMEM. */
int expand_files(struct files_struct *files, unsigned int nr);
/* Close every descriptor of FILES and free a grown table (FILES itself is
 * the caller's). */
void files_release(struct files_struct *files);
/* Give DST (empty) every descriptor of SRC, each file with one more
 * reference.  Returns 0 or -ENOMEM. */
int files_copy(struct files_struct *dst, const struct files_struct *src);
/* A new file description of KIND (refcount 1), or NULL. */
struct file *file_alloc(enum file_kind kind, int flags, struct vfs_file *vf);
/* Close every descriptor marked close-on-exec. */
void close_on_exec(struct files_struct *files);

/* sys_fs.c: resolve guest path UPATH of T (relative to its cwd) to a
 * canonical path in P (VFS_PATH_MAX), following /dev and /proc/self links
 * and, with FOLLOW, a final symlink.  Returns 0 or -errno. */
long path_lookup(struct sim *s, struct task *t, uint64_t upath, bool follow, char *p);
/* The same relative to directory descriptor DIRFD (AT_FDCWD: the cwd). */
long path_lookup_at(struct sim *s, struct task *t, long dirfd, uint64_t upath, bool follow, char *p);
/* The same for a path PATH already in host memory, relative to guest
 * directory BASE. */
long path_resolve(struct sim *s, struct task *t, const char *base, const char *path, bool follow, char *p);

/* A guest path argument: copy it from user memory into BUF (VFS_PATH_MAX).
 * Returns 0 or -EFAULT / -ENAMETOOLONG / -ENOENT (empty). */
long get_user_path(struct task *t, uint64_t uptr, char *buf, size_t len);

/* sys_namei.c: open(2) with O_CREAT of a path that does not exist (or is
 * a dangling symlink): create it on a tmpfs.  Returns 0 and *VF (the new
 * file, opened), or -EROFS (the directory is on the read-only root),
 * -EISDIR (a trailing slash), -EEXIST, -ENOENT, -ENOTDIR, -ENOSPC... */
long tmpfs_open_create(struct sim *s, struct task *t, long dirfd, uint64_t upath, long flags, uint32_t mode,
		       struct vfs_file **vf);

/* sys_mm.c: the page cache of file VF (created on first use, dropped with
 * the file), or NULL when out of host memory. */
struct file_backing *vfs_file_backing(struct sim *s, struct vfs_file *vf);

/* sys_time.c: LEN bytes of the run's seeded generator (getrandom,
 * /dev/urandom) into IO.  Returns LEN, the bytes copied before a fault, or
 * -EFAULT. */
long get_random_bytes(struct sim *s, const struct iobuf *io, uint64_t len);

/* sys_time.c: simulated time now, ns (instructions + idle time). */
uint64_t sim_now_ns(struct sim *s);

/* MMSIM_EPOCH, the simulated wall clock at instruction 0: sim/vfs.h */

/* sys_proc.c: default resource limits for a new init task. */
void task_init_rlimits(struct sim *s, struct task *t);
/* sys_proc.c: replace T's image by IMG (a fresh mm and engine).  FB is
 * the executable's page cache (NULL: private); EXE_FILE (may be NULL) the
 * file /proc/PID/exe opens (T takes a reference).  Returns a negative errno
 * with ERR when the exec fails before Linux's point of no return (-E2BIG;
 * T's old image is untouched), else 0: T runs IMG, or - the image could not
 * be built (P->interp_error, a segment that cannot be mapped, no simulated
 * memory) - T is killed with SIGSEGV as Linux kills it, a line on stderr
 * saying why. */
struct elf_image;
struct exec_params;
struct file_backing;
int task_exec(struct sim *s, struct task *t, const struct elf_image *img, struct file_backing *fb,
	      const struct exec_params *p, const char *exe_path, struct vfs_file *exe_file, char *err,
	      size_t errlen);

/* sys_proc.c: open guest path PATH (relative to DIRFD, -100: T's cwd; T
 * NULL: the command line, cwd "/") for exec, as Linux's do_open_execat:
 * fills CANON (VFS_PATH_MAX) and *VF.  Returns 0 or -ENOENT, -EACCES (not a
 * regular file with an x bit), -ENOTDIR, -ELOOP... */
long open_exec(struct sim *s, struct task *t, long dirfd, const char *path, char *canon, struct vfs_file **vf);

/* binfmt_elf.c: the ELF interpreter of a dynamically linked program. */
struct elf_interp {
	struct elf_image img;      /* validated (when VF is set) */
	struct vfs_file *vf;       /* one reference; its page cache exists */
	char late_error[480];      /* set instead: Linux fails it after the point of no return */
};
/* Open and check the interpreter IMG names (IMG->interp non-empty) as T
 * (NULL: the command line) sees it.  Returns 0 with IN->vf set, or 0 with
 * IN->late_error (the exec must kill the task with SIGSEGV once past the
 * point of no return, as Linux's load_elf_interp failure), or a negative
 * errno with a one-line ERR naming the program: the lookup's (-ENOENT,
 * -EACCES, -ENOTDIR...), -EIO (shorter than an ELF header), -ELIBBAD (not
 * an ELF interpreter for x86-64),
 * -ENOMEM. */
int open_elf_interp(struct sim *s, struct task *t, const struct elf_image *img, struct elf_interp *in, char *err,
		    size_t errlen);
/* Drop what open_elf_interp took. */
void close_elf_interp(struct elf_interp *in);

/* sys_proc.c: run a pending exec for T (after its slice stopped).  Returns
 * 0, or a negative errno (the task was killed with SIGSEGV, like a failed
 * exec past the point of no return). */
int exec_pending(struct sim *s, struct task *t);

/* devfs.c: the guest's /dev (see there).  DEVFS_IS_DEVICE: KIND is a
 * device's (null, zero, full, random, urandom). */
bool devfs_is_device(enum file_kind kind);
/* "/dev/zero" ... for a device KIND, NULL otherwise. */
const char *devfs_kind_path(enum file_kind kind);
/* stat of an open device of KIND (its node's). */
void devfs_kind_stat(enum file_kind kind, struct vfs_stat *st);
/* stat of "/dev" or "/dev/NAME": 0 or -ENOENT. */
int devfs_stat(const char *p, struct vfs_stat *st);
/* Target of link P (/dev/fd, /dev/stdin ...) into BUF (not NUL ended):
 * its length, -EINVAL (not a link) or -ENOENT. */
long devfs_readlink(const char *p, char *buf, size_t len);
/* Replace a /dev link at the start of canonical P by its target when it is
 * followed (FOLLOW, or components after it).  Returns true if P changed. */
bool devfs_follow(char *p, bool follow);
/* The listing of /dev.  Returns 0 or -ENOMEM. */
int devfs_open_dir(const char *p, struct vfs_file **out);
/* Open device P with open(2) FLAGS: 0 and *OUT, -ENOENT, -ENXIO (tty),
 * -ELOOP (a link not followed), -ENOTDIR, -ENOMEM. */
long devfs_open(const char *p, int flags, struct file **out);
/* read(2) of device F: bytes, -EBADF (write-only) or -EFAULT. */
long devfs_read(struct sim *s, const struct file *f, const struct iobuf *io, uint64_t len);
/* write(2) of LEN bytes to device F: LEN, -EBADF (read-only), -ENOSPC (full). */
long devfs_write(const struct file *f, uint64_t len);

/* proc_fd.c: /proc/PID/fd (see there); procfs.c parses the paths.
 * stat of task Q's /proc/PID/fd (FD < 0) or of its link FD at path P:
 * 0 or -ENOENT (FD not open). */
int procfd_stat(struct task *q, int fd, const char *p, struct vfs_stat *st);
/* Target of Q's link FD ("pipe:[INO]", "/dev/null", a path) into BUF (not
 * NUL ended): its length or -ENOENT. */
long procfd_readlink(struct task *q, int fd, char *buf, size_t len);
/* The listing of Q's /proc/PID/fd at path P: 0 or -ENOMEM. */
int procfd_open_dir(struct task *q, const char *p, struct vfs_file **out);
/* Open what a /proc/PID/fd link to open file F refers to, as Linux: the
 * same pipe (one more reader or writer), the file again (a new offset),
 * the same output or device; a FIFO through its inode (fifo_open: it may
 * sleep, -ERESTARTNOINTR, or fail with -ENXIO).  Returns 0 and *OUT,
 * -EROFS (writing a file), -EISDIR, -ENOTDIR, -ENOENT, -ENOMEM. */
long procfd_open(struct sim *s, struct task *t, struct file *f, int flags, struct file **out);
/* cpuinfo.c: the CPUID instruction (a UC_HOOK_INSN for UC_X86_INS_CPUID on
 * engine UC): answers the leaves mmsim corrects (1, 0x80000001) and returns
 * 1, else 0 (Unicorn's own answer). */
int cpuid_insn_hook(void *uc, void *user);
/* cpuinfo.c: CPUID 1 EDX of the guest's CPU (Linux's AT_HWCAP). */
uint32_t cpuid_1_edx(void);
/* cpuinfo.c: /proc/cpuinfo, the simulated CPUs as CPUID describes them. */
struct strbuf;
void proc_cpuinfo(struct sim *s, struct strbuf *sb);
/* mounts.c: /proc/mounts (and /proc/PID/mounts), /proc/PID/mountinfo. */
void proc_mounts(struct sim *s, struct strbuf *sb);
void proc_mountinfo(struct sim *s, struct strbuf *sb);

/* procfs.c: replace a /proc link at the start of canonical P by its
 * target when it is followed (FOLLOW, or components after it):
 * /proc/self -> /proc/PID of T, /proc/mounts -> /proc/self/mounts.
 * Returns true if P changed. */
bool procfs_follow(struct task *t, char *p, bool follow);
/* procfs.c: the open file the link /proc/PID/fd/N at canonical P names,
 * or NULL if P is not such a link or the descriptor is not open. */
struct file *procfs_fd_file(struct sim *s, const char *p);
/* The same for a path that may go on below the link (/proc/PID/fd/N/x):
 * *AFTER is what follows N ("" or "/x"). */
struct file *procfs_fd_prefix(struct sim *s, const char *p, const char **after);
/* The vfs_stat of open file F (sys_fs.c's fstat). */
void file_stat(struct sim *s, const struct file *f, struct vfs_stat *st);

/* procfs.c: open generated guest file P (canonical, under /proc or /dev)
 * for T.  Returns 0 and *OUT, -ENOENT, or -ENOMEM. */
int procfs_open(struct sim *s, struct task *t, const char *p, struct vfs_file **out);
/* procfs_pagemap.c: read(2) of /proc/PID/pagemap at *POS into IO, LEN
 * bytes: the entries of the pages from (*POS / 8) * 4096 on.  Returns the
 * bytes (0 at the end of the address space or when PID has no mm), -EINVAL
 * (POS or LEN not a multiple of 8) or -EFAULT. */
long procfs_pagemap_read(struct sim *s, int pid, const struct iobuf *io, uint64_t len, uint64_t *pos);
/* The text /proc/VIEW (PID 0) or /proc/PID/VIEW shows now, into SB.
 * Returns 0, -ENOENT (no such view) or -ESRCH (no such process). */
int procfs_render(struct sim *s, int pid, const char *view, struct strbuf *sb);
/* stat of a /proc or /dev path: 0 or -ENOENT. */
int procfs_stat(struct sim *s, struct task *t, const char *p, struct vfs_stat *st);
/* The image file of /proc/PID/exe at canonical path P (with a reference)
 * and the task's exe path in EXE (VFS_PATH_MAX); NULL if P is not such a
 * path or the task has no image file. */
struct vfs_file *procfs_exe_file(struct sim *s, struct task *t, const char *p, char *exe);
/* readlink of /proc/self, /proc/self/exe ...: length or -EINVAL/-ENOENT. */
long procfs_readlink(struct sim *s, struct task *t, const char *p, char *buf, size_t len);

#endif
