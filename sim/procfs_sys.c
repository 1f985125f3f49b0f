/* sim/procfs_sys.c - /proc/sys/vm/NAME and /proc/PID/oom_{score,score_adj,adj}
 * (see sim/procfs_sys.h).
 *
 * Reads are generated at open like every /proc file.  Writes go through
 * the handler Linux has for the file: the vm sysctls through
 * mm/sysctl_vm.c (proc_dointvec_minmax rules; a write at a non-zero file
 * position is ignored, as with sysctl_writes_strict=1), oom_score_adj
 * through oom_score_adj_write (blanks stripped, kstrtoint base 0, range
 * -1000..1000, applied to every process sharing the mm), oom_adj through
 * the legacy scale (-17..15, 15 meaning 1000).
 */
#include "sim/procfs_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mm/proc.h"
#include "mm/sysctl_vm.h"
#include "sim/oom_kill.h"
#include "sim/sys_internal.h"
#include "sim/vfs.h"

#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-17)
#define OOM_ADJUST_MAX 15

unsigned procfs_sys_mode(int pid, const char *rest)
{
	unsigned mode;

	if (pid) {
		if (!strcmp(rest, "oom_score"))
			return VFS_S_IFREG | 0444;
		if (!strcmp(rest, "oom_score_adj") || !strcmp(rest, "oom_adj"))
			return VFS_S_IFREG | 0644;
		return 0;
	}
	if (!strcmp(rest, "sys") || !strcmp(rest, "sys/vm"))
		return VFS_S_IFDIR | 0555;
	if (!strncmp(rest, "sys/vm/", 7) && vm_sysctl_exists(rest + 7, &mode))
		return VFS_S_IFREG | mode;
	return 0;
}

int procfs_sys_dir(const char *rest, const char **names, uint8_t *types, int max)
{
	int n = 0;
	if (!strcmp(rest, "sys")) {
		if (max < 1)
			return -1;
		names[0] = "vm";
		types[0] = 4; /* DT_DIR */
		return 1;
	}
	if (strcmp(rest, "sys/vm"))
		return -1;
	for (int i = 0; i < vm_sysctl_count() && n < max; i++) {
		names[n] = vm_sysctl_name(i);
		types[n++] = 8; /* DT_REG */
	}
	return n;
}

/* Linux's oom_adj read scale: oom_score_adj -1000..1000 as -17..15. */
static int oom_adj_of(int score_adj)
{
	return score_adj == OOM_SCORE_ADJ_MAX ? OOM_ADJUST_MAX : score_adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
}

int procfs_sys_generate(struct sim *s, struct task *p, const char *rest, struct strbuf *sb)
{
	if (p) {
		if (!strcmp(rest, "oom_score"))
			sb_printf(sb, "%lu\n", proc_oom_score(s, p));
		else if (!strcmp(rest, "oom_score_adj"))
			sb_printf(sb, "%d\n", p->oom_score_adj);
		else if (!strcmp(rest, "oom_adj"))
			sb_printf(sb, "%d\n", oom_adj_of(p->oom_score_adj));
		else
			return 1;
		return 0;
	}
	if (strncmp(rest, "sys/vm/", 7))
		return 1;
	/* a write-only file (drop_caches) opened for writing reads nothing */
	int rc = vm_sysctl_read(s->mem, rest + 7, sb);
	return rc == -ENOENT ? 1 : 0;
}

/* Split canonical /proc path P: pid (0 for none) and the rest. */
static bool split_proc(const char *p, int *pid, const char **rest)
{
	if (strncmp(p, "/proc/", 6))
		return false;
	p += 6;
	*pid = 0;
	if (*p >= '1' && *p <= '9') {
		char *e;
		long v = strtol(p, &e, 10);
		if (*e != '/' || v > INT_MAX)
			return false;
		*pid = (int)v;
		p = e + 1;
	}
	*rest = p;
	return true;
}

int procfs_may_open(struct sim *s, const char *p, int acc)
{
	int pid;
	const char *rest;
	unsigned mode;

	(void)s;
	if (!split_proc(p, &pid, &rest) || !(mode = procfs_sys_mode(pid, rest)) || (mode & 0170000) != VFS_S_IFREG)
		return acc == O_RDONLY ? 0 : -EROFS;
	if (acc != O_WRONLY && !(mode & 0400))
		return -EACCES; /* sysctl's test_perm: root gets the owner bits only */
	if (acc != O_RDONLY && !(mode & 0200))
		return -EACCES;
	return 0;
}

/* Linux's kstrtoint(strstrip(BUF), 0): the whole string one integer. */
static int kstrtoint_stripped(char *buf, int *out)
{
	char *p = buf, *e;
	size_t n = strlen(p);

	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\v' ||
		     p[n - 1] == '\f' || p[n - 1] == '\r'))
		p[--n] = '\0';
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\v' || *p == '\f' || *p == '\r')
		p++;
	if (!*p)
		return -EINVAL;
	const char *digits = (*p == '+' || *p == '-') ? p + 1 : p;
	if (*digits < '0' || *digits > '9')
		return -EINVAL;
	errno = 0;
	long long v = strtoll(p, &e, 0);
	if (*e)
		return -EINVAL;
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

/* oom_score_adj_write / oom_adj_write for the task at PID. */
static long write_oom_adj(struct sim *s, int pid, const char *rest, const struct iobuf *io, uint64_t len)
{
	char buf[13] = { 0 }; /* PROC_NUMBUF */
	size_t count = len > sizeof(buf) - 1 ? sizeof(buf) - 1 : (size_t)len;
	struct task *p = find_task_by_pid(s, pid);
	int v, err;

	if (iob_copy_from(io, 0, buf, count))
		return -EFAULT;
	err = kstrtoint_stripped(buf, &v);
	if (err)
		return err;
	if (!strcmp(rest, "oom_adj")) {
		if (v < OOM_ADJUST_MIN || v > OOM_ADJUST_MAX)
			return -EINVAL;
		v = v == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : v * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
	} else if (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX) {
		return -EINVAL;
	}
	if (!p || p->state == EXIT_DEAD)
		return -ESRCH;
	if (p->state == EXIT_ZOMBIE || !p->mm) {
		p->oom_score_adj = v;
		return (long)count;
	}
	/* __set_oom_adj: every process sharing the mm (not a vfork child) */
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *q = list_entry(pos, struct task, tasks);
		if (q == p || (q->mm == p->mm && q->state < EXIT_ZOMBIE && !q->vfork_child && !p->vfork_child))
			q->oom_score_adj = v;
	}
	return (long)count;
}

long procfs_write(struct sim *s, struct task *t, struct file *f, const struct iobuf *io, uint64_t len)
{
	int pid;
	const char *rest;

	(void)t;
	if (!f->vf || !split_proc(f->vf->path, &pid, &rest))
		return -EBADF;
	if (pid)
		return write_oom_adj(s, pid, rest, io, len);
	if (strncmp(rest, "sys/vm/", 7))
		return -EBADF;
	if (f->pos)
		return 0; /* sysctl_writes_strict: only a write at offset 0 counts */
	if (len > 65536)
		len = 65536;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	if (iob_copy_from(io, 0, buf, (size_t)len)) {
		free(buf);
		return -EFAULT;
	}
	long n = vm_sysctl_write(s->mem, rest + 7, buf, (size_t)len);
	free(buf);
	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}
