/* sim/sys_namei.c - system calls that create, remove, rename and change
 * files (Linux: fs/namei.c, fs/open.c, fs/attr.c, fs/utimes.c), and the
 * FIFOs, sockets and whiteouts mknod(2) makes.  The
 * --root is read-only; the tmpfs mounts (/tmp, /dev/shm: sim/tmpfs.h) are
 * writable.  Each call checks in Linux's order, so a guest sees the errno a
 * native run on such a system gives: the parent's lookup (ENOENT, ENOTDIR,
 * ELOOP, ENAMETOOLONG), the kind of last component (EISDIR, EBUSY, EINVAL
 * for "." and ".."), EEXIST before EROFS where filename_create checks it,
 * EXDEV between mounts, then the file system's own errors.
 */
#include "sim/sys_internal.h"

#include <fcntl.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/shmem.h"
#include "sim/tmpfs.h"

#define AT_FDCWD_ -100
#define AT_SYMLINK_NOFOLLOW_ 0x100
#define AT_REMOVEDIR_ 0x200
#define AT_SYMLINK_FOLLOW_ 0x400
#define AT_EMPTY_PATH_ 0x1000
#define UTIME_NOW_ ((1L << 30) - 1)
#define UTIME_OMIT_ ((1L << 30) - 2)

/* A path split for a call that works on its last component. */
struct nameidata {
	char parent[VFS_PATH_MAX];  /* canonical directory holding the name */
	char name[256];             /* the last component ("" for "/") */
	bool trailing;              /* the path ended with '/' */
	bool dots;                  /* the last component is "." or ".." */
	struct tmpfs *fs;           /* the tmpfs PARENT is on, or NULL */
	struct tmpfs_inode *dir;    /* PARENT's inode on FS */
};

/* The directory DIRFD names for a relative PATH (AT_FDCWD: T's cwd) into
 * *BASE.  Returns 0, -EBADF, -ENOTDIR. */
static long at_base(struct task *t, long dirfd, const char *path, const char **base)
{
	if (path[0] == '/' || (int)dirfd == AT_FDCWD_) {
		*base = t->fs->cwd;
		return 0;
	}
	struct file *f = fget(t, (int)dirfd);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_DIR)
		return -ENOTDIR;
	*base = f->vf->path;
	return 0;
}

/*
 * Linux's filename_parentat: resolve every component of PATH (relative to
 * BASE) but the last, following symlinks, and split off the last.  The
 * parent must be a directory.  Returns 0 or -ENOENT (empty path), -ENOTDIR,
 * -ELOOP, -ENAMETOOLONG.
 */
static long parentat(struct sim *s, struct task *t, const char *base, const char *path, struct nameidata *nd)
{
	char buf[VFS_PATH_MAX];
	size_t n = strlen(path);
	struct vfs_stat st;
	const char *rel;

	memset(nd, 0, sizeof(*nd));
	if (!n)
		return -ENOENT;
	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	while (n > 1 && buf[n - 1] == '/') {
		buf[--n] = '\0';
		nd->trailing = true;
	}
	char *slash = strrchr(buf, '/');
	const char *last = slash ? slash + 1 : buf;
	if (strlen(last) > 255)
		return -ENAMETOOLONG;
	strcpy(nd->name, last);
	nd->dots = !strcmp(last, ".") || !strcmp(last, "..");
	if (slash == buf)
		buf[1] = '\0';  /* "/name": the root */
	else if (slash)
		*slash = '\0';
	else
		strcpy(buf, ".");
	long rc = path_resolve(s, t, base, buf, true, nd->parent);
	if (rc)
		return rc;
	if (!strcmp(nd->name, "/"))
		nd->name[0] = '\0'; /* the path was "/" itself */
	if (strlen(nd->parent) + 1 + strlen(nd->name) >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	rc = vfs_lstat(s->procs->vfs, nd->parent, &st);
	if (rc == 0 && (st.mode & 0170000) != VFS_S_IFDIR)
		return -ENOTDIR;
	nd->fs = tmpfs_of(s, nd->parent, &rel);
	if (nd->fs) {
		int err;
		nd->dir = tmpfs_lookup(nd->fs, rel, &err);
		if (!nd->dir)
			return err;
	}
	return 0;
}

/* parentat for the guest path at user address UPATH relative to DIRFD. */
static long user_parentat(struct sim *s, struct task *t, long dirfd, uint64_t upath, struct nameidata *nd)
{
	char path[VFS_PATH_MAX];
	const char *base;
	long rc = get_user_path(t, upath, path, sizeof(path));
	if (rc)
		return rc;
	rc = at_base(t, dirfd, path, &base);
	return rc ? rc : parentat(s, t, base, path, nd);
}

/* The canonical path of ND's last component into OUT (VFS_PATH_MAX). */
static void nd_path(const struct nameidata *nd, char *out)
{
	size_t n = strcmp(nd->parent, "/") ? strlen(nd->parent) : 0;
	if (n + 1 + strlen(nd->name) >= VFS_PATH_MAX)
		n = VFS_PATH_MAX - 2 - strlen(nd->name); /* cannot happen: parentat checked the length */
	memcpy(out, nd->parent, n);
	out[n] = '/';
	strcpy(out + n + 1, nd->name);
}

/* lstat of ND's last component: 0 with *ST, or -ENOENT. */
static int nd_lstat(struct sim *s, const struct nameidata *nd, struct vfs_stat *st)
{
	char p[VFS_PATH_MAX];
	if (!nd->name[0] || nd->dots)
		return vfs_lstat(s->procs->vfs, nd->parent, st);
	nd_path(nd, p);
	return vfs_lstat(s->procs->vfs, p, st);
}

long tmpfs_open_create(struct sim *s, struct task *t, long dirfd, uint64_t upath, long flags, uint32_t mode,
		       struct vfs_file **vf)
{
	char path[VFS_PATH_MAX], base[VFS_PATH_MAX], p[VFS_PATH_MAX];
	const char *b;
	struct nameidata nd;
	struct vfs_stat st;
	struct tmpfs_inode *inode;
	long rc = get_user_path(t, upath, path, sizeof(path));
	if (rc)
		return rc;
	rc = at_base(t, dirfd, path, &b);
	if (rc)
		return rc;
	snprintf(base, sizeof(base), "%s", b);
	for (int links = 0;; links++) {
		rc = parentat(s, t, base, path, &nd);
		if (rc)
			return rc;
		if (nd.trailing || nd.dots || !nd.name[0])
			return -EISDIR;
		if (nd_lstat(s, &nd, &st) != 0)
			break;
		/* the last component exists: a dangling symlink (lookup said ENOENT) */
		if ((st.mode & 0170000) != VFS_S_IFLNK || (flags & O_EXCL))
			return -EEXIST;
		if (flags & O_NOFOLLOW)
			return -ELOOP;
		if (links >= VFS_MAXSYMLINKS)
			return -ELOOP;
		nd_path(&nd, p);
		long n = vfs_readlink(s->procs->vfs, p, path, sizeof(path) - 1);
		if (n <= 0)
			return n ? n : -ENOENT;
		path[n] = '\0';
		strcpy(base, nd.parent);
	}
	if (!nd.fs)
		return -EROFS;
	rc = tmpfs_mknod(nd.dir, nd.name, VFS_S_IFREG | (mode & 07777 & ~t->fs->umask), NULL, &inode);
	if (rc)
		return rc;
	nd_path(&nd, p);
	return vfs_open(s->procs->vfs, p, vf);
}

/* --- mkdir, mknod, symlink, link --- */

/* Linux's filename_create for a call that makes a non-directory at ND's
 * last component: 0, or -EEXIST (it exists, or is "." or ".." or "/"),
 * -ENOENT (a trailing slash), -EROFS (not on a tmpfs). */
static long may_create(struct sim *s, const struct nameidata *nd)
{
	struct vfs_stat st;
	if (nd->dots || !nd->name[0] || nd_lstat(s, nd, &st) == 0)
		return -EEXIST;
	if (nd->trailing)
		return -ENOENT;
	return nd->fs ? 0 : -EROFS;
}

static long do_mkdirat(struct sim *s, struct task *t, long dirfd, uint64_t upath, uint32_t mode)
{
	struct nameidata nd;
	struct vfs_stat st;
	struct tmpfs_inode *i;
	long rc = user_parentat(s, t, dirfd, upath, &nd);
	if (rc)
		return rc;
	if (nd.dots || !nd.name[0] || nd_lstat(s, &nd, &st) == 0)
		return -EEXIST;
	if (!nd.fs)
		return -EROFS;
	return tmpfs_mknod(nd.dir, nd.name, VFS_S_IFDIR | (mode & 07777 & ~t->fs->umask), NULL, &i);
}

SYSCALL_DEFINE(mkdir)
{
	return do_mkdirat(s, t, AT_FDCWD_, a[0], (uint32_t)a[1]);
}

SYSCALL_DEFINE(mkdirat)
{
	return do_mkdirat(s, t, (long)(int)a[0], a[1], (uint32_t)a[2]);
}

/*
 * Linux's do_mknodat: may_mknod first (a directory type: EPERM, an unknown
 * one: EINVAL), then filename_create (the parent's lookup, EEXIST, ENOENT
 * for a trailing slash, EROFS), then the file system.  Type 0 or S_IFREG
 * is an empty regular file, S_IFIFO a FIFO, S_IFSOCK a socket file.
 * Character and block devices need CAP_MKNOD, which mmsim's root does not
 * have (as in a container that drops it): EPERM, except the character
 * device 0:0 (a whiteout), which Linux lets anyone make.
 */
static long do_mknodat(struct sim *s, struct task *t, long dirfd, uint64_t upath, uint32_t mode, uint32_t dev)
{
	struct nameidata nd;
	struct tmpfs_inode *i;
	uint32_t type = mode & 0170000;
	switch (type) {
	case 0:
	case VFS_S_IFREG:
	case VFS_S_IFCHR:
	case 0060000: /* S_IFBLK */
	case VFS_S_IFIFO:
	case VFS_S_IFSOCK:
		break;
	case VFS_S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	long rc = user_parentat(s, t, dirfd, upath, &nd);
	if (!rc)
		rc = may_create(s, &nd);
	if (rc)
		return rc;
	if ((type == VFS_S_IFCHR && dev != 0) || type == 0060000)
		return -EPERM; /* no CAP_MKNOD */
	return tmpfs_mknod(nd.dir, nd.name, (type ? type : VFS_S_IFREG) | (mode & 07777 & ~t->fs->umask), NULL, &i);
}

SYSCALL_DEFINE(mknod)
{
	return do_mknodat(s, t, AT_FDCWD_, a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

SYSCALL_DEFINE(mknodat)
{
	return do_mknodat(s, t, (long)(int)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3]);
}

static long do_symlinkat(struct sim *s, struct task *t, uint64_t utarget, long dirfd, uint64_t upath)
{
	char target[VFS_PATH_MAX];
	struct nameidata nd;
	struct tmpfs_inode *i;
	long rc = get_user_path(t, utarget, target, sizeof(target));
	if (rc)
		return rc;
	rc = user_parentat(s, t, dirfd, upath, &nd);
	if (!rc)
		rc = may_create(s, &nd);
	if (rc)
		return rc;
	return tmpfs_mknod(nd.dir, nd.name, VFS_S_IFLNK | 0777, target, &i);
}

SYSCALL_DEFINE(symlink)
{
	return do_symlinkat(s, t, a[0], AT_FDCWD_, a[1]);
}

SYSCALL_DEFINE(symlinkat)
{
	return do_symlinkat(s, t, a[0], (long)(int)a[1], a[2]);
}

static long do_linkat(struct sim *s, struct task *t, long olddfd, uint64_t uold, long newdfd, uint64_t unew,
		      long flags)
{
	char path[VFS_PATH_MAX], p[VFS_PATH_MAX];
	const char *base, *rel;
	struct nameidata nd;
	struct vfs_stat st;
	int err;
	if (flags & ~(long)(AT_SYMLINK_FOLLOW_ | AT_EMPTY_PATH_))
		return -EINVAL;
	long rc = get_user_path(t, uold, path, sizeof(path));
	if (rc)
		return rc;
	rc = at_base(t, olddfd, path, &base);
	if (rc)
		return rc;
	rc = path_resolve(s, t, base, path, flags & AT_SYMLINK_FOLLOW_, p);
	if (rc)
		return rc;
	rc = user_parentat(s, t, newdfd, unew, &nd);
	if (rc)
		return rc;
	if (nd.dots || !nd.name[0] || nd_lstat(s, &nd, &st) == 0)
		return -EEXIST;
	if (!nd.fs)
		return -EROFS;
	if (tmpfs_of(s, p, &rel) != nd.fs)
		return -EXDEV;
	struct tmpfs_inode *old = tmpfs_lookup(nd.fs, rel, &err);
	if (!old)
		return err;
	return tmpfs_link(nd.dir, nd.name, old);
}

SYSCALL_DEFINE(link)
{
	return do_linkat(s, t, AT_FDCWD_, a[0], AT_FDCWD_, a[1], 0);
}

SYSCALL_DEFINE(linkat)
{
	return do_linkat(s, t, (long)(int)a[0], a[1], (long)(int)a[2], a[3], (long)(int)a[4]);
}

/* --- unlink, rmdir, rename --- */

static long do_unlink(struct sim *s, struct task *t, long dirfd, uint64_t upath)
{
	struct nameidata nd;
	struct vfs_stat st;
	long rc = user_parentat(s, t, dirfd, upath, &nd);
	if (rc)
		return rc;
	if (nd.dots || !nd.name[0])
		return -EISDIR;
	if (!nd.fs)
		return -EROFS;
	if (nd.trailing) { /* "file/": ENOTDIR, "dir/": EISDIR */
		if (nd_lstat(s, &nd, &st))
			return -ENOENT;
		return (st.mode & 0170000) == VFS_S_IFDIR ? -EISDIR : -ENOTDIR;
	}
	return tmpfs_remove(nd.dir, nd.name, false);
}

static long do_rmdir(struct sim *s, struct task *t, long dirfd, uint64_t upath)
{
	struct nameidata nd;
	long rc = user_parentat(s, t, dirfd, upath, &nd);
	if (rc)
		return rc;
	if (!nd.name[0])
		return -EBUSY;
	if (!strcmp(nd.name, "."))
		return -EINVAL;
	if (!strcmp(nd.name, ".."))
		return -ENOTEMPTY;
	if (!nd.fs)
		return -EROFS;
	return tmpfs_remove(nd.dir, nd.name, true);
}

SYSCALL_DEFINE(unlink)
{
	return do_unlink(s, t, AT_FDCWD_, a[0]);
}

SYSCALL_DEFINE(rmdir)
{
	return do_rmdir(s, t, AT_FDCWD_, a[0]);
}

SYSCALL_DEFINE(unlinkat)
{
	if ((long)(int)a[2] & ~(long)AT_REMOVEDIR_)
		return -EINVAL;
	if (a[2] & AT_REMOVEDIR_)
		return do_rmdir(s, t, (long)(int)a[0], a[1]);
	return do_unlink(s, t, (long)(int)a[0], a[1]);
}

static long do_renameat2(struct sim *s, struct task *t, long odfd, uint64_t uold, long ndfd, uint64_t unew,
			 unsigned flags)
{
	struct nameidata o, n;
	struct vfs_stat st;
	long rc;
	if (flags & ~3u)
		return -EINVAL; /* RENAME_WHITEOUT is not supported */
	if ((flags & 1) && (flags & 2))
		return -EINVAL;
	rc = user_parentat(s, t, odfd, uold, &o);
	if (rc)
		return rc;
	rc = user_parentat(s, t, ndfd, unew, &n);
	if (rc)
		return rc;
	if (o.dots || !o.name[0])
		return -EBUSY;
	if (n.dots || !n.name[0])
		return (flags & 1) ? -EEXIST : -EBUSY;
	if (o.fs != n.fs)
		return -EXDEV;
	if (!o.fs)
		return -EROFS;
	if (nd_lstat(s, &o, &st))
		return -ENOENT;
	if ((st.mode & 0170000) != VFS_S_IFDIR && (o.trailing || n.trailing))
		return -ENOTDIR;
	return tmpfs_rename(o.dir, o.name, n.dir, n.name, flags);
}

SYSCALL_DEFINE(rename)
{
	return do_renameat2(s, t, AT_FDCWD_, a[0], AT_FDCWD_, a[1], 0);
}

SYSCALL_DEFINE(renameat)
{
	return do_renameat2(s, t, (long)(int)a[0], a[1], (long)(int)a[2], a[3], 0);
}

SYSCALL_DEFINE(renameat2)
{
	return do_renameat2(s, t, (long)(int)a[0], a[1], (long)(int)a[2], a[3], (unsigned)a[4]);
}

/* --- attributes --- */

/* The tmpfs inode at canonical P, or NULL: *ERR = -EROFS (not on a
 * tmpfs) or the lookup's error. */
static struct tmpfs_inode *tmpfs_inode_at(struct sim *s, const char *p, int *err)
{
	const char *rel;
	struct tmpfs *fs = tmpfs_of(s, p, &rel);
	if (!fs) {
		*err = -EROFS;
		return NULL;
	}
	return tmpfs_lookup(fs, rel, err);
}

/* The inode a path argument or descriptor names (Linux's user_path_at /
 * fdget): UPATH relative to DIRFD, or with AT_EMPTY_PATH and "" the
 * descriptor DIRFD itself.  *FILE_OK: a descriptor that is not a tmpfs
 * file and not on the root (a pipe, a device).  Returns the inode or NULL
 * with *ERR. */
static struct tmpfs_inode *attr_target(struct sim *s, struct task *t, long dirfd, uint64_t upath, bool follow,
				       bool empty_ok, int *err, bool *other)
{
	char p[VFS_PATH_MAX];
	*other = false;
	if (empty_ok) {
		char c;
		long k = strncpy_from_user(t->eng, &c, upath, 1);
		if (k == 0 || (k > 0 && c == '\0')) {
			struct file *f = fget(t, dirfd);
			if (!f) {
				*err = -EBADF;
				return NULL;
			}
			if (f->kind != FILE_STDIN && f->vf && f->vf->tmp)
				return f->vf->tmp; /* a tmpfs file, directory or FIFO */
			*other = f->kind != FILE_REG && f->kind != FILE_DIR && f->kind != FILE_STDIN;
			*err = -EROFS;
			return NULL;
		}
	}
	long rc = path_lookup_at(s, t, dirfd, upath, follow, p);
	if (rc) {
		*err = (int)rc;
		return NULL;
	}
	struct file *f = follow ? procfs_fd_file(s, p) : NULL;
	if (f && f->kind != FILE_STDIN && f->vf && f->vf->tmp)
		return f->vf->tmp; /* /proc/PID/fd/N of a tmpfs file: the magic link's inode */
	return tmpfs_inode_at(s, p, err);
}

static long do_chmod(struct sim *s, struct task *t, long dirfd, uint64_t upath, uint32_t mode, long flags)
{
	int err;
	bool other;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW_ | AT_EMPTY_PATH_))
		return -EINVAL;
	struct tmpfs_inode *i = attr_target(s, t, dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW_),
					    flags & AT_EMPTY_PATH_, &err, &other);
	if (!i)
		return other ? 0 : err;
	if ((i->mode & 0170000) == VFS_S_IFLNK)
		return -EOPNOTSUPP; /* chmod of a symlink itself */
	i->mode = (i->mode & 0170000) | (mode & 07777);
	tmpfs_touch(i, false);
	return 0;
}

SYSCALL_DEFINE(chmod)
{
	return do_chmod(s, t, AT_FDCWD_, a[0], (uint32_t)a[1], 0);
}

SYSCALL_DEFINE(fchmodat)
{
	return do_chmod(s, t, (long)(int)a[0], a[1], (uint32_t)a[2], 0);
}

SYSCALL_DEFINE(fchmod)
{
	struct file *f = fget(t, (long)(int)a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != FILE_STDIN && f->vf && f->vf->tmp) {
		struct tmpfs_inode *i = f->vf->tmp;
		i->mode = (i->mode & 0170000) | ((uint32_t)a[1] & 07777);
		tmpfs_touch(i, false);
		return 0;
	}
	(void)s;
	return f->kind == FILE_REG || f->kind == FILE_DIR || f->kind == FILE_STDIN ? -EROFS : 0;
}

static long do_chown(struct sim *s, struct task *t, long dirfd, uint64_t upath, uint32_t uid, uint32_t gid,
		     long flags)
{
	int err;
	bool other;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW_ | AT_EMPTY_PATH_))
		return -EINVAL;
	struct tmpfs_inode *i = attr_target(s, t, dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW_),
					    flags & AT_EMPTY_PATH_, &err, &other);
	if (!i)
		return other ? 0 : err;
	if (uid != (uint32_t)-1)
		i->uid = uid;
	if (gid != (uint32_t)-1)
		i->gid = gid;
	if ((i->mode & 0170000) == VFS_S_IFREG && (uid != (uint32_t)-1 || gid != (uint32_t)-1))
		i->mode &= ~04000u; /* chown clears set-user-ID */
	tmpfs_touch(i, false);
	return 0;
}

SYSCALL_DEFINE(chown)
{
	return do_chown(s, t, AT_FDCWD_, a[0], (uint32_t)a[1], (uint32_t)a[2], 0);
}

SYSCALL_DEFINE(lchown)
{
	return do_chown(s, t, AT_FDCWD_, a[0], (uint32_t)a[1], (uint32_t)a[2], AT_SYMLINK_NOFOLLOW_);
}

SYSCALL_DEFINE(fchownat)
{
	return do_chown(s, t, (long)(int)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3], (long)(int)a[4]);
}

SYSCALL_DEFINE(fchown)
{
	return do_chown(s, t, (long)(int)a[0], 0, (uint32_t)a[1], (uint32_t)a[2], AT_EMPTY_PATH_);
}

/* --- size --- */

SYSCALL_DEFINE(truncate)
{
	char p[VFS_PATH_MAX];
	struct vfs_stat st;
	int err;
	if ((int64_t)a[1] < 0)
		return -EINVAL;
	long rc = path_lookup(s, t, a[0], true, p);
	if (rc)
		return rc;
	rc = vfs_lstat(s->procs->vfs, p, &st);
	if (rc == 0 && (st.mode & 0170000) == VFS_S_IFDIR)
		return -EISDIR;
	if (rc == 0 && (st.mode & 0170000) != VFS_S_IFREG)
		return -EINVAL;
	struct tmpfs_inode *i = tmpfs_inode_at(s, p, &err);
	if (!i)
		return err;
	return tmpfs_setsize(i, a[1]);
}

SYSCALL_DEFINE(ftruncate)
{
	(void)s;
	struct file *f = fget(t, (long)(int)a[0]);
	if (!f)
		return -EBADF;
	if ((int64_t)a[1] < 0)
		return -EINVAL;
	if (f->kind != FILE_REG || !f->vf->tmp || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return tmpfs_setsize(f->vf->tmp, a[1]);
}

/* fallocate(2) mode 0 (and FALLOC_FL_KEEP_SIZE): give [offset, offset+len)
 * pages, so that later writes there cannot fail with ENOSPC. */
SYSCALL_DEFINE(fallocate)
{
	struct file *f = fget(t, (long)(int)a[0]);
	int64_t off = (int64_t)a[2], len = (int64_t)a[3];
	if (!f)
		return -EBADF;
	if (a[1] & ~1ULL)
		return -EOPNOTSUPP;
	if (off < 0 || len <= 0)
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (file_is_pipe(f) || f->kind == FILE_STDOUT || f->kind == FILE_STDERR)
		return -ESPIPE;
	if (f->kind == FILE_DIR)
		return -EISDIR;
	if (f->kind != FILE_REG || !f->vf->tmp)
		return -ENODEV;
	if (len > INT64_MAX - off)
		return -EFBIG;
	struct tmpfs_inode *i = f->vf->tmp;
	for (uint64_t idx = (uint64_t)off >> PAGE_SHIFT; idx <= (uint64_t)(off + len - 1) >> PAGE_SHIFT; idx++) {
		struct page *p;
		int rc = shmem_get_page(s->mem, i->fb, idx, SGP_WRITE, &p);
		if (rc)
			return rc; /* pages already given stay, as tmpfs keeps them on ENOSPC */
		/* dirty, so that memory pressure swaps rather than frees the
		 * space just allocated (shmem_fallocate's folio_mark_dirty) */
		SetPageDirty(p);
		put_page(s->mem, p);
	}
	if (!(a[1] & 1) && (uint64_t)(off + len) > i->fb->size)
		i->fb->size = (uint64_t)(off + len);
	tmpfs_touch(i, false);
	return 0;
}

/* --- times --- */

/* Set I's access and modification times from TS (two struct timespec;
 * NULL: both now).  Returns 0 or -EINVAL. */
static long set_times(struct tmpfs_inode *i, const int64_t ts[4])
{
	struct vfs_time now = tmpfs_now(i->fs);
	struct vfs_time *dst[2] = { &i->atime, &i->mtime };
	for (int k = 0; ts && k < 2; k++)
		if (ts[2 * k + 1] != UTIME_NOW_ && ts[2 * k + 1] != UTIME_OMIT_ &&
		    (ts[2 * k + 1] < 0 || ts[2 * k + 1] >= 1000000000L))
			return -EINVAL;
	for (int k = 0; k < 2; k++) {
		if (!ts || ts[2 * k + 1] == UTIME_NOW_)
			*dst[k] = now;
		else if (ts[2 * k + 1] != UTIME_OMIT_)
			*dst[k] = (struct vfs_time){ ts[2 * k], (uint32_t)ts[2 * k + 1] };
	}
	i->ctime = now;
	return 0;
}

SYSCALL_DEFINE(utimensat)
{
	int64_t ts[4];
	long flags = (long)(int)a[3];
	int err;
	bool other;
	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW_ | AT_EMPTY_PATH_))
		return -EINVAL;
	if (a[2] && copy_from_user(t->eng, ts, a[2], sizeof(ts)))
		return -EFAULT;
	if (a[2] && ts[1] == UTIME_OMIT_ && ts[3] == UTIME_OMIT_)
		return 0;
	struct tmpfs_inode *i;
	if (!a[1]) { /* futimens: the descriptor itself */
		struct file *f = fget(t, (long)(int)a[0]);
		if (!f)
			return -EBADF;
		if (!(f->kind != FILE_STDIN && f->vf && f->vf->tmp))
			return f->kind == FILE_REG || f->kind == FILE_DIR ? -EROFS : 0;
		i = f->vf->tmp;
	} else {
		i = attr_target(s, t, (long)(int)a[0], a[1], !(flags & AT_SYMLINK_NOFOLLOW_), flags & AT_EMPTY_PATH_,
				&err, &other);
		if (!i)
			return other ? 0 : err;
	}
	return set_times(i, a[2] ? ts : NULL);
}

SYSCALL_DEFINE(utimes)
{
	int64_t tv[4];
	int err;
	bool other;
	if (a[1] && copy_from_user(t->eng, tv, a[1], sizeof(tv)))
		return -EFAULT;
	if (a[1]) {
		if (tv[1] < 0 || tv[1] >= 1000000 || tv[3] < 0 || tv[3] >= 1000000)
			return -EINVAL;
		tv[1] *= 1000;
		tv[3] *= 1000;
	}
	struct tmpfs_inode *i = attr_target(s, t, AT_FDCWD_, a[0], true, false, &err, &other);
	if (!i)
		return err;
	return set_times(i, a[1] ? tv : NULL);
}

/* --- pwrite --- */

SYSCALL_DEFINE(pwrite64)
{
	(void)s;
	struct file *f = fget(t, (long)a[0]);
	if (!f)
		return -EBADF;
	/* ksys_pwrite64: no FMODE_PWRITE (pipes, stdio) is ESPIPE, then vfs_write */
	if (f->kind != FILE_REG && f->kind != FILE_DIR && !devfs_is_device(f->kind) && f->kind != FILE_STDIN)
		return -ESPIPE;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	if (f->kind == FILE_DIR)
		return -EISDIR;
	if (devfs_is_device(f->kind))
		return devfs_write(f, a[2]);
	if (f->kind != FILE_REG || !f->vf->tmp)
		return -EBADF;
	uint64_t pos = a[3];
	struct iobuf io = iob_user(t, a[1]);
	/* as Linux: O_APPEND makes pwrite append, whatever the offset */
	return tmpfs_write(f->vf->tmp, &io, a[2], &pos, f->flags & O_APPEND);
}
