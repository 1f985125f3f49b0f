/* sim/sys_xattr.c - extended attributes: getxattr, lgetxattr, fgetxattr,
 * listxattr, llistxattr, flistxattr (the host's attributes of files under
 * the root, read through the vfs like the rest of their metadata) and the
 * calls that would change them (EROFS: the root is read-only).
 *
 * Order of checks as Linux's fs/xattr.c: the path lookup, then the name
 * (ERANGE if empty or longer than XATTR_NAME_MAX), then the value size
 * (clamped to XATTR_SIZE_MAX; ERANGE if the value does not fit, the length
 * with size 0).  Generated files (/proc, /dev, "/" without a root) have no
 * attributes (ENODATA, an empty list), nor have pipes and the standard
 * streams (as pipefs).  `ls -l` asks for security.selinux and
 * the POSIX ACLs of every file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sys_internal.h"
#include "sim/vfs.h"

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_LIST_MAX 65536

/* Copy the attribute name at UNAME into NAME (XATTR_NAME_MAX + 1).
 * Returns 0, -EFAULT or -ERANGE (empty or too long). */
static long get_xattr_name(struct task *t, uint64_t uname, char *name)
{
	long n = strncpy_from_user(t->eng, name, uname, XATTR_NAME_MAX + 1);
	if (n < 0)
		return n == -ENAMETOOLONG ? -ERANGE : n;
	if (n == 0 || n > XATTR_NAME_MAX)
		return -ERANGE;
	return 0;
}

/* The canonical path the attributes of F are read from into P.  Pipes
 * and the standard streams have none, like the generated files (pipefs:
 * ENODATA, an empty list): "/proc" stands for them.  Returns 0. */
static long file_xattr_path(struct file *f, char *p)
{
	bool named = (f->kind == FILE_REG || f->kind == FILE_DIR) && f->vf && f->vf->path[0] == '/';
	snprintf(p, VFS_PATH_MAX, "%s", named ? f->vf->path : "/proc");
	return 0;
}

/* getxattr on canonical path P (or the error PRC of its lookup): the
 * value of the attribute named at UNAME into user buffer UVAL of SIZE
 * bytes. */
static long do_getxattr(struct sim *s, struct task *t, long prc, const char *p, uint64_t uname, uint64_t uval,
			uint64_t size)
{
	char name[XATTR_NAME_MAX + 1];
	if (prc)
		return prc;
	long rc = get_xattr_name(t, uname, name);
	if (rc)
		return rc;
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	uint8_t *buf = size ? malloc(size) : NULL;
	if (size && !buf)
		return -ENOMEM;
	rc = vfs_getxattr(s->procs->vfs, p, name, buf, size);
	if (rc > 0 && size && copy_to_user(t->eng, uval, buf, (size_t)rc))
		rc = -EFAULT;
	free(buf);
	return rc;
}

/* listxattr on canonical path P into user buffer ULIST of SIZE bytes. */
static long do_listxattr(struct sim *s, struct task *t, const char *p, uint64_t ulist, uint64_t size)
{
	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	char *buf = size ? malloc(size) : NULL;
	if (size && !buf)
		return -ENOMEM;
	long rc = vfs_listxattr(s->procs->vfs, p, buf, size);
	if (rc > 0 && size && copy_to_user(t->eng, ulist, buf, (size_t)rc))
		rc = -EFAULT;
	free(buf);
	return rc;
}

SYSCALL_DEFINE(getxattr)
{
	char p[VFS_PATH_MAX];
	return do_getxattr(s, t, path_lookup(s, t, a[0], true, p), p, a[1], a[2], a[3]);
}

SYSCALL_DEFINE(lgetxattr)
{
	char p[VFS_PATH_MAX];
	return do_getxattr(s, t, path_lookup(s, t, a[0], false, p), p, a[1], a[2], a[3]);
}

SYSCALL_DEFINE(fgetxattr)
{
	char p[VFS_PATH_MAX];
	struct file *f = fget(t, (long)(int)a[0]);
	if (!f)
		return -EBADF;
	return do_getxattr(s, t, file_xattr_path(f, p), p, a[1], a[2], a[3]);
}

SYSCALL_DEFINE(listxattr)
{
	char p[VFS_PATH_MAX];
	long rc = path_lookup(s, t, a[0], true, p);
	return rc ? rc : do_listxattr(s, t, p, a[1], a[2]);
}

SYSCALL_DEFINE(llistxattr)
{
	char p[VFS_PATH_MAX];
	long rc = path_lookup(s, t, a[0], false, p);
	return rc ? rc : do_listxattr(s, t, p, a[1], a[2]);
}

SYSCALL_DEFINE(flistxattr)
{
	char p[VFS_PATH_MAX];
	struct file *f = fget(t, (long)(int)a[0]);
	if (!f)
		return -EBADF;
	return do_listxattr(s, t, file_xattr_path(f, p) ? "" : p, a[1], a[2]);
}

/* setxattr, lsetxattr, removexattr, lremovexattr: the name is checked
 * first, then the path; the root is read-only. */
static long modify_xattr_path(struct sim *s, struct task *t, uint64_t upath, uint64_t uname, bool follow)
{
	char name[XATTR_NAME_MAX + 1], p[VFS_PATH_MAX];
	long rc = get_xattr_name(t, uname, name);
	if (rc)
		return rc;
	rc = path_lookup(s, t, upath, follow, p);
	return rc ? rc : -EROFS;
}

SYSCALL_DEFINE(setxattr)
{
	return a[3] > XATTR_SIZE_MAX ? -E2BIG : modify_xattr_path(s, t, a[0], a[1], true);
}

SYSCALL_DEFINE(lsetxattr)
{
	return a[3] > XATTR_SIZE_MAX ? -E2BIG : modify_xattr_path(s, t, a[0], a[1], false);
}

SYSCALL_DEFINE(removexattr)
{
	return modify_xattr_path(s, t, a[0], a[1], true);
}

SYSCALL_DEFINE(lremovexattr)
{
	return modify_xattr_path(s, t, a[0], a[1], false);
}

/* fsetxattr, fremovexattr: the descriptor, then the name. */
static long modify_xattr_fd(struct task *t, long fd, uint64_t uname)
{
	char name[XATTR_NAME_MAX + 1];
	struct file *f = fget(t, fd);
	if (!f)
		return -EBADF;
	long rc = get_xattr_name(t, uname, name);
	if (rc)
		return rc;
	return f->kind == FILE_REG || f->kind == FILE_DIR ? -EROFS : -EPERM;
}

SYSCALL_DEFINE(fsetxattr)
{
	(void)s;
	return a[3] > XATTR_SIZE_MAX ? -E2BIG : modify_xattr_fd(t, (long)(int)a[0], a[1]);
}

SYSCALL_DEFINE(fremovexattr)
{
	(void)s;
	return modify_xattr_fd(t, (long)(int)a[0], a[1]);
}
