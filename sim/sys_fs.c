/* sim/sys_fs.c - file system calls on the read-only guest root (sim/vfs.h)
 * and the writable tmpfs mounts (sim/tmpfs.h; creating and renaming files:
 * sim/sys_namei.c),
 * the generated /proc and /dev files (sim/procfs.c, devfs.c, proc_fd.c),
 * stdio and pipes.  Opening /proc/PID/fd/N (or /dev/fd/N, /dev/stdin ...)
 * opens what the descriptor refers to (procfd_open); stat follows it.
 *
 * Guest fd 0 reads the --stdin file (a regular file; empty without
 * --stdin), fds 1 and 2 write to the simulator's stdout/stderr (or files).
 * So that a guest behaves the same whatever the host's terminal, fds 1 and
 * 2 look like pipes (fstat S_IFIFO) and every tty ioctl fails with ENOTTY.
 * Nothing here calls the host on the guest's behalf except write(2) of the
 * guest's own output bytes to the simulator's stdout/stderr.
 */
#include "sim/procfs_sys.h"
#include "sim/sys_internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sim/pipe.h"
#include "sim/tmpfs.h"
#include "sim/vfs.h"

#define AT_FDCWD_ -100
#define AT_SYMLINK_NOFOLLOW_ 0x100
#define AT_EMPTY_PATH_ 0x1000
#define IO_CHUNK 65536

/* x86-64 struct stat, as the kernel writes it. */
struct kstat64 {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime_, st_atime_nsec, st_mtime_, st_mtime_nsec, st_ctime_, st_ctime_nsec;
	int64_t reserved[3];
};

/* --- descriptor table --- */

struct file *file_alloc(enum file_kind kind, int flags, struct vfs_file *vf)
{
	struct file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->refcount = 1;
	f->kind = kind;
	f->flags = flags;
	f->vf = vf;
	return f;
}

void fput(struct file *f)
{
	if (!f || --f->refcount > 0)
		return;
	if (f->pipe)
		pipe_release_file(f); /* before the FIFO's inode may go with VF */
	if (f->vf)
		vfs_file_put(f->vf);
	free(f);
}

/* RLIMIT_NOFILE's soft limit of T: descriptors are below it. */
static unsigned long nofile_limit(const struct task *t)
{
	return t->signal->rlim[RLIMIT_NOFILE].cur < NR_OPEN_MAX ? (unsigned long)t->signal->rlim[RLIMIT_NOFILE].cur : NR_OPEN_MAX;
}

void files_init(struct files_struct *files)
{
	files->max_fds = NR_OPEN_DEFAULT;
	files->fd = files->fd_array;
	files->cloexec = files->cloexec_array;
}

/*
 * Linux's alloc_fdtable() sizing: a power of two of 1 KiB's worth of
 * pointers (128, 256, 512 ... slots) above NR, capped at NR_OPEN_MAX.
 */
int expand_files(struct files_struct *files, unsigned int nr)
{
	if (nr < files->max_fds)
		return 0;
	if (nr >= NR_OPEN_MAX)
		return -EMFILE;
	unsigned int n = 128;
	while (n <= nr)
		n *= 2;
	if (n > NR_OPEN_MAX)
		n = NR_OPEN_MAX;
	struct file **fd = calloc(n, sizeof(*fd));
	uint8_t *cloexec = calloc(n, 1);
	if (!fd || !cloexec) {
		free(fd);
		free(cloexec);
		return -ENOMEM;
	}
	memcpy(fd, files->fd, files->max_fds * sizeof(*fd));
	memcpy(cloexec, files->cloexec, files->max_fds);
	if (files->fd != files->fd_array) {
		free(files->fd);
		free(files->cloexec);
	}
	files->fd = fd;
	files->cloexec = cloexec;
	files->max_fds = n;
	return 0;
}

int fd_install(struct task *t, struct file *f, int min)
{
	struct files_struct *files = t->files;
	unsigned long end = nofile_limit(t);
	unsigned int fd = min < 0 ? 0 : (unsigned int)min;
	while (fd < files->max_fds && files->fd[fd])
		fd++;
	if (fd >= end)
		return -EMFILE;
	int rc = expand_files(files, fd);
	if (rc)
		return rc;
	files->fd[fd] = f;
	files->cloexec[fd] = 0;
	return (int)fd;
}

int files_copy(struct files_struct *dst, const struct files_struct *src)
{
	if (src->max_fds > dst->max_fds && expand_files(dst, src->max_fds - 1))
		return -ENOMEM;
	for (unsigned int i = 0; i < src->max_fds; i++)
		if (src->fd[i]) {
			dst->fd[i] = src->fd[i];
			dst->fd[i]->refcount++;
			dst->cloexec[i] = src->cloexec[i];
		}
	return 0;
}

void files_release(struct files_struct *files)
{
	for (unsigned int i = 0; i < files->max_fds; i++) {
		fput(files->fd[i]);
		files->fd[i] = NULL;
	}
	if (files->fd != files->fd_array) {
		free(files->fd);
		free(files->cloexec);
	}
	files_init(files);
}

void close_on_exec(struct files_struct *files)
{
	for (unsigned int i = 0; i < files->max_fds; i++)
		if (files->fd[i] && files->cloexec[i]) {
			fput(files->fd[i]);
			files->fd[i] = NULL;
			files->cloexec[i] = 0;
		}
}

long get_user_path(struct task *t, uint64_t uptr, char *buf, size_t len)
{
	long n = strncpy_from_user(t->eng, buf, uptr, len);
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	return 0;
}

/* --- path lookup --- */

/* Directory a *at() call is relative to, into BUF.  Returns 0 or -EBADF,
 * -ENOTDIR. */
static long at_dir(struct task *t, long dirfd, const char *path, const char **out)
{
	if (path[0] == '/' || (int)dirfd == AT_FDCWD_) {
		*out = t->fs->cwd;
		return 0;
	}
	struct file *f = fget(t, (int)dirfd);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_DIR)
		return -ENOTDIR;
	*out = f->vf->path;
	return 0;
}

static bool path_is_virtual(const char *p)
{
	return vfs_path_under(p, "/proc") || (vfs_path_under(p, "/dev") && !vfs_path_under(p, "/dev/shm"));
}

/* Size of regular file VF (a tmpfs file's current size). */
static uint64_t vf_size(const struct vfs_file *vf)
{
	struct vfs_stat st;
	if (!vf->tmp)
		return vf->size;
	tmpfs_stat(vf->tmp, &st);
	return st.size;
}

/* Resolve guest path PATH (relative to BASE) to canonical P.  Returns 0
 * or -errno. */
long path_resolve(struct sim *s, struct task *t, const char *base, const char *path, bool follow, char *p)
{
	if (path[0] && path[strlen(path) - 1] == '/')
		follow = true; /* "/dev/fd/" names the directory the link leads to */
	long rc = vfs_resolve(s->procs->vfs, base, path, follow, p, VFS_PATH_MAX);
	/* /dev/fd -> /proc/self/fd, /dev/stdin -> /proc/self/fd/0 ...;
	 * /proc/self -> /proc/PID, /proc/mounts: the symlinks below /dev and /proc
	 * followed inside a path (and at its end unless NOFOLLOW).
	 * /proc/PID/fd/N is "magic": do_open and stat_path follow it at the
	 * end of a path; inside one (a directory's descriptor) the rest is
	 * resolved below that directory.  A few rounds: a target may lead
	 * into /proc or /dev again. */
	for (int round = 0; rc == 0 && path_is_virtual(p) && round < VFS_MAXSYMLINKS; round++) {
		char tmp[VFS_PATH_MAX];
		const char *rest;
		bool changed = devfs_follow(p, follow);
		changed |= procfs_follow(t, p, follow);
		struct file *f = procfs_fd_prefix(s, p, &rest);
		if (f && *rest) {
			if (f->kind != FILE_DIR)
				return -ENOTDIR;
			snprintf(tmp, sizeof(tmp), "%s", rest + 1);
			rc = vfs_resolve(s->procs->vfs, f->vf->path, tmp, follow, p, VFS_PATH_MAX);
			changed = true;
		}
		if (!changed)
			break;
	}
	return rc;
}

/* Resolve a guest path argument to canonical P.  Returns 0 or -errno. */
static long lookup(struct sim *s, struct task *t, long dirfd, uint64_t upath, bool follow, char *p)
{
	char path[VFS_PATH_MAX];
	const char *base;
	long rc = get_user_path(t, upath, path, sizeof(path));
	if (rc)
		return rc;
	rc = at_dir(t, dirfd, path, &base);
	if (rc)
		return rc;
	return path_resolve(s, t, base, path, follow, p);
}

long path_lookup_at(struct sim *s, struct task *t, long dirfd, uint64_t upath, bool follow, char *p)
{
	return lookup(s, t, dirfd, upath, follow, p);
}

long path_lookup(struct sim *s, struct task *t, uint64_t upath, bool follow, char *p)
{
	return lookup(s, t, AT_FDCWD_, upath, follow, p);
}

/* stat of canonical P; with FOLLOW, of what a /proc/PID/fd/N link opens. */
static long stat_path(struct sim *s, struct task *t, const char *p, bool follow, struct vfs_stat *st)
{
	struct file *f;
	if (follow && (f = procfs_fd_file(s, p)) != NULL) {
		file_stat(s, f, st);
		return 0;
	}
	if (path_is_virtual(p))
		return procfs_stat(s, t, p, st);
	return vfs_lstat(s->procs->vfs, p, st);
}

/* Linux's new_encode_dev(): the dev_t of stat(2) for MAJOR:MINOR. */
static uint64_t new_encode_dev(uint32_t major, uint32_t minor)
{
	return (minor & 0xffu) | ((uint64_t)major << 8) | ((uint64_t)(minor & ~0xffu) << 12);
}

static void fill_kstat(struct kstat64 *k, const struct vfs_stat *st)
{
	memset(k, 0, sizeof(*k));
	k->st_dev = new_encode_dev(st->dev_major, st->dev_minor);
	k->st_ino = st->ino;
	k->st_nlink = st->nlink;
	k->st_mode = st->mode;
	k->st_uid = st->uid;
	k->st_gid = st->gid;
	k->st_rdev = new_encode_dev(st->rdev_major, st->rdev_minor);
	k->st_size = (int64_t)st->size;
	k->st_blksize = st->blksize;
	k->st_blocks = (int64_t)st->blocks;
	k->st_atime_ = (uint64_t)st->atime.sec;
	k->st_atime_nsec = st->atime.nsec;
	k->st_mtime_ = (uint64_t)st->mtime.sec;
	k->st_mtime_nsec = st->mtime.nsec;
	k->st_ctime_ = (uint64_t)st->ctime.sec;
	k->st_ctime_nsec = st->ctime.nsec;
}

/* The vfs_stat of an open file: the file's own for root and /proc files,
 * deterministic simulator-made metadata for stdio, pipes and devices. */
void file_stat(struct sim *s, const struct file *f, struct vfs_stat *st)
{
	(void)s;
	switch (f->kind) {
	case FILE_REG:
	case FILE_DIR:
		if (f->vf->tmp) {
			tmpfs_stat(f->vf->tmp, st);
			break;
		}
		*st = f->vf->st;
		if (f->kind == FILE_REG)
			st->size = f->vf->size;
		break;
	case FILE_STDIN:
		if (f->vf) {
			vfs_stat_virtual(st, "<stdin>", VFS_S_IFREG | 0644, f->vf->size, VFS_ANON_DEV_ROOT);
			break;
		}
		devfs_kind_stat(FILE_NULL, st); /* no --stdin: fd 0 is /dev/null */
		break;
	case FILE_PIPE_R:
	case FILE_PIPE_W:
	case FILE_PIPE_RW:
	case FILE_PATH:
		if (f->vf && f->vf->tmp) { /* a FIFO (or O_PATH node): its inode */
			tmpfs_stat(f->vf->tmp, st);
			break;
		}
		/* fallthrough */
	case FILE_STDOUT:
	case FILE_STDERR:
		vfs_stat_virtual(st, "", VFS_S_IFIFO | 0600, 0, VFS_ANON_DEV_PIPE);
		st->ino = f->kind == FILE_STDOUT ? 2 : f->kind == FILE_STDERR ? 3 : f->pipe->ino;
		break;
	default:
		devfs_kind_stat(f->kind, st);
		break;
	}
}

static long put_stat(struct task *t, uint64_t ubuf, const struct vfs_stat *st)
{
	struct kstat64 k;
	fill_kstat(&k, st);
	return copy_to_user(t->eng, ubuf, &k, sizeof(k)) ? -EFAULT : 0;
}

/* --- read / write --- */

/* Host write of all LEN bytes to FD. */
/* Write LEN bytes of BUF to the host's FD (the guest's stdout or stderr).
 * Returns the bytes written, or -errno when the host refused the first
 * byte (a full disk or /dev/full: ENOSPC, as the program would get
 * natively); a later failure ends the write short, as Linux's would. */
static long host_write_all(int fd, const uint8_t *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (long)done : -errno;
		}
		done += (size_t)n;
	}
	return (long)done;
}

long file_read(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len, uint64_t *pos)
{
	switch (f->kind) {
	case FILE_NULL:
	case FILE_ZERO:
	case FILE_FULL:
	case FILE_RANDOM:
	case FILE_URANDOM:
		return devfs_read(s, f, io, len);
	case FILE_STDOUT:
	case FILE_STDERR:
	case FILE_PIPE_W:
	case FILE_PATH:
		return -EBADF;
	case FILE_DIR:
		return -EISDIR;
	case FILE_PIPE_R:
	case FILE_PIPE_RW:
		return pipe_read(s, t, f, io, len);
	case FILE_STDIN:
		if (!f->vf)
			return 0;
		/* fallthrough */
	case FILE_REG: {
		struct vfs_file *vf = f->vf;
		if ((f->flags & O_ACCMODE) == O_WRONLY)
			return -EBADF; /* no FMODE_READ */
		if (vf->tmp)
			return tmpfs_read(vf->tmp, io, len, pos);
		if (vf->pagemap_pid)
			return procfs_pagemap_read(s, vf->pagemap_pid, io, len, pos);
		if (*pos >= vf->size || len == 0)
			return 0;
		uint64_t n = vf->size - *pos;
		if (n > len)
			n = len;
		if (n > 0x7ffff000)
			n = 0x7ffff000;
		if (iob_copy_to(io, 0, vf->data + *pos, n))
			return -EFAULT;
		*pos += n;
		return (long)n;
	}
	}
	return -EBADF;
}

long file_write(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len)
{
	int hostfd;
	switch (f->kind) {
	case FILE_NULL:
	case FILE_ZERO:
	case FILE_FULL:
	case FILE_RANDOM:
	case FILE_URANDOM:
		return devfs_write(f, len);
	case FILE_STDOUT:
		hostfd = s->procs->stdout_fd;
		break;
	case FILE_STDERR:
		hostfd = s->procs->stderr_fd;
		break;
	case FILE_PIPE_W:
	case FILE_PIPE_RW:
		return pipe_write(s, t, f, io, len);
	case FILE_DIR:
		return -EISDIR;
	case FILE_REG:
		if (f->vf->tmp)
			return tmpfs_write(f->vf->tmp, io, len, &f->pos, f->flags & O_APPEND);
		if (!strncmp(f->vf->path, "/proc/", 6))
			return procfs_write(s, t, f, io, len);
		return -EBADF;
	default:
		return -EBADF;
	}
	if (len > 0x7ffff000)
		len = 0x7ffff000;
	progress_clear(s->procs);
	if (io->kaddr)
		return host_write_all(hostfd, io->kaddr, len);
	uint8_t *buf = malloc(len < IO_CHUNK ? (len ? len : 1) : IO_CHUNK);
	if (!buf)
		return -ENOMEM;
	uint64_t done = 0;
	while (done < len) {
		size_t n = len - done < IO_CHUNK ? (size_t)(len - done) : IO_CHUNK;
		if (iob_copy_from(io, done, buf, n)) {
			free(buf);
			return done ? (long)done : -EFAULT;
		}
		long w = host_write_all(hostfd, buf, n);
		if (w < 0 || (size_t)w < n) {
			free(buf);
			return done || w > 0 ? (long)(done + (w > 0 ? (uint64_t)w : 0)) : w;
		}
		done += n;
	}
	free(buf);
	return (long)done;
}

SYSCALL_DEFINE(read)
{
	struct file *f = fget(t, (long)a[0]);
	if (!f)
		return -EBADF;
	struct iobuf io = iob_user(t, a[1]);
	return file_read(s, t, f, &io, a[2], &f->pos);
}

/* FMODE_WRITE: F was opened for writing (stdout, stderr, a pipe's write
 * end always are). */
static bool file_writable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY || f->kind == FILE_STDOUT || f->kind == FILE_STDERR ||
	       f->kind == FILE_PIPE_W;
}

SYSCALL_DEFINE(write)
{
	struct file *f = fget(t, (long)a[0]);
	if (!f || !file_writable(f))
		return -EBADF;
	struct iobuf io = iob_user(t, a[1]);
	return file_write(s, t, f, &io, a[2]);
}

SYSCALL_DEFINE(pread64)
{
	struct file *f = fget(t, (long)a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_REG && !(f->kind == FILE_STDIN && f->vf) && !devfs_is_device(f->kind))
		return f->kind == FILE_DIR ? -EISDIR : -ESPIPE;
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	uint64_t pos = a[3];
	struct iobuf io = iob_user(t, a[1]);
	return file_read(s, t, f, &io, a[2], &pos);
}

int iob_copy_iov(const struct iobuf *io, uint64_t off, void *buf, size_t n, bool to)
{
	uint8_t *b = buf;
	for (unsigned i = 0; i < io->nr_segs && n > 0; i++) {
		const struct user_iovec *v = &io->iov[i];
		if (off >= v->len) {
			off -= v->len;
			continue;
		}
		size_t chunk = v->len - off < n ? (size_t)(v->len - off) : n;
		int rc = to ? copy_to_user(io->eng, v->base + off, b, chunk) : copy_from_user(io->eng, b, v->base + off, chunk);
		if (rc)
			return -EFAULT;
		b += chunk;
		n -= chunk;
		off = 0;
	}
	return n ? -EFAULT : 0;
}

/* readv/writev: one read or write of the segments together, as Linux's
 * iov_iter (a pipe write of them is one write: atomic up to PIPE_BUF,
 * complete when blocking).  Returns bytes or -errno / -ERESTARTNOINTR. */
static long do_iov(struct sim *s, struct task *t, const uint64_t *a, bool write)
{
	struct file *f = fget(t, (long)a[0]);
	uint64_t cnt = a[2], total = 0;
	if (!f || (write && !file_writable(f)))
		return -EBADF;
	if (cnt > 1024)
		return -EINVAL;
	if (cnt == 0)
		return 0;
	struct user_iovec *iov = malloc(cnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (copy_from_user(t->eng, iov, a[1], cnt * sizeof(*iov))) {
		free(iov);
		return -EFAULT;
	}
	for (uint64_t i = 0; i < cnt; i++) {
		if ((int64_t)iov[i].len < 0 || iov[i].len > (uint64_t)INT64_MAX - total) {
			free(iov);
			return -EINVAL;
		}
		total += iov[i].len;
	}
	if (total > 0x7ffff000)
		total = 0x7ffff000; /* MAX_RW_COUNT */
	struct iobuf io = { .eng = t->eng, .iov = iov, .nr_segs = (unsigned)cnt };
	long n = write ? file_write(s, t, f, &io, total) : file_read(s, t, f, &io, total, &f->pos);
	free(iov);
	return n;
}

SYSCALL_DEFINE(readv)
{
	return do_iov(s, t, a, false);
}

SYSCALL_DEFINE(writev)
{
	return do_iov(s, t, a, true);
}

/* --- open / close --- */

static long do_open(struct sim *s, struct task *t, long dirfd, uint64_t upath, long flags, uint32_t mode)
{
	char p[VFS_PATH_MAX];
	bool follow = !(flags & O_NOFOLLOW);
	long rc;
	int acc = (int)(flags & O_ACCMODE);
	bool wants_write = acc == O_WRONLY || acc == O_RDWR || (flags & (O_CREAT | O_TRUNC));
	struct vfs_file *vf = NULL;
	struct file *f;

	if (t->restarting && t->fifo_opening) {
		/* woken in a FIFO open (sim/fifo.c): the same file, not a new lookup */
		rc = fifo_open_resume(t, &f);
		if (rc)
			return rc;
		goto install;
	}
	rc = lookup(s, t, dirfd, upath, follow, p);
	if (rc == -ENOENT && (flags & O_CREAT)) {
		rc = tmpfs_open_create(s, t, dirfd, upath, flags, mode, &vf);
		if (rc)
			return rc;
		goto have_vf;
	}
	if (rc)
		return rc;
	struct file *target = procfs_fd_file(s, p);
	if (target) { /* /proc/PID/fd/N, /dev/fd/N, /dev/stdout ... */
		if (!follow)
			return -ELOOP;
		rc = procfd_open(s, t, target, (int)flags, &f);
		if (rc)
			return rc;
		goto install;
	}
	if (path_is_virtual(p) && !strncmp(p, "/dev/", 5)) {
		rc = devfs_open(p, (int)flags, &f);
		if (rc)
			return rc;
		goto install;
	}
	{
		/* Linux's order: do_open's O_CREAT/O_DIRECTORY checks, then
		 * may_open (symlink, directory opened for writing), then the
		 * read-only file system */
		struct vfs_stat st;
		bool virt = path_is_virtual(p);
		bool tmp = tmpfs_of(s, p, NULL) != NULL;
		rc = virt ? procfs_stat(s, t, p, &st) : vfs_lstat(s->procs->vfs, p, &st);
		uint32_t type = st.mode & 0170000;
		if (rc == 0 && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			return -EEXIST;
		if (rc == 0 && (flags & O_CREAT) && type == VFS_S_IFDIR)
			return -EISDIR;
		if (rc == 0 && (flags & O_DIRECTORY) && type != VFS_S_IFDIR)
			return -ENOTDIR;
		if (rc == 0 && type == VFS_S_IFLNK && !follow)
			return -ELOOP; /* O_NOFOLLOW on a symlink (/proc/PID/exe: a magic link) */
		if (rc == 0 && wants_write && type == VFS_S_IFDIR)
			return -EISDIR;
		if (rc == 0 && virt && type == VFS_S_IFREG && !strncmp(p, "/proc/", 6)) {
			rc = procfs_may_open(s, p, acc); /* /proc/sys/vm/NAME, oom_score_adj */
			if (rc)
				return rc;
			if (wants_write) {
				rc = procfs_open(s, t, p, &vf);
				if (rc)
					return rc;
				f = file_alloc(FILE_REG, (int)flags, vf);
				if (!f)
					vfs_file_put(vf);
				goto install;
			}
		}
		if (rc == 0 && wants_write && !tmp)
			return -EROFS;
		if (rc == 0)
			rc = virt ? procfs_open(s, t, p, &vf) : vfs_open(s->procs->vfs, p, &vf);
	}
	if (rc)
		return rc;
	if (wants_write && !vf->tmp) {
		vfs_file_put(vf);
		return -EROFS;
	}
	if ((flags & O_TRUNC) && vf->tmp && (vf->st.mode & 0170000) == VFS_S_IFREG) {
		rc = tmpfs_setsize(vf->tmp, 0);
		if (rc) {
			vfs_file_put(vf);
			return rc;
		}
	}
have_vf:;
	uint32_t type = vf->st.mode & 0170000;
	if (vf->tmp && (flags & O_PATH) && (type == VFS_S_IFIFO || type == VFS_S_IFSOCK || type == VFS_S_IFCHR)) {
		/* O_PATH: the node, not opened (no pipe, no waiting) */
		f = file_alloc(FILE_PATH, (int)flags, vf);
		if (!f)
			vfs_file_put(vf);
		goto install;
	}
	if (vf->tmp && type == VFS_S_IFIFO) {
		rc = fifo_open(t, vf, (int)flags, &f); /* may sleep for the other end */
		if (rc)
			return rc;
		goto install;
	}
	if (vf->tmp && (type == VFS_S_IFSOCK || type == VFS_S_IFCHR)) {
		vfs_file_put(vf); /* a socket file, the whiteout device 0:0 */
		return -ENXIO;
	}
	bool dir = type == VFS_S_IFDIR;
	if ((flags & O_DIRECTORY) && !dir) {
		vfs_file_put(vf);
		return -ENOTDIR;
	}
	f = file_alloc(dir ? FILE_DIR : FILE_REG, (int)flags, vf);
	if (!f) {
		vfs_file_put(vf);
		return -ENOMEM;
	}
install:
	if (!f)
		return -ENOMEM;
	int fd = fd_install(t, f, 0);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	t->files->cloexec[fd] = (flags & O_CLOEXEC) ? 1 : 0;
	return fd;
}

SYSCALL_DEFINE(open)
{
	return do_open(s, t, AT_FDCWD_, a[0], (long)a[1], (uint32_t)a[2]);
}

SYSCALL_DEFINE(openat)
{
	return do_open(s, t, (long)(int)a[0], a[1], (long)a[2], (uint32_t)a[3]);
}

SYSCALL_DEFINE(creat)
{
	return do_open(s, t, AT_FDCWD_, a[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a[1]);
}

SYSCALL_DEFINE(close)
{
	(void)s;
	struct file *f = fget(t, (long)a[0]);
	if (!f)
		return -EBADF;
	t->files->fd[a[0]] = NULL;
	t->files->cloexec[a[0]] = 0;
	fput(f);
	return 0;
}

/* --- stat family --- */

SYSCALL_DEFINE(fstat)
{
	struct file *f = fget(t, (long)a[0]);
	struct vfs_stat st;
	if (!f)
		return -EBADF;
	file_stat(s, f, &st);
	return put_stat(t, a[1], &st);
}

static long do_fstatat(struct sim *s, struct task *t, long dirfd, uint64_t upath, uint64_t ubuf, long flags)
{
	char p[VFS_PATH_MAX];
	struct vfs_stat st;
	long rc;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW_ | AT_EMPTY_PATH_ | 0x800 /* AT_NO_AUTOMOUNT */))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH_) {
		char c;
		long n = strncpy_from_user(t->eng, &c, upath, 1);
		if (n == -EFAULT)
			return -EFAULT;
		if (n == 0 || c == '\0') {
			if ((int)dirfd == AT_FDCWD_)
				rc = stat_path(s, t, t->fs->cwd, true, &st);
			else {
				struct file *f = fget(t, dirfd);
				if (!f)
					return -EBADF;
				file_stat(s, f, &st);
				rc = 0;
			}
			return rc ? rc : put_stat(t, ubuf, &st);
		}
	}
	rc = lookup(s, t, dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW_), p);
	if (rc)
		return rc;
	rc = stat_path(s, t, p, !(flags & AT_SYMLINK_NOFOLLOW_), &st);
	if (rc)
		return rc;
	return put_stat(t, ubuf, &st);
}

SYSCALL_DEFINE(stat)
{
	return do_fstatat(s, t, AT_FDCWD_, a[0], a[1], 0);
}

SYSCALL_DEFINE(lstat)
{
	return do_fstatat(s, t, AT_FDCWD_, a[0], a[1], AT_SYMLINK_NOFOLLOW_);
}

SYSCALL_DEFINE(newfstatat)
{
	return do_fstatat(s, t, (long)(int)a[0], a[1], a[2], (long)a[3]);
}

/* struct statx (x86-64 layout, 256 bytes). */
struct statx64 {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct {
		int64_t tv_sec;
		uint32_t tv_nsec;
		int32_t pad;
	} stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint64_t spare[13];
};

SYSCALL_DEFINE(statx)
{
	char p[VFS_PATH_MAX];
	struct vfs_stat st;
	long flags = (long)(int)a[2];
	long rc;
	char c = 1;
	long n = strncpy_from_user(t->eng, &c, a[1], 1);
	if (n == -EFAULT)
		return -EFAULT;
	if ((flags & AT_EMPTY_PATH_) && (n == 0 || c == '\0')) {
		struct file *f = fget(t, (long)(int)a[0]);
		if (!f)
			return -EBADF;
		file_stat(s, f, &st);
	} else {
		rc = lookup(s, t, (long)(int)a[0], a[1], !(flags & AT_SYMLINK_NOFOLLOW_), p);
		if (rc)
			return rc;
		rc = stat_path(s, t, p, !(flags & AT_SYMLINK_NOFOLLOW_), &st);
		if (rc)
			return rc;
	}
	uint32_t want = (uint32_t)a[3];
	struct statx64 x;
	memset(&x, 0, sizeof(x));
	/* btime only when asked for (as ext4 and xfs do), the rest as found */
	x.stx_mask = st.statx_mask & ~(want & VFS_STATX_BTIME ? 0u : VFS_STATX_BTIME);
	x.stx_blksize = st.blksize;
	x.stx_attributes = st.attributes;
	x.stx_nlink = st.nlink;
	x.stx_uid = st.uid;
	x.stx_gid = st.gid;
	x.stx_mode = (uint16_t)st.mode;
	x.stx_ino = st.ino;
	x.stx_size = st.size;
	x.stx_blocks = st.blocks;
	x.stx_attributes_mask = st.attributes_mask;
	x.stx_atime.tv_sec = st.atime.sec;
	x.stx_atime.tv_nsec = st.atime.nsec;
	if (x.stx_mask & VFS_STATX_BTIME) {
		x.stx_btime.tv_sec = st.btime.sec;
		x.stx_btime.tv_nsec = st.btime.nsec;
	}
	x.stx_ctime.tv_sec = st.ctime.sec;
	x.stx_ctime.tv_nsec = st.ctime.nsec;
	x.stx_mtime.tv_sec = st.mtime.sec;
	x.stx_mtime.tv_nsec = st.mtime.nsec;
	x.stx_rdev_major = st.rdev_major;
	x.stx_rdev_minor = st.rdev_minor;
	x.stx_dev_major = st.dev_major;
	x.stx_dev_minor = st.dev_minor;
	if (x.stx_mask & VFS_STATX_MNT_ID)
		x.stx_mnt_id = st.mnt_id;
	return copy_to_user(t->eng, a[4], &x, sizeof(x)) ? -EFAULT : 0;
}

static long do_access(struct sim *s, struct task *t, long dirfd, uint64_t upath, long mode, long flags)
{
	char p[VFS_PATH_MAX];
	struct vfs_stat st;
	if (mode & ~7L)
		return -EINVAL;
	long rc = lookup(s, t, dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW_), p);
	if (rc)
		return rc;
	rc = stat_path(s, t, p, !(flags & AT_SYMLINK_NOFOLLOW_), &st);
	if (rc)
		return rc;
	if ((mode & 2) && (st.mode & 0170000) != VFS_S_IFCHR && (st.mode & 0170000) != VFS_S_IFIFO &&
	    !tmpfs_of(s, p, NULL))
		return -EROFS;
	/* the guest runs as root: r/w always, x if any x bit is set */
	if ((mode & 1) && (st.mode & 0170000) != VFS_S_IFDIR && !(st.mode & 0111))
		return -EACCES;
	return 0;
}

SYSCALL_DEFINE(access)
{
	return do_access(s, t, AT_FDCWD_, a[0], (long)a[1], 0);
}

SYSCALL_DEFINE(faccessat)
{
	return do_access(s, t, (long)(int)a[0], a[1], (long)a[2], 0);
}

SYSCALL_DEFINE(faccessat2)
{
	return do_access(s, t, (long)(int)a[0], a[1], (long)a[2], (long)a[3]);
}

/* --- readlink --- */

static long do_readlink(struct sim *s, struct task *t, long dirfd, uint64_t upath, uint64_t ubuf, long len)
{
	char p[VFS_PATH_MAX], target[VFS_PATH_MAX];
	long n;
	if (len <= 0)
		return -EINVAL;
	long rc = lookup(s, t, dirfd, upath, false, p);
	if (rc)
		return rc;
	if (path_is_virtual(p))
		n = procfs_readlink(s, t, p, target, sizeof(target));
	else
		n = vfs_readlink(s->procs->vfs, p, target, sizeof(target));
	if (n < 0)
		return n;
	if (n > len)
		n = len;
	return copy_to_user(t->eng, ubuf, target, (size_t)n) ? -EFAULT : n;
}

SYSCALL_DEFINE(readlink)
{
	return do_readlink(s, t, AT_FDCWD_, a[0], a[1], (long)a[2]);
}

SYSCALL_DEFINE(readlinkat)
{
	return do_readlink(s, t, (long)(int)a[0], a[1], a[2], (long)a[3]);
}

/* --- seek, dirs, cwd --- */

/* lseek of directory F: positions are the listing's d_off cookies (the
 * host file system's for root directories).  Returns the new cookie or
 * -EINVAL. */
static long dir_lseek(struct file *f, int64_t off, int whence)
{
	int64_t base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = vfs_dir_tell(f->vf, f->pos); break;
	default: return -EINVAL; /* like tmpfs's and procfs's dcache_dir_lseek */
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	if (base + off == 0 && f->vf->tmp && tmpfs_reload_dir(f->vf))
		return -ENOMEM; /* rewinddir of a tmpfs directory sees it as it is now */
	f->pos = vfs_dir_seek(f->vf, base + off);
	return (long)(base + off);
}

SYSCALL_DEFINE(lseek)
{
	(void)s;
	struct file *f = fget(t, (long)a[0]);
	int64_t off = (int64_t)a[1], base;
	if (!f)
		return -EBADF;
	if (f->kind == FILE_DIR)
		return dir_lseek(f, off, (int)a[2]);
	if (f->kind != FILE_REG && !(f->kind == FILE_STDIN && f->vf))
		return devfs_is_device(f->kind) ? 0 : -ESPIPE;
	switch (a[2]) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = (int64_t)vf_size(f->vf); break;
	case 3: /* SEEK_DATA: a tmpfs file is data up to its end (holes read as zeros) */
	case 4: /* SEEK_HOLE */
		if (!f->vf->tmp)
			return -EINVAL;
		if (off < 0 || (uint64_t)off >= vf_size(f->vf))
			return -ENXIO;
		f->pos = a[2] == 3 ? (uint64_t)off : vf_size(f->vf);
		return (long)f->pos;
	default: return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

/* getdents64: F's entries from position F->pos (an index into the listing)
 * as struct linux_dirent64 records; d_off is the entry's cookie. */
SYSCALL_DEFINE(getdents64)
{
	(void)s;
	struct file *f = fget(t, (long)a[0]);
	uint64_t ubuf = a[1], count = a[2], used = 0;
	if (!f)
		return -EBADF;
	if (f->kind != FILE_DIR)
		return -ENOTDIR;
	uint8_t rec[512];
	while (f->pos < f->vf->nents) {
		const struct vfs_dirent *d = &f->vf->ents[f->pos];
		size_t nl = strlen(d->name);
		size_t reclen = (19 + nl + 1 + 7) & ~(size_t)7;
		if (reclen > sizeof(rec))
			return -EIO;
		if (used + reclen > count) {
			if (used == 0)
				return -EINVAL;
			break;
		}
		memset(rec, 0, reclen);
		uint16_t rl = (uint16_t)reclen;
		memcpy(rec, &d->ino, 8);
		memcpy(rec + 8, &d->off, 8);
		memcpy(rec + 16, &rl, 2);
		rec[18] = d->type;
		memcpy(rec + 19, d->name, nl);
		if (copy_to_user(t->eng, ubuf + used, rec, reclen))
			return -EFAULT;
		used += reclen;
		f->pos++;
	}
	return (long)used;
}

SYSCALL_DEFINE(getcwd)
{
	(void)s;
	size_t n = strlen(t->fs->cwd) + 1;
	if (a[1] < n)
		return -ERANGE;
	return copy_to_user(t->eng, a[0], t->fs->cwd, n) ? -EFAULT : (long)n;
}

static long set_cwd(struct sim *s, struct task *t, const char *p)
{
	struct vfs_stat st;
	struct file *f = procfs_fd_file(s, p);
	if (f && f->kind == FILE_DIR)
		p = f->vf->path; /* chdir /dev/fd/N: the directory itself */
	long rc = stat_path(s, t, p, true, &st);
	if (rc)
		return rc;
	if ((st.mode & 0170000) != VFS_S_IFDIR)
		return -ENOTDIR;
	if (strlen(p) >= sizeof(t->fs->cwd))
		return -ENAMETOOLONG;
	strcpy(t->fs->cwd, p);
	return 0;
}

SYSCALL_DEFINE(chdir)
{
	char p[VFS_PATH_MAX];
	long rc = lookup(s, t, AT_FDCWD_, a[0], true, p);
	return rc ? rc : set_cwd(s, t, p);
}

SYSCALL_DEFINE(fchdir)
{
	struct file *f = fget(t, (long)a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_DIR)
		return -ENOTDIR;
	return set_cwd(s, t, f->vf->path);
}

/* --- descriptors --- */

static long do_dup3(struct task *t, long oldfd, long newfd, long flags)
{
	struct file *f = fget(t, oldfd);
	if (!f)
		return -EBADF;
	if (newfd < 0 || (unsigned long)newfd >= nofile_limit(t))
		return -EBADF;
	if (flags & ~(long)O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return newfd;
	long rc = expand_files(t->files, (unsigned int)newfd);
	if (rc)
		return rc;
	f->refcount++;
	fput(t->files->fd[newfd]);
	t->files->fd[newfd] = f;
	t->files->cloexec[newfd] = (flags & O_CLOEXEC) ? 1 : 0;
	return newfd;
}

SYSCALL_DEFINE(dup)
{
	(void)s;
	struct file *f = fget(t, (long)a[0]);
	if (!f)
		return -EBADF;
	f->refcount++;
	int fd = fd_install(t, f, 0);
	if (fd < 0)
		f->refcount--;
	return fd;
}

SYSCALL_DEFINE(dup2)
{
	(void)s;
	if (a[0] == a[1])
		return fget(t, (long)a[0]) ? (long)a[1] : -EBADF;
	return do_dup3(t, (long)a[0], (long)a[1], 0);
}

SYSCALL_DEFINE(dup3)
{
	(void)s;
	if (a[0] == a[1])
		return -EINVAL;
	return do_dup3(t, (long)a[0], (long)a[1], (long)a[2]);
}

SYSCALL_DEFINE(fcntl)
{
	(void)s;
	struct file *f = fget(t, (long)a[0]);
	long fd = (long)a[0];
	if (!f)
		return -EBADF;
	switch (a[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		if ((long)a[2] < 0 || (unsigned long)a[2] >= nofile_limit(t))
			return -EINVAL;
		f->refcount++;
		int nfd = fd_install(t, f, (int)a[2]);
		if (nfd < 0) {
			f->refcount--;
			return nfd;
		}
		t->files->cloexec[nfd] = a[1] == F_DUPFD_CLOEXEC;
		return nfd;
	}
	case F_GETFD:
		return t->files->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		t->files->cloexec[fd] = (a[2] & FD_CLOEXEC) ? 1 : 0;
		return 0;
	case F_GETFL:
		if (f->kind == FILE_STDOUT || f->kind == FILE_STDERR || f->kind == FILE_PIPE_W)
			return O_WRONLY | (f->flags & O_NONBLOCK);
		return f->flags & ~(O_CLOEXEC | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
	case F_SETFL:
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (int)(a[2] & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		if (!file_is_pipe(f))
			return -EBADF;
		return a[1] == F_GETPIPE_SZ ? (long)pipe_size(f->pipe) : pipe_set_size(f->pipe, (uint32_t)a[2]);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		return 0;
	default:
		return -EINVAL;
	}
}

/* ioctl: Linux's generic requests (do_vfs_ioctl) and FIONREAD on pipes
 * and regular files; every terminal request (TCGETS, TIOCGWINSZ ...)
 * fails with ENOTTY, as no descriptor is a terminal. */
SYSCALL_DEFINE(ioctl)
{
	(void)s;
	long fd = (long)a[0];
	struct file *f = fget(t, fd);
	int v;
	if (!f)
		return -EBADF;
	switch (a[1]) {
	case FIOCLEX:
	case FIONCLEX:
		t->files->cloexec[fd] = a[1] == FIOCLEX;
		return 0;
	case FIONBIO:
		if (copy_from_user(t->eng, &v, a[2], sizeof(v)))
			return -EFAULT;
		f->flags = v ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		return 0;
	case FIONREAD:
		if (file_is_pipe(f))
			v = (int)f->pipe->len;
		else if (f->kind == FILE_REG || (f->kind == FILE_STDIN && f->vf))
			v = f->pos < vf_size(f->vf) ? (int)(vf_size(f->vf) - f->pos) : 0;
		else
			return -ENOTTY;
		return copy_to_user(t->eng, a[2], &v, sizeof(v)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

SYSCALL_DEFINE(fsync)
{
	(void)s;
	return fget(t, (long)a[0]) ? 0 : -EBADF;
}

SYSCALL_DEFINE(rofs)
{
	(void)s;
	(void)t;
	(void)a;
	return -EROFS;
}
