/* sim/sys_fadvise.c - fadvise64 (posix_fadvise): Linux's checks and
 * errno values (EBADF, ESPIPE for a pipe or the stdout/stderr fifos,
 * EINVAL for a negative length or an unknown advice); the advice itself
 * changes nothing, as the root's files are read-only images whose page
 * cache the vfs fills (sort and cp give POSIX_FADV_SEQUENTIAL). */
#include <errno.h>

#include "sim/sys_internal.h"

#define POSIX_FADV_NOREUSE_ 5 /* the highest advice */

SYSCALL_DEFINE(fadvise64)
{
	(void)s;
	struct file *f = fget(t, (long)(int)a[0]);
	if (!f)
		return -EBADF;
	if (file_is_pipe(f) || f->kind == FILE_STDOUT || f->kind == FILE_STDERR ||
	    (f->kind == FILE_STDIN && !f->vf))
		return -ESPIPE;
	if ((int64_t)a[2] < 0 || a[3] > POSIX_FADV_NOREUSE_)
		return -EINVAL;
	return 0;
}
