/* tools/scenario_task.c - user address spaces with VMAs, page faults and
 * fork in a scenario (the COW and refcount exercises):
 *   task P                       a new process address space (mm_alloc)
 *   mmap P ADDR SIZE [prot=rw] [shared]   anonymous mapping (do_mmap, MAP_FIXED)
 *   touch P ADDR r|w [pages=N]   user accesses through the TLBs; a #PF goes
 *                                to do_user_addr_fault, as in `mmsim run`
 *   fork P C                     C = dup_mm(P): Linux's fork of the address space
 *   exit P                       mmput (the last user tears the mm down)
 * Stats: task.P.faults (min_flt), task.P.cow, task.P.anon, task.P.zero,
 * task.P.reused (do_wp_page reuses), task.P.rss, task.P.nr_ptes, and swap:
 * task.P.swapout (PTEs reclaim replaced by swap entries), task.P.swapin
 * (swap faults: do_swap_page brought a page back) and task.P.swapents
 * (swap entries now in the PTEs: VmSwap in pages, as proc.P.swapents).
 * A task's handle is an "mm" handle: `access`, `show pagetable` and the
 * expression functions pfn(P, VA), pte(P, VA) work on it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/mmap.h"
#include "mm/page_alloc.h"
#include "mmu/memory.h"
#include "mmu/mmu.h"
#include "tools/scenario.h"

struct scn_task {
	struct mm_struct *mm;
	char name[64];
	unsigned long reused;
	struct scn_task *next;
};

struct task_state {
	struct scn_task *tasks;
};

static void task_state_free(struct scenario *sc)
{
	struct task_state *st = sc->task_state;
	if (!st)
		return;
	struct sim *s = sc->sim;
	for (struct scn_task *t = st->tasks, *n; t; t = n) {
		n = t->next;
		if (s && t->mm) {
			if (s->mmu->cur_mm == t->mm)
				mmu_switch_mm(s->mmu, &s->kpt.init_mm);
			mmput(s->mem, t->mm);
		}
		free(t);
	}
	free(st);
	sc->task_state = NULL;
	sc->task_state_free = NULL;
}

static struct task_state *tstate(struct scenario *sc)
{
	if (!sc->task_state) {
		sc->task_state = calloc(1, sizeof(struct task_state));
		sc->task_state_free = task_state_free;
	}
	return sc->task_state;
}

static struct scn_task *find_task(struct scenario *sc, const char *name)
{
	struct task_state *st = sc->task_state;
	for (struct scn_task *t = st ? st->tasks : NULL; t; t = t->next)
		if (t->mm && !strcmp(t->name, name))
			return t;
	return NULL;
}

/* Task argv[I] (check pass: only that the handle exists). */
static struct scn_task *task_arg(struct scenario *sc, const struct scn_args *a, int i, int *rc)
{
	*rc = SCN_ERROR;
	struct scn_handle *h = scn_handle_get(sc, a, i, SCN_H_EXT);
	if (!h)
		return NULL;
	if (sc->checking) {
		*rc = 0;
		return NULL;
	}
	struct scn_task *t = find_task(sc, a->argv[i]);
	if (!t)
		scn_error(sc, a, i, "'%s' is not a task (task P)", a->argv[i]);
	return t;
}

/* New task NAME (argv[I]) on MM.  Returns 0 or SCN_ERROR. */
static int add_task(struct scenario *sc, const struct scn_args *a, int i, struct mm_struct *mm)
{
	struct task_state *st = tstate(sc);
	struct scn_task *t = st ? calloc(1, sizeof *t) : NULL;
	if (!t) {
		mmput(sc->sim->mem, mm);
		return scn_error(sc, a, i, "out of host memory");
	}
	struct scn_handle *h = scn_handle_define(sc, a, i, SCN_H_EXT);
	if (!h) {
		free(t);
		mmput(sc->sim->mem, mm);
		return SCN_ERROR;
	}
	mmu_attach_mm(sc->sim->mmu, mm);
	h->ext_kind = "mm";
	h->ext = mm;
	t->mm = mm;
	snprintf(t->name, sizeof t->name, "%s", a->argv[i]);
	t->next = st->tasks;
	st->tasks = t;
	return 0;
}

static int cmd_task(struct scenario *sc, struct scn_args *a)
{
	if (scn_nargs(sc, a, sc->cur, 1, 1) || scn_name(sc, a, 1))
		return SCN_ERROR;
	if (sc->checking)
		return scn_handle_define(sc, a, 1, SCN_H_EXT) ? 0 : SCN_ERROR;
	struct mm_struct *mm = mm_alloc(sc->sim->mem, &sc->sim->kpt);
	if (!mm)
		return scn_error(sc, a, 1, "task: out of simulated memory for the mm");
	if (add_task(sc, a, 1, mm))
		return SCN_ERROR;
	scn_printf(sc, "task %s: pgd pfn %#llx, pcid %u\n", a->argv[1], (unsigned long long)mm->pgd_pfn, mm->pcid);
	return 0;
}

static int cmd_fork(struct scenario *sc, struct scn_args *a)
{
	int rc;
	if (scn_nargs(sc, a, sc->cur, 2, 2) || scn_name(sc, a, 2))
		return SCN_ERROR;
	struct scn_task *p = task_arg(sc, a, 1, &rc);
	if (sc->checking)
		return rc ? rc : scn_handle_define(sc, a, 2, SCN_H_EXT) ? 0 : SCN_ERROR;
	if (!p)
		return rc;
	struct memsys *m = sc->sim->mem;
	struct mm_struct *c = dup_mm(m, &sc->sim->kpt, p->mm);
	if (!c) {
		scn_failure(sc);
		scn_printf(sc, "fork %s %s: failed (out of memory)\n", a->argv[1], a->argv[2]);
		return 0;
	}
	if (add_task(sc, a, 2, c))
		return SCN_ERROR;
	scn_printf(sc, "fork %s -> %s: %lu resident pages shared, private writable ones now read-only in both\n",
		   a->argv[1], a->argv[2], c->rss_anon + c->rss_file + c->rss_shmem);
	return 0;
}

static int cmd_exit(struct scenario *sc, struct scn_args *a)
{
	int rc;
	if (scn_nargs(sc, a, sc->cur, 1, 1))
		return SCN_ERROR;
	struct scn_task *t = task_arg(sc, a, 1, &rc);
	if (!t)
		return rc;
	struct sim *s = sc->sim;
	if (s->mmu->cur_mm == t->mm)
		mmu_switch_mm(s->mmu, &s->kpt.init_mm);
	unsigned long freed_before = s->mem->vm_events[PGFREE];
	mmput(s->mem, t->mm);
	t->mm = NULL;
	struct scn_handle *h = scn_handle_find(sc, a->argv[1]);
	scn_handle_freed(h, a);
	h->ext = NULL;
	scn_printf(sc, "exit %s: address space torn down, %lu pages freed\n", a->argv[1],
		   s->mem->vm_events[PGFREE] - freed_before);
	return 0;
}

static int cmd_mmap(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "prot", NULL };
	uint64_t addr, size;
	int rc;
	if (scn_nargs(sc, a, sc->cur, 3, 5) || scn_only(sc, a, 4, keys))
		return SCN_ERROR;
	if (scn_pos(a, 3) < 0)
		return scn_error(sc, a, a->argc, "mmap: usage: %s", sc->cur->usage);
	if (scn_u64(sc, a, scn_pos(a, 2), 0, false, UINT64_MAX, &addr) ||
	    scn_u64(sc, a, scn_pos(a, 3), 0, true, 1ULL << 40, &size))
		return SCN_ERROR;
	bool shared = false;
	if (scn_pos(a, 4) > 0) {
		if (strcmp(a->argv[scn_pos(a, 4)], "shared") && strcmp(a->argv[scn_pos(a, 4)], "private"))
			return scn_error(sc, a, scn_pos(a, 4), "mmap: '%s' is not shared or private", a->argv[scn_pos(a, 4)]);
		shared = !strcmp(a->argv[scn_pos(a, 4)], "shared");
	}
	unsigned long prot = PROT_READ | PROT_WRITE;
	const char *v;
	int pi = scn_kv(a, "prot", &v);
	if (pi > 0) {
		prot = 0;
		for (const char *c = v; *c; c++) {
			if (*c == 'r')
				prot |= PROT_READ;
			else if (*c == 'w')
				prot |= PROT_WRITE;
			else if (*c == 'x')
				prot |= PROT_EXEC;
			else if (*c != '-')
				return scn_error_at(sc, a, pi, (int)(c - a->argv[pi]), "prot: unknown right '%c' (r, w, x)", *c);
		}
	}
	struct scn_task *t = task_arg(sc, a, scn_pos(a, 1), &rc);
	if (!t)
		return rc;
	uint64_t out;
	int e = do_mmap(sc->sim->mem, t->mm, addr, size, prot,
			(shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &out);
	if (e < 0) {
		scn_failure(sc);
		scn_printf(sc, "mmap %s %#llx: failed (%s)\n", t->name, (unsigned long long)addr, strerror(-e));
		return 0;
	}
	scn_printf(sc, "mmap %s %#llx-%#llx %s%s%s %s\n", t->name, (unsigned long long)out,
		   (unsigned long long)(out + size), prot & PROT_READ ? "r" : "-", prot & PROT_WRITE ? "w" : "-",
		   prot & PROT_EXEC ? "x" : "-", shared ? "shared" : "private");
	return 0;
}

static const char *kind_name(enum fault_kind k)
{
	static const char *const n[] = { "none", "anon", "zero", "file", "cow", "invalid", "spurious", "swap" };
	return (unsigned)k < sizeof n / sizeof n[0] ? n[k] : "?";
}

/* One user access of T at VA: translate, on #PF run the fault handler and
 * retry once.  Prints what happened.  Returns 0 or SCN_ERROR. */
static int touch_one(struct scenario *sc, const struct scn_args *a, struct scn_task *t, uint64_t va, bool write)
{
	struct sim *s = sc->sim;
	struct mmu *mmu = s->mmu;
	if (mmu->cur_mm != t->mm)
		mmu_switch_mm(mmu, t->mm);
	unsigned access = (write ? MMU_WRITE : MMU_READ) | MMU_USER;
	struct mmu_xlate x;
	int rc = mmu_translate(mmu, va, access, &x);
	if (rc == 0) {
		scn_printf(sc, "touch %s %#llx %s: no fault, pfn %#llx\n", t->name, (unsigned long long)va,
			   write ? "w" : "r", (unsigned long long)(x.pa >> PAGE_SHIFT));
		return 0;
	}
	if (rc != MMU_FAULT)
		return scn_error(sc, a, 2, "touch: %#llx cannot be translated", (unsigned long long)va);
	struct fault_info fi;
	memset(&fi, 0, sizeof fi);
	int sig = do_user_addr_fault(s->mem, t->mm, va, x.error_code, 0, &fi);
	if (sig) {
		scn_failure(sc);
		scn_printf(sc, "touch %s %#llx %s: %s (%s)\n", t->name, (unsigned long long)va, write ? "w" : "r",
			   sig == MMSIM_SIGBUS ? "SIGBUS" : sig == MMSIM_SIGSEGV ? "SIGSEGV" : "killed",
			   fi.si_code == SEGV_ACCERR_CODE ? "access error" : "no mapping");
		return 0;
	}
	if (fi.reused)
		t->reused++;
	rc = mmu_translate(mmu, va, access, &x);
	scn_printf(sc, "touch %s %#llx %s: %s fault%s, pfn %#llx\n", t->name, (unsigned long long)va, write ? "w" : "r",
		   kind_name(fi.kind), fi.reused ? " (page reused: no other mapping)" : "",
		   (unsigned long long)(rc == 0 ? x.pa >> PAGE_SHIFT : fi.pfn));
	return 0;
}

static int cmd_touch(struct scenario *sc, struct scn_args *a)
{
	static const char *const keys[] = { "pages", NULL };
	uint64_t va, pages = 1;
	int rc;
	if (scn_nargs(sc, a, sc->cur, 3, 4) || scn_only(sc, a, 3, keys))
		return SCN_ERROR;
	if (scn_u64(sc, a, 2, 0, false, UINT64_MAX, &va))
		return SCN_ERROR;
	const char *k = a->argv[3];
	if (strcmp(k, "r") && strcmp(k, "w"))
		return scn_error(sc, a, 3, "touch: '%s' is not r or w", k);
	const char *v;
	int pi = scn_kv(a, "pages", &v);
	if (pi > 0 && scn_u64(sc, a, pi, 6, false, 1u << 20, &pages))
		return SCN_ERROR;
	struct scn_task *t = task_arg(sc, a, 1, &rc);
	if (!t)
		return rc;
	for (uint64_t i = 0; i < pages; i++)
		if (touch_one(sc, a, t, va + i * PAGE_SIZE, k[0] == 'w'))
			return SCN_ERROR;
	return 0;
}

const struct scenario_cmd scenario_task_cmds[] = {
	{ "task", "task P", "a new process address space (VMAs, page faults, fork)", cmd_task },
	{ "mmap", "mmap P ADDR SIZE [prot=rwx] [shared|private]", "P from `task`: anonymous mapping at ADDR (MAP_FIXED)", cmd_mmap },
	{ "touch", "touch P ADDR r|w [pages=N]",
	  "P from `task`: user access(es) by P through the TLBs; a page fault runs Linux's fault handler", cmd_touch },
	{ "fork", "fork P C", "P from `task`: C gets a copy of P's address space (dup_mm: COW-shared pages)", cmd_fork },
	{ "exit", "exit P", "P from `task`: mmput: P's address space is torn down", cmd_exit },
	{ 0 },
};

/* task.P.FIELD */
int scenario_task_stat(struct scenario *sc, const char *name, long long *out, char *err, size_t errlen)
{
	if (strncmp(name, "task.", 5))
		return 1;
	const char *dot = strrchr(name, '.');
	char tn[64];
	if (dot == name + 4 || (size_t)(dot - name - 5) >= sizeof tn) {
		snprintf(err, errlen, "'%s': expected task.P.FIELD", name);
		return -1;
	}
	snprintf(tn, sizeof tn, "%.*s", (int)(dot - name - 5), name + 5);
	struct scn_task *t = find_task(sc, tn);
	if (!t) {
		snprintf(err, errlen, "unknown or exited task '%s'", tn);
		return -1;
	}
	const char *f = dot + 1;
	struct mm_struct *mm = t->mm;
	if (!strcmp(f, "faults"))
		*out = (long long)(mm->min_flt + mm->maj_flt);
	else if (!strcmp(f, "cow"))
		*out = (long long)mm->faults.cow;
	else if (!strcmp(f, "anon"))
		*out = (long long)mm->faults.anon;
	else if (!strcmp(f, "zero"))
		*out = (long long)mm->faults.zero;
	else if (!strcmp(f, "reused"))
		*out = (long long)t->reused;
	else if (!strcmp(f, "rss"))
		*out = (long long)(mm->rss_anon + mm->rss_file + mm->rss_shmem);
	else if (!strcmp(f, "nr_ptes"))
		*out = (long long)mm->nr_ptes;
	else if (!strcmp(f, "swapout"))
		*out = (long long)mm->swapouts;
	else if (!strcmp(f, "swapin"))
		*out = (long long)mm->faults.swap;
	else if (!strcmp(f, "swapents"))
		*out = (long long)mm->swapents;
	else {
		snprintf(err, errlen,
			 "task '%s' has no field '%s' (faults cow anon zero reused rss nr_ptes swapout swapin swapents)", tn,
			 f);
		return -1;
	}
	return 0;
}
