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
#include <string.h>

#include "sim/pipe.h"
#include "sim/sys_internal.h"

#define PROC_DEV 0x16 /* st_dev 0:22, proc's */

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

/* Q's open file FD, or NULL. */
static struct file *task_file(struct task *q, int fd)
{
	return fd >= 0 && fd < TASK_MAX_FDS && q->files ? q->files->fd[fd] : NULL;
}

int procfd_stat(struct task *q, int fd, const char *p, struct vfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = vfs_ino(p);
	st->mtime_sec = MMSIM_EPOCH;
	st->dev = PROC_DEV;
	if (fd < 0) {
		st->mode = VFS_S_IFDIR | 0500;
		st->nlink = 2;
		for (int i = 0; i < TASK_MAX_FDS; i++)
			st->size += task_file(q, i) != NULL;
		return 0;
	}
	struct file *f = task_file(q, fd);
	if (!f)
		return -ENOENT;
	static const uint32_t modes[] = { [O_RDONLY] = 0500, [O_WRONLY] = 0300, [O_RDWR] = 0700 };
	int acc = file_accmode(f);
	st->mode = VFS_S_IFLNK | (acc <= O_RDWR ? modes[acc] : 0700);
	st->nlink = 1;
	st->size = 64;
	return 0;
}

long procfd_readlink(struct task *q, int fd, char *buf, size_t len)
{
	char tmp[VFS_PATH_MAX + 32];
	struct file *f = task_file(q, fd);
	if (!f)
		return -ENOENT;
	switch (f->kind) {
	case FILE_PIPE_R:
	case FILE_PIPE_W: snprintf(tmp, sizeof(tmp), "pipe:[%llu]", (unsigned long long)f->pipe->ino); break;
	case FILE_STDOUT: snprintf(tmp, sizeof(tmp), "pipe:[2]"); break;
	case FILE_STDERR: snprintf(tmp, sizeof(tmp), "pipe:[3]"); break;
	case FILE_STDIN: snprintf(tmp, sizeof(tmp), "%s", f->vf ? f->vf->path : "/dev/null"); break;
	case FILE_REG:
	case FILE_DIR: snprintf(tmp, sizeof(tmp), "%s", f->vf->path); break;
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
	const char *names[TASK_MAX_FDS];
	uint8_t types[TASK_MAX_FDS];
	char nums[TASK_MAX_FDS][4];
	size_t n = 0;
	for (int i = 0; i < TASK_MAX_FDS; i++)
		if (task_file(q, i)) {
			snprintf(nums[n], sizeof(nums[n]), "%d", i);
			names[n] = nums[n];
			types[n++] = DT_LNK;
		}
	*out = vfs_dir_new(p, names, types, n);
	if (!*out)
		return -ENOMEM;
	(*out)->st.mode = VFS_S_IFDIR | 0500;
	(*out)->st.mtime_sec = MMSIM_EPOCH;
	(*out)->st.dev = PROC_DEV;
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
	switch (f->kind) {
	case FILE_PIPE_R:
	case FILE_PIPE_W: {
		bool writer = acc == O_WRONLY || (acc == O_RDWR && f->kind == FILE_PIPE_W);
		nf = file_alloc(writer ? FILE_PIPE_W : FILE_PIPE_R, nflags, NULL);
		if (!nf)
			return -ENOMEM;
		nf->pipe = f->pipe;
		pipe_open(f->pipe, writer);
		break;
	}
	case FILE_STDIN:
		if (!f->vf) {
			nf = file_alloc(FILE_NULL, nflags, NULL); /* empty stdin is /dev/null */
			break;
		}
		/* fallthrough */
	case FILE_REG:
		if (wants_write)
			return -EROFS;
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
