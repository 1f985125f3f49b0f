/* sim/mounts.c - the guest's mount table: /proc/mounts, /proc/PID/mountinfo
 * and statfs/fstatfs (Linux: fs/proc_namespace.c, fs/statfs.c).
 *
 * The guest sees three mounts:
 *   /dev/sda1 on /      the --root directory, read-only; its type is the
 *                       host file system's (ext4, xfs, overlay ...) and
 *                       statfs reports the host's real statfs of the root
 *                       directory (sizes and free space, as a native df
 *                       shows them), with ST_RDONLY; without --root, an
 *                       empty "rootfs"
 *   proc on /proc       proc, all zeros (PROC_SUPER_MAGIC)
 *   devtmpfs on /dev    a tmpfs of half the simulated RAM, as Linux sizes it
 *   tmpfs on /dev/shm   the writable tmpfs instances (sim/tmpfs.h), each
 *   tmpfs on /tmp       --tmpfs-size (default half the RAM); statfs shows
 *                       their real use, /proc/mounts their size= when it
 *                       is not the default, as Linux's shmem_show_options
 * Their st_dev are the root directory's host device (sim/vfs.h; 0:1
 * without a root), 0:22 and 0:5 (VFS_ANON_DEV_PROC, VFS_ANON_DEV_DEV), so
 * df PATH finds the mount of PATH.  The host's free space is the one
 * host fact that reaches the guest here (like file sizes and mtimes do).
 */
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

#include "mm/proc.h"
#include "mmu/memory.h"
#include "mm/shmem.h"
#include "sim/sys_internal.h"
#include "sim/tmpfs.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define TMPFS_MAGIC 0x01021994
#define RAMFS_MAGIC 0x858458f6
#define PIPEFS_MAGIC 0x50495045
#define ST_RDONLY_ 0x1
#define ST_NOSUID_ 0x2
#define ST_NODEV_ 0x4
#define ST_NOEXEC_ 0x8
#define ST_VALID_ 0x20
#define ST_RELATIME_ 0x400

/* x86-64 struct statfs, as the kernel writes it. */
struct kstatfs64 {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};

/* Linux's name of a file system magic number (the host root's type). */
static const char *fs_type_name(int64_t magic)
{
	switch ((uint32_t)magic) {
	case 0xef53: return "ext4";
	case 0x58465342: return "xfs";
	case 0x9123683e: return "btrfs";
	case 0x794c7630: return "overlay";
	case TMPFS_MAGIC: return "tmpfs";
	case 0x2fc12fc1: return "zfs";
	case 0x6969: return "nfs";
	case 0x65735546: return "fuse";
	case 0xf2f52010: return "f2fs";
	default: return "ext4";
	}
}

/* Host statfs of the root directory into *HST; false without a root. */
static bool root_host_statfs(struct sim *s, struct statfs *hst)
{
	const char *dir = s->procs->vfs ? vfs_root_dir(s->procs->vfs) : NULL;
	return dir && dir[0] && statfs(dir, hst) == 0;
}

/* devtmpfs's size in pages: half the simulated RAM. */
static uint64_t devtmpfs_pages(struct sim *s)
{
	return s->mem->totalram_pages / 2;
}

/* One mount the guest sees. */
struct guest_mount {
	const char *source, *dir, *type, *mnt_opts; /* mnt_opts: per mount */
	char super_opts[96];                        /* the file system's own */
	int id, parent;
	char majmin[24];                            /* st_dev of its files */
};

#define NR_GUEST_MOUNTS 5

/* Fill M with the guest's mounts.  Returns their number. */
static int guest_mounts(struct sim *s, struct guest_mount m[NR_GUEST_MOUNTS])
{
	struct statfs hst;
	bool root = root_host_statfs(s, &hst);
	struct vfs_stat st = { .dev_minor = VFS_ANON_DEV_ROOT };
	if (s->procs->vfs)
		vfs_lstat(s->procs->vfs, "/", &st);
	m[0] = (struct guest_mount){ root ? "/dev/sda1" : "rootfs", "/", root ? fs_type_name(hst.f_type) : "rootfs",
				     root ? "ro,relatime" : "ro", "ro", 21, 1, "" };
	snprintf(m[0].majmin, sizeof(m[0].majmin), "%u:%u", st.dev_major, st.dev_minor);
	m[1] = (struct guest_mount){ "proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime", "rw", 22, 21, "" };
	snprintf(m[1].majmin, sizeof(m[1].majmin), "0:%u", VFS_ANON_DEV_PROC);
	m[2] = (struct guest_mount){ "devtmpfs", "/dev", "devtmpfs", "rw,nosuid,relatime", "", 23, 21, "" };
	snprintf(m[2].majmin, sizeof(m[2].majmin), "0:%u", VFS_ANON_DEV_DEV);
	snprintf(m[2].super_opts, sizeof(m[2].super_opts), "rw,size=%lluk,nr_inodes=%llu,mode=755",
		 (unsigned long long)devtmpfs_pages(s) * 4, (unsigned long long)devtmpfs_pages(s) / 4);
	int n = 3;
	static const char *const dirs[] = { "/dev/shm", "/tmp" };
	for (int k = 0; k < 2; k++) {
		struct tmpfs *fs = tmpfs_of(s, dirs[k], NULL);
		if (!fs)
			continue;
		const struct shmem_sb_info *sb = tmpfs_sb(fs);
		m[n] = (struct guest_mount){ "tmpfs", dirs[k], "tmpfs", "rw,nosuid,nodev", "", 24 + k, k ? 21 : 23, "" };
		snprintf(m[n].majmin, sizeof(m[n].majmin), "0:%u", tmpfs_dev_minor(fs));
		if (sb->max_blocks != s->mem->totalram_pages / 2)
			snprintf(m[n].super_opts, sizeof(m[n].super_opts), "rw,size=%luk,inode64", sb->max_blocks * 4);
		else
			snprintf(m[n].super_opts, sizeof(m[n].super_opts), "rw,inode64");
		n++;
	}
	return n;
}

void proc_mounts(struct sim *s, struct strbuf *sb)
{
	struct guest_mount m[NR_GUEST_MOUNTS];
	int n = guest_mounts(s, m);
	for (int i = 0; i < n; i++) {
		/* /proc/mounts shows both option sets, the file system's last */
		const char *extra = strncmp(m[i].super_opts, "rw,", 3) ? "" : m[i].super_opts + 2;
		sb_printf(sb, "%s %s %s %s%s 0 0\n", m[i].source, m[i].dir, m[i].type, m[i].mnt_opts, extra);
	}
}

void proc_mountinfo(struct sim *s, struct strbuf *sb)
{
	struct guest_mount m[NR_GUEST_MOUNTS];
	int n = guest_mounts(s, m);
	for (int i = 0; i < n; i++)
		sb_printf(sb, "%d %d %s / %s %s - %s %s %s\n", m[i].id, m[i].parent, m[i].majmin, m[i].dir,
			  m[i].mnt_opts, m[i].type, m[i].source, m[i].super_opts);
}

/* statfs of the file system holding canonical guest path P (PIPE: pipefs). */
static void fill_statfs(struct sim *s, const char *p, bool pipe, struct kstatfs64 *k)
{
	struct tmpfs *fs;
	memset(k, 0, sizeof(*k));
	k->f_bsize = k->f_frsize = 4096;
	k->f_namelen = 255;
	if (!pipe && (fs = tmpfs_of(s, p, NULL)) != NULL) { /* shmem_statfs */
		const struct shmem_sb_info *sb = tmpfs_sb(fs);
		k->f_type = TMPFS_MAGIC;
		k->f_blocks = sb->max_blocks;
		k->f_bfree = k->f_bavail = sb->max_blocks - sb->used_blocks;
		k->f_files = sb->max_inodes;
		k->f_ffree = sb->free_inodes;
		k->f_flags = ST_VALID_ | ST_NOSUID_ | ST_NODEV_ | ST_RELATIME_;
		k->f_fsid[0] = (int32_t)tmpfs_dev_minor(fs);
	} else if (pipe) {
		k->f_type = PIPEFS_MAGIC;
		k->f_flags = ST_VALID_;
		k->f_fsid[0] = VFS_ANON_DEV_PIPE;
	} else if (!strncmp(p, "/proc", 5) && (p[5] == '\0' || p[5] == '/')) {
		k->f_type = PROC_SUPER_MAGIC;
		k->f_flags = ST_VALID_ | ST_NOSUID_ | ST_NODEV_ | ST_NOEXEC_ | ST_RELATIME_;
		k->f_fsid[0] = VFS_ANON_DEV_PROC;
	} else if (!strncmp(p, "/dev", 4) && (p[4] == '\0' || p[4] == '/')) {
		uint64_t pages = devtmpfs_pages(s);
		k->f_type = TMPFS_MAGIC;
		k->f_blocks = k->f_bfree = k->f_bavail = pages;
		k->f_files = pages / 4;
		k->f_ffree = k->f_files - 10; /* the nodes of sim/devfs.c */
		k->f_flags = ST_VALID_ | ST_NOSUID_ | ST_RELATIME_;
		k->f_fsid[0] = VFS_ANON_DEV_DEV;
	} else {
		struct statfs hst;
		if (!root_host_statfs(s, &hst)) {
			k->f_fsid[0] = VFS_ANON_DEV_ROOT;
			k->f_type = RAMFS_MAGIC;
			k->f_flags = ST_VALID_ | ST_RDONLY_;
			return;
		}
		k->f_type = hst.f_type;
		k->f_bsize = hst.f_bsize;
		k->f_frsize = hst.f_frsize;
		k->f_blocks = hst.f_blocks;
		k->f_bfree = hst.f_bfree;
		k->f_bavail = hst.f_bavail;
		k->f_files = hst.f_files;
		k->f_ffree = hst.f_ffree;
		k->f_namelen = hst.f_namelen;
		memcpy(k->f_fsid, &hst.f_fsid, sizeof(k->f_fsid));
		k->f_flags = hst.f_flags | ST_VALID_ | ST_RDONLY_;
	}
}

SYSCALL_DEFINE(statfs)
{
	char p[VFS_PATH_MAX];
	struct kstatfs64 k;
	long rc = path_lookup(s, t, a[0], true, p);
	if (rc)
		return rc;
	fill_statfs(s, p, false, &k);
	return copy_to_user(t->eng, a[1], &k, sizeof(k)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(fstatfs)
{
	struct file *f = fget(t, (long)(int)a[0]);
	struct kstatfs64 k;
	if (!f)
		return -EBADF;
	/* pipefs for pipes and stdio; a FIFO's file system is its tmpfs */
	bool pipe = ((file_is_pipe(f) && !f->vf) || f->kind == FILE_STDOUT || f->kind == FILE_STDERR);
	const char *p = "/";
	if (devfs_is_device(f->kind) || (f->kind == FILE_STDIN && !f->vf))
		p = "/dev";
	else if (f->vf)
		p = f->vf->path;
	fill_statfs(s, p, pipe, &k);
	return copy_to_user(t->eng, a[1], &k, sizeof(k)) ? -EFAULT : 0;
}
