/* sim/sys_mm.c - the memory system calls: thin wrappers over mm/mmap.h
 * (which has Linux's semantics and errno values) for the calling task's
 * address space.  File mappings use the page cache of the vfs file
 * (struct vfs_file.backing), created on first mmap or exec. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "sim/sys_internal.h"
#include "sim/vfs.h"

static void release_backing(struct vfs_file *vf)
{
	file_backing_put(vf->backing_mem, vf->backing);
	vf->backing = NULL;
}

struct file_backing *vfs_file_backing(struct sim *s, struct vfs_file *vf)
{
	if (!vf->backing) {
		vf->backing = file_backing_create(vf->path, vf->data, vf->size, false);
		if (!vf->backing)
			return NULL;
		vf->backing->dev_major = vf->st.dev_major;
		vf->backing->dev_minor = vf->st.dev_minor;
		vf->backing->ino = vf->st.ino;
		vf->backing_mem = s->mem;
		vf->release = release_backing;
		if (s->cfg.page_cache == PAGE_CACHE_WARM)
			filemap_populate(s->mem, vf->backing); /* best effort */
	}
	return vf->backing;
}

SYSCALL_DEFINE(mmap)
{
	uint64_t addr = a[0], len = a[1], off = a[5], out = 0;
	unsigned long prot = a[2], flags = a[3];
	struct file_backing *fb = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fget(t, (long)(int)a[4]);
		if (!f)
			return -EBADF;
		if (f->kind == FILE_ZERO) { /* /dev/zero: anonymous memory (shared: shmem) */
			flags |= MAP_ANONYMOUS;
			off = 0;
		} else if (file_is_pipe(f)) {
			/* do_mmap's access checks (a shared writable map needs
			 * FMODE_WRITE, any map FMODE_READ), then pipes and FIFOs
			 * have no ->mmap */
			if (f->kind == FILE_PIPE_W ||
			    ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && f->kind == FILE_PIPE_R))
				return -EACCES;
			return -ENODEV;
		} else if (f->kind != FILE_REG) {
			return f->kind == FILE_DIR ? -ENODEV : -EACCES;
		} else {
			/* do_mmap's file checks: readable, and O_RDWR for a writable shared map */
			if ((f->flags & O_ACCMODE) == O_WRONLY)
				return -EACCES;
			if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && (f->flags & O_ACCMODE) != O_RDWR)
				return -EACCES;
			fb = vfs_file_backing(s, f->vf);
			if (!fb)
				return -ENOMEM;
		}
	}
	int rc = vm_mmap(s->mem, t->mm, addr, len, prot, flags, fb, off, &out);
	return rc < 0 ? rc : (long)out;
}

SYSCALL_DEFINE(munmap)
{
	return do_munmap(s->mem, t->mm, a[0], a[1]);
}

SYSCALL_DEFINE(mprotect)
{
	return do_mprotect(s->mem, t->mm, a[0], a[1], a[2]);
}

SYSCALL_DEFINE(mremap)
{
	uint64_t out = 0;
	int rc = do_mremap(s->mem, t->mm, a[0], a[1], a[2], a[3], a[4], &out);
	return rc < 0 ? rc : (long)out;
}

SYSCALL_DEFINE(madvise)
{
	return do_madvise(s->mem, t->mm, a[0], a[1], (int)a[2]);
}

SYSCALL_DEFINE(brk)
{
	return (long)do_brk(s->mem, t->mm, a[0]);
}

SYSCALL_DEFINE(mincore)
{
	uint64_t len = a[1];
	if (a[0] & (PAGE_SIZE - 1))
		return -EINVAL;
	uint64_t pages = (len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (len > TASK_SIZE)
		return -ENOMEM;
	unsigned char *vec = malloc(pages ? pages : 1);
	if (!vec)
		return -ENOMEM;
	int rc = do_mincore(s->mem, t->mm, a[0], len, vec);
	if (rc == 0 && pages && copy_to_user(t->eng, a[2], vec, pages))
		rc = -EFAULT;
	free(vec);
	return rc;
}

/* msync: nothing is ever dirty on a read-only root; check the range. */
SYSCALL_DEFINE(msync)
{
	(void)s;
	if ((a[0] & (PAGE_SIZE - 1)) || (a[2] & ~7ULL))
		return -EINVAL;
	uint64_t end = PAGE_ALIGN(a[0] + a[1]);
	for (uint64_t addr = a[0]; addr < end;) {
		struct vm_area_struct *v = find_vma(t->mm, addr);
		if (!v || v->vm_start > addr)
			return -ENOMEM;
		addr = v->vm_end;
	}
	return 0;
}

