/* tools/scenario_proc.c - scenario commands for memory pressure: synthetic
 * processes (a task with an address space but no program: the script
 * drives its memory), their mappings, touches, fork and exit,
 * oom_score_adj, mlock and the vm sysctls, so that a reclaim or OOM
 * situation is a few lines (docs/scenario.md, "Processes and memory
 * pressure"):
 *   process P [comm=NAME] [oom_score_adj=N]
 *   spawn P PROGRAM [ARGS...], run N   (real programs, scheduled by `run`)
 *   mmap P H SIZE [prot=r|rw|rwx|none] [shared] [locked] [noreserve] [populate]
 *   munmap P H
 *   touch P H [r|w] [offset=N] [len=SIZE] [stride=SIZE]
 *   fork P CHILD
 *   exit P [code=N]
 *   oom_score_adj P N
 *   mlock P H [onfault], munlock P H
 *   sysctl vm.NAME=VALUE
 *   show processes
 * Stats: proc.P.FIELD (pid, alive, rss, anon_rss, vm, vmlck, swapents,
 * oom_score, oom_score_adj, killed: the signal that ended it) and
 * sysctl.vm.NAME.
 *
 * A touch goes through the MMU like a guest access (TLB, walk, then
 * do_user_addr_fault on a miss), with the process as the current task, so
 * an allocation that runs out of memory invokes the OOM killer as it would
 * for a program.  A process the OOM killer (or any fatal signal) chose
 * exits at the end of the command, its memory already reaped.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mlock.h"
#include "mm/mmap.h"
#include "mm/proc.h"
#include "mm/sysctl_vm.h"
#include "mmu/memory.h"
#include "mmu/mmu.h"
#include "mmu/walk.h"
#include "sim/oom_kill.h"
#include "sim/run.h"
#include "sim/sys_internal.h"
#include "sim/vfs.h"
#include "tools/scenario.h"

/* The process table, created at the first process command. */
static struct proc_table *procs(struct scenario *sc, const struct scn_args *a)
{
	char err[256];
	if (!sc->sim->procs && proc_table_init(sc->sim, err, sizeof err) != 0) {
		scn_error(sc, a, 0, "%s", err);
		return NULL;
	}
	return sc->sim->procs;
}

/* The live task of process handle argv[I], or NULL after an error (or,
 * with DEAD_OK, NULL without one when it has exited: *GONE set). */
static struct task *get_proc(struct scenario *sc, const struct scn_args *a, int i)
{
	struct scn_handle *h = scn_handle_get(sc, a, i, SCN_H_EXT);
	if (!h)
		return NULL;
	if (sc->checking)
		return (struct task *)1;
	if (!h->ext_kind || strcmp(h->ext_kind, "process")) {
		scn_error(sc, a, i, "'%s' is not a process (process, fork)", a->argv[i]);
		return NULL;
	}
	struct task *t = sc->sim->procs ? find_task_by_pid(sc->sim, (int)h->addr) : NULL;
	if (!t || t->state >= EXIT_ZOMBIE) {
		scn_error(sc, a, i, "process '%s' (pid %d) has exited", a->argv[i], (int)h->addr);
		return NULL;
	}
	return t;
}

/* The mapping handle argv[I] of process T. */
static struct scn_handle *get_map(struct scenario *sc, const struct scn_args *a, int i, struct task *t)
{
	struct scn_handle *h = scn_handle_get(sc, a, i, SCN_H_EXT);
	if (!h || sc->checking)
		return h;
	if (!h->ext_kind || strcmp(h->ext_kind, "mapping")) {
		scn_error(sc, a, i, "'%s' is not a mapping (mmap)", a->argv[i]);
		return NULL;
	}
	/* a mapping is P's, or a forked child's at the same place */
	struct vm_area_struct *v = find_vma(t->mm, h->addr);
	if (h->refs != t->pid && (!v || v->vm_start > h->addr)) {
		scn_error(sc, a, i, "mapping '%s' (of pid %d) is not mapped in pid %d", a->argv[i], h->refs, t->pid);
		return NULL;
	}
	return h;
}

/* Tasks without a program that got a fatal signal (the OOM killer) exit
 * now: nothing else would deliver it. */
static void reap_killed(struct scenario *sc)
{
	struct sim *s = sc->sim;
	struct list_head *pos, *n;
	if (!s->procs)
		return;
	list_for_each_safe(pos, n, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state < EXIT_ZOMBIE && !t->eng && t->fatal_sig) {
			scn_printf(sc, "pid %d (%s) killed by signal %d\n", t->pid, t->comm, t->fatal_sig);
			do_exit(s, t, t->fatal_sig);
		}
		if (t->state == EXIT_ZOMBIE && !t->parent && t != s->procs->init)
			t->state = EXIT_DEAD;
	}
}

/* A new synthetic task (PARENT NULL: top level) with an empty mm, or NULL. */
static struct task *new_task(struct scenario *sc, const struct scn_args *a, struct task *parent, struct mm_struct *mm)
{
	struct sim *s = sc->sim;
	struct proc_table *pt = procs(sc, a);
	int err = 0;
	if (!pt)
		return NULL;
	struct task *init = pt->init;
	struct task *t = task_alloc(s, parent, &err);
	if (init)
		pt->init = init;
	if (!t) {
		scn_printf(sc, "%s: failed (%s)\n", a->argv[0], err == -EAGAIN ? "max_procs" : "out of memory");
		scn_failure(sc);
		return NULL;
	}
	if (!mm)
		mm = mm_alloc(s->mem, &s->kpt);
	if (!mm) {
		scn_printf(sc, "%s: failed (out of memory)\n", a->argv[0]);
		scn_failure(sc);
		do_exit(s, t, SIGKILL);
		return NULL;
	}
	mmu_attach_mm(s->mmu, mm);
	t->mm = mm;
	if (!parent)
		task_init_rlimits(s, t);
	return t;
}

static int cmd_process(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "comm", "oom_score_adj", NULL };
	const char *comm = NULL, *adj = NULL;
	long v = 0;
	if (scn_nargs(sc, a, sc->cur, 1, 3) || scn_only(sc, a, 1, keys) || scn_name(sc, a, 1))
		return SCN_ERROR;
	int ci = scn_kv(a, "comm", &comm), ai = scn_kv(a, "oom_score_adj", &adj);
	if (ci >= 0 && (!*comm || strlen(comm) >= TASK_COMM_LEN))
		return scn_error(sc, a, ci, "comm: 1 to %d characters", TASK_COMM_LEN - 1);
	if (ai >= 0) {
		char *e;
		v = strtol(adj, &e, 10);
		if (!*adj || *e || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
			return scn_error(sc, a, ai, "oom_score_adj: an integer from -1000 to 1000");
	}
	if (sc->checking)
		return scn_handle_define(sc, a, 1, SCN_H_EXT) ? 0 : SCN_ERROR;
	struct task *t = new_task(sc, a, NULL, NULL);
	if (!t)
		return 0;
	snprintf(t->comm, sizeof t->comm, "%s", comm ? comm : a->argv[1]);
	t->oom_score_adj = (int)v;
	oom_apply_rules(sc->sim, t);
	struct scn_handle *h = scn_handle_define(sc, a, 1, SCN_H_EXT);
	if (!h)
		return SCN_ERROR;
	h->ext_kind = "process";
	h->addr = (uint64_t)t->pid;
	scn_printf(sc, "process %s: pid %d (%s)\n", a->argv[1], t->pid, t->comm);
	return 0;
}

static int cmd_mmap(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "prot", NULL };
	uint64_t size;
	unsigned long prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS;
	const char *pv;
	if (scn_nargs(sc, a, sc->cur, 3, 8) || scn_only(sc, a, 7, keys))
		return SCN_ERROR;
	int pi = scn_kv(a, "prot", &pv);
	if (pi >= 0) {
		prot = 0;
		if (strcmp(pv, "none"))
			for (const char *c = pv; *c; c++) {
				if (*c == 'r')
					prot |= PROT_READ;
				else if (*c == 'w')
					prot |= PROT_WRITE;
				else if (*c == 'x')
					prot |= PROT_EXEC;
				else
					return scn_error_at(sc, a, pi, (int)(c - a->argv[pi]), "prot: r, w, x or none");
			}
	}
	for (int k = 4; scn_pos(a, k) >= 0; k++) {
		int i = scn_pos(a, k);
		const char *w = a->argv[i];
		if (!strcmp(w, "shared"))
			flags = (flags & ~(unsigned long)MAP_PRIVATE) | MAP_SHARED;
		else if (!strcmp(w, "locked"))
			flags |= MAP_LOCKED;
		else if (!strcmp(w, "noreserve"))
			flags |= MAP_NORESERVE;
		else if (!strcmp(w, "populate"))
			flags |= MAP_POPULATE;
		else
			return scn_error(sc, a, i, "unknown flag '%s' (shared, locked, noreserve, populate)", w);
	}
	if (scn_u64(sc, a, scn_pos(a, 3), 0, true, 1ULL << 46, &size))
		return SCN_ERROR;
	if (!size)
		return scn_error(sc, a, scn_pos(a, 3), "size must be positive");
	struct task *t = get_proc(sc, a, scn_pos(a, 1));
	if (!t || scn_name(sc, a, scn_pos(a, 2)))
		return SCN_ERROR;
	if (sc->checking)
		return scn_handle_define(sc, a, scn_pos(a, 2), SCN_H_EXT) ? 0 : SCN_ERROR;
	uint64_t addr = 0;
	struct task *saved = sc->sim->procs->current;
	sc->sim->procs->current = t;
	int r = do_mmap(sc->sim->mem, t->mm, 0, size, prot, flags, NULL, 0, &addr);
	sc->sim->procs->current = saved;
	struct scn_handle *h = scn_handle_define(sc, a, scn_pos(a, 2), SCN_H_EXT);
	if (!h)
		return SCN_ERROR;
	h->ext_kind = "mapping";
	h->refs = t->pid;
	if (r) {
		h->failed = true;
		scn_printf(sc, "mmap %s: failed (%s)\n", a->argv[scn_pos(a, 2)], strerror(-r));
		scn_failure(sc);
	} else {
		h->addr = addr;
		h->size = (size_t)PAGE_ALIGN(size);
		scn_printf(sc, "mmap %s: 0x%llx-0x%llx in pid %d\n", a->argv[scn_pos(a, 2)], (unsigned long long)addr,
			   (unsigned long long)(addr + h->size), t->pid);
	}
	reap_killed(sc);
	return 0;
}

static int cmd_munmap(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 2, 2))
		return SCN_ERROR;
	struct task *t = get_proc(sc, a, 1);
	struct scn_handle *h = t ? get_map(sc, a, 2, t) : NULL;
	if (!h)
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	do_munmap(sc->sim->mem, t->mm, h->addr, h->size);
	scn_handle_freed(h, a);
	return 0;
}

static int cmd_touch(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "offset", "len", "stride", NULL };
	const char *v;
	uint64_t off = 0, len = 0, stride = PAGE_SIZE;
	unsigned access = MMU_WRITE;
	if (scn_nargs(sc, a, sc->cur, 2, 6) || scn_only(sc, a, 3, keys))
		return SCN_ERROR;
	int mi = scn_pos(a, 3);
	if (mi >= 0) {
		if (!strcmp(a->argv[mi], "r"))
			access = MMU_READ;
		else if (strcmp(a->argv[mi], "w"))
			return scn_error(sc, a, mi, "access: r or w");
	}
	int i;
	if ((i = scn_kv(a, "offset", &v)) >= 0 && scn_u64(sc, a, i, 7, true, 1ULL << 46, &off))
		return SCN_ERROR;
	if ((i = scn_kv(a, "len", &v)) >= 0 && scn_u64(sc, a, i, 4, true, 1ULL << 46, &len))
		return SCN_ERROR;
	if ((i = scn_kv(a, "stride", &v)) >= 0 && (scn_u64(sc, a, i, 7, true, 1ULL << 46, &stride) || !stride))
		return stride ? SCN_ERROR : scn_error(sc, a, i, "stride must be positive");
	struct task *t = get_proc(sc, a, scn_pos(a, 1));
	struct scn_handle *h = t ? get_map(sc, a, scn_pos(a, 2), t) : NULL;
	if (!h)
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	if (!len)
		len = off < h->size ? h->size - off : 0;
	if (off + len > h->size)
		return scn_error(sc, a, scn_pos(a, 2), "offset+len beyond the mapping's %zu bytes", h->size);
	struct sim *s = sc->sim;
	struct proc_table *pt = s->procs;
	struct task *saved = pt->current;
	unsigned long faults0 = t->mm->min_flt + t->mm->maj_flt, n = 0;
	int sig = 0;
	pt->current = t;
	mmu_switch_mm(s->mmu, t->mm);
	for (uint64_t va = h->addr + off; va < h->addr + off + len && !sig && !t->fatal_sig; va += stride, n++) {
		struct mmu_xlate x;
		for (int tries = 0; tries < 3; tries++) {
			int r = mmu_translate(s->mmu, va, access | MMU_USER, &x);
			if (r == 0)
				break;
			struct fault_info fi;
			memset(&fi, 0, sizeof fi);
			sig = do_user_addr_fault(s->mem, t->mm, va, x.error_code, 0, &fi);
			if (sig)
				break;
		}
	}
	pt->current = saved;
	task_sync_counters(s, t);
	scn_printf(sc, "touch %s: %lu access%s (%s), %lu fault%s\n", a->argv[scn_pos(a, 2)], n, n == 1 ? "" : "es",
		   access == MMU_WRITE ? "w" : "r", t->mm ? t->mm->min_flt + t->mm->maj_flt - faults0 : 0,
		   t->mm && t->mm->min_flt + t->mm->maj_flt - faults0 == 1 ? "" : "s");
	if (sig && !t->fatal_sig) {
		scn_printf(sc, "pid %d (%s) killed by signal %d (fault)\n", t->pid, t->comm, sig);
		do_exit(s, t, sig);
	}
	reap_killed(sc);
	return 0;
}

static int cmd_fork(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 2, 2) || scn_name(sc, a, 2))
		return SCN_ERROR;
	struct task *p = get_proc(sc, a, 1);
	if (!p)
		return SCN_ERROR;
	if (sc->checking)
		return scn_handle_define(sc, a, 2, SCN_H_EXT) ? 0 : SCN_ERROR;
	struct sim *s = sc->sim;
	struct task *saved = s->procs->current;
	s->procs->current = p;
	struct mm_struct *mm = dup_mm(s->mem, &s->kpt, p->mm);
	s->procs->current = saved;
	struct scn_handle *h = scn_handle_define(sc, a, 2, SCN_H_EXT);
	if (!h)
		return SCN_ERROR;
	h->ext_kind = "process";
	struct task *c = mm ? new_task(sc, a, p, mm) : NULL;
	if (!c) {
		if (!mm) {
			scn_printf(sc, "fork: failed (ENOMEM)\n");
			scn_failure(sc);
		}
		h->failed = true;
		reap_killed(sc);
		return 0;
	}
	memcpy(c->signal->rlim, p->signal->rlim, sizeof c->signal->rlim);
	c->oom_score_adj = p->oom_score_adj;
	oom_apply_rules(s, c);
	h->addr = (uint64_t)c->pid;
	scn_printf(sc, "fork %s: pid %d\n", a->argv[2], c->pid);
	reap_killed(sc);
	return 0;
}

static int cmd_exit(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "code", NULL };
	uint64_t code = 0;
	const char *v;
	int i;
	if (scn_nargs(sc, a, sc->cur, 1, 2) || scn_only(sc, a, 1, keys))
		return SCN_ERROR;
	if ((i = scn_kv(a, "code", &v)) >= 0 && scn_u64(sc, a, i, 5, false, 255, &code))
		return SCN_ERROR;
	struct task *t = get_proc(sc, a, 1);
	if (!t)
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	do_exit(sc->sim, t, (int)(code << 8));
	reap_killed(sc);
	return 0;
}

static int cmd_oom_score_adj(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 2, 2))
		return SCN_ERROR;
	char *e;
	long v = strtol(a->argv[2], &e, 10);
	if (*e || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
		return scn_error(sc, a, 2, "an integer from -1000 to 1000");
	struct task *t = get_proc(sc, a, 1);
	if (!t)
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	t->oom_score_adj = (int)v;
	return 0;
}

static int do_mlock_cmd(struct scenario *sc, struct scn_args *a, bool lock)
{
	if (scn_nargs(sc, a, sc->cur, 2, lock ? 3 : 2))
		return SCN_ERROR;
	bool onfault = false;
	if (a->argc == 4) {
		if (strcmp(a->argv[3], "onfault"))
			return scn_error(sc, a, 3, "only 'onfault' may follow");
		onfault = true;
	}
	struct task *t = get_proc(sc, a, 1);
	struct scn_handle *h = t ? get_map(sc, a, 2, t) : NULL;
	if (!h)
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	struct task *saved = sc->sim->procs->current;
	sc->sim->procs->current = t;
	int r = do_mlock(sc->sim->mem, t->mm, h->addr, h->size,
			 lock ? VM_LOCKED | (onfault ? VM_LOCKONFAULT : 0) : 0, ~0ULL, true);
	sc->sim->procs->current = saved;
	if (r) {
		scn_printf(sc, "%s %s: failed (%s)\n", a->argv[0], a->argv[2], strerror(-r));
		scn_failure(sc);
	}
	reap_killed(sc);
	return 0;
}

static int cmd_mlock(struct scenario *sc, struct scn_args *a) { return do_mlock_cmd(sc, a, true); }
static int cmd_munlock(struct scenario *sc, struct scn_args *a) { return do_mlock_cmd(sc, a, false); }

static int cmd_sysctl(struct scenario *sc, struct scn_args *a)
{
	char err[256];
	if (scn_nargs(sc, a, sc->cur, 1, 1))
		return SCN_ERROR;
	if (vm_sysctl_check_setting(a->argv[1], err, sizeof err))
		return scn_error(sc, a, 1, "%s", err);
	if (sc->checking)
		return 0;
	if (vm_sysctl_apply_setting(sc->sim->mem, a->argv[1], err, sizeof err))
		return scn_error(sc, a, 1, "%s", err);
	return 0;
}

/* spawn P PROGRAM [ARGS...] [oom_score_adj=N]: a real program (host path,
 * or a guest path under config root=) as a new top-level process; it runs
 * during `run`. */
static int cmd_spawn(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 2, -1) || scn_name(sc, a, 1))
		return SCN_ERROR;
	if (sc->checking)
		return scn_handle_define(sc, a, 1, SCN_H_EXT) ? 0 : SCN_ERROR;
	struct sim *s = sc->sim;
	struct proc_table *pt = procs(sc, a);
	char err[512];
	int code = 0;
	if (!pt)
		return SCN_ERROR;
	if (!pt->vfs) {
		pt->vfs = vfs_create(s->cfg.root, err, sizeof err);
		if (!pt->vfs)
			return scn_error(sc, a, 2, "%s", err);
	}
	struct run_options o;
	memset(&o, 0, sizeof o);
	o.cfg = s->cfg;
	struct run_prog p = { .program = a->argv[2], .argv = a->argv + 2, .argc = a->argc - 2 };
	char *argv[SCN_MAX_ARGS + 1];
	for (int i = 0; i < p.argc; i++)
		argv[i] = a->argv[2 + i];
	argv[p.argc] = NULL;
	p.argv = argv;
	struct task *t = NULL;
	struct task *init = pt->init;
	int r = run_spawn(s, &o, &p, (uint64_t)pt->nr_programs + 1, &t, err, sizeof err, &code);
	if (init)
		pt->init = init;
	if (r)
		return scn_error(sc, a, 2, "%s", err);
	struct scn_handle *h = scn_handle_define(sc, a, 1, SCN_H_EXT);
	if (!h)
		return SCN_ERROR;
	h->ext_kind = "process";
	h->addr = (uint64_t)t->pid;
	scn_printf(sc, "spawn %s: pid %d (%s)\n", a->argv[1], t->pid, t->comm);
	return 0;
}

/* run N: the scheduler runs the spawned programs for N instructions (less
 * if every one exits or sleeps for good). */
static int cmd_run(struct scenario *sc, struct scn_args *a)
{
	uint64_t n;
	if (scn_nargs(sc, a, sc->cur, 1, 1) || scn_u64(sc, a, 1, 0, false, UINT64_MAX / 4, &n))
		return SCN_ERROR;
	if (sc->checking)
		return 0;
	struct sim *s = sc->sim;
	struct proc_table *pt = procs(sc, a);
	if (!pt)
		return SCN_ERROR;
	uint64_t saved = s->cfg.max_insns, start = s->insns;
	s->cfg.max_insns = s->insns + n;
	fflush(sc->out);
	schedule_loop(s);
	fflush(stdout);
	s->cfg.max_insns = saved;
	bool emulator_error = pt->stop && strstr(pt->stop_reason, "emulator error");
	if (pt->stop && !strstr(pt->stop_reason, "instruction limit") && !strstr(pt->stop_reason, "deadlock") &&
	    strncmp(pt->stop_reason, "Kernel panic", 12))
		emulator_error = true;
	if (emulator_error)
		return scn_error(sc, a, 1, "%s", pt->stop_reason);
	if (pt->stop && !strncmp(pt->stop_reason, "Kernel panic", 12)) {
		scn_printf(sc, "run: %s\n", pt->stop_reason);
		return scn_error(sc, a, 1, "the machine panicked");
	}
	pt->stop = false;
	pt->stop_reason[0] = '\0';
	scn_printf(sc, "run: %llu instructions\n", (unsigned long long)(s->insns - start));
	reap_killed(sc);
	return 0;
}

const struct scenario_cmd scenario_proc_cmds[] = {
	{ "spawn", "spawn P PROGRAM [ARGS...]", "start a real program (host path, or under config root=) as process P",
	  cmd_spawn },
	{ "run", "run N", "run the spawned programs for N instructions", cmd_run },
	{ "process", "process P [comm=NAME] [oom_score_adj=N]", "a process without a program: an mm the script drives",
	  cmd_process },
	{ "mmap", "mmap P H SIZE [prot=rw] [shared] [locked] [noreserve] [populate]",
	  "P from `process` or `spawn`: anonymous mmap in P (fails as Linux: overcommit, ENOMEM)", cmd_mmap },
	{ "munmap", "munmap P H", "unmap mapping H of P", cmd_munmap },
	{ "touch", "touch P H [r|w] [offset=N] [len=SIZE] [stride=SIZE]",
	  "P from `process` or `spawn`: access H every STRIDE bytes (default: write, all of it, 4K) through the MMU; faults, reclaim, OOM as a program's",
	  cmd_touch },
	{ "fork", "fork P CHILD", "P from `process` or `spawn`: fork P (COW copy of its mm)", cmd_fork },
	{ "exit", "exit P [code=N]", "P from `process` or `spawn`: P exits", cmd_exit },
	{ "oom_score_adj", "oom_score_adj P N", "set P's oom_score_adj (-1000..1000)", cmd_oom_score_adj },
	{ "mlock", "mlock P H [onfault]", "mlock (mlock2 MLOCK_ONFAULT) mapping H of P", cmd_mlock },
	{ "munlock", "munlock P H", "munlock mapping H of P", cmd_munlock },
	{ "sysctl", "sysctl vm.NAME=VALUE", "write /proc/sys/vm/NAME", cmd_sysctl },
	{ 0 },
};

int scenario_proc_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	if (!strncmp(name, "sysctl.vm.", 10)) {
		struct strbuf sb = { 0 };
		int rc = vm_sysctl_read(sc->sim->mem, name + 10, &sb);
		if (rc == -ENOENT) {
			snprintf(err, errlen, "unknown sysctl '%s'", name + 7);
			return -1;
		}
		*out = rc ? sc->sim->mem->sysctl.drop_caches : strtoll(sb.buf, NULL, 10);
		sb_free(&sb);
		return 0;
	}
	if (strncmp(name, "proc.", 5))
		return 1;
	char hname[64];
	const char *dot = strrchr(name + 5, '.');
	if (!dot || (size_t)(dot - name - 5) >= sizeof hname) {
		snprintf(err, errlen, "proc stats are proc.P.FIELD");
		return -1;
	}
	memcpy(hname, name + 5, (size_t)(dot - name - 5));
	hname[dot - name - 5] = '\0';
	const char *f = dot + 1;
	struct scn_handle *h = scn_handle_find(sc, hname);
	if (!h || h->kind != SCN_H_EXT || !h->ext_kind || strcmp(h->ext_kind, "process")) {
		snprintf(err, errlen, "'%s' is not a process", hname);
		return -1;
	}
	struct task *t = sc->sim->procs ? find_task_by_pid(sc->sim, (int)h->addr) : NULL;
	const struct proc_record *r = sc->sim->procs ? proc_record_of(sc->sim, (int)h->addr) : NULL;
	bool alive = t && t->state < EXIT_ZOMBIE;
	struct mm_struct *mm = alive ? t->mm : NULL;
	if (!strcmp(f, "pid"))
		*out = (long long)h->addr;
	else if (!strcmp(f, "alive"))
		*out = alive;
	else if (!strcmp(f, "killed"))
		*out = alive || !r ? 0 : (r->exit_code & 0x7f);
	else if (!strcmp(f, "rss"))
		*out = mm ? (long long)(mm->rss_anon + mm->rss_file + mm->rss_shmem) : 0;
	else if (!strcmp(f, "anon_rss"))
		*out = mm ? (long long)mm->rss_anon : 0;
	else if (!strcmp(f, "vm"))
		*out = mm ? (long long)mm->total_vm : 0;
	else if (!strcmp(f, "vmlck"))
		*out = mm ? (long long)mm->locked_vm << 2 : 0;
	else if (!strcmp(f, "swapents"))
		*out = mm ? (long long)mm->swapents : 0;
	else if (!strcmp(f, "oom_score"))
		*out = alive ? (long long)proc_oom_score(sc->sim, t) : 0;
	else if (!strcmp(f, "oom_score_adj"))
		*out = t ? t->oom_score_adj : 0;
	else {
		snprintf(err, errlen,
			 "unknown process field '%s' (pid, alive, killed, rss, anon_rss, vm, vmlck, swapents, oom_score, "
			 "oom_score_adj)",
			 f);
		return -1;
	}
	return 0;
}

int scenario_proc_show(struct scenario *sc, const char *view, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if (strcmp(view, "processes"))
		return 1;
	struct sim *s = sc->sim;
	scn_printf(sc, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj oom_score name\n");
	if (!s->procs)
		return 0;
	struct list_head *pos;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state >= EXIT_ZOMBIE || !t->mm)
			continue;
		scn_printf(sc, "[%7d] %5d %5d %8lu %8lu %8lu %8lu         %5d %9lu %s\n", t->pid, 0, t->pid,
			   t->mm->total_vm, t->mm->rss_anon + t->mm->rss_file + t->mm->rss_shmem, t->mm->nr_ptes << 12,
			   t->mm->swapents, t->oom_score_adj, proc_oom_score(s, t), t->comm);
	}
	return 0;
}

void scenario_proc_free(struct scenario *sc)
{
	if (sc->sim && sc->sim->procs)
		proc_table_destroy(sc->sim);
}
