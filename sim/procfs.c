/* sim/procfs.c - the guest's /proc and /dev, generated from the
 * simulator's state when opened (Linux: fs/proc/).
 *
 *   /proc/{meminfo,vmstat,buddyinfo,zoneinfo,slabinfo}  mm/proc.h views
 *   /proc/{uptime,loadavg,version,stat}                 from simulated time
 *   /proc/cpuinfo        the simulated CPU, as its CPUID describes it
 *   /proc/PID/{mounts,mountinfo}  the guest's mounts (sim/mounts.c);
 *                        /proc/mounts -> self/mounts
 *   /proc/PID/{maps,smaps,smaps_rollup,status,stat,statm,cmdline,environ,comm,limits}, /proc/PID/exe,
 *   /proc/PID/pagemap (read from the page tables at each read: procfs_pagemap.c)
 *   /proc/PID/{loginuid,sessionid}: 4294967295 (not from an audit login)
 *   /proc/PID/fd/N       links to the open descriptors (sim/proc_fd.c)
 *   /proc/PID/task/TID/  one directory per thread of the process, with the
 *                        same files for that thread; /proc lists processes
 *                        (thread group leaders) only, as Linux does
 *   /proc/self -> PID
 *   /proc/sys/vm/NAME, /proc/PID/oom_{score,score_adj,adj}  sim/procfs_sys.c
 *   /dev                 the character devices and /dev/fd links (sim/devfs.c)
 * VmRSS and VmHWM in status are the mm's resident pages and their peak
 * (mm->rss_*, mm->hiwater_rss, kept by every map and unmap of a page), so
 * touching 8 MiB grows both by 8 MiB and an exec'ed image starts its own
 * VmHWM, as natively.  VmPeak is max(mm->hiwater_vm, total_vm), the mark
 * taken before every munmap, brk or mremap shrink (update_hiwater_vm);
 * VmExe and VmLib split mm->exec_vm as Linux's task_mem() does (the
 * program's whole code pages, the rest).  mmsim maps no vDSO/vvar, so
 * VmSize, VmPeak and VmLib are smaller than native by their size.
 * A file's text is made once at open, like seq_file's first read.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "mm/filemap.h"
#include "mm/mmap.h"
#include "mm/page_alloc.h"
#include "mm/proc.h"
#include "mm/shmem.h"
#include "mmu/memory.h"
#include "sim/pid_views.h"
#include "sim/procfs_sys.h"
#include "mmu/smp.h"
#include "sim/sys_internal.h"
#include "sim/vfs.h"

static const char *const proc_root_files[] = { "buddyinfo", "cpuinfo", "loadavg", "meminfo", "slabinfo",
					       "stat",      "swaps",   "uptime",  "version", "vmstat",  "zoneinfo" };
static const char *const proc_pid_files[] = { "cmdline", "comm",  "environ", "exe",  "fd",  "limits",  "loginuid",
					      "maps",    "mountinfo", "mounts", "pagemap", "sessionid", "smaps",
					      "smaps_rollup", "stat", "statm", "status",  "task" };
#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

/* Split "/proc/123/maps": PID (0 if none) and the rest.  Returns false if
 * P is not below /proc. */
static bool parse_proc(const char *p, int *pid, const char **rest)
{
	*pid = 0;
	if (strncmp(p, "/proc", 5))
		return false;
	p += 5;
	if (*p == '/')
		p++;
	if (*p >= '1' && *p <= '9') {
		char *e;
		long v = strtol(p, &e, 10);
		if (*e && *e != '/')
			return false;
		*pid = (int)v;
		p = *e ? e + 1 : e;
	}
	*rest = p;
	return true;
}

static struct task *proc_task(struct sim *s, int pid);

/* "/proc/PID/task..." (REST after PID): *TASKDIR is set for
 * "/proc/PID/task" itself; "task/TID[/FILE]" becomes PID = TID and REST =
 * FILE when TID is a thread of PID's group.  Returns false for a TID that
 * is not. */
static bool parse_task_dir(struct sim *s, int *pid, const char **rest, bool *taskdir)
{
	*taskdir = false;
	if (!*pid || strncmp(*rest, "task", 4) || ((*rest)[4] && (*rest)[4] != '/'))
		return true;
	if (!(*rest)[4] || !(*rest)[5]) {
		*taskdir = true;
		return true;
	}
	char *e;
	long tid = strtol(*rest + 5, &e, 10);
	if ((*e && *e != '/') || tid <= 0 || tid > INT_MAX)
		return false;
	struct task *g = proc_task(s, *pid), *th = proc_task(s, (int)tid);
	if (!g || !th || th->tgid != g->tgid)
		return false;
	*pid = (int)tid;
	*rest = *e ? e + 1 : e;
	return true;
}

/* Live threads in T's group (status Threads:, stat num_threads). */
static int nr_threads(const struct task *t)
{
	return t->signal->live ? t->signal->live : 1;
}

static const char *state_str(const struct task *t)
{
	if (t->stopped && t->state < EXIT_ZOMBIE)
		return "T (stopped)";
	switch (t->state) {
	case TASK_RUNNING: return "R (running)";
	case TASK_INTERRUPTIBLE: return "S (sleeping)";
	case EXIT_ZOMBIE: return "Z (zombie)";
	default: return "X (dead)";
	}
}

static void gen_status(struct sim *s, struct task *p, struct strbuf *sb)
{
	int64_t v[PID_STATUS_N];
	task_sync_counters(s, p);
	pid_status_gather(s, p, v, NULL);
	pid_status_print(v, sb);
}

/* The smaps figures of VMA V of MM into A, page by page. */
static void vma_smaps(struct sim *s, struct mm_struct *mm, const struct vm_area_struct *v, struct smaps_acc *a)
{
	memset(a, 0, sizeof *a);
	for (uint64_t va = v->vm_start; va < v->vm_end; va += PAGE_SIZE) {
		pte_t *pte = pte_lookup(s->mem, mm, va);
		pte_t e = pte ? *pte : (pte_t){ 0 };
		int mc = 0, cnt = 0;
		enum smaps_page_kind kind = SMAPS_FILE;
		if (pte_present(e)) {
			const struct page *pg = pfn_to_page(s->mem, pte_pfn(e));
			mc = page_mapcount(pg);
			kind = smaps_kind_of(pg);
		} else if (is_swap_pte(e)) {
			cnt = swap_count(s->mem, pte_to_swp_entry(e));
		}
		bool hole = pte_none(e) && v->vm_file && shmem_index_swapped(v->vm_file, linear_page_index(v, va));
		smaps_add_page(a, e.pte, mc, kind, cnt, hole);
	}
}

/* /proc/PID/maps, smaps (SMAPS) or smaps_rollup (ROLLUP). */
static void gen_maps(struct sim *s, struct task *p, struct strbuf *sb, bool smaps, bool rollup)
{
	struct mm_struct *mm = p->mm;
	struct list_head *pos;
	struct smaps_acc total = { 0 }, acc;
	uint64_t start = 0, end = 0;
	if (!mm)
		return;
	list_for_each(pos, &mm->mmap) {
		struct vm_area_struct *v = list_entry(pos, struct vm_area_struct, vm_list);
		if (!rollup)
			pid_maps_line(sb, mm, v);
		if (!smaps && !rollup)
			continue;
		vma_smaps(s, mm, v, &acc);
		if (rollup) {
			smaps_acc_add(&total, &acc, v->vm_flags & VM_LOCKED);
			start = start ? start : v->vm_start;
			end = v->vm_end;
		} else {
			smaps_print(sb, v->vm_start, v->vm_end, v->vm_flags, &acc);
		}
	}
	if (rollup && end)
		smaps_rollup_print(sb, start, end, &total);
}

static void gen_stat(struct sim *s, struct task *p, struct strbuf *sb)
{
	struct mm_struct *mm = p->mm;
	char st = state_str(p)[0];
	unsigned long rss = mm ? mm->rss_anon + mm->rss_file + mm->rss_shmem : 0;
	task_sync_counters(s, p);
	sb_printf(sb, "%d (%s) %c %d %d %d 0 -1 4194304 %llu %llu %llu %llu %llu %llu %llu %llu 20 0 %d 0 %llu %llu %lu",
		  p->pid, p->comm, st, p->group_leader->ppid, p->pgid, p->sid, (unsigned long long)p->min_flt,
		  (unsigned long long)p->c_min_flt, (unsigned long long)p->maj_flt, (unsigned long long)p->c_maj_flt,
		  (unsigned long long)(p->insns / 10000000ULL), 0ULL, (unsigned long long)(p->c_insns / 10000000ULL),
		  0ULL, nr_threads(p), (unsigned long long)(p->start_time / 10000000ULL),
		  (unsigned long long)(mm ? mm->total_vm << PAGE_SHIFT : 0), rss);
	sb_printf(sb, " 18446744073709551615 %llu %llu %llu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 %d\n",
		  (unsigned long long)(mm ? mm->start_code : 0), (unsigned long long)(mm ? mm->end_code : 0),
		  (unsigned long long)(mm ? mm->start_stack : 0), p->state >= EXIT_ZOMBIE ? p->exit_code : 0);
}

/* The bytes of P's memory from START to END (its argument or environment
 * strings, NUL-separated, as exec put them) into SB: /proc/PID/cmdline
 * and environ. */
static void gen_user_strings(struct sim *s, struct task *p, uint64_t start, uint64_t end, struct strbuf *sb)
{
	struct mm_struct *mm = p->mm;
	if (!mm || end <= start || end - start > 65536)
		return;
	size_t n = (size_t)(end - start);
	char *buf = malloc(n);
	if (!buf)
		return;
	if (access_remote_vm(s, mm, start, buf, n, false) == 0) {
		for (size_t i = 0; i < n; i++)
			sb_printf(sb, "%c", buf[i]);
	}
	free(buf);
}

/* /proc/PID/limits, as fs/proc/base.c's proc_pid_limits prints it. */
static void gen_limits(struct task *p, struct strbuf *sb)
{
	static const struct {
		const char *name, *unit;
	} lnames[16] = {
		{ "Max cpu time", "seconds" },     { "Max file size", "bytes" },     { "Max data size", "bytes" },
		{ "Max stack size", "bytes" },     { "Max core file size", "bytes" }, { "Max resident set", "bytes" },
		{ "Max processes", "processes" },  { "Max open files", "files" },    { "Max locked memory", "bytes" },
		{ "Max address space", "bytes" },  { "Max file locks", "locks" },    { "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" },  { "Max nice priority", NULL },    { "Max realtime priority", NULL },
		{ "Max realtime timeout", "us" },
	};
	sb_printf(sb, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < 16; i++) {
		uint64_t cur = p->signal->rlim[i].cur, max = p->signal->rlim[i].max;
		if (cur == ~0ULL) /* RLIM64_INFINITY */
			sb_printf(sb, "%-25s %-20s ", lnames[i].name, "unlimited");
		else
			sb_printf(sb, "%-25s %-20llu ", lnames[i].name, (unsigned long long)cur);
		if (max == ~0ULL) /* RLIM64_INFINITY */
			sb_printf(sb, "%-20s ", "unlimited");
		else
			sb_printf(sb, "%-20llu ", (unsigned long long)max);
		if (lnames[i].unit)
			sb_printf(sb, "%-10s\n", lnames[i].unit);
		else
			sb_printf(sb, "\n");
	}
}

/* Text of /proc file REST for task P (P NULL for top-level files).
 * Returns 0 or -ENOENT. */
static int generate(struct sim *s, struct task *p, const char *rest, struct strbuf *sb)
{
	struct memsys *m = s->mem;
	uint64_t now = sim_now_ns(s);
	if (!p) {
		if (!strcmp(rest, "meminfo"))
			proc_meminfo(m, sb);
		else if (!strcmp(rest, "vmstat"))
			proc_vmstat(m, sb);
		else if (!strcmp(rest, "buddyinfo"))
			proc_buddyinfo(m, sb);
		else if (!strcmp(rest, "zoneinfo"))
			proc_zoneinfo(m, sb);
		else if (!strcmp(rest, "swaps"))
			proc_swaps(m, sb);
		else if (!strcmp(rest, "slabinfo"))
			proc_slabinfo(m, sb);
		else if (!strcmp(rest, "cpuinfo"))
			proc_cpuinfo(s, sb);
		else if (!strcmp(rest, "mounts"))
			proc_mounts(s, sb);
		else if (!strcmp(rest, "uptime"))
			sb_printf(sb, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(now / 1000000000ULL),
				  (unsigned long long)(now / 10000000ULL % 100),
				  (unsigned long long)(s->procs->idle_ns / 1000000000ULL),
				  (unsigned long long)(s->procs->idle_ns / 10000000ULL % 100));
		else if (!strcmp(rest, "loadavg"))
			sb_printf(sb, "0.00 0.00 0.00 1/%d %d\n", s->procs->nr_tasks, s->procs->next_pid - 1);
		else if (!strcmp(rest, "version"))
			sb_printf(sb, "Linux version 6.1.0-mmsim (mmsim " MMSIM_VERSION ") #1 SMP PREEMPT_DYNAMIC mmsim\n");
		else if (!strcmp(rest, "stat")) {
			int ncpu = s->smp ? s->smp->nr_cpus : 1;
			sb_printf(sb, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n", (unsigned long long)(s->insns / 10000000ULL),
				  (unsigned long long)(s->procs->idle_ns * (uint64_t)ncpu / 10000000ULL));
			for (int i = 0; i < ncpu; i++) {
				uint64_t busy = s->smp ? s->procs->cpu[i].insns : s->insns;
				uint64_t idle = s->smp ? (now > busy ? now - busy : 0) : s->procs->idle_ns;
				sb_printf(sb, "cpu%d %llu 0 0 %llu 0 0 0 0 0 0\n", i, (unsigned long long)(busy / 10000000ULL),
					  (unsigned long long)(idle / 10000000ULL));
			}
			sb_printf(sb, "btime %llu\nprocesses %d\nprocs_running 1\nprocs_blocked 0\n",
				  (unsigned long long)MMSIM_EPOCH, s->procs->next_pid - 1);
		}
		else
			return -ENOENT;
		return 0;
	}
	if (!strcmp(rest, "status"))
		gen_status(s, p, sb);
	else if (!strcmp(rest, "maps"))
		gen_maps(s, p, sb, false, false);
	else if (!strcmp(rest, "smaps"))
		gen_maps(s, p, sb, true, false);
	else if (!strcmp(rest, "smaps_rollup"))
		gen_maps(s, p, sb, false, true);
	else if (!strcmp(rest, "stat"))
		gen_stat(s, p, sb);
	else if (!strcmp(rest, "statm")) {
		struct mm_struct *mm = p->mm;
		unsigned long rss = mm ? mm->rss_anon + mm->rss_file + mm->rss_shmem : 0;
		sb_printf(sb, "%lu %lu %lu %llu 0 %lu 0\n", mm ? mm->total_vm : 0, rss, mm ? mm->rss_file : 0,
			  (unsigned long long)(mm ? (mm->end_code - mm->start_code) >> PAGE_SHIFT : 0),
			  mm ? mm->data_vm + mm->stack_vm : 0);
	} else if (!strcmp(rest, "comm"))
		sb_printf(sb, "%s\n", p->comm);
	else if (!strcmp(rest, "loginuid") || !strcmp(rest, "sessionid"))
		sb_printf(sb, "4294967295"); /* no audit login session: (unsigned)-1, no newline */
	else if (!strcmp(rest, "cmdline"))
		gen_user_strings(s, p, p->mm ? p->mm->arg_start : 0, p->mm ? p->mm->arg_end : 0, sb);
	else if (!strcmp(rest, "environ"))
		gen_user_strings(s, p, p->mm ? p->mm->env_start : 0, p->mm ? p->mm->env_end : 0, sb);
	else if (!strcmp(rest, "limits"))
		gen_limits(p, sb);
	else if (!strcmp(rest, "mounts"))
		proc_mounts(s, sb);
	else if (!strcmp(rest, "mountinfo"))
		proc_mountinfo(s, sb);
	else
		return -ENOENT;
	return 0;
}

int procfs_render(struct sim *s, int pid, const char *view, struct strbuf *sb)
{
	struct task *p = NULL;
	if (pid) {
		p = find_task_by_pid(s, pid);
		if (!p || p->state == EXIT_DEAD)
			return -ESRCH;
	}
	return generate(s, p, view, sb);
}

static struct task *proc_task(struct sim *s, int pid)
{
	struct task *p = find_task_by_pid(s, pid);
	return p && p->state != EXIT_DEAD ? p : NULL;
}

/* Is REST (after "/proc/PID/") "fd" or "fd/N"?  *FD is -1 for the
 * directory, N, or -2 for a name that is no descriptor number. */
static bool parse_fd(const char *rest, int *fd)
{
	if (strncmp(rest, "fd", 2) || (rest[2] && rest[2] != '/'))
		return false;
	*fd = -1;
	if (rest[2] == '/') {
		const char *n = rest + 3;
		char *e;
		long v = strtol(n, &e, 10);
		*fd = (*e || *n < '0' || *n > '9' || v > INT_MAX) ? -2 : (int)v;
	}
	return true;
}

bool procfs_follow(struct task *t, char *p, bool follow)
{
	char tmp[VFS_PATH_MAX];
	if (!strcmp(p, "/proc/mounts") && follow) {
		strcpy(p, "/proc/self/mounts");
		return true;
	}
	if (!strncmp(p, "/proc/self", 10) && ((p[10] == '\0' && follow) || p[10] == '/')) {
		snprintf(tmp, sizeof(tmp), "/proc/%d%s", t->tgid, p + 10);
		strcpy(p, tmp);
		return true;
	}
	return false;
}

struct file *procfs_fd_prefix(struct sim *s, const char *p, const char **after)
{
	int pid;
	const char *rest;
	*after = "";
	if (!parse_proc(p, &pid, &rest) || !pid || strncmp(rest, "fd/", 3) || rest[3] < '0' || rest[3] > '9')
		return NULL;
	char *e;
	long fd = strtol(rest + 3, &e, 10);
	if ((*e && *e != '/') || fd > INT_MAX)
		return NULL;
	struct task *q = proc_task(s, pid);
	*after = e;
	return q ? fget(q, fd) : NULL;
}

struct file *procfs_fd_file(struct sim *s, const char *p)
{
	const char *after;
	struct file *f = procfs_fd_prefix(s, p, &after);
	return *after ? NULL : f;
}

int procfs_stat(struct sim *s, struct task *t, const char *p, struct vfs_stat *st)
{
	int pid, fd;
	const char *rest;
	(void)t;
	if (!strncmp(p, "/dev", 4))
		return devfs_stat(p, st);
	vfs_stat_virtual(st, p, 0, 0, VFS_ANON_DEV_PROC);
	if (!strcmp(p, "/proc")) {
		st->mode = VFS_S_IFDIR | 0555;
		st->nlink = 2;
		return 0;
	}
	if (!parse_proc(p, &pid, &rest))
		return -ENOENT;
	if (pid == 0 && !strcmp(rest, "self")) {
		st->mode = VFS_S_IFLNK | 0777;
		return 0;
	}
	if (pid == 0 && !strcmp(rest, "mounts")) {
		st->mode = VFS_S_IFLNK | 0777;
		st->size = strlen("self/mounts");
		return 0;
	}
	bool taskdir;
	if (!parse_task_dir(s, &pid, &rest, &taskdir))
		return -ENOENT;
	struct task *q = pid ? proc_task(s, pid) : NULL;
	if (pid && !q)
		return -ENOENT;
	if (pid && (!*rest || taskdir)) {
		st->mode = VFS_S_IFDIR | 0555;
		st->nlink = 9;
		return 0;
	}
	if (pid && parse_fd(rest, &fd))
		return fd == -2 ? -ENOENT : procfd_stat(q, fd, p, st);
	if (pid && !strcmp(rest, "exe")) {
		st->mode = VFS_S_IFLNK | 0777;
		return 0;
	}
	unsigned sys_mode = procfs_sys_mode(pid, rest);
	if (sys_mode) {
		st->mode = sys_mode;
		if ((sys_mode & 0170000) == VFS_S_IFDIR)
			st->nlink = 2;
		return 0;
	}
	const char *const *names = pid ? proc_pid_files : proc_root_files;
	size_t n = pid ? NELEM(proc_pid_files) : NELEM(proc_root_files);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rest, names[i])) {
			st->mode = VFS_S_IFREG | (strcmp(rest, "pagemap") ? 0444 : 0400);
			return 0;
		}
	return -ENOENT;
}

struct vfs_file *procfs_exe_file(struct sim *s, struct task *t, const char *p, char *exe)
{
	int pid;
	const char *rest;
	if (!strcmp(p, "/proc/self/exe")) {
		pid = t->tgid;
		rest = "exe";
	} else if (!parse_proc(p, &pid, &rest) || !pid) {
		return NULL;
	}
	if (strcmp(rest, "exe"))
		return NULL;
	struct task *q = proc_task(s, pid);
	if (!q || !q->exe_file)
		return NULL;
	vfs_file_get(q->exe_file);
	snprintf(exe, VFS_PATH_MAX, "%s", q->exe);
	return q->exe_file;
}

long procfs_readlink(struct sim *s, struct task *t, const char *p, char *buf, size_t len)
{
	int pid;
	const char *rest;
	char tmp[300];
	int fd;
	if (!strncmp(p, "/dev", 4))
		return devfs_readlink(p, buf, len);
	if (!parse_proc(p, &pid, &rest))
		return -EINVAL;
	if (pid && parse_fd(rest, &fd) && fd >= 0) {
		struct task *q = proc_task(s, pid);
		return q ? procfd_readlink(q, fd, buf, len) : -ENOENT;
	}
	if (pid == 0 && !strcmp(rest, "self"))
		snprintf(tmp, sizeof(tmp), "%d", t->tgid);
	else if (pid == 0 && !strcmp(rest, "mounts"))
		snprintf(tmp, sizeof(tmp), "self/mounts");
	else if (pid && !strcmp(rest, "exe")) {
		struct task *q = proc_task(s, pid);
		if (!q)
			return -ENOENT;
		snprintf(tmp, sizeof(tmp), "%s", q->exe);
	} else {
		struct vfs_stat st;
		return procfs_stat(s, t, p, &st) ? -ENOENT : -EINVAL;
	}
	size_t n = strlen(tmp);
	if (n > len)
		n = len;
	memcpy(buf, tmp, n);
	return (long)n;
}

int procfs_open(struct sim *s, struct task *t, const char *p, struct vfs_file **out)
{
	struct vfs_stat st;
	int pid;
	const char *rest;
	int rc = procfs_stat(s, t, p, &st);
	if (rc)
		return rc;
	if (!strcmp(p, "/dev"))
		return devfs_open_dir(p, out);
	if (!parse_proc(p, &pid, &rest))
		return -ENOENT; /* a device: opened by sys_fs.c (devfs_open) */
	bool taskdir;
	if (!parse_task_dir(s, &pid, &rest, &taskdir))
		return -ENOENT;
	int fd;
	if (pid && parse_fd(rest, &fd)) /* a link is opened by sys_fs.c (procfd_open) */
		return fd == -1 ? procfd_open_dir(proc_task(s, pid), p, out) : -ENOENT;
	if ((st.mode & 0170000) == VFS_S_IFLNK) {
		/* /proc/PID/exe is a "magic" link: it opens the image itself */
		char exe[VFS_PATH_MAX];
		*out = procfs_exe_file(s, t, p, exe);
		return *out ? 0 : -ENOENT;
	}
	if ((st.mode & 0170000) == VFS_S_IFDIR) {
		const char *names[128];
		uint8_t types[128];
		char pids[64][12];
		size_t n = 0;
		int ns = procfs_sys_dir(rest, names, types, 128);
		if (ns >= 0) {
			n = (size_t)ns;
		} else if (!strcmp(p, "/proc") || taskdir) {
			struct list_head *pos;
			int np = 0;
			struct task *g = taskdir ? proc_task(s, pid) : NULL;
			list_for_each(pos, &s->procs->tasks) {
				struct task *q = list_entry(pos, struct task, tasks);
				if (q->state == EXIT_DEAD || np == 64)
					continue;
				if (g ? q->tgid != g->tgid || q->state == EXIT_ZOMBIE : q != q->group_leader)
					continue; /* /proc: processes; task/: live threads */
				snprintf(pids[np], sizeof(pids[np]), "%d", q->pid);
				names[n] = pids[np++];
				types[n++] = DT_DIR;
			}
			for (size_t i = 0; !taskdir && i < NELEM(proc_root_files); i++) {
				names[n] = proc_root_files[i];
				types[n++] = DT_REG;
			}
			if (!taskdir) {
				names[n] = "mounts";
				types[n++] = DT_LNK;
				names[n] = "self";
				types[n++] = DT_LNK;
				names[n] = "sys";
				types[n++] = DT_DIR;
			}
		} else {
			for (size_t i = 0; i < NELEM(proc_pid_files); i++) {
				names[n] = proc_pid_files[i];
				types[n++] = !strcmp(proc_pid_files[i], "exe")	 ? DT_LNK
					     : !strcmp(proc_pid_files[i], "fd") ||
							       !strcmp(proc_pid_files[i], "task") ? DT_DIR
										  : DT_REG;
			}
			static const char *const oom_files[] = { "oom_adj", "oom_score", "oom_score_adj" };
			for (size_t i = 0; i < NELEM(oom_files); i++) {
				names[n] = oom_files[i];
				types[n++] = DT_REG;
			}
		}
		*out = vfs_dir_new(p, names, types, n);
		if (*out)
			(*out)->st = st;
		return *out ? 0 : -ENOMEM;
	}
	if ((st.mode & 0170000) != VFS_S_IFREG)
		return -ENOENT;
	if (pid && !strcmp(rest, "pagemap")) { /* read at each read(2): procfs_pagemap.c */
		struct task *pt = proc_task(s, pid);
		*out = pt ? vfs_file_new(p, st.mode, calloc(1, 1), 0) : NULL;
		if (*out)
			(*out)->pagemap_pid = pt->tgid;
		return !pt ? -ENOENT : *out ? 0 : -ENOMEM;
	}
	struct strbuf sb = { 0 };
	rc = procfs_sys_generate(s, pid ? proc_task(s, pid) : NULL, rest, &sb);
	if (rc == 1)
		rc = generate(s, pid ? proc_task(s, pid) : NULL, rest, &sb);
	if (rc) {
		sb_free(&sb);
		return rc;
	}
	uint8_t *data = (uint8_t *)sb.buf;
	if (!data)
		data = calloc(1, 1);
	*out = vfs_file_new(p, st.mode, data, sb.len);
	if (*out)
		(*out)->st.dev_minor = st.dev_minor;
	return *out ? 0 : -ENOMEM;
}
