/* sim/proc_fd.c - /proc/PID/fd: one "magic" link per open descriptor
 * (Linux: fs/proc/fd.c).
 *
 * The directory is dr-x------ and lists the descriptor numbers; each link
 * is lr-x------, l-wx------ or lrwx------ after the descriptor's access
 * mode, size 64, and reads as what it refers to: "pipe:[INO]" for a pipe
 * (the guest's stdout and stderr are pipes 2 and 3, as fstat says),
 * "/dev/null" and the like for devices, the guest path of a file.
 * Opening the link does not resolve that text: it opens what the
 * descriptor refers to (procfd_open), so /dev/fd/63 of bash's process
 * substitution reads the same pipe.  procfs.c parses the paths and calls
 * in here; /dev/fd and /dev/std{in,out,err} lead here (sim/devfs.c).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pipe.h"
#include "sim/sys_internal.h"
#include "sim/tmpfs.h"

/* The access mode F was opened with, as fcntl(F_GETFL) reports it. */
static int file_accmode(const struct file *f)
{
	switch (f->kind) {
	case FILE_STDOUT:
	case FILE_STDERR:
	case FILE_PIPE_W: return O_WRONLY;
	case FILE_STDIN:
	case FILE_PIPE_R: return O_RDONLY;
	default: return f->flags & O_ACCMODE;
	}
}

/* The number of Q's open descriptors. */
static size_t task_nr_open(struct task *q)
{
	size_t n = 0;
	for (unsigned int i = 0; q->files && i < q->files->max_fds; i++)
		n += q->files->fd[i] != NULL;
	return n;
}

int procfd_stat(struct task *q, int fd, const char *p, struct vfs_stat *st)
{
	if (fd < 0) {
		vfs_stat_virtual(st, p, VFS_S_IFDIR | 0500, task_nr_open(q), VFS_ANON_DEV_PROC);
		st->nlink = 2;
		st->blocks = 0; /* /proc allocates nothing */
		return 0;
	}
	struct file *f = fget(q, fd);
	if (!f)
		return -ENOENT;
	static const uint32_t modes[] = { [O_RDONLY] = 0500, [O_WRONLY] = 0300, [O_RDWR] = 0700 };
	int acc = file_accmode(f);
	vfs_stat_virtual(st, p, VFS_S_IFLNK | (acc <= O_RDWR ? modes[acc] : 0700), 64, VFS_ANON_DEV_PROC);
	st->blocks = 0;
	return 0;
}

long procfd_readlink(struct task *q, int fd, char *buf, size_t len)
{
	char tmp[VFS_PATH_MAX + 32];
	struct file *f = fget(q, fd);
	if (!f)
		return -ENOENT;
	switch (f->kind) {
	case FILE_PIPE_R:
	case FILE_PIPE_W:
	case FILE_PIPE_RW:
	case FILE_PATH:
		if (f->vf) /* a FIFO or O_PATH node: its path, as for a file */
			snprintf(tmp, sizeof(tmp), "%s%s", f->vf->path, f->vf->tmp->nlink == 0 ? " (deleted)" : "");
		else
			snprintf(tmp, sizeof(tmp), "pipe:[%llu]", (unsigned long long)f->pipe->ino);
		break;
	case FILE_STDOUT: snprintf(tmp, sizeof(tmp), "pipe:[2]"); break;
	case FILE_STDERR: snprintf(tmp, sizeof(tmp), "pipe:[3]"); break;
	case FILE_STDIN: snprintf(tmp, sizeof(tmp), "%s", f->vf ? f->vf->path : "/dev/null"); break;
	case FILE_REG:
	case FILE_DIR:
		snprintf(tmp, sizeof(tmp), "%s%s", f->vf->path,
			 f->vf->tmp && f->vf->tmp->nlink == 0 ? " (deleted)" : ""); /* d_path of an unlinked file */
		break;
	default: snprintf(tmp, sizeof(tmp), "%s", devfs_kind_path(f->kind)); break;
	}
	size_t n = strlen(tmp);
	if (n > len)
		n = len;
	memcpy(buf, tmp, n);
	return (long)n;
}

int procfd_open_dir(struct task *q, const char *p, struct vfs_file **out)
{
	size_t nr = task_nr_open(q), n = 0;
	const char **names = malloc((nr + 1) * sizeof(*names));
	uint8_t *types = malloc(nr + 1);
	char (*nums)[12] = malloc((nr + 1) * sizeof(*nums));
	for (unsigned int i = 0; names && types && nums && q->files && i < q->files->max_fds; i++)
		if (q->files->fd[i]) {
			snprintf(nums[n], sizeof(nums[n]), "%u", i);
			names[n] = nums[n];
			types[n++] = DT_LNK;
		}
	*out = names && types && nums ? vfs_dir_new(p, names, types, n) : NULL;
	free(names);
	free(types);
	free(nums);
	if (!*out)
		return -ENOMEM;
	procfd_stat(q, -1, p, &(*out)->st);
	return 0;
}

long procfd_open(struct sim *s, struct task *t, struct file *f, int flags, struct file **out)
{
	int acc = flags & O_ACCMODE;
	bool wants_write = acc != O_RDONLY || (flags & O_TRUNC);
	int nflags = flags & ~(O_CREAT | O_EXCL | O_TRUNC);
	struct vfs_file *vf = NULL;
	struct file *nf;
	*out = NULL;
	if ((flags & O_DIRECTORY) && f->kind != FILE_DIR)
		return -ENOTDIR;
	if ((file_is_pipe(f) || f->kind == FILE_PATH) && f->vf) {
		if ((f->vf->st.mode & 0170000) != VFS_S_IFIFO)
			return -ENXIO; /* a socket or the whiteout device */
		/* a FIFO: opened again through its inode, with fifo_open's rules */
		vfs_file_get(f->vf);
		return fifo_open(t, f->vf, flags, out);
	}
	switch (f->kind) {
	case FILE_PIPE_R:
	case FILE_PIPE_W: {
		bool writer = acc == O_WRONLY || (acc == O_RDWR && f->kind == FILE_PIPE_W);
		nf = file_alloc(writer ? FILE_PIPE_W : FILE_PIPE_R, nflags, NULL);
		if (!nf)
			return -ENOMEM;
		nf->pipe = f->pipe;
		pipe_get(f->pipe, writer);
		break;
	}
	case FILE_STDIN:
		if (!f->vf) {
			nf = file_alloc(FILE_NULL, nflags, NULL); /* empty stdin is /dev/null */
			break;
		}
		/* fallthrough */
	case FILE_REG:
		if (wants_write && !(f->kind == FILE_REG && f->vf->tmp))
			return -EROFS;
		if (f->kind == FILE_REG && f->vf->tmp && (nflags & O_TRUNC) && tmpfs_setsize(f->vf->tmp, 0))
			return -EFBIG;
		if (f->kind == FILE_REG && !strncmp(f->vf->path, "/proc/", 6)) {
			long rc = procfs_open(s, t, f->vf->path, &vf); /* generated again, as Linux */
			if (rc)
				return rc;
		} else {
			vf = f->vf;
			vfs_file_get(vf);
		}
		nf = file_alloc(f->kind, nflags, vf);
		if (!nf)
			vfs_file_put(vf);
		break;
	case FILE_DIR:
		if (wants_write)
			return -EISDIR;
		vfs_file_get(f->vf);
		nf = file_alloc(FILE_DIR, nflags, f->vf);
		if (!nf)
			vfs_file_put(f->vf);
		break;
	default: /* stdout, stderr, devices: the same output or device */
		nf = file_alloc(f->kind, nflags, NULL);
		break;
	}
	*out = nf;
	return nf ? 0 : -ENOMEM;
}
