/* sim/tmpfs.c - tmpfs on /tmp and /dev/shm (see sim/tmpfs.h).
 *
 * Invariants: every inode is reachable from its mount's root through
 * directory entries while nlink > 0; a directory's nlink is 2 plus its
 * subdirectories, a non-directory's the number of entries naming it; an
 * inode with nlink == 0 and no open file is freed at once (tmpfs_iput),
 * giving its inode back to the instance and dropping its backing, whose
 * pages then go with the last mapping.  Regular files' sizes live in their
 * backing (fb->size); directories report Linux's BOGO_DIRENT_SIZE sizes.
 */
#include "sim/tmpfs.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "sim/process.h"
#include "sim/sys_internal.h"

#define BOGO_DIRENT_SIZE 20
#define TMPFS_NAME_MAX 255

struct tmpfs {
	char mnt[32];
	uint32_t dev_minor;
	struct sim *sim;
	struct shmem_sb_info *sb;
	struct tmpfs_inode *root;
	uint64_t next_ino;
};

struct vfs_time tmpfs_now(const struct tmpfs *fs)
{
	uint64_t ns = sim_now_ns(fs->sim);
	return (struct vfs_time){ (int64_t)(MMSIM_EPOCH + ns / 1000000000ULL), (uint32_t)(ns % 1000000000ULL) };
}

static uint32_t ifmt(const struct tmpfs_inode *i)
{
	return i->mode & 0170000;
}

/* A new inode of FS with MODE, nlink 0, times now.  Returns NULL with
 * *ERR = -ENOSPC (nr_inodes reached) or -ENOMEM. */
static struct tmpfs_inode *tmpfs_new_inode(struct tmpfs *fs, uint32_t mode, int *err)
{
	struct tmpfs_inode *i;

	if ((*err = shmem_reserve_inode(fs->sb)) != 0)
		return NULL;
	i = calloc(1, sizeof(*i));
	if (!i)
		goto nomem;
	i->fs = fs;
	i->ino = fs->next_ino++;
	i->mode = mode;
	i->atime = i->mtime = i->ctime = i->btime = tmpfs_now(fs);
	if ((mode & 0170000) == VFS_S_IFREG) {
		char path[VFS_PATH_MAX];
		snprintf(path, sizeof(path), "%s/#%llu", fs->mnt, (unsigned long long)i->ino);
		i->fb = shmem_file_create(fs->sb, path);
		if (!i->fb)
			goto nomem;
		i->fb->dev_minor = fs->dev_minor;
		i->fb->ino = i->ino;
	}
	return i;
nomem:
	free(i);
	shmem_free_inode(fs->sb);
	*err = -ENOMEM;
	return NULL;
}

/* Free INODE if it has neither a name nor an open file. */
static void tmpfs_iput(struct tmpfs_inode *i)
{
	if (i->nlink > 0 || i->opens > 0)
		return;
	if (i->fb)
		file_backing_put(i->fs->sim->mem, i->fb);
	free(i->target);
	shmem_free_inode(i->fs->sb);
	free(i);
}

/* Free the whole tree below directory D (the run is over: open files are
 * gone; mappings keep their backings). */
static void free_tree(struct tmpfs_inode *d)
{
	struct tmpfs_dirent *e = d->children, *n;
	for (; e; e = n) {
		n = e->next;
		if (ifmt(e->inode) == VFS_S_IFDIR) {
			free_tree(e->inode);
		} else {
			e->inode->nlink--;
			e->inode->opens = 0;
			tmpfs_iput(e->inode);
		}
		free(e->name);
		free(e);
	}
	d->children = NULL;
	d->nlink = 0;
	d->opens = 0;
	tmpfs_iput(d);
}

static void tmpfs_destroy(void *p)
{
	struct tmpfs *fs = p;
	free_tree(fs->root);
	shmem_sb_put(fs->sb);
	free(fs);
}

struct tmpfs_inode *tmpfs_child(struct tmpfs_inode *dir, const char *name)
{
	for (struct tmpfs_dirent *e = dir->children; e; e = e->next)
		if (!strcmp(e->name, name))
			return e->inode;
	return NULL;
}

struct tmpfs_inode *tmpfs_lookup(struct tmpfs *fs, const char *rel, int *err)
{
	struct tmpfs_inode *i = fs->root;
	char name[TMPFS_NAME_MAX + 1];

	while (*rel) {
		const char *slash = strchr(rel, '/');
		size_t n = slash ? (size_t)(slash - rel) : strlen(rel);
		if (ifmt(i) != VFS_S_IFDIR) {
			*err = -ENOTDIR;
			return NULL;
		}
		if (n > TMPFS_NAME_MAX) {
			*err = -ENAMETOOLONG;
			return NULL;
		}
		memcpy(name, rel, n);
		name[n] = '\0';
		i = tmpfs_child(i, name);
		if (!i) {
			*err = -ENOENT;
			return NULL;
		}
		rel += n + (slash ? 1 : 0);
	}
	*err = 0;
	return i;
}

void tmpfs_stat(const struct tmpfs_inode *i, struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev_minor = i->fs->dev_minor;
	st->ino = i->ino;
	st->mode = i->mode;
	st->nlink = i->nlink;
	st->uid = i->uid;
	st->gid = i->gid;
	st->blksize = PAGE_SIZE;
	switch (ifmt(i)) {
	case VFS_S_IFREG:
		st->size = i->fb->size;
		st->blocks = shmem_blocks(i->fb);
		break;
	case VFS_S_IFDIR:
		st->size = (2 + i->nchildren) * BOGO_DIRENT_SIZE;
		break;
	case VFS_S_IFLNK:
		st->size = strlen(i->target);
		break;
	default: /* FIFO, socket, device: no size */
		break;
	}
	st->atime = i->atime;
	st->mtime = i->mtime;
	st->ctime = i->ctime;
	st->btime = i->btime;
	st->statx_mask = VFS_STATX_BASIC_STATS | VFS_STATX_BTIME;
}

void tmpfs_touch(struct tmpfs_inode *i, bool mtime)
{
	i->ctime = tmpfs_now(i->fs);
	if (mtime)
		i->mtime = i->ctime;
}

/* Name regular file I's backing DIR/NAME (what /proc/PID/maps shows), or
 * "PATH (deleted)" once it has no name left, as Linux's d_path does. */
static void set_backing_path(struct tmpfs_inode *i, struct tmpfs_inode *dir, const char *name)
{
	char buf[sizeof(i->fb->path)], tmp[sizeof(i->fb->path)];
	if (!i->fb)
		return;
	if (!dir) {
		size_t n = strlen(i->fb->path);
		if (!strstr(i->fb->path, " (deleted)") && n + 11 <= sizeof(i->fb->path))
			memcpy(i->fb->path + n, " (deleted)", 11);
		return;
	}
	if (snprintf(buf, sizeof(buf), "/%s", name) >= (int)sizeof(buf))
		buf[sizeof(buf) - 1] = '\0';
	for (struct tmpfs_inode *d = dir; d && d != d->fs->root; d = d->parent) {
		const char *dn = "?";
		for (struct tmpfs_dirent *e = d->parent ? d->parent->children : NULL; e; e = e->next)
			if (e->inode == d)
				dn = e->name;
		if (snprintf(tmp, sizeof(tmp), "/%s%s", dn, buf) >= (int)sizeof(tmp))
			break; /* deeper than the 255 bytes a backing's name holds */
		memcpy(buf, tmp, sizeof(buf));
	}
	if (snprintf(i->fb->path, sizeof(i->fb->path), "%s%s", i->fs->mnt, buf) >= (int)sizeof(i->fb->path))
		i->fb->path[sizeof(i->fb->path) - 1] = '\0';
}

/* Add entry NAME -> I to directory DIR.  Returns 0 or -ENOMEM. */
static int dir_add(struct tmpfs_inode *dir, const char *name, struct tmpfs_inode *i)
{
	struct tmpfs_dirent *e = calloc(1, sizeof(*e));
	if (!e || !(e->name = strdup(name))) {
		free(e);
		return -ENOMEM;
	}
	e->inode = i;
	e->next = dir->children;
	dir->children = e;
	dir->nchildren++;
	i->nlink++;
	if (ifmt(i) == VFS_S_IFDIR) {
		i->parent = dir;
		dir->nlink++;
	}
	tmpfs_touch(dir, true);
	return 0;
}

/* Remove entry NAME from directory DIR (the inode is not freed).  Returns
 * the inode it named, or NULL. */
static struct tmpfs_inode *dir_del(struct tmpfs_inode *dir, const char *name)
{
	for (struct tmpfs_dirent **pe = &dir->children; *pe; pe = &(*pe)->next)
		if (!strcmp((*pe)->name, name)) {
			struct tmpfs_dirent *e = *pe;
			struct tmpfs_inode *i = e->inode;
			*pe = e->next;
			free(e->name);
			free(e);
			dir->nchildren--;
			i->nlink--;
			if (ifmt(i) == VFS_S_IFDIR) {
				dir->nlink--;
				i->nlink--; /* its "." */
			}
			tmpfs_touch(dir, true);
			tmpfs_touch(i, false);
			return i;
		}
	return NULL;
}

int tmpfs_mknod(struct tmpfs_inode *dir, const char *name, uint32_t mode, const char *target,
		struct tmpfs_inode **out)
{
	int err;
	struct tmpfs_inode *i;

	if (strlen(name) > TMPFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (dir->nlink == 0)
		return -ENOENT; /* removed while a process was in it */
	if (tmpfs_child(dir, name))
		return -EEXIST;
	i = tmpfs_new_inode(dir->fs, mode, &err);
	if (!i)
		return err;
	if (target && !(i->target = strdup(target)))
		goto nomem;
	if ((mode & 0170000) == VFS_S_IFDIR)
		i->nlink = 1; /* "."; the entry adds the other */
	if (dir_add(dir, name, i))
		goto nomem;
	set_backing_path(i, dir, name);
	*out = i;
	return 0;
nomem:
	i->nlink = 0;
	tmpfs_iput(i);
	return -ENOMEM;
}

int tmpfs_link(struct tmpfs_inode *dir, const char *name, struct tmpfs_inode *i)
{
	if (ifmt(i) == VFS_S_IFDIR)
		return -EPERM;
	if (strlen(name) > TMPFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (dir->nlink == 0 || i->nlink == 0)
		return -ENOENT;
	if (tmpfs_child(dir, name))
		return -EEXIST;
	if (dir_add(dir, name, i))
		return -ENOMEM;
	tmpfs_touch(i, false);
	return 0;
}

int tmpfs_remove(struct tmpfs_inode *dir, const char *name, bool rmdir)
{
	struct tmpfs_inode *i = tmpfs_child(dir, name);
	if (!i)
		return -ENOENT;
	if (rmdir && ifmt(i) != VFS_S_IFDIR)
		return -ENOTDIR;
	if (!rmdir && ifmt(i) == VFS_S_IFDIR)
		return -EISDIR;
	if (rmdir && i->children)
		return -ENOTEMPTY;
	dir_del(dir, name);
	if (i->nlink == 0)
		set_backing_path(i, NULL, NULL);
	tmpfs_iput(i);
	return 0;
}

/* True if directory A is D or an ancestor of D. */
static bool is_ancestor(const struct tmpfs_inode *a, const struct tmpfs_inode *d)
{
	for (; d; d = d->parent == d ? NULL : d->parent)
		if (d == a)
			return true;
	return false;
}

/* Retarget the entry NAME of DIR to I (RENAME_EXCHANGE). */
static void dir_set(struct tmpfs_inode *dir, const char *name, struct tmpfs_inode *i)
{
	for (struct tmpfs_dirent *e = dir->children; e; e = e->next)
		if (!strcmp(e->name, name))
			e->inode = i;
	if (ifmt(i) == VFS_S_IFDIR)
		i->parent = dir;
}

/*
 * Linux's vfs_rename + shmem_rename2 checks, in their order: the source
 * must exist; a directory cannot move below itself (EINVAL); with a
 * target: NOREPLACE gives EEXIST, a directory over a non-directory
 * ENOTDIR, a non-directory over a directory EISDIR, a non-empty target
 * directory ENOTEMPTY; renaming onto the same inode does nothing.
 */
int tmpfs_rename(struct tmpfs_inode *odir, const char *oname, struct tmpfs_inode *ndir, const char *nname,
		 unsigned flags)
{
	struct tmpfs_inode *old = tmpfs_child(odir, oname), *tgt;
	if (!old)
		return -ENOENT;
	if (strlen(nname) > TMPFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (ndir->nlink == 0)
		return -ENOENT;
	tgt = tmpfs_child(ndir, nname);
	if (flags & 2) { /* RENAME_EXCHANGE */
		if (!tgt)
			return -ENOENT;
		if ((ifmt(old) == VFS_S_IFDIR && is_ancestor(old, ndir)) ||
		    (ifmt(tgt) == VFS_S_IFDIR && is_ancestor(tgt, odir)))
			return -EINVAL;
		if (old == tgt)
			return 0;
		dir_set(odir, oname, tgt);
		dir_set(ndir, nname, old);
		if (odir != ndir && (ifmt(old) == VFS_S_IFDIR) != (ifmt(tgt) == VFS_S_IFDIR)) {
			int d = ifmt(old) == VFS_S_IFDIR ? 1 : -1;
			ndir->nlink += d;
			odir->nlink -= d;
		}
		tmpfs_touch(odir, true);
		tmpfs_touch(ndir, true);
		tmpfs_touch(old, false);
		tmpfs_touch(tgt, false);
		return 0;
	}
	if (ifmt(old) == VFS_S_IFDIR && is_ancestor(old, ndir))
		return -EINVAL;
	if (tgt) {
		if (flags & 1)
			return -EEXIST;
		if (old == tgt)
			return 0;
		if (ifmt(old) == VFS_S_IFDIR && ifmt(tgt) != VFS_S_IFDIR)
			return -ENOTDIR;
		if (ifmt(old) != VFS_S_IFDIR && ifmt(tgt) == VFS_S_IFDIR)
			return -EISDIR;
		if (tgt->children)
			return -ENOTEMPTY;
	}
	char *name = strdup(nname);
	if (!name)
		return -ENOMEM;
	if (tgt) {
		dir_del(ndir, nname);
		tmpfs_iput(tgt);
	}
	/* move OLD's entry from ODIR to the head of NDIR under its new name */
	struct tmpfs_dirent **pe = &odir->children;
	while (strcmp((*pe)->name, oname))
		pe = &(*pe)->next;
	struct tmpfs_dirent *e = *pe;
	*pe = e->next;
	free(e->name);
	e->name = name;
	e->next = ndir->children;
	ndir->children = e;
	odir->nchildren--;
	ndir->nchildren++;
	if (ifmt(old) == VFS_S_IFDIR) {
		odir->nlink--;
		ndir->nlink++;
		old->parent = ndir;
	}
	tmpfs_touch(odir, true);
	tmpfs_touch(ndir, true);
	tmpfs_touch(old, false);
	set_backing_path(old, ndir, nname);
	return 0;
}

void unmap_mapping_range(struct sim *s, struct file_backing *fb, uint64_t from)
{
	struct list_head *pos;

	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		struct mm_struct *mm = t->mm;
		struct list_head *l;
		if (!mm || !mm->pt_ops)
			continue;
		list_for_each(l, &mm->mmap) {
			struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_list);
			uint64_t first = v->vm_pgoff, last = v->vm_pgoff + ((v->vm_end - v->vm_start) >> PAGE_SHIFT);
			if (v->vm_file != fb || last <= from)
				continue;
			uint64_t start = v->vm_start + ((from > first ? from - first : 0) << PAGE_SHIFT);
			mm->pt_ops->zap_range(s->mem, mm, v, start, v->vm_end);
		}
	}
}

int tmpfs_setsize(struct tmpfs_inode *i, uint64_t size)
{
	struct sim *s = i->fs->sim;
	if (size > SHMEM_MAX_FILESIZE)
		return -EFBIG;
	if (size < i->fb->size)
		unmap_mapping_range(s, i->fb, (size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	int rc = shmem_setsize(s->mem, i->fb, size);
	if (rc == 0)
		tmpfs_touch(i, true);
	return rc;
}

#define MAX_RW_COUNT 0x7ffff000ULL

long tmpfs_read(struct tmpfs_inode *i, const struct iobuf *io, uint64_t len, uint64_t *pos)
{
	static const uint8_t zeros[PAGE_SIZE];
	struct memsys *m = i->fs->sim->mem;
	uint64_t size = i->fb->size, done = 0, n;

	if (*pos >= size || len == 0)
		return 0;
	n = size - *pos < len ? size - *pos : len;
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	while (done < n) {
		uint64_t at = *pos + done, off = at & (PAGE_SIZE - 1);
		size_t c = PAGE_SIZE - off < n - done ? (size_t)(PAGE_SIZE - off) : (size_t)(n - done);
		struct page *p = NULL;
		int rc = shmem_get_page(m, i->fb, at >> PAGE_SHIFT, SGP_READ, &p); /* swaps in */
		if (rc) {
			if (!done)
				return rc;
			break;
		}
		rc = iob_copy_to(io, done, p ? (uint8_t *)page_address(m, p) + off : zeros, c);
		if (p)
			put_page(m, p);
		if (rc)
			break;
		done += c;
	}
	if (!done)
		return -EFAULT;
	*pos += done;
	/* relatime: the access time moves when it is older than the last change */
	if (i->atime.sec < i->mtime.sec || (i->atime.sec == i->mtime.sec && i->atime.nsec < i->mtime.nsec) ||
	    i->atime.sec < i->ctime.sec || (i->atime.sec == i->ctime.sec && i->atime.nsec < i->ctime.nsec))
		i->atime = tmpfs_now(i->fs);
	return (long)done;
}

long tmpfs_write(struct tmpfs_inode *i, const struct iobuf *io, uint64_t len, uint64_t *pos, bool append)
{
	struct memsys *m = i->fs->sim->mem;
	struct file_backing *fb = i->fb;
	uint64_t done = 0, n = len < MAX_RW_COUNT ? len : MAX_RW_COUNT;
	long err = 0;

	if (append)
		*pos = fb->size;
	if (n == 0)
		return 0;
	if (*pos >= SHMEM_MAX_FILESIZE)
		return -EFBIG;
	if (n > SHMEM_MAX_FILESIZE - *pos)
		n = SHMEM_MAX_FILESIZE - *pos;
	while (done < n) {
		uint64_t at = *pos + done, off = at & (PAGE_SIZE - 1), idx = at >> PAGE_SHIFT;
		size_t c = PAGE_SIZE - off < n - done ? (size_t)(PAGE_SIZE - off) : (size_t)(n - done);
		struct page *p;
		bool fresh = !find_page(fb, idx);
		err = shmem_get_page(m, fb, idx, SGP_WRITE, &p);
		if (err)
			break;
		if (iob_copy_from(io, done, (uint8_t *)page_address(m, p) + off, c)) {
			put_page(m, p);
			err = -EFAULT;
			if (fresh && idx >= file_nr_pages(fb)) /* a page past EOF holds nothing */
				delete_from_page_cache(m, fb, idx, p);
			break;
		}
		SetPageDirty(p);
		put_page(m, p);
		done += c;
		if (at + c > fb->size)
			fb->size = at + c;
	}
	if (!done)
		return err;
	*pos += done;
	tmpfs_touch(i, true);
	return (long)done;
}

int tmpfs_snapshot(struct vfs_file *vf)
{
	struct tmpfs_inode *i = vf->tmp;
	uint64_t pos = 0, size = i->fb->size;
	uint8_t *d = malloc(size ? size : 1);
	if (!d)
		return -ENOMEM;
	struct iobuf io = iob_kernel(d);
	if (size && tmpfs_read(i, &io, size, &pos) != (long)size) {
		free(d);
		return -ENOMEM;
	}
	free(vf->data);
	vf->data = d;
	vf->size = size;
	return 0;
}

static uint8_t dtype_of(const struct tmpfs_inode *i)
{
	switch (ifmt(i)) {
	case VFS_S_IFDIR: return DT_DIR;
	case VFS_S_IFLNK: return DT_LNK;
	case VFS_S_IFIFO: return DT_FIFO;
	case VFS_S_IFSOCK: return DT_SOCK;
	case VFS_S_IFCHR: return DT_CHR;
	default: return DT_REG;
	}
}

int tmpfs_reload_dir(struct vfs_file *vf)
{
	struct tmpfs_inode *d = vf->tmp;
	size_t n = 2 + d->nchildren, k = 0;
	struct vfs_dirent *ents = calloc(n, sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	ents[k++] = (struct vfs_dirent){ d->ino, 1, DT_DIR, strdup(".") };
	ents[k++] = (struct vfs_dirent){ d->parent ? d->parent->ino : d->ino, 2, DT_DIR, strdup("..") };
	for (struct tmpfs_dirent *e = d->children; e && k < n; e = e->next, k++)
		ents[k] = (struct vfs_dirent){ e->inode->ino, (int64_t)k + 1, dtype_of(e->inode), strdup(e->name) };
	for (size_t j = 0; j < k; j++)
		if (!ents[j].name) {
			for (size_t q = 0; q < k; q++)
				free(ents[q].name);
			free(ents);
			return -ENOMEM;
		}
	for (size_t j = 0; j < vf->nents; j++)
		free(vf->ents[j].name);
	free(vf->ents);
	vf->ents = ents;
	vf->nents = k;
	tmpfs_stat(d, &vf->st);
	return 0;
}

/* --- the vfs operations --- */

static int tmpfs_vfs_lstat(void *fs, const char *rel, struct vfs_stat *st)
{
	int err;
	struct tmpfs_inode *i = tmpfs_lookup(fs, rel, &err);
	if (!i) {
		memset(st, 0, sizeof(*st));
		return err == -ENAMETOOLONG ? -ENOENT : err;
	}
	tmpfs_stat(i, st);
	return 0;
}

static long tmpfs_vfs_readlink(void *fs, const char *rel, char *buf, size_t len)
{
	int err;
	struct tmpfs_inode *i = tmpfs_lookup(fs, rel, &err);
	if (!i)
		return err == -ENOTDIR ? -ENOENT : err;
	if (ifmt(i) != VFS_S_IFLNK)
		return -EINVAL;
	size_t n = strlen(i->target);
	if (n > len)
		n = len;
	memcpy(buf, i->target, n);
	return (long)n;
}

/* Drop an open file's hold on its inode (vfs_file release). */
static void tmpfs_release(struct vfs_file *vf)
{
	struct tmpfs_inode *i = vf->tmp;
	if (vf->backing)
		file_backing_put(vf->backing_mem, vf->backing);
	vf->backing = NULL;
	i->opens--;
	tmpfs_iput(i);
}

static int tmpfs_vfs_open(void *p, const char *rel, const char *path, struct vfs_file **out)
{
	struct tmpfs *fs = p;
	int err;
	struct tmpfs_inode *i = tmpfs_lookup(fs, rel, &err);
	struct vfs_file *vf;

	if (!i)
		return err;
	if (ifmt(i) == VFS_S_IFLNK)
		return -ELOOP;
	vf = vfs_file_new(path, i->mode, NULL, 0);
	if (!vf)
		return -ENOMEM;
	vf->tmp = i;
	if (ifmt(i) == VFS_S_IFDIR && tmpfs_reload_dir(vf)) {
		vf->tmp = NULL;
		vfs_file_put(vf);
		return -ENOMEM;
	}
	i->opens++;
	vf->release = tmpfs_release;
	if (i->fb) {
		vf->backing = file_backing_get(i->fb);
		vf->backing_mem = fs->sim->mem;
	}
	tmpfs_stat(i, &vf->st);
	*out = vf;
	return 0;
}

const struct vfs_fs_ops tmpfs_vfs_ops = {
	.lstat = tmpfs_vfs_lstat,
	.readlink = tmpfs_vfs_readlink,
	.open = tmpfs_vfs_open,
	.destroy = tmpfs_destroy,
};

/* A tmpfs of MAX_BLOCKS pages and MAX_INODES inodes for mount point MNT on
 * device 0:DEV_MINOR, its root directory of MODE.  NULL out of memory. */
static struct tmpfs *tmpfs_create(struct sim *s, const char *mnt, uint32_t dev_minor, unsigned long max_blocks,
				  unsigned long max_inodes, uint32_t mode)
{
	struct tmpfs *fs = calloc(1, sizeof(*fs));
	int err;
	if (!fs)
		return NULL;
	snprintf(fs->mnt, sizeof(fs->mnt), "%s", mnt);
	fs->dev_minor = dev_minor;
	fs->sim = s;
	fs->next_ino = 1;
	fs->sb = shmem_sb_create(max_blocks, max_inodes);
	if (!fs->sb || !(fs->root = tmpfs_new_inode(fs, VFS_S_IFDIR | mode, &err))) {
		shmem_sb_put(fs->sb);
		free(fs);
		return NULL;
	}
	fs->root->nlink = 2;
	return fs;
}

int tmpfs_mount_defaults(struct sim *s, char *err, size_t errlen)
{
	static const struct {
		const char *dir;
		uint32_t dev;
	} mnts[] = { { "/dev/shm", VFS_ANON_DEV_SHM }, { "/tmp", VFS_ANON_DEV_TMP } };
	unsigned long ram = s->mem->totalram_pages;
	unsigned long blocks = s->cfg.tmpfs_size ? (unsigned long)((s->cfg.tmpfs_size + PAGE_SIZE - 1) >> PAGE_SHIFT)
			       : s->cfg.tmpfs_size_pct ? (unsigned long)((uint64_t)ram * s->cfg.tmpfs_size_pct / 100)
						       : ram / 2;
	if (!blocks)
		blocks = 1;
	for (size_t k = 0; k < sizeof(mnts) / sizeof(mnts[0]); k++) {
		struct tmpfs *fs = tmpfs_create(s, mnts[k].dir, mnts[k].dev, blocks, ram / 2, 01777);
		if (!fs || vfs_mount(s->procs->vfs, mnts[k].dir, &tmpfs_vfs_ops, fs)) {
			if (fs)
				tmpfs_destroy(fs);
			snprintf(err, errlen, "tmpfs %s: out of memory", mnts[k].dir);
			return -1;
		}
	}
	return 0;
}

struct tmpfs *tmpfs_of(struct sim *s, const char *p, const char **rel)
{
	return s->procs && s->procs->vfs ? vfs_mount_of(s->procs->vfs, p, rel) : NULL;
}

const struct shmem_sb_info *tmpfs_sb(const struct tmpfs *fs)
{
	return fs->sb;
}

uint32_t tmpfs_dev_minor(const struct tmpfs *fs)
{
	return fs->dev_minor;
}
