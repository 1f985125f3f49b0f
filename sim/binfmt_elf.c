/* sim/binfmt_elf.c - the ELF interpreter of a dynamically linked program
 * (the PT_INTERP part of Linux's load_elf_binary).
 *
 * The interpreter (ld.so) is opened as execve opens a program - inside the
 * root, relative to the cwd, a regular file with an x bit - and read
 * whole; its checks split at Linux's point of no return: what Linux tests
 * before it (ELF magic, machine, program header table) refuses the exec
 * with ELIBBAD and leaves the caller's image intact; what load_elf_interp()
 * finds wrong after it (type, segments) kills the task with SIGSEGV once the
 * old image is gone (task_exec).  Its pages are the page cache of the file,
 * shared by every process that runs it.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/elf_load.h"
#include "sim/sys_internal.h"
#include "sim/vfs.h"

int open_elf_interp(struct sim *s, struct task *t, const struct elf_image *img, struct elf_interp *in, char *err,
		    size_t errlen)
{
	char canon[VFS_PATH_MAX];
	struct vfs_file *vf = NULL;

	memset(in, 0, sizeof(*in));
	long rc = open_exec(s, t, -100, img->interp, canon, &vf);
	if (rc) {
		snprintf(err, errlen, "%s: cannot open its ELF interpreter %s: %s", img->path, img->interp,
			 strerror((int)-rc));
		return (int)rc;
	}
	if (vf->size < sizeof(Elf64_Ehdr)) { /* Linux's elf_read of the header: a short read */
		vfs_file_put(vf);
		snprintf(err, errlen, "%s: its ELF interpreter %s is shorter than an ELF header", img->path, img->interp);
		return -EIO;
	}
	uint8_t *copy = malloc(vf->size ? vf->size : 1);
	if (!copy) {
		vfs_file_put(vf);
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	memcpy(copy, vf->data, vf->size);
	char why[400];
	int v = elf_interp_from_memory(canon, copy, vf->size, &in->img, why, sizeof(why));
	if (v == ELF_BAD_INTERP) {
		vfs_file_put(vf);
		snprintf(err, errlen, "%s: bad ELF interpreter: %s", img->path, why);
		return -ELIBBAD;
	}
	if (v != 0) {
		vfs_file_put(vf);
		snprintf(in->late_error, sizeof(in->late_error), "its ELF interpreter cannot be loaded: %s", why);
		return 0;
	}
	if (!vfs_file_backing(s, vf)) {
		elf_image_free(&in->img);
		vfs_file_put(vf);
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	in->vf = vf;
	return 0;
}

void close_elf_interp(struct elf_interp *in)
{
	if (in->vf) {
		elf_image_free(&in->img);
		vfs_file_put(in->vf);
	}
	memset(in, 0, sizeof(*in));
}
