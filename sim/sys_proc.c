/* sim/sys_proc.c - execve, exit, wait, ids, limits, rusage, arch_prctl.
 *
 * execve builds the whole new image (a fresh mm from exec_build_mm and a
 * fresh engine) before touching the old one, so every failure - missing
 * file, bad ELF (ENOEXEC), arguments too large (E2BIG), no memory - returns
 * to the caller with its image intact.  The old engine stops when the
 * syscall returns and is freed by the scheduler; the old mm is dropped
 * after the slice (task->mm_to_drop).  "#!" scripts are followed to their
 * interpreter first (sim/binfmt_script.c), a dynamically linked program
 * brings its ELF interpreter (sim/binfmt_elf.c); a program Linux would run
 * but mmsim cannot (32-bit: ENOEXEC) is listed in the run summary's exec
 * refusals.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <string.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mmu/memory.h"
#include "mmu/mmu.h"
#include "sim/binfmt_script.h"
#include "sim/elf_load.h"
#include "sim/exec.h"
#include "sim/sys_internal.h"
#include "sim/tmpfs.h"
#include "sim/wait.h"
#include "sim/vfs.h"

#define MAX_ARGS 4096
#define RLIMIT_NLIMITS_ 16
#define RLIM_INF (~0ULL)

#define THREAD_SIZE (16ULL << 10)  /* x86-64 kernel stacks */
#define MIN_THREADS 20
#define MAX_THREADS 0x3fffffffULL  /* FUTEX_TID_MASK */

/* Linux's set_max_threads() for the simulated RAM: thread structures may
 * take at most 1/8 of memory, clamped to [MIN_THREADS, MAX_THREADS].
 * (Linux counts memblock memory less reserved at boot; MemTotal is the
 * simulator's equivalent.) */
static uint64_t max_threads(const struct sim *s)
{
	uint64_t threads = (uint64_t)s->mem->totalram_pages * PAGE_SIZE / (THREAD_SIZE * 8);
	return threads < MIN_THREADS ? MIN_THREADS : threads > MAX_THREADS ? MAX_THREADS : threads;
}

/*
 * The limits of a fresh root login on Debian 12 (Linux 6.1 with systemd
 * 252) on a machine with the simulated RAM: the kernel's INIT_RLIMITS,
 * with NPROC and SIGPENDING = max_threads / 2 as fork_init() sets them,
 * and systemd's defaults on top (core 0 soft, NOFILE 1024 soft / 512 Ki
 * hard).  RLIMIT_NPROC is not enforced for uid 0, as on Linux; the
 * simulator's own task limit (--max-procs) plays kernel.threads-max.
 */
void task_init_rlimits(struct sim *s, struct task *t)
{
	uint64_t nproc = max_threads(s) / 2;
	for (int i = 0; i < RLIMIT_NLIMITS_; i++)
		t->signal->rlim[i].cur = t->signal->rlim[i].max = RLIM_INF;
	t->signal->rlim[RLIMIT_STACK].cur = DEFAULT_STACK_RLIMIT;       /* _STK_LIM */
	t->signal->rlim[RLIMIT_CORE].cur = 0;
	t->signal->rlim[RLIMIT_NOFILE].cur = 1024;                      /* INR_OPEN_CUR */
	t->signal->rlim[RLIMIT_NOFILE].max = 512 * 1024;                /* systemd's HIGH_RLIMIT_NOFILE */
	t->signal->rlim[RLIMIT_NPROC].cur = t->signal->rlim[RLIMIT_NPROC].max = nproc;
	t->signal->rlim[RLIMIT_MEMLOCK].cur = t->signal->rlim[RLIMIT_MEMLOCK].max = 8ULL << 20; /* MLOCK_LIMIT */
	t->signal->rlim[RLIMIT_SIGPENDING].cur = t->signal->rlim[RLIMIT_SIGPENDING].max = nproc;
	t->signal->rlim[RLIMIT_MSGQUEUE].cur = t->signal->rlim[RLIMIT_MSGQUEUE].max = 819200; /* MQ_BYTES_MAX */
	t->signal->rlim[RLIMIT_NICE].cur = t->signal->rlim[RLIMIT_NICE].max = 0;
	t->signal->rlim[RLIMIT_RTPRIO].cur = t->signal->rlim[RLIMIT_RTPRIO].max = 0;
	t->fs->umask = 022;
}

/* comm is the last component of the path given to exec (Linux's
 * kbasename(bprm->filename): a script's name, a symlink's name), exe the
 * file loaded. */
static void set_comm(struct task *t, const char *filename, const char *exe)
{
	const char *b = strrchr(filename, '/');
	b = b ? b + 1 : filename;
	memset(t->comm, 0, sizeof(t->comm));
	strncpy(t->comm, b, TASK_COMM_LEN - 1);
	snprintf(t->exe, sizeof(t->exe), "%s", exe);
}

int task_exec(struct sim *s, struct task *t, const struct elf_image *img, struct file_backing *fb,
	      const struct exec_params *p, const char *exe_path, struct vfs_file *exe_file, char *err,
	      size_t errlen)
{
	struct exec_layout lay;
	struct mm_struct *mm = mm_alloc(s->mem, &s->kpt);
	int rc;
	if (!mm) {
		snprintf(err, errlen, "%s: out of simulated memory for a new address space", exe_path);
		return -ENOMEM;
	}
	mmu_attach_mm(s->mmu, mm);
	mm->stack_rlimit = t->signal->rlim[RLIMIT_STACK].cur;
	mm->data_rlimit = t->signal->rlim[RLIMIT_DATA].cur;
	/* the set-up's faults (argv on the stack, the bss's first page) are
	 * T's, also for a program that has not run yet: stamp T's pid and
	 * let the annotator see the new mm */
	struct proc_table *pt = s->procs;
	uint64_t clock_time;
	int32_t clock_pid;
	trace_get_clock(s->trace, &clock_time, &clock_pid);
	trace_set_clock(s->trace, clock_time, t->pid);
	pt->exec_task = t;
	pt->exec_mm = mm;
	rc = exec_build_mm(s, mm, img, fb, p, &lay, err, errlen);
	pt->exec_task = NULL;
	pt->exec_mm = NULL;
	trace_set_clock(s->trace, clock_time, clock_pid);
	if (rc == -E2BIG) {
		mmput(s->mem, mm);
		return rc;
	}
	/* Point of no return.  de_thread: the other threads of the group end
	 * (their exit is not reported; the exec'ing thread keeps its tid). */
	struct list_head *tp, *tn;
	list_for_each_safe(tp, tn, &t->thread_group) {
		struct task *o = list_entry(tp, struct task, thread_group);
		if (o->state < EXIT_ZOMBIE)
			do_exit(s, o, SIGKILL);
	}
	struct mm_struct *old_mm = t->mm;
	struct engine *old_eng = t->eng;
	if (old_mm) {
		task_sync_counters(s, t);
		if (t->mm_to_drop) {
			task_mmput(s, t->mm_to_drop);
		}
		t->mm_to_drop = old_mm;
	}
	t->mm = mm;
	t->snap_min = t->snap_maj = t->snap_cow = 0; /* the new image's faults are T's */
	if (rc < 0 || p->interp_error) {
		/* Linux: force_fatal_sig(SIGSEGV) after a failed load_elf_binary */
		t->eng = NULL;
		engine_destroy(old_eng);
		set_comm(t, p->execfn ? p->execfn : exe_path, exe_path);
		fprintf(stderr, "mmsim: pid %d (%s) killed by SIGSEGV: exec of %s failed after the point of no return: %s\n",
			t->pid, t->comm, exe_path, rc < 0 ? err : p->interp_error);
		do_exit(s, t, SIGSEGV);
		return 0;
	}
	t->eng = engine_create(s, t, err, errlen);
	if (old_eng)
		engine_destroy(old_eng);
	if (!t->eng) {
		do_exit(s, t, SIGKILL);
		return -ENOMEM;
	}
	engine_exec_start(t->eng, lay.entry, lay.sp);
	set_comm(t, p->execfn ? p->execfn : exe_path, exe_path);
	oom_apply_rules(s, t);
	t->fs_base = t->gs_base = 0;
	t->clear_child_tid = 0;
	t->robust_list = 0;
	if (t->vfork_child)
		vfork_release(s, t);
	if (t->files)
		close_on_exec(t->files);
	/* flush_signal_handlers: caught signals go back to SIG_DFL (ignored
	 * ones stay ignored); the alternate stack and sigreturn state go */
	for (int i = 1; i < TASK_NSIG; i++)
		if (t->sighand->action[i].handler > 1)
			memset(&t->sighand->action[i], 0, sizeof(t->sighand->action[i]));
	sighand_changed(s->procs, t->sighand);
	t->sas_ss_sp = t->sas_ss_size = 0;
	t->sas_ss_flags = 0;
	t->notify_resume = false;
	t->in_restart = false;
	t->restart_code = 0;
	t->restore_sigmask = false;
	t->sleep_interrupted = false;
	if (exe_file)
		vfs_file_get(exe_file);
	if (t->exe_file)
		vfs_file_put(t->exe_file);
	t->exe_file = exe_file;
	t->need_resched = true;
	task_update_rss(s, t);
	struct trace_event ev = trace_event_init(TEV_EXEC);
	ev.value = (uint64_t)t->pid;
	ev.detail = exe_path;
	trace_emit(s->trace, &ev);
	return 0;
}

/* Copy a NULL-terminated array of user strings.  Returns the count or
 * -EFAULT / -E2BIG; *BYTES accumulates string sizes. */
static long copy_strings(struct task *t, uint64_t uarr, char **out, int max, size_t *bytes)
{
	int n = 0;
	if (!uarr)
		return 0;
	for (;;) {
		uint64_t up;
		if (copy_from_user(t->eng, &up, uarr + 8ULL * (uint64_t)n, 8))
			return -EFAULT;
		if (!up)
			break;
		if (n >= max)
			return -E2BIG;
		char *buf = malloc(EXEC_MAX_ARG_BYTES);
		if (!buf)
			return -ENOMEM;
		long len = strncpy_from_user(t->eng, buf, up, EXEC_MAX_ARG_BYTES);
		if (len < 0) {
			free(buf);
			return len == -ENAMETOOLONG ? -E2BIG : len;
		}
		*bytes += (size_t)len + 1;
		if (*bytes > EXEC_MAX_ARG_BYTES) {
			free(buf);
			return -E2BIG;
		}
		out[n++] = buf; /* EXEC_MAX_ARG_BYTES each: freed right after exec */
	}
	return n;
}

static void free_strings(char **v, long n)
{
	for (long i = 0; i < n; i++)
		free(v[i]);
}

long open_exec(struct sim *s, struct task *t, long dirfd, const char *path, char *canon, struct vfs_file **vf)
{
	struct vfs_stat st;
	const char *base = t ? t->fs->cwd : "/";
	if (path[0] != '/' && dirfd != -100 && t) {
		struct file *f = fget(t, dirfd);
		if (!f)
			return -EBADF;
		if (f->kind != FILE_DIR)
			return -ENOTDIR;
		base = f->vf->path;
	}
	long rc = path_resolve(s, t, base, path, true, canon);
	if (rc)
		return rc;
	struct file *fdf = procfs_fd_file(s, canon);
	if (fdf) { /* /dev/fd/N, /proc/PID/fd/N (fexecve): the file itself */
		if (fdf->kind != FILE_REG || !strncmp(fdf->vf->path, "/proc/", 6))
			return -EACCES;
		snprintf(canon, VFS_PATH_MAX, "%s", fdf->vf->path);
	}
	if (!strncmp(canon, "/proc", 5)) {
		/* /proc/PID/exe: the image that task runs, under its own path */
		char exe[VFS_PATH_MAX];
		*vf = t ? procfs_exe_file(s, t, canon, exe) : NULL;
		if (!*vf)
			return -EACCES;
		snprintf(canon, VFS_PATH_MAX, "%s", exe);
		return 0;
	}
	if (!strncmp(canon, "/dev", 4) && !vfs_path_under(canon, "/dev/shm"))
		return -EACCES;
	rc = vfs_lstat(s->procs->vfs, canon, &st);
	if (rc)
		return rc;
	if ((st.mode & 0170000) != VFS_S_IFREG || !(st.mode & 0111))
		return -EACCES;
	rc = vfs_open(s->procs->vfs, canon, vf);
	if (rc == 0 && (*vf)->tmp && tmpfs_snapshot(*vf)) { /* a tmpfs file: its bytes for the loader */
		vfs_file_put(*vf);
		return -ENOMEM;
	}
	return rc;
}

void proc_note_exec_refusal(struct sim *s, struct task *t, const char *path, const char *reason, int err)
{
	struct proc_table *pt = s->procs;
	pt->exec_refusals_total++;
	for (int i = 0; i < pt->nr_exec_refusals; i++) {
		struct exec_refusal *r = &pt->exec_refusals[i];
		if (!strcmp(r->path, path) && !strcmp(r->reason, reason)) {
			r->count++;
			return;
		}
	}
	if (pt->nr_exec_refusals == (int)(sizeof(pt->exec_refusals) / sizeof(pt->exec_refusals[0])))
		return; /* counted in exec_refusals_total only */
	struct exec_refusal *r = &pt->exec_refusals[pt->nr_exec_refusals++];
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	r->err = err;
	r->pid = t->pid;
	r->count = 1;
}

/* Load the program B leads to (after its #! lines) into T.  Returns 0 or a
 * negative errno; a program Linux would run but mmsim cannot is noted for
 * the run summary. */
static long exec_program(struct sim *s, struct task *t, struct linux_binprm *b, char **envp, long envc)
{
	char err[512];
	struct elf_image img;
	struct vfs_file *vf = b->file;
	uint8_t *copy = malloc(vf->size ? vf->size : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, vf->data, vf->size);
	int verdict = elf_image_from_memory(b->canon, copy, vf->size, &img, err, sizeof(err));
	if (verdict != 0) {
		int e = elf_refusal_errno(verdict);
		if (elf_refusal_is_limitation(verdict)) {
			size_t n = strlen(b->canon);
			const char *reason = strncmp(err, b->canon, n) || strncmp(err + n, ": ", 2) ? err : err + n + 2;
			proc_note_exec_refusal(s, t, b->canon, reason, e);
		}
		return -e;
	}
	if (!vfs_file_backing(s, vf)) {
		elf_image_free(&img);
		return -ENOMEM;
	}
	struct elf_interp in;
	if (img.interp[0]) {
		long r = open_elf_interp(s, t, &img, &in, err, sizeof(err));
		if (r) {
			elf_image_free(&img);
			return r;
		}
	} else {
		memset(&in, 0, sizeof(in));
	}
	struct exec_params p = {
		.argv = b->argv,
		.argc = b->argc,
		.envp = (const char *const *)envp,
		.envc = (int)envc,
		.execfn = b->filename,
		.uid = 0,
		.gid = 0,
		.random_seed = s->cfg.seed * 0x9e3779b97f4a7c15ULL + (uint64_t)t->pid,
		.interp = in.vf ? &in.img : NULL,
		.interp_file = in.vf ? in.vf->backing : NULL,
		.interp_error = in.late_error[0] ? in.late_error : NULL,
	};
	long rc = task_exec(s, t, &img, vf->backing, &p, b->canon, vf, err, sizeof(err));
	close_elf_interp(&in);
	elf_image_free(&img);
	return rc;
}

/* execve of guest path PATH with ARGV/ENVP already copied in: open it,
 * follow its #! lines (sim/binfmt_script.c), load the program. */
static long do_execve(struct sim *s, struct task *t, long dirfd, const char *path, char **argv, long argc,
		      char **envp, long envc)
{
	char err[512], filename[VFS_PATH_MAX + 32];
	/* Linux names a path relative to a directory fd "/dev/fd/N/PATH"
	 * (AT_EXECFN, the script path an interpreter gets) */
	if (path[0] != '/' && dirfd != -100)
		snprintf(filename, sizeof(filename), "/dev/fd/%ld/%s", dirfd, path);
	else
		snprintf(filename, sizeof(filename), "%s", path);
	struct linux_binprm *b = bprm_alloc(filename, argv, (int)argc);
	if (!b)
		return -ENOMEM;
	long rc = open_exec(s, t, dirfd, path, b->canon, &b->file);
	if (!rc)
		rc = bprm_follow_scripts(s, t, b, err, sizeof(err));
	if (!rc)
		rc = exec_program(s, t, b, envp, envc);
	bprm_free(b);
	return rc;
}

static long execve_common(struct sim *s, struct task *t, long dirfd, uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
	char path[VFS_PATH_MAX];
	char **argv = calloc(MAX_ARGS, sizeof(char *)), **envp = calloc(MAX_ARGS, sizeof(char *));
	long argc = 0, envc = 0, rc;
	size_t bytes = 0;
	if (!argv || !envp) {
		rc = -ENOMEM;
		goto out;
	}
	rc = get_user_path(t, upath, path, sizeof(path));
	if (rc)
		goto out;
	argc = copy_strings(t, uargv, argv, MAX_ARGS, &bytes);
	if (argc < 0) {
		rc = argc;
		argc = 0;
		goto out;
	}
	envc = copy_strings(t, uenvp, envp, MAX_ARGS, &bytes);
	if (envc < 0) {
		rc = envc;
		envc = 0;
		goto out;
	}
	rc = do_execve(s, t, dirfd, path, argv, argc, envp, envc);
out:
	if (argv)
		free_strings(argv, argc);
	if (envp)
		free_strings(envp, envc);
	free(argv);
	free(envp);
	return rc;
}

SYSCALL_DEFINE(execve)
{
	return execve_common(s, t, -100, a[0], a[1], a[2]);
}

SYSCALL_DEFINE(execveat)
{
	if (a[4] & ~0x1100ULL)
		return -EINVAL;
	return execve_common(s, t, (long)(int)a[0], a[1], a[2], a[3]);
}

int exec_pending(struct sim *s, struct task *t)
{
	(void)s;
	(void)t;
	return 0;
}

SYSCALL_DEFINE(exit)
{
	do_exit(s, t, (int)((a[0] & 0xff) << 8));
	return 0;
}

SYSCALL_DEFINE(exit_group)
{
	do_group_exit(s, t, (int)((a[0] & 0xff) << 8));
	return 0;
}

/* --- wait --- */

struct rusage64 {
	int64_t utime_sec, utime_usec, stime_sec, stime_usec;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv, nsignals,
		nvcsw, nivcsw;
};

static void fill_rusage(struct rusage64 *r, uint64_t insns, uint64_t minflt, uint64_t majflt, uint64_t maxrss_kb,
			uint64_t nvcsw, uint64_t nivcsw)
{
	memset(r, 0, sizeof(*r));
	/* 1 instruction = 1 ns of user time */
	r->utime_sec = (int64_t)(insns / 1000000000ULL);
	r->utime_usec = (int64_t)(insns % 1000000000ULL / 1000);
	r->maxrss = (int64_t)maxrss_kb;
	r->minflt = (int64_t)minflt;
	r->majflt = (int64_t)majflt;
	r->nvcsw = (int64_t)nvcsw;
	r->nivcsw = (int64_t)nivcsw;
}

static bool wait_match(const struct task *t, const struct task *c, int idtype, int id)
{
	switch (idtype) {
	case 0: return true;                /* P_ALL */
	case 1: return c->pid == id;        /* P_PID */
	case 2: return c->pgid == (id ? id : t->pgid); /* P_PGID */
	}
	return false;
}

/* What wait reports about a child. */
enum wait_kind { WAIT_EXITED, WAIT_STOPPED, WAIT_CONTINUED };

/* Find a child of T matching IDTYPE/ID with something to report for
 * OPTIONS (wait_consider_task): an exit (WEXITED), a stop not reported yet
 * (WSTOPPED = WUNTRACED), a continue not reported yet (WCONTINUED), in
 * child order.  Returns it with *KIND, or NULL with *ANY set if matching
 * children exist. */
static struct task *find_waitable(struct task *t, int idtype, int id, int options, enum wait_kind *kind, bool *any)
{
	struct list_head *pos;
	*any = false;
	/* the children of every thread of the group (unless __WNOTHREAD) */
	struct task *th = (options & __WNOTHREAD) ? t : t->group_leader;
	do {
	list_for_each(pos, &th->children) {
		struct task *c = list_entry(pos, struct task, sibling);
		if (c->state == EXIT_DEAD || !wait_match(t, c, idtype, id))
			continue;
		*any = true;
		if (c->state == EXIT_ZOMBIE) {
			if ((options & WEXITED) && thread_group_empty(c)) {
				*kind = WAIT_EXITED;
				return c;
			}
			continue;
		}
		if ((options & WSTOPPED) && c->stopped && c->stop_unreported) {
			*kind = WAIT_STOPPED;
			return c;
		}
		if ((options & WCONTINUED) && c->continued) {
			*kind = WAIT_CONTINUED;
			return c;
		}
	}
		th = list_entry(th->thread_group.next, struct task, thread_group);
	} while (!(options & __WNOTHREAD) && th != t->group_leader);
	return NULL;
}

static long wait_block(struct task *t)
{
	task_sleep(t, BLOCK_WAIT, UINT64_MAX, NULL);
	return -ERESTARTNOINTR;
}

/* Copy C's rusage (the child and its reaped children) to user UR. */
static long put_child_rusage(struct task *t, struct task *c, uint64_t ur)
{
	struct rusage64 r;
	struct task_totals tt;
	thread_group_totals(c, &tt);
	fill_rusage(&r, tt.insns + c->c_insns, tt.min_flt + c->c_min_flt, tt.maj_flt + c->c_maj_flt, c->hiwater_rss_kb,
		    tt.nvcsw, tt.nivcsw);
	return copy_to_user(t->eng, ur, &r, sizeof(r)) ? -EFAULT : 0;
}

/* The report for KIND is consumed (unless WNOWAIT): reap the zombie,
 * forget the stop or continue. */
static void wait_consume(struct sim *s, struct task *t, struct task *c, enum wait_kind kind)
{
	switch (kind) {
	case WAIT_EXITED: task_reap(s, t, c); break;
	case WAIT_STOPPED: c->stop_unreported = false; break;
	case WAIT_CONTINUED: c->continued = false; break;
	}
}

/* wait4: the exit status, or 0x7f | sig << 8 for a stop (WUNTRACED), or
 * 0xffff for a continue (WCONTINUED), reported once each. */
SYSCALL_DEFINE(wait4)
{
	int pid = (int)a[0], options = (int)a[2];
	int idtype = pid > 0 ? 1 : pid == -1 ? 0 : 2, id = pid < -1 ? -pid : pid > 0 ? pid : 0;
	bool any;
	enum wait_kind kind = WAIT_EXITED;
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	struct task *c = find_waitable(t, idtype, id, options | WEXITED, &kind, &any);
	if (!c) {
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		return wait_block(t);
	}
	if (a[1]) {
		int32_t status = kind == WAIT_EXITED    ? c->exit_code
				 : kind == WAIT_STOPPED ? (c->stop_code << 8) | 0x7f
							: 0xffff;
		if (copy_to_user(t->eng, a[1], &status, 4))
			return -EFAULT;
	}
	if (a[3] && put_child_rusage(t, c, a[3]))
		return -EFAULT;
	int cpid = c->pid;
	wait_consume(s, t, c, kind);
	return cpid;
}

/* waitid: si_code CLD_EXITED/CLD_KILLED with the status, CLD_STOPPED with
 * the stop signal, CLD_CONTINUED with SIGCONT. */
SYSCALL_DEFINE(waitid)
{
	int idtype = (int)a[0], id = (int)a[1], options = (int)a[3];
	bool any;
	enum wait_kind kind = WAIT_EXITED;
	if (idtype < 0 || idtype > 2 || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (options & ~(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	struct task *c = find_waitable(t, idtype, id, options, &kind, &any);
	if (!c) {
		if (!any)
			return -ECHILD;
		if (options & WNOHANG) {
			if (a[2] && clear_user(t->eng, a[2], 128))
				return -EFAULT;
			return 0;
		}
		return wait_block(t);
	}
	if (a[2]) {
		uint8_t si[128];
		int32_t v, code, status;
		switch (kind) {
		case WAIT_EXITED:
			code = (c->exit_code & 0x7f) ? CLD_KILLED : CLD_EXITED;
			status = code == CLD_KILLED ? (c->exit_code & 0x7f) : ((c->exit_code >> 8) & 0xff);
			break;
		case WAIT_STOPPED:
			code = CLD_STOPPED;
			status = c->stop_code;
			break;
		default:
			code = CLD_CONTINUED;
			status = SIGCONT;
			break;
		}
		memset(si, 0, sizeof(si));
		v = SIGCHLD;
		memcpy(si, &v, 4);
		memcpy(si + 8, &code, 4);
		v = c->pid;
		memcpy(si + 16, &v, 4);
		memcpy(si + 24, &status, 4);
		if (copy_to_user(t->eng, a[2], si, sizeof(si)))
			return -EFAULT;
	}
	if (a[4] && put_child_rusage(t, c, a[4]))
		return -EFAULT;
	if (!(options & WNOWAIT))
		wait_consume(s, t, c, kind);
	return 0;
}

/* --- ids --- */

SYSCALL_DEFINE(getpid)
{
	(void)s;
	(void)a;
	return t->tgid;
}

SYSCALL_DEFINE(gettid)
{
	(void)s;
	(void)a;
	return t->pid;
}

SYSCALL_DEFINE(getppid)
{
	(void)s;
	(void)a;
	return t->group_leader->ppid;
}

SYSCALL_DEFINE(getpgrp)
{
	(void)s;
	(void)a;
	return t->pgid;
}

SYSCALL_DEFINE(getpgid)
{
	if (a[0] == 0)
		return t->pgid;
	struct task *p = find_task_by_pid(s, (int)a[0]);
	return p && p->state != EXIT_DEAD ? p->pgid : -ESRCH;
}

SYSCALL_DEFINE(setpgid)
{
	int pid = (int)a[0], pgid = (int)a[1];
	if (pgid < 0)
		return -EINVAL;
	struct task *p = pid == 0 ? t : find_task_by_pid(s, pid);
	if (!p || p->state >= EXIT_ZOMBIE || (p != t && p->parent != t))
		return -ESRCH;
	p->pgid = pgid ? pgid : p->pid;
	return 0;
}

SYSCALL_DEFINE(getsid)
{
	if (a[0] == 0)
		return t->sid;
	struct task *p = find_task_by_pid(s, (int)a[0]);
	return p && p->state != EXIT_DEAD ? p->sid : -ESRCH;
}

SYSCALL_DEFINE(setsid)
{
	(void)s;
	(void)a;
	if (t->pgid == t->pid)
		return -EPERM;
	t->sid = t->pgid = t->pid;
	return t->sid;
}

/* The guest runs as root (uid 0, gid 0): every id call answers 0. */
SYSCALL_DEFINE(getuid)
{
	(void)s;
	(void)t;
	(void)a;
	return 0;
}

SYSCALL_DEFINE(setuid)
{
	(void)s;
	(void)t;
	return a[0] == 0 ? 0 : -EPERM;
}

SYSCALL_DEFINE(getgroups)
{
	(void)s;
	(void)t;
	(void)a;
	return 0;
}

SYSCALL_DEFINE(getresuid)
{
	(void)s;
	uint32_t z = 0;
	for (int i = 0; i < 3; i++)
		if (copy_to_user(t->eng, a[i], &z, 4))
			return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(umask)
{
	(void)s;
	uint32_t old = t->fs->umask;
	t->fs->umask = (uint32_t)a[0] & 0777;
	return old;
}

/* --- thread bookkeeping, TLS --- */

SYSCALL_DEFINE(set_tid_address)
{
	(void)s;
	t->clear_child_tid = a[0];
	return t->pid;
}

SYSCALL_DEFINE(set_robust_list)
{
	(void)s;
	if (a[1] != 24)
		return -EINVAL;
	t->robust_list = a[0];
	t->robust_len = a[1];
	return 0;
}

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012

SYSCALL_DEFINE(arch_prctl)
{
	(void)s;
	uint64_t v;
	switch (a[0]) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (a[1] >= TASK_SIZE_MAX)
			return -EPERM;
		if (a[0] == ARCH_SET_FS) {
			t->fs_base = a[1];
			engine_reg_write(t->eng, EREG_FS_BASE, a[1]);
		} else {
			t->gs_base = a[1];
			engine_reg_write(t->eng, EREG_GS_BASE, a[1]);
		}
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		v = engine_reg_read(t->eng, a[0] == ARCH_GET_FS ? EREG_FS_BASE : EREG_GS_BASE);
		return copy_to_user(t->eng, a[1], &v, 8) ? -EFAULT : 0;
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return -ENODEV;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE(prctl)
{
	(void)s;
	char name[TASK_COMM_LEN];
	switch (a[0]) {
	case 15: /* PR_SET_NAME */
		memset(name, 0, sizeof(name));
		if (strncpy_from_user(t->eng, name, a[1], TASK_COMM_LEN - 1) < 0 &&
		    copy_from_user(t->eng, name, a[1], 1))
			return -EFAULT;
		name[TASK_COMM_LEN - 1] = '\0';
		memcpy(t->comm, name, sizeof(name));
		return 0;
	case 16: /* PR_GET_NAME */
		return copy_to_user(t->eng, a[1], t->comm, TASK_COMM_LEN) ? -EFAULT : 0;
	case 1: /* PR_SET_PDEATHSIG */
	case 4: /* PR_SET_DUMPABLE */
	case 38: /* PR_SET_NO_NEW_PRIVS */
		return 0;
	case 3: /* PR_GET_DUMPABLE */
		return 1;
	default:
		return -EINVAL;
	}
}

/* --- limits --- */

/* prlimit64 of P's limit RES by T (Linux's do_prlimit for a root caller):
 * old value to UOLD, new from UNEW (either may be 0).  Returns 0, -EINVAL
 * (unknown RES, soft above hard), -EPERM (NOFILE above fs.nr_open) or
 * -EFAULT. */
static long do_prlimit(struct sim *s, struct task *p, unsigned res, uint64_t unew, uint64_t uold, struct task *t)
{
	struct { uint64_t cur, max; } nl;
	(void)s;
	if (res >= RLIMIT_NLIMITS_)
		return -EINVAL;
	if (unew) {
		if (copy_from_user(t->eng, &nl, unew, sizeof(nl)))
			return -EFAULT;
		if (nl.cur > nl.max)
			return -EINVAL;
		if (res == RLIMIT_NOFILE && nl.max > NR_OPEN_MAX)
			return -EPERM;
	}
	if (uold && copy_to_user(t->eng, uold, &p->signal->rlim[res], sizeof(nl)))
		return -EFAULT;
	if (unew) {
		p->signal->rlim[res].cur = nl.cur;
		p->signal->rlim[res].max = nl.max;
		if (p->mm && res == RLIMIT_STACK)
			p->mm->stack_rlimit = nl.cur;
		if (p->mm && res == RLIMIT_DATA)
			p->mm->data_rlimit = nl.cur;
	}
	return 0;
}

SYSCALL_DEFINE(prlimit64)
{
	struct task *p = a[0] ? find_task_by_pid(s, (int)a[0]) : t;
	if (!p || p->state >= EXIT_ZOMBIE)
		return -ESRCH;
	return do_prlimit(s, p, (unsigned)a[1], a[2], a[3], t);
}

SYSCALL_DEFINE(getrlimit)
{
	return do_prlimit(s, t, (unsigned)a[0], 0, a[1], t);
}

SYSCALL_DEFINE(setrlimit)
{
	return do_prlimit(s, t, (unsigned)a[0], a[1], 0, t);
}

/* getrusage: the simulated counters (faults, peak RSS, instructions as
 * user time). */
SYSCALL_DEFINE(getrusage)
{
	struct rusage64 r;
	int who = (int)a[0];
	task_sync_counters(s, t);
	switch (who) {
	case 0: { /* RUSAGE_SELF: every thread, live or exited */
		struct task_totals tt;
		thread_group_totals(t, &tt);
		fill_rusage(&r, tt.insns, tt.min_flt, tt.maj_flt, t->hiwater_rss_kb, tt.nvcsw, tt.nivcsw);
		r.nsignals = (int64_t)t->nsignals;
		break;
	}
	case 1:  /* RUSAGE_THREAD */
		fill_rusage(&r, t->insns, t->min_flt, t->maj_flt, t->hiwater_rss_kb, t->nvcsw, t->nivcsw);
		r.nsignals = (int64_t)t->nsignals;
		break;
	case -1: /* RUSAGE_CHILDREN */
		fill_rusage(&r, t->c_insns, t->c_min_flt, t->c_maj_flt, t->c_hiwater_rss_kb, 0, 0);
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(t->eng, a[1], &r, sizeof(r)) ? -EFAULT : 0;
}
