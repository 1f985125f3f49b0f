/* sim/devfs.c - the guest's /dev: Linux's standard character devices and
 * the /dev/fd links (Linux: devtmpfs, drivers/char/mem.c, random.c,
 * tty_io.c).  The host's /dev is never used, with or without --root.
 *
 *   null     1:3  read: EOF; write: swallowed
 *   zero     1:5  read: zeros; write: swallowed; mmap: anonymous memory
 *   full     1:7  read: zeros; write: ENOSPC
 *   random   1:8  read: the run's seeded generator (the one getrandom
 *   urandom  1:9       uses, sim/sys_time.c), so runs stay deterministic
 *   tty      5:0  open: ENXIO (the guest has no controlling terminal)
 *   fd -> /proc/self/fd, stdin -> /proc/self/fd/0, stdout -> .../1,
 *   stderr -> .../2 (followed by sys_fs.c's lookup; sim/proc_fd.c opens
 *   what the descriptor refers to)
 *   shm      a tmpfs mounted over it (sim/tmpfs.h), listed here
 *
 * Every device is mode 0666, owned by root, on devtmpfs (st_dev 0:5,
 * VFS_ANON_DEV_DEV) with deterministic metadata (vfs_stat_virtual); all
 * are always ready in poll, seek to 0, and pread like read.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>

#include "sim/sys_internal.h"

struct devfs_node {
	const char *name;
	uint32_t rdev;          /* major << 8 | minor (as Linux's MKDEV); 0 for a link */
	enum file_kind kind;    /* what open gives */
	int open_err;           /* open fails with it (tty), or 0 */
	const char *target;     /* symlink target, or NULL */
};

/* Sorted by name: the order getdents64 lists them. */
static const struct devfs_node devfs_nodes[] = {
	{ "fd", 0, FILE_NULL, 0, "/proc/self/fd" },
	{ "full", 0x107, FILE_FULL, 0, NULL },
	{ "null", 0x103, FILE_NULL, 0, NULL },
	{ "random", 0x108, FILE_RANDOM, 0, NULL },
	{ "stderr", 0, FILE_NULL, 0, "/proc/self/fd/2" },
	{ "stdin", 0, FILE_NULL, 0, "/proc/self/fd/0" },
	{ "stdout", 0, FILE_NULL, 0, "/proc/self/fd/1" },
	{ "tty", 0x500, FILE_NULL, -ENXIO, NULL },
	{ "urandom", 0x109, FILE_URANDOM, 0, NULL },
	{ "zero", 0x105, FILE_ZERO, 0, NULL },
};
#define NR_NODES (sizeof(devfs_nodes) / sizeof(devfs_nodes[0]))

/* The node of canonical path P ("/dev/NAME"), or NULL. */
static const struct devfs_node *devfs_node(const char *p)
{
	if (strncmp(p, "/dev/", 5))
		return NULL;
	for (size_t i = 0; i < NR_NODES; i++)
		if (!strcmp(p + 5, devfs_nodes[i].name))
			return &devfs_nodes[i];
	return NULL;
}

/* The device node a descriptor of KIND was opened from, or NULL. */
static const struct devfs_node *kind_node(enum file_kind kind)
{
	for (size_t i = 0; i < NR_NODES; i++)
		if (devfs_nodes[i].kind == kind && devfs_nodes[i].rdev && !devfs_nodes[i].open_err)
			return &devfs_nodes[i];
	return NULL;
}

bool devfs_is_device(enum file_kind kind)
{
	return kind == FILE_NULL || kind == FILE_ZERO || kind == FILE_FULL || kind == FILE_RANDOM ||
	       kind == FILE_URANDOM;
}

const char *devfs_kind_path(enum file_kind kind)
{
	static const char *const paths[] = { [FILE_NULL] = "/dev/null",     [FILE_ZERO] = "/dev/zero",
					     [FILE_FULL] = "/dev/full",     [FILE_RANDOM] = "/dev/random",
					     [FILE_URANDOM] = "/dev/urandom" };
	return devfs_is_device(kind) ? paths[kind] : NULL;
}

/* stat of device node N at path P. */
static void node_stat(const struct devfs_node *n, const char *p, struct vfs_stat *st)
{
	if (n->target) {
		vfs_stat_virtual(st, p, VFS_S_IFLNK | 0777, strlen(n->target), VFS_ANON_DEV_DEV);
		st->blocks = 0; /* a fast symlink: its target is in the inode */
	} else {
		vfs_stat_virtual(st, p, VFS_S_IFCHR | 0666, 0, VFS_ANON_DEV_DEV);
		st->rdev_major = n->rdev >> 8;
		st->rdev_minor = n->rdev & 0xff;
	}
}

void devfs_kind_stat(enum file_kind kind, struct vfs_stat *st)
{
	const struct devfs_node *n = kind_node(kind);
	if (n)
		node_stat(n, devfs_kind_path(kind), st);
}

int devfs_stat(const char *p, struct vfs_stat *st)
{
	if (!strcmp(p, "/dev")) {
		vfs_stat_virtual(st, p, VFS_S_IFDIR | 0755, 0, VFS_ANON_DEV_DEV);
		st->nlink = 3; /* ".", "..", and shm's ".." */
		return 0;
	}
	const struct devfs_node *n = devfs_node(p);
	if (!n)
		return -ENOENT;
	node_stat(n, p, st);
	return 0;
}

long devfs_readlink(const char *p, char *buf, size_t len)
{
	const struct devfs_node *n = devfs_node(p);
	if (!n)
		return strcmp(p, "/dev") ? -ENOENT : -EINVAL;
	if (!n->target)
		return -EINVAL;
	size_t k = strlen(n->target);
	if (k > len)
		k = len;
	memcpy(buf, n->target, k);
	return (long)k;
}

bool devfs_follow(char *p, bool follow)
{
	if (strncmp(p, "/dev/", 5))
		return false;
	const char *name = p + 5, *slash = strchr(name, '/');
	size_t len = slash ? (size_t)(slash - name) : strlen(name);
	if (!slash && !follow)
		return false;
	for (size_t i = 0; i < NR_NODES; i++) {
		const struct devfs_node *n = &devfs_nodes[i];
		if (!n->target || strlen(n->name) != len || strncmp(name, n->name, len))
			continue;
		char tmp[VFS_PATH_MAX];
		int m = snprintf(tmp, sizeof(tmp), "%s%s", n->target, slash ? slash : "");
		if (m < 0 || (size_t)m >= sizeof(tmp))
			return false;
		strcpy(p, tmp);
		return true;
	}
	return false;
}

int devfs_open_dir(const char *p, struct vfs_file **out)
{
	const char *names[NR_NODES + 1];
	uint8_t types[NR_NODES + 1];
	for (size_t i = 0; i < NR_NODES; i++) {
		names[i] = devfs_nodes[i].name;
		types[i] = devfs_nodes[i].target ? DT_LNK : DT_CHR;
	}
	names[NR_NODES] = "shm"; /* the tmpfs mounted there (sim/tmpfs.h) */
	types[NR_NODES] = DT_DIR;
	*out = vfs_dir_new(p, names, types, NR_NODES + 1);
	if (!*out)
		return -ENOMEM;
	devfs_stat(p, &(*out)->st);
	return 0;
}

long devfs_open(const char *p, int flags, struct file **out)
{
	const struct devfs_node *n = devfs_node(p);
	*out = NULL;
	if (!n)
		return -ENOENT;
	if (n->target)
		return -ELOOP; /* O_NOFOLLOW on /dev/fd, /dev/stdin ... */
	if (n->open_err)
		return n->open_err;
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	*out = file_alloc(n->kind, flags & ~(O_CREAT | O_EXCL | O_TRUNC), NULL);
	return *out ? 0 : -ENOMEM;
}

/* Zeros into IO.  Returns LEN, the bytes before a fault, or -EFAULT. */
static long zeros_to(const struct iobuf *io, uint64_t len)
{
	static const uint8_t zeros[4096];
	uint64_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof(zeros) ? (size_t)(len - done) : sizeof(zeros);
		if (iob_copy_to(io, done, zeros, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

long devfs_read(struct sim *s, const struct file *f, const struct iobuf *io, uint64_t len)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (len > 0x7ffff000)
		len = 0x7ffff000; /* MAX_RW_COUNT */
	switch (f->kind) {
	case FILE_ZERO:
	case FILE_FULL:
		return zeros_to(io, len);
	case FILE_RANDOM:
	case FILE_URANDOM:
		return get_random_bytes(s, io, len);
	default:
		return 0; /* /dev/null: EOF */
	}
}

long devfs_write(const struct file *f, uint64_t len)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (f->kind == FILE_FULL)
		return -ENOSPC;
	return (long)(len > 0x7ffff000 ? 0x7ffff000 : len);
}
