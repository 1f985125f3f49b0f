/* sim/tmpfs.h - the guest's writable file systems: tmpfs on /tmp and on
 * /dev/shm (Linux: mm/shmem.c's file system half, fs/libfs.c).
 *
 * Each mount is a tree of inodes in host memory (names, modes, times, link
 * counts) whose regular files keep their bytes in simulated RAM: a shmem
 * page cache (mm/shmem.h) per file, so the data is counted in meminfo
 * "Shmem", MAP_SHARED mappings of a file share its frames with read(2) and
 * write(2), and a full instance (--tmpfs-size) gives ENOSPC.  Both mounts
 * start empty and shadow whatever the --root has at those paths.
 *
 * Lifetime (Linux's inode rules): an inode lives while it has a name
 * (nlink > 0) or an open file (vfs_file); a file's pages live while the
 * inode or any VMA holds its backing.  So a file unlinked while open or
 * mapped keeps its data until the last close and munmap, and everything is
 * freed when the run ends (tmpfs_destroy through vfs_destroy).
 *
 * Directories list newest entry first with d_off 1, 2, 3 ... ("." and ".."
 * first), as Linux 6.1's dcache_readdir does for tmpfs; a listing is the
 * directory as it was at open (or at the last rewind).
 *
 * Besides files, directories and symlinks a tmpfs holds what mknod(2)
 * makes: FIFOs (opened as pipes, sim/fifo.c), sockets and the whiteout
 * character device 0:0; the last two cannot be opened (ENXIO), as on Linux
 * without a listening socket or a driver.
 */
#ifndef MMSIM_SIM_TMPFS_H
#define MMSIM_SIM_TMPFS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/vfs.h"

struct sim;
struct iobuf;
struct file_backing;
struct shmem_sb_info;
struct tmpfs;

/* One entry of a directory. */
struct tmpfs_dirent {
	char *name;
	struct tmpfs_inode *inode;
	struct tmpfs_dirent *next;    /* newer entries come first */
};

struct tmpfs_inode {
	uint64_t ino;
	uint32_t mode;                /* S_IF* | permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	struct vfs_time atime, mtime, ctime, btime;
	int opens;                    /* vfs_files open on it */
	struct tmpfs *fs;
	struct file_backing *fb;      /* regular file: its pages (mm/shmem.h) */
	char *target;                 /* symlink target */
	struct tmpfs_dirent *children; /* directory entries, newest first */
	unsigned long nchildren;
	struct tmpfs_inode *parent;   /* directory: the directory holding it */
	struct pipe_inode *pipe;      /* FIFO: the pipe its open ends share, or
					 NULL (sim/pipe.h; Linux's i_pipe) */
};

/* The vfs operations of a tmpfs mount (FS is its struct tmpfs). */
extern const struct vfs_fs_ops tmpfs_vfs_ops;

/* Mount the guest's /tmp and /dev/shm on S's vfs, each of
 * s->cfg.tmpfs_size bytes (0: half the RAM, as Linux).  Returns 0 or -1
 * with ERR. */
int tmpfs_mount_defaults(struct sim *s, char *err, size_t errlen);

/* The tmpfs holding canonical path P with the part below its mount in
 * *REL ("" for the mount's root), or NULL if P is not on a tmpfs. */
struct tmpfs *tmpfs_of(struct sim *s, const char *p, const char **rel);
/* The inode at REL of FS (no symlink followed: REL is canonical).
 * Returns it, or NULL with *ERR = -ENOENT / -ENOTDIR. */
struct tmpfs_inode *tmpfs_lookup(struct tmpfs *fs, const char *rel, int *err);
/* NAME in directory DIR, or NULL. */
struct tmpfs_inode *tmpfs_child(struct tmpfs_inode *dir, const char *name);

/* Create NAME in directory DIR: a regular file, directory, FIFO, socket,
 * character device 0:0 (a whiteout: mknod) or (TARGET not NULL) symlink of
 * MODE (S_IF* | bits).  Returns 0 and *OUT, or
 * -EEXIST, -ENOENT (DIR was removed), -ENOSPC (no inode left), -ENOMEM,
 * -ENAMETOOLONG. */
int tmpfs_mknod(struct tmpfs_inode *dir, const char *name, uint32_t mode, const char *target,
		struct tmpfs_inode **out);
/* link(2): one more name NAME in DIR for non-directory INODE.  Returns 0,
 * -EEXIST, -ENOENT, -EPERM (a directory), -ENOMEM. */
int tmpfs_link(struct tmpfs_inode *dir, const char *name, struct tmpfs_inode *inode);
/* unlink(2) (RMDIR false) or rmdir(2) of NAME in DIR.  Returns 0, -ENOENT,
 * -EISDIR (unlink of a directory), -ENOTDIR (rmdir of a non-directory),
 * -ENOTEMPTY. */
int tmpfs_remove(struct tmpfs_inode *dir, const char *name, bool rmdir);
/* renameat2(2) of ODIR/ONAME to NDIR/NNAME (same mount) with FLAGS
 * RENAME_NOREPLACE (1) or RENAME_EXCHANGE (2).  Returns 0, -ENOENT,
 * -EEXIST, -ENOTDIR, -EISDIR, -ENOTEMPTY, -EINVAL (a directory into
 * itself), -ENOMEM. */
int tmpfs_rename(struct tmpfs_inode *odir, const char *oname, struct tmpfs_inode *ndir, const char *nname,
		 unsigned flags);
/* truncate(2): set regular file INODE's size, unmapping and freeing the
 * pages past it.  Returns 0, -EFBIG. */
int tmpfs_setsize(struct tmpfs_inode *inode, uint64_t size);
/* Set the change time (and with MTIME the modification time) to now. */
void tmpfs_touch(struct tmpfs_inode *inode, bool mtime);
/* stat of INODE. */
void tmpfs_stat(const struct tmpfs_inode *inode, struct vfs_stat *st);
/* Current simulated wall-clock time of FS. */
struct vfs_time tmpfs_now(const struct tmpfs *fs);

/* read(2) of up to LEN bytes of regular file INODE at *POS into IO (holes
 * read as zeros).  Returns bytes (0 at or past the end) or -EFAULT. */
long tmpfs_read(struct tmpfs_inode *inode, const struct iobuf *io, uint64_t len, uint64_t *pos);
/* write(2) of LEN bytes of IO to INODE at *POS (APPEND: at the end).
 * Returns bytes written, or -ENOSPC (instance full), -EFAULT, -ENOMEM,
 * -EFBIG when nothing could be written. */
long tmpfs_write(struct tmpfs_inode *inode, const struct iobuf *io, uint64_t len, uint64_t *pos, bool append);

/* Fill VF->data with a copy of regular file VF's bytes (an exec reads the
 * ELF header and #! line from there).  Returns 0 or -ENOMEM. */
int tmpfs_snapshot(struct vfs_file *vf);
/* Re-list directory VF as it is now (rewinddir).  Returns 0 or -ENOMEM. */
int tmpfs_reload_dir(struct vfs_file *vf);

/* The limits and use of FS's instance (statfs), and its device minor. */
const struct shmem_sb_info *tmpfs_sb(const struct tmpfs *fs);
uint32_t tmpfs_dev_minor(const struct tmpfs *fs);

/* Unmap pages FROM_INDEX and beyond of FB from every process (Linux's
 * unmap_mapping_range, with even_cows). */
void unmap_mapping_range(struct sim *s, struct file_backing *fb, uint64_t from_index);

#endif
