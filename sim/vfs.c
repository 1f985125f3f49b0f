/* sim/vfs.c - the read-only guest root (see sim/vfs.h for the design).
 *
 * Invariant of vfs_resolve(): CUR is always a canonical guest path made of
 * components that were each checked on the host with lstat() below the
 * root and found to be directories (symlinks are replaced by their targets
 * before being appended), so root + CUR never leaves the root directory.
 * "/proc" and "/dev" are virtual: below them resolution is lexical and the
 * caller (sim/procfs.c, sim/sys_fs.c) decides what exists.
 *
 * Host metadata is read with statx() (lstat() where the host has none) once
 * per canonical path and kept in a hash table (struct vfs_meta) for the
 * rest of the run: later lookups, stats and opens of the path all see that
 * first answer, so a run is deterministic for the root's state at the time
 * of each first lookup.
 */
#include "sim/vfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

/* The host metadata of one canonical guest path, as first looked up. */
struct vfs_meta {
	char *path;
	int err;                 /* 0, or the -errno of the lookup */
	struct vfs_stat st;
	struct vfs_meta *next;   /* hash chain */
};

/* A file system mounted over a guest directory (vfs_mount). */
struct vfs_mount {
	char dir[64];
	const struct vfs_fs_ops *ops;
	void *fs;
};

#define VFS_MAX_MOUNTS 4

struct vfs {
	char *root;              /* realpath of the host directory, or NULL */
	struct vfs_mount mounts[VFS_MAX_MOUNTS];
	int nmounts;
	struct vfs_file *cache;  /* opened root files */
	struct vfs_meta **meta;  /* metadata by path, meta_buckets chains (a power of 2) */
	size_t nmeta, meta_buckets;   /* entries, chains */
	vfs_read_hook_fn on_read;     /* called once per regular file read from the root */
	void *on_read_ctx;
};

void vfs_set_read_hook(struct vfs *v, vfs_read_hook_fn fn, void *ctx)
{
	v->on_read = fn;
	v->on_read_ctx = ctx;
}

uint64_t vfs_ino(const char *path)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	h &= 0x7fffffffffffffffULL;
	return h ? h : 1;
}

void vfs_stat_virtual(struct vfs_stat *st, const char *path, uint32_t mode, uint64_t size, uint32_t dev_minor)
{
	memset(st, 0, sizeof(*st));
	st->dev_minor = dev_minor;
	st->ino = vfs_ino(path);
	st->mode = mode;
	st->nlink = 1;
	st->size = size;
	st->blksize = 4096;
	st->blocks = (size + 511) / 512;
	st->atime.sec = st->mtime.sec = st->ctime.sec = (int64_t)MMSIM_EPOCH;
	st->statx_mask = VFS_STATX_BASIC_STATS;
}

/* A new vfs; NULL with ERR if DIR is given but is not a directory. */
struct vfs *vfs_create(const char *dir, char *err, size_t errlen)
{
	struct vfs *v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (dir && *dir) {
		struct stat st;
		char *rp = realpath(dir, NULL);
		if (!rp || stat(rp, &st) != 0) {
			snprintf(err, errlen, "--root %s: %s", dir, strerror(errno));
			free(rp);
			free(v);
			return NULL;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "--root %s: not a directory", dir);
			free(rp);
			free(v);
			return NULL;
		}
		if (strcmp(rp, "/") == 0)
			rp[0] = '\0'; /* root + "/x" must give "/x" */
		v->root = rp;
	}
	return v;
}

static void vfs_file_free(struct vfs_file *f)
{
	if (f->release)
		f->release(f);
	for (size_t i = 0; i < f->nents; i++)
		free(f->ents[i].name);
	free(f->ents);
	free(f->data);
	free(f);
}

int vfs_mount(struct vfs *v, const char *dir, const struct vfs_fs_ops *ops, void *fs)
{
	if (v->nmounts == VFS_MAX_MOUNTS || strlen(dir) >= sizeof(v->mounts[0].dir))
		return -ENOMEM;
	struct vfs_mount *mt = &v->mounts[v->nmounts++];
	strcpy(mt->dir, dir);
	mt->ops = ops;
	mt->fs = fs;
	return 0;
}

/* The mount holding canonical P (REL: the rest below it), or NULL. */
static const struct vfs_mount *mount_of(const struct vfs *v, const char *p, const char **rel)
{
	for (int i = 0; v && i < v->nmounts; i++)
		if (vfs_path_under(p, v->mounts[i].dir)) {
			const char *r = p + strlen(v->mounts[i].dir);
			if (rel)
				*rel = *r == '/' ? r + 1 : r;
			return &v->mounts[i];
		}
	return NULL;
}

void *vfs_mount_of(const struct vfs *v, const char *p, const char **rel)
{
	const struct vfs_mount *mt = mount_of(v, p, rel);
	return mt ? mt->fs : NULL;
}

void vfs_destroy(struct vfs *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->nmounts; i++)
		v->mounts[i].ops->destroy(v->mounts[i].fs);
	struct vfs_file *f = v->cache;
	while (f) {
		struct vfs_file *n = f->next;
		f->cached = false;
		if (--f->refcount == 0)
			vfs_file_free(f);
		f = n;
	}
	for (size_t b = 0; b < v->meta_buckets; b++)
		for (struct vfs_meta *m = v->meta[b], *n; m; m = n) {
			n = m->next;
			free(m->path);
			free(m);
		}
	free(v->meta);
	free(v->root);
	free(v);
}

const char *vfs_root_dir(const struct vfs *v)
{
	return v && v->root ? (v->root[0] ? v->root : "/") : NULL;
}

/* True if canonical P is "/proc", "/dev" or below them (and not on a
 * file system mounted there, like /dev/shm). */
static bool is_virtual(const struct vfs *v, const char *p)
{
	if (mount_of(v, p, NULL))
		return false;
	return strncmp(p, "/proc", 5) == 0 && (p[5] == '\0' || p[5] == '/') ? true
	       : strncmp(p, "/dev", 4) == 0 && (p[4] == '\0' || p[4] == '/');
}

/* Host path of canonical guest path P into BUF.  Returns 0 or -ENOENT
 * (no root) or -ENAMETOOLONG. */
static int host_path(const struct vfs *v, const char *p, char *buf, size_t len)
{
	if (!v->root)
		return -ENOENT;
	int n = snprintf(buf, len, "%s%s", v->root, strcmp(p, "/") == 0 ? "/" : p);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The host's metadata of host path HP into OUT (following a final
 * symlink only if FOLLOW).  Returns 0, -ENOENT (missing, or not a
 * directory, regular file or symlink) or -ENOTDIR. */
static int host_statx(const char *hp, bool follow, struct vfs_stat *out)
{
	struct statx x;
	memset(out, 0, sizeof(*out));
	if (statx(AT_FDCWD, hp, (follow ? 0 : AT_SYMLINK_NOFOLLOW) | AT_STATX_SYNC_AS_STAT,
		  STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID, &x) == 0) {
		out->dev_major = x.stx_dev_major;
		out->dev_minor = x.stx_dev_minor;
		out->ino = x.stx_ino;
		out->mode = x.stx_mode;
		out->nlink = x.stx_nlink;
		out->uid = x.stx_uid;
		out->gid = x.stx_gid;
		out->rdev_major = x.stx_rdev_major;
		out->rdev_minor = x.stx_rdev_minor;
		out->size = x.stx_size;
		out->blksize = x.stx_blksize;
		out->blocks = x.stx_blocks;
		out->atime = (struct vfs_time){ x.stx_atime.tv_sec, x.stx_atime.tv_nsec };
		out->mtime = (struct vfs_time){ x.stx_mtime.tv_sec, x.stx_mtime.tv_nsec };
		out->ctime = (struct vfs_time){ x.stx_ctime.tv_sec, x.stx_ctime.tv_nsec };
		out->btime = (struct vfs_time){ x.stx_btime.tv_sec, x.stx_btime.tv_nsec };
		out->statx_mask = x.stx_mask & (VFS_STATX_BASIC_STATS | VFS_STATX_BTIME | VFS_STATX_MNT_ID);
		out->attributes = x.stx_attributes;
		out->attributes_mask = x.stx_attributes_mask;
		out->mnt_id = x.stx_mnt_id;
	} else if (errno == ENOSYS) {
		struct stat st;
		if ((follow ? stat(hp, &st) : lstat(hp, &st)) != 0)
			return errno == ENOTDIR ? -ENOTDIR : -ENOENT;
		out->dev_major = major(st.st_dev);
		out->dev_minor = minor(st.st_dev);
		out->ino = st.st_ino;
		out->mode = st.st_mode;
		out->nlink = (uint32_t)st.st_nlink;
		out->uid = st.st_uid;
		out->gid = st.st_gid;
		out->rdev_major = major(st.st_rdev);
		out->rdev_minor = minor(st.st_rdev);
		out->size = (uint64_t)st.st_size;
		out->blksize = (uint32_t)st.st_blksize;
		out->blocks = (uint64_t)st.st_blocks;
		out->atime = (struct vfs_time){ st.st_atim.tv_sec, (uint32_t)st.st_atim.tv_nsec };
		out->mtime = (struct vfs_time){ st.st_mtim.tv_sec, (uint32_t)st.st_mtim.tv_nsec };
		out->ctime = (struct vfs_time){ st.st_ctim.tv_sec, (uint32_t)st.st_ctim.tv_nsec };
		out->statx_mask = VFS_STATX_BASIC_STATS;
	} else {
		return errno == ENOTDIR ? -ENOTDIR : -ENOENT;
	}
	uint32_t fmt = out->mode & 0170000;
	if (fmt != VFS_S_IFDIR && fmt != VFS_S_IFLNK && fmt != VFS_S_IFREG)
		return -ENOENT; /* devices, fifos, sockets of the host are not shown */
	return 0;
}

int vfs_host_stat(const char *path, struct vfs_stat *st)
{
	return host_statx(path, true, st);
}

/* Bucket of PATH in V's metadata table (FNV-1a of the path). */
static size_t meta_bucket(const struct vfs *v, const char *path)
{
	return (size_t)vfs_ino(path) & (v->meta_buckets - 1);
}

/* Remember lookup result ERR/ST of PATH; doubles the table past a load of
 * 1.  Out of host memory the result is simply not kept. */
static void meta_insert(struct vfs *v, const char *path, int err, const struct vfs_stat *st)
{
	if (v->nmeta >= v->meta_buckets) {
		size_t nb = v->meta_buckets ? v->meta_buckets * 2 : 256;
		struct vfs_meta **nt = calloc(nb, sizeof(*nt));
		if (!nt)
			return;
		struct vfs_meta **old = v->meta;
		size_t ob = v->meta_buckets;
		v->meta = nt;
		v->meta_buckets = nb;
		for (size_t b = 0; b < ob; b++)
			for (struct vfs_meta *m = old[b], *n; m; m = n) {
				n = m->next;
				size_t h = meta_bucket(v, m->path);
				m->next = nt[h];
				nt[h] = m;
			}
		free(old);
	}
	struct vfs_meta *m = calloc(1, sizeof(*m));
	if (!m || !(m->path = strdup(path))) {
		free(m);
		return;
	}
	m->err = err;
	m->st = *st;
	size_t h = meta_bucket(v, path);
	m->next = v->meta[h];
	v->meta[h] = m;
	v->nmeta++;
}

int vfs_lstat(struct vfs *v, const char *p, struct vfs_stat *out)
{
	char hp[PATH_MAX];
	const char *rel;
	const struct vfs_mount *mt = mount_of(v, p, &rel);
	if (mt)
		return mt->ops->lstat(mt->fs, rel, out);
	if (strcmp(p, "/") == 0 && !v->root) {
		vfs_stat_virtual(out, "/", VFS_S_IFDIR | 0755, 4096, VFS_ANON_DEV_ROOT);
		out->nlink = 2;
		return 0;
	}
	if (v->meta_buckets)
		for (const struct vfs_meta *m = v->meta[meta_bucket(v, p)]; m; m = m->next)
			if (strcmp(m->path, p) == 0) {
				*out = m->st;
				return m->err;
			}
	int rc = host_path(v, p, hp, sizeof(hp));
	if (rc) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	rc = host_statx(hp, false, out);
	if (rc)
		memset(out, 0, sizeof(*out));
	meta_insert(v, p, rc, out);
	return rc;
}

long vfs_readlink(struct vfs *v, const char *p, char *buf, size_t len)
{
	char hp[PATH_MAX];
	struct vfs_stat st;
	const char *rel;
	const struct vfs_mount *mt = mount_of(v, p, &rel);
	if (mt)
		return mt->ops->readlink(mt->fs, rel, buf, len);
	int rc = vfs_lstat(v, p, &st);
	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	if ((st.mode & 0170000) != VFS_S_IFLNK)
		return -EINVAL;
	rc = host_path(v, p, hp, sizeof(hp));
	if (rc)
		return rc;
	ssize_t n = readlink(hp, buf, len);
	return n < 0 ? -ENOENT : (long)n;
}

/* Append component C (length N) to canonical path CUR.  Returns 0 or
 * -ENAMETOOLONG. */
static int path_push(char *cur, size_t cap, const char *c, size_t n)
{
	size_t l = strlen(cur);
	if (l == 1 && cur[0] == '/')
		l = 0;
	if (l + 1 + n + 1 > cap)
		return -ENAMETOOLONG;
	cur[l] = '/';
	memcpy(cur + l + 1, c, n);
	cur[l + 1 + n] = '\0';
	return 0;
}

static void path_pop(char *cur)
{
	char *s = strrchr(cur, '/');
	if (!s || s == cur)
		strcpy(cur, "/");
	else
		*s = '\0';
}

/*
 * Resolve PATH against CWD.  REM holds what is left to walk; a symlink
 * replaces the component by "target/rest" in REM.  See the invariant at the
 * top of the file.
 */
int vfs_resolve(struct vfs *v, const char *cwd, const char *path, bool follow, char *out, size_t outlen)
{
	char cur[VFS_PATH_MAX], rem[VFS_PATH_MAX], tmp[VFS_PATH_MAX];
	int links = 0;

	if (!path[0])
		return -ENOENT;
	if (strlen(path) >= sizeof(rem))
		return -ENAMETOOLONG;
	strcpy(rem, path);
	if (path[0] == '/' || !cwd || !cwd[0] || cwd[0] != '/')
		strcpy(cur, "/");
	else if (strlen(cwd) >= sizeof(cur))
		return -ENAMETOOLONG;
	else
		strcpy(cur, cwd);

	size_t i = 0;
	for (;;) {
		while (rem[i] == '/')
			i++;
		if (!rem[i])
			break;
		size_t s = i;
		while (rem[i] && rem[i] != '/')
			i++;
		size_t n = i - s;
		bool last = true;
		for (size_t j = i; rem[j]; j++)
			if (rem[j] != '/') {
				last = false;
				break;
			}
		bool trailing_slash = rem[i] == '/';
		if (n == 1 && rem[s] == '.')
			continue;
		if (n == 2 && rem[s] == '.' && rem[s + 1] == '.') {
			path_pop(cur);
			continue;
		}
		if (n > 255)
			return -ENAMETOOLONG;
		char save[VFS_PATH_MAX];
		strcpy(save, cur);
		int rc = path_push(cur, sizeof(cur), rem + s, n);
		if (rc)
			return rc;
		if (is_virtual(v, cur))
			continue; /* lexical below /proc and /dev */
		struct vfs_stat st;
		rc = vfs_lstat(v, cur, &st);
		if (rc)
			return rc;
		if ((st.mode & 0170000) == VFS_S_IFLNK && (!last || follow || trailing_slash)) {
			char target[VFS_PATH_MAX];
			if (++links > VFS_MAXSYMLINKS)
				return -ELOOP;
			long tl = vfs_readlink(v, cur, target, sizeof(target) - 1);
			if (tl < 0)
				return (int)tl;
			if (tl == 0)
				return -ENOENT;
			target[tl] = '\0';
			int m = snprintf(tmp, sizeof(tmp), "%s%s", target, rem + i);
			if (m < 0 || (size_t)m >= sizeof(tmp))
				return -ENAMETOOLONG;
			strcpy(rem, tmp);
			i = 0;
			if (target[0] == '/')
				strcpy(cur, "/");
			else
				strcpy(cur, save);
			continue;
		}
		if ((!last || trailing_slash) && (st.mode & 0170000) != VFS_S_IFDIR)
			return -ENOTDIR;
	}
	if (strlen(cur) >= outlen)
		return -ENAMETOOLONG;
	strcpy(out, cur);
	return 0;
}

static int dirent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vfs_dirent *)a)->name, ((const struct vfs_dirent *)b)->name);
}

struct vfs_file *vfs_dir_new(const char *path, const char *const *names, const uint8_t *types, size_t n)
{
	struct vfs_file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->refcount = 1;
	snprintf(f->path, sizeof(f->path), "%s", path);
	vfs_stat_virtual(&f->st, path, VFS_S_IFDIR | 0555, 0, VFS_ANON_DEV_ROOT);
	f->st.nlink = 2;
	f->ents = calloc(n + 2, sizeof(*f->ents));
	if (!f->ents)
		goto err;
	f->ents[0] = (struct vfs_dirent){ f->st.ino, 0, DT_DIR, strdup(".") };
	f->ents[1] = (struct vfs_dirent){ vfs_ino(path), 0, DT_DIR, strdup("..") };
	f->nents = 2;
	for (size_t i = 0; i < n; i++) {
		char child[VFS_PATH_MAX];
		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", names[i]);
		f->ents[f->nents] = (struct vfs_dirent){ vfs_ino(child), 0, types[i], strdup(names[i]) };
		if (!f->ents[f->nents].name)
			goto err;
		f->nents++;
	}
	if (!f->ents[0].name || !f->ents[1].name)
		goto err;
	qsort(f->ents + 2, f->nents - 2, sizeof(*f->ents), dirent_cmp);
	for (size_t i = 0; i < f->nents; i++)
		f->ents[i].off = (int64_t)i + 1;
	return f;
err:
	vfs_file_free(f);
	return NULL;
}

size_t vfs_dir_seek(const struct vfs_file *f, int64_t pos)
{
	if (pos <= 0)
		return 0;
	for (size_t i = 0; i < f->nents; i++)
		if (f->ents[i].off == pos)
			return i + 1;
	for (size_t i = 1; i < f->nents; i++)
		if (f->ents[i - 1].off > pos)
			return i;
	return f->nents;
}

int64_t vfs_dir_tell(const struct vfs_file *f, size_t idx)
{
	return idx == 0 || idx > f->nents ? 0 : f->ents[idx - 1].off;
}

struct vfs_file *vfs_file_new(const char *path, uint32_t mode, uint8_t *data, size_t size)
{
	struct vfs_file *f = calloc(1, sizeof(*f));
	if (!f) {
		free(data);
		return NULL;
	}
	f->refcount = 1;
	snprintf(f->path, sizeof(f->path), "%s", path);
	vfs_stat_virtual(&f->st, path, mode, size, VFS_ANON_DEV_ROOT);
	f->data = data;
	f->size = size;
	return f;
}

void vfs_file_get(struct vfs_file *f)
{
	f->refcount++;
}

void vfs_file_put(struct vfs_file *f)
{
	if (f && --f->refcount == 0)
		vfs_file_free(f);
}

/* open(2) of host PATH read-only with FLAGS, without changing its atime
 * where the host lets us (O_NOATIME needs ownership or CAP_FOWNER).
 * Returns the fd or -1 with errno. */
static int host_open_noatime(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOATIME | flags);
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	return fd;
}

int vfs_read_host_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen)
{
	int fd = host_open_noatime(path, 0);
	struct stat st;
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0;

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto err;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		goto err;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	buf = malloc(cap);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto err;
	}
	for (;;) {
		if (len == cap && !S_ISREG(st.st_mode) && len >= VFS_HOST_STREAM_MAX) {
			/* a device or pipe that does not end (/dev/zero, yes |) */
			snprintf(err, errlen, "%s: not a regular file, and more than %d MiB came from it", path,
				 VFS_HOST_STREAM_MAX >> 20);
			goto err;
		}
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto err;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*data = buf;
	*size = len;
	return 0;
err:
	if (fd >= 0)
		close(fd);
	free(buf);
	return -1;
}

/* Append entry NAME (INO, OFF, TYPE) to F's listing, growing it (CAP).
 * Returns 0 or -ENOMEM. */
static int dir_append(struct vfs_file *f, size_t *cap, const char *name, uint64_t ino, int64_t off, uint8_t type)
{
	if (f->nents == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct vfs_dirent *ne = realloc(f->ents, nc * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		f->ents = ne;
		*cap = nc;
	}
	char *nm = strdup(name);
	if (!nm)
		return -ENOMEM;
	f->ents[f->nents++] = (struct vfs_dirent){ ino, off, type, nm };
	return 0;
}

/* A cookie no entry of F uses, after the largest one where possible (for
 * the "proc" and "dev" entries the root lacks on the host). */
static int64_t unused_cookie(const struct vfs_file *f)
{
	int64_t max = 0;
	for (size_t i = 0; i < f->nents; i++)
		if (f->ents[i].off > max)
			max = f->ents[i].off;
	for (int64_t c = max < INT64_MAX ? max + 1 : 1;; c++) {
		bool used = false;
		for (size_t i = 0; i < f->nents && !used; i++)
			used = f->ents[i].off == c;
		if (!used)
			return c;
	}
}

/* List host directory HP as guest directory P: the host's entries in its
 * own order with its d_ino, d_off and d_type, "." and ".." included;
 * entries the guest cannot see (devices, fifos, sockets) are left out.
 * The root also gets "proc" and "dev" if the host has none.  Returns 0,
 * -EACCES, -ENOENT or -ENOMEM. */
static int load_dir(struct vfs *v, const char *p, const char *hp, struct vfs_file **out)
{
	int fd = host_open_noatime(hp, O_DIRECTORY);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return e == EACCES ? -EACCES : -ENOENT;
	}
	struct vfs_file *f = calloc(1, sizeof(*f));
	size_t cap = 0;
	int rc = -ENOMEM;
	bool root = strcmp(p, "/") == 0;
	bool have_proc = false, have_dev = false, have_tmp = false;
	struct dirent *de;
	if (!f)
		goto out;
	f->refcount = 1;
	snprintf(f->path, sizeof(f->path), "%s", p);
	while ((de = readdir(d))) {
		bool dot = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
		if (!dot) {
			char child[VFS_PATH_MAX];
			struct vfs_stat st;
			snprintf(child, sizeof(child), "%s/%s", root ? "" : p, de->d_name);
			if (vfs_lstat(v, child, &st) != 0)
				continue;
		}
		if (dir_append(f, &cap, de->d_name, de->d_ino, de->d_off, de->d_type))
			goto out;
		have_proc |= root && !strcmp(de->d_name, "proc");
		have_dev |= root && !strcmp(de->d_name, "dev");
		have_tmp |= root && !strcmp(de->d_name, "tmp");
	}
	if (root && !have_proc && dir_append(f, &cap, "proc", vfs_ino("/proc"), unused_cookie(f), DT_DIR))
		goto out;
	if (root && !have_dev && dir_append(f, &cap, "dev", vfs_ino("/dev"), unused_cookie(f), DT_DIR))
		goto out;
	if (root && !have_tmp && mount_of(v, "/tmp", NULL) &&
	    dir_append(f, &cap, "tmp", vfs_ino("/tmp"), unused_cookie(f), DT_DIR))
		goto out;
	*out = f;
	f = NULL;
	rc = 0;
out:
	closedir(d);
	if (f)
		vfs_file_free(f);
	return rc;
}

int vfs_open(struct vfs *v, const char *p, struct vfs_file **out)
{
	char hp[PATH_MAX], err[256];
	struct vfs_stat st;
	struct vfs_file *f;
	const char *rel;
	int rc;
	const struct vfs_mount *mt = mount_of(v, p, &rel);

	if (mt)
		return mt->ops->open(mt->fs, rel, p, out);
	for (f = v->cache; f; f = f->next)
		if (strcmp(f->path, p) == 0) {
			f->refcount++;
			*out = f;
			return 0;
		}
	if (!v->root && strcmp(p, "/") == 0) {
		const char *names[] = { "dev", "proc", "tmp" };
		const uint8_t types[] = { DT_DIR, DT_DIR, DT_DIR };
		f = vfs_dir_new("/", names, types, mount_of(v, "/tmp", NULL) ? 3 : 2);
		if (!f)
			return -ENOMEM;
		goto cache;
	}
	rc = vfs_lstat(v, p, &st);
	if (rc)
		return rc;
	rc = host_path(v, p, hp, sizeof(hp));
	if (rc)
		return rc;
	if ((st.mode & 0170000) == VFS_S_IFDIR) {
		rc = load_dir(v, p, hp, &f);
		if (rc)
			return rc;
		f->st = st;
	} else if ((st.mode & 0170000) == VFS_S_IFREG) {
		uint8_t *data;
		size_t size;
		if (access(hp, R_OK) != 0)
			return -EACCES;
		if (vfs_read_host_file(hp, &data, &size, err, sizeof(err)) != 0)
			return -EACCES;
		if (v->on_read)
			v->on_read(v->on_read_ctx, p, hp, data, size);
		f = vfs_file_new(p, st.mode, data, size);
		if (!f)
			return -ENOMEM;
		f->st = st;
		f->st.size = size;
	} else {
		return -ELOOP; /* a symlink reached with O_NOFOLLOW semantics */
	}
cache:
	f->cached = true;
	f->refcount++; /* the cache's reference */
	f->next = v->cache;
	v->cache = f;
	*out = f;
	return 0;
}

/* (tmpfs and the virtual trees have no extended attributes: ENODATA, or
 * EOPNOTSUPP for a name outside the four namespaces) */
long vfs_getxattr(struct vfs *v, const char *p, const char *name, void *buf, size_t size)
{
	char hp[VFS_PATH_MAX];
	if (is_virtual(v, p) || mount_of(v, p, NULL) || host_path(v, p, hp, sizeof(hp)) != 0)
		return strncmp(name, "user.", 5) && strncmp(name, "trusted.", 8) && strncmp(name, "security.", 9) &&
				       strncmp(name, "system.", 7)
			       ? -EOPNOTSUPP
			       : -ENODATA;
	ssize_t n = lgetxattr(hp, name, buf, size);
	return n < 0 ? -errno : n;
}

long vfs_listxattr(struct vfs *v, const char *p, char *buf, size_t size)
{
	char hp[VFS_PATH_MAX];
	if (is_virtual(v, p) || mount_of(v, p, NULL) || host_path(v, p, hp, sizeof(hp)) != 0)
		return 0;
	ssize_t n = llistxattr(hp, buf, size);
	return n < 0 ? -errno : n;
}
