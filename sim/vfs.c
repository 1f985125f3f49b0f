/* sim/vfs.c - the read-only guest root (see sim/vfs.h for the design).
 *
 * Invariant of vfs_resolve(): CUR is always a canonical guest path made of
 * components that were each checked on the host with lstat() below the
 * root and found to be directories (symlinks are replaced by their targets
 * before being appended), so root + CUR never leaves the root directory.
 * "/proc" and "/dev" are virtual: below them resolution is lexical and the
 * caller (sim/procfs.c, sim/sys_fs.c) decides what exists.
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
#include <unistd.h>

struct vfs {
	char *root;              /* realpath of the host directory, or NULL */
	struct vfs_file *cache;  /* opened root files */
};

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

void vfs_destroy(struct vfs *v)
{
	if (!v)
		return;
	struct vfs_file *f = v->cache;
	while (f) {
		struct vfs_file *n = f->next;
		f->cached = false;
		if (--f->refcount == 0)
			vfs_file_free(f);
		f = n;
	}
	free(v->root);
	free(v);
}

const char *vfs_root_dir(const struct vfs *v)
{
	return v && v->root ? (v->root[0] ? v->root : "/") : NULL;
}

/* True if canonical P is "/proc", "/dev" or below them. */
static bool is_virtual(const char *p)
{
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

int vfs_lstat(struct vfs *v, const char *p, struct vfs_stat *out)
{
	char hp[PATH_MAX];
	struct stat st;
	memset(out, 0, sizeof(*out));
	if (strcmp(p, "/") == 0 && !v->root) {
		out->ino = vfs_ino("/");
		out->mode = VFS_S_IFDIR | 0755;
		out->nlink = 2;
		out->size = 4096;
		return 0;
	}
	int rc = host_path(v, p, hp, sizeof(hp));
	if (rc)
		return rc;
	if (lstat(hp, &st) != 0)
		return errno == ENOTDIR ? -ENOTDIR : -ENOENT;
	out->ino = vfs_ino(p);
	out->mode = (uint32_t)st.st_mode & 07777;
	if (S_ISDIR(st.st_mode))
		out->mode |= VFS_S_IFDIR;
	else if (S_ISLNK(st.st_mode))
		out->mode |= VFS_S_IFLNK;
	else if (S_ISREG(st.st_mode))
		out->mode |= VFS_S_IFREG;
	else
		return -ENOENT; /* devices, fifos, sockets of the host are not shown */
	out->nlink = (uint32_t)st.st_nlink;
	out->size = (uint64_t)st.st_size;
	out->mtime_sec = (uint64_t)st.st_mtim.tv_sec;
	return 0;
}

long vfs_readlink(struct vfs *v, const char *p, char *buf, size_t len)
{
	char hp[PATH_MAX];
	struct stat st;
	int rc = host_path(v, p, hp, sizeof(hp));
	if (rc)
		return rc;
	if (lstat(hp, &st) != 0)
		return -ENOENT;
	if (!S_ISLNK(st.st_mode))
		return -EINVAL;
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
		if (is_virtual(cur))
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
	f->st.ino = vfs_ino(path);
	f->st.mode = VFS_S_IFDIR | 0555;
	f->st.nlink = 2;
	f->st.size = 0;
	f->ents = calloc(n + 2, sizeof(*f->ents));
	if (!f->ents)
		goto err;
	f->ents[0] = (struct vfs_dirent){ f->st.ino, DT_DIR, strdup(".") };
	f->ents[1] = (struct vfs_dirent){ vfs_ino(path), DT_DIR, strdup("..") };
	f->nents = 2;
	for (size_t i = 0; i < n; i++) {
		char child[VFS_PATH_MAX];
		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", names[i]);
		f->ents[f->nents] = (struct vfs_dirent){ vfs_ino(child), types[i], strdup(names[i]) };
		if (!f->ents[f->nents].name)
			goto err;
		f->nents++;
	}
	if (!f->ents[0].name || !f->ents[1].name)
		goto err;
	qsort(f->ents + 2, f->nents - 2, sizeof(*f->ents), dirent_cmp);
	return f;
err:
	vfs_file_free(f);
	return NULL;
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
	f->st.ino = vfs_ino(path);
	f->st.mode = mode;
	f->st.nlink = 1;
	f->st.size = size;
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

int vfs_read_host_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
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

/* List host directory HP as guest directory P. */
static int load_dir(struct vfs *v, const char *p, const char *hp, struct vfs_file **out)
{
	DIR *d = opendir(hp);
	if (!d)
		return errno == EACCES ? -EACCES : -ENOENT;
	size_t n = 0, cap = 16;
	char **names = malloc(cap * sizeof(*names));
	uint8_t *types = malloc(cap);
	int rc = -ENOMEM;
	bool root = strcmp(p, "/") == 0;
	bool have_proc = false, have_dev = false;
	struct dirent *de;
	if (!names || !types)
		goto out;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char child[VFS_PATH_MAX];
		struct vfs_stat st;
		snprintf(child, sizeof(child), "%s/%s", root ? "" : p, de->d_name);
		if (vfs_lstat(v, child, &st) != 0)
			continue;
		if (n + 2 >= cap) {
			cap *= 2;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				goto out;
			names = nn;
			uint8_t *nt = realloc(types, cap);
			if (!nt)
				goto out;
			types = nt;
		}
		uint32_t fmt = st.mode & 0170000;
		types[n] = fmt == VFS_S_IFDIR ? DT_DIR : fmt == VFS_S_IFLNK ? DT_LNK : DT_REG;
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto out;
		if (root && !strcmp(de->d_name, "proc"))
			have_proc = true;
		if (root && !strcmp(de->d_name, "dev"))
			have_dev = true;
		n++;
	}
	if (root && !have_proc) {
		types[n] = DT_DIR;
		names[n++] = strdup("proc");
	}
	if (root && !have_dev) {
		types[n] = DT_DIR;
		names[n++] = strdup("dev");
	}
	*out = vfs_dir_new(p, (const char *const *)names, types, n);
	rc = *out ? 0 : -ENOMEM;
out:
	closedir(d);
	if (names)
		for (size_t i = 0; i < n; i++)
			free(names[i]);
	free(names);
	free(types);
	return rc;
}

int vfs_open(struct vfs *v, const char *p, struct vfs_file **out)
{
	char hp[PATH_MAX], err[256];
	struct vfs_stat st;
	struct vfs_file *f;
	int rc;

	for (f = v->cache; f; f = f->next)
		if (strcmp(f->path, p) == 0) {
			f->refcount++;
			*out = f;
			return 0;
		}
	if (!v->root && strcmp(p, "/") == 0) {
		const char *names[] = { "dev", "proc" };
		const uint8_t types[] = { DT_DIR, DT_DIR };
		f = vfs_dir_new("/", names, types, 2);
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
