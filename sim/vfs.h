/* sim/vfs.h - the guest's read-only file system: a host directory the user
 * names (--root DIR) seen as the guest's "/", plus generated files.
 *
 * Path resolution is ours, component by component, with chroot semantics:
 * "/.." is "/", and a symlink's target is resolved inside the root (an
 * absolute target starts again at the guest's "/").  So no guest path can
 * name a host file outside DIR, whatever '..' or symlinks it holds.  Symlink
 * chains are limited to 40 (ELOOP), like Linux.
 *
 * Files are read-only: opening for writing or creating gives EROFS.  A file
 * is read into host memory once, on first open, and shared by every later
 * open; the guest reads that copy.  Directories are listed once, sorted by
 * name so getdents64 order is the same on every host file system.  Inode
 * numbers are derived from the guest path (FNV-1a), so stat results do not
 * depend on the host.
 *
 * Without a root the guest sees only "/", "/dev" and "/proc" (and whatever
 * the caller registers with vfs_add_virtual).
 */
#ifndef MMSIM_SIM_VFS_H
#define MMSIM_SIM_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file_backing;
struct memsys;

#define VFS_PATH_MAX 4096
#define VFS_MAXSYMLINKS 40

/* File types as in st_mode (S_IFMT bits). */
#define VFS_S_IFDIR 0040000u
#define VFS_S_IFREG 0100000u
#define VFS_S_IFLNK 0120000u
#define VFS_S_IFCHR 0020000u

/* Metadata of a guest file, already in guest terms. */
struct vfs_stat {
	uint64_t ino;
	uint32_t mode;         /* S_IF* | permission bits */
	uint32_t nlink;
	uint64_t size;
	uint64_t mtime_sec;
	uint32_t rdev;         /* character devices */
	uint32_t dev;          /* file system (major << 8 | minor); 0: the root's 8:1 */
};

/* One directory entry of a listed directory. */
struct vfs_dirent {
	uint64_t ino;
	uint8_t type;          /* DT_DIR, DT_REG, DT_LNK, DT_CHR */
	char *name;
};

/* An opened file's contents, shared and reference counted. */
struct vfs_file {
	int refcount;
	char path[VFS_PATH_MAX];   /* canonical guest path */
	struct vfs_stat st;
	uint8_t *data;             /* regular file: the bytes */
	size_t size;
	struct vfs_dirent *ents;   /* directory: entries, "." and ".." first */
	size_t nents;
	bool cached;               /* kept in the vfs cache (root files) */
	struct file_backing *backing; /* page cache of an executed file (mm/filemap.h), or NULL */
	struct memsys *backing_mem;   /* the machine BACKING belongs to */
	void (*release)(struct vfs_file *f); /* drops BACKING when the file is freed */
	struct vfs_file *next;     /* cache chain */
};

struct vfs;

/* Open a root at host directory DIR (NULL or "" for none).  Returns NULL
 * with a one-line message in ERR if DIR is not a readable directory. */
struct vfs *vfs_create(const char *dir, char *err, size_t errlen);
void vfs_destroy(struct vfs *v);
/* The host directory of the root, or NULL. */
const char *vfs_root_dir(const struct vfs *v);

/* Resolve guest PATH (relative to guest directory CWD) to a canonical
 * guest path in OUT (OUTLEN >= VFS_PATH_MAX), following symlinks, the last
 * component only if FOLLOW.  Returns 0 or -ENOENT, -ENOTDIR, -ELOOP,
 * -ENAMETOOLONG.  The final component must exist. */
int vfs_resolve(struct vfs *v, const char *cwd, const char *path, bool follow, char *out, size_t outlen);

/* stat of canonical guest path P (not following a final symlink: lstat).
 * Returns 0 or -ENOENT. */
int vfs_lstat(struct vfs *v, const char *p, struct vfs_stat *st);

/* Target of the symlink at canonical path P into BUF (not NUL terminated).
 * Returns its length, or -EINVAL (not a symlink), -ENOENT. */
long vfs_readlink(struct vfs *v, const char *p, char *buf, size_t len);

/* Open canonical guest path P (a regular file or a directory) and return
 * it with one more reference.  Returns 0 or -ENOENT, -EACCES (unreadable on
 * the host), -ENOMEM. */
int vfs_open(struct vfs *v, const char *p, struct vfs_file **out);

/* A file not in the root: generated contents (/proc text, --stdin).  The
 * data is taken over (free()d with the file).  Returns NULL on no memory. */
struct vfs_file *vfs_file_new(const char *path, uint32_t mode, uint8_t *data, size_t size);
/* A directory file listing NAMES (types TYPES) under PATH. */
struct vfs_file *vfs_dir_new(const char *path, const char *const *names, const uint8_t *types, size_t n);
void vfs_file_get(struct vfs_file *f);
void vfs_file_put(struct vfs_file *f);

/* Read a whole host file (PROGRAM, --stdin).  Returns 0 and a malloc()ed
 * buffer, or -1 with "PATH: reason" in ERR. */
int vfs_read_host_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen);

/* Path-derived inode number (FNV-1a, never 0). */
uint64_t vfs_ino(const char *path);

#endif
