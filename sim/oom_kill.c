/* sim/oom_kill.c - the OOM killer, as Linux 6.x's mm/oom_kill.c.
 *
 * The page allocator's slow path calls out_of_memory() (through
 * memsys->reclaim.out_of_memory) when reclaim made no progress.  Then:
 *   1. an allocating task that is already dying gets nothing: the
 *      allocation fails and it exits (Linux gives it reserves instead);
 *   2. vm.panic_on_oom (1 or 2) stops the run: "Kernel panic - not
 *      syncing: Out of memory: system-wide panic_on_oom is enabled", exit
 *      status RUN_EXIT_PANIC (sim/run.h);
 *   3. vm.oom_kill_allocating_task kills the allocating task if it can;
 *   4. otherwise select_bad_process(): every process with an mm, in pid
 *      order, scored by oom_badness(); the highest wins, a later one on a
 *      tie (Linux's ">=" walk); oom_score_adj -1000 and tasks already
 *      reaped are never chosen;
 *   5. the report goes to stderr in Linux's words (dump_header: "invoked
 *      oom-killer", Mem-Info, the task table; "Out of memory: Killed
 *      process ..."), the victim (and every task sharing its mm) gets
 *      SIGKILL, oom_kill is counted, and the oom_reaper at once unmaps its
 *      private and anonymous memory, whose pages go back to the free lists.
 * The allocating task itself is killed but not reaped (it is inside the
 * fault that allocates): its allocation fails and it dies when its slice
 * ends, freeing everything in exit_mmap.  No killable task at all is
 * Linux's "System is deadlocked on memory" panic.
 *
 * Differences from Linux: pid 1 is the user's program, not a system init,
 * so it is a candidate like any process (Linux never kills init); there
 * are no memory cgroups or cpusets (constraint is always CONSTRAINT_NONE).
 */
#include "sim/oom_kill.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mm/swapfile.h"
#include "mm/mmap.h"
#include "mm/proc.h"
#include "mm/show_mem.h"
#include "mmu/memory.h"
#include "sim/summary.h"
#include "sim/sys_internal.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

unsigned long oom_totalpages(const struct memsys *m)
{
	return m->totalram_pages + (unsigned long)total_swap_pages(m);
}

static unsigned long mm_rss(const struct mm_struct *mm)
{
	return mm->rss_anon + mm->rss_file + mm->rss_shmem;
}

static unsigned long mm_pgtables_bytes(const struct mm_struct *mm)
{
	return mm->nr_ptes << PAGE_SHIFT;
}

long oom_badness_parts(struct task *t, unsigned long totalpages, struct oom_badness_parts *p)
{
	long adj = t->oom_score_adj, points;

	memset(p, 0, sizeof(*p));
	p->totalpages = totalpages;
	p->oom_score_adj = t->oom_score_adj;
	if (t->state >= EXIT_ZOMBIE || !t->mm || t->vfork_child)
		return p->points = LONG_MIN;
	if (adj == OOM_SCORE_ADJ_MIN || t->oom_reaped)
		return p->points = LONG_MIN;
	p->rss = mm_rss(t->mm);
	p->swapents = t->mm->swapents;
	p->pgtables = mm_pgtables_bytes(t->mm) / PAGE_SIZE;
	points = (long)(p->rss + p->swapents + p->pgtables);
	p->per_mille = (long)(totalpages / 1000);
	adj *= p->per_mille;
	p->adj_pages = adj;
	return p->points = points + adj;
}

long oom_badness(struct task *t, unsigned long totalpages)
{
	struct oom_badness_parts p;
	return oom_badness_parts(t, totalpages, &p);
}

unsigned long proc_oom_score(struct sim *s, struct task *t)
{
	unsigned long totalpages = oom_totalpages(s->mem);
	long badness = oom_badness(t, totalpages);

	if (badness == LONG_MIN || !totalpages)
		return 0;
	long points = (1000 + badness * 1000 / (long)totalpages) * 2 / 3;
	return points > 0 ? (unsigned long)points : 0;
}

/* Print the text in SB on stderr (the kernel log of a run). */
static void klog(struct sim *s, struct strbuf *sb)
{
	if (s->procs)
		progress_clear(s->procs);
	if (sb->len)
		fwrite(sb->buf, 1, sb->len, stderr);
	fflush(stderr);
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Is T the task that stands for its process (Linux's for_each_process
 * with find_lock_task_mm): the first live thread of its group that has an
 * mm, so a process with threads is one candidate, not one per thread. */
static bool oom_process_task(struct sim *s, const struct task *t)
{
	struct list_head *pos;

	if (t->state >= EXIT_ZOMBIE || !t->mm)
		return false;
	list_for_each(pos, &s->procs->tasks) {
		const struct task *q = list_entry(pos, struct task, tasks);
		if (q == t)
			return true;
		if (q->tgid == t->tgid && q->state < EXIT_ZOMBIE && q->mm)
			return false;
	}
	return true;
}

struct task *oom_select_bad_process(struct sim *s, long *points)
{
	unsigned long totalpages = oom_totalpages(s->mem);
	struct task *chosen = NULL;
	long chosen_points = LONG_MIN;
	struct list_head *pos;

	if (!s->procs)
		return NULL;
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (!oom_process_task(s, t))
			continue;
		long p = oom_badness(t, totalpages);
		if (p == LONG_MIN || p < chosen_points)
			continue;
		chosen = t;
		chosen_points = p;
	}
	if (points)
		*points = chosen_points;
	return chosen;
}

/* Linux's dump_tasks(): one line per process with an mm. */
static void dump_tasks(struct sim *s, struct strbuf *sb)
{
	struct list_head *pos;

	sb_printf(sb, "Tasks state (memory values in pages):\n");
	sb_printf(sb, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (!oom_process_task(s, t))
			continue;
		sb_printf(sb, "[%7d] %5d %5d %8lu %8lu %8lu %8lu         %5d %s\n", t->pid, 0, t->tgid, t->mm->total_vm,
			  mm_rss(t->mm), mm_pgtables_bytes(t->mm), t->mm->swapents, t->oom_score_adj, t->comm);
	}
}

/* Linux's dump_header(): the trigger line, Mem-Info and the task table. */
static void dump_header(struct sim *s, struct task *cur, gfp_t gfp, unsigned order, struct strbuf *sb)
{
	char flags[256];

	sb_printf(sb, "%s invoked oom-killer: gfp_mask=%#x(%s), order=%u, oom_score_adj=%d\n",
		  cur ? cur->comm : "kworker", gfp, gfp_format(gfp, flags, sizeof(flags)), order,
		  cur ? cur->oom_score_adj : 0);
	show_mem(s->mem, sb);
	if (s->mem->sysctl.oom_dump_tasks)
		dump_tasks(s, sb);
}

/* Stop the run as Linux's panic() would stop the machine. */
static void oom_panic(struct sim *s, struct task *cur, const char *why)
{
	struct proc_table *pt = s->procs;
	pt->stop = true;
	snprintf(pt->stop_reason, sizeof(pt->stop_reason), "Kernel panic - not syncing: %s", why);
	if (cur) {
		cur->need_resched = true;
		cur->oom_victim = true; /* its failed fault is no separate report */
	}
}

/* The oom_reaper: unmap the private and anonymous VMAs of MM (shared file
 * mappings keep their pages: they are the page cache's).  Returns the
 * pages freed from the address space's RSS. */
static unsigned long oom_reap_mm(struct memsys *m, struct mm_struct *mm)
{
	unsigned long before = mm_rss(mm);
	struct list_head *l;

	if (!mm->pt_ops)
		return 0;
	list_for_each(l, &mm->mmap) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_list);
		if (v->vm_flags & (VM_HUGETLB | VM_PFNMAP))
			continue;
		if (!v->vm_file || !(v->vm_flags & VM_SHARED))
			mm->pt_ops->zap_range(m, mm, v, v->vm_start, v->vm_end);
	}
	return before - mm_rss(mm);
}

/* Record the kill for the summary and the trace. */
static void note_kill(struct sim *s, struct task *victim, long points, uint64_t anon_kb, gfp_t gfp, unsigned order,
		      unsigned long reaped, const char *candidates)
{
	struct proc_table *pt = s->procs;
	if (pt->nr_oom_kills < (int)(sizeof(pt->oom_kills) / sizeof(pt->oom_kills[0]))) {
		struct oom_kill_record *r = &pt->oom_kills[pt->nr_oom_kills];
		r->pid = victim->pid;
		memcpy(r->comm, victim->comm, sizeof(r->comm));
		r->points = points;
		r->anon_rss_kb = anon_kb;
		r->time = s->insns;
	}
	pt->nr_oom_kills++;
	struct trace_event ev = trace_event_init(TEV_OOM_KILL);
	ev.value = victim->pid;
	ev.order = (int32_t)order;
	ev.gfp = gfp;
	ev.size = reaped;
	ev.detail = candidates;
	trace_emit(s->trace, &ev);
}

/* "pid:comm:badness" of every candidate, space separated, into BUF. */
static void list_candidates(struct sim *s, unsigned long totalpages, char *buf, size_t len)
{
	size_t n = 0;
	struct list_head *pos;

	buf[0] = '\0';
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (!oom_process_task(s, t))
			continue;
		long b = oom_badness(t, totalpages);
		int w = b == LONG_MIN ? snprintf(buf + n, len - n, "%s%d:%s:never", n ? " " : "", t->pid, t->comm)
				      : snprintf(buf + n, len - n, "%s%d:%s:%ld", n ? " " : "", t->pid, t->comm, b);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
}

/* Linux's oom_kill_process + __oom_kill_process + the oom_reaper. */
static bool oom_kill_process(struct sim *s, struct task *cur, struct task *victim, long points, gfp_t gfp,
			     unsigned order, const char *message, struct strbuf *sb)
{
	struct memsys *m = s->mem;
	struct mm_struct *mm = victim->mm;
	char cand[2048];
	unsigned long reaped = 0;
	struct list_head *pos;

	list_candidates(s, oom_totalpages(m), cand, sizeof(cand));
	dump_header(s, cur, gfp, order, sb);
	sb_printf(sb, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
		      "task_memcg=/,task=%s,pid=%d,uid=0\n",
		  victim->comm, victim->pid);
	uint64_t anon_kb = K(mm->rss_anon);
	sb_printf(sb,
		  "%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, "
		  "UID:0 pgtables:%lukB oom_score_adj:%d\n",
		  message, victim->pid, victim->comm, K(mm->total_vm), K(mm->rss_anon), K(mm->rss_file),
		  K(mm->rss_shmem), mm_pgtables_bytes(mm) >> 10, victim->oom_score_adj);
	__count_vm_event(m, OOM_KILL);
	/* every process sharing the victim's mm dies with it */
	list_for_each(pos, &s->procs->tasks) {
		struct task *t = list_entry(pos, struct task, tasks);
		if (t->state < EXIT_ZOMBIE && t->mm == mm) {
			t->oom_victim = true;
			send_sigkill_noalloc(s, t);
		}
	}
	if (victim != cur && !(cur && cur->mm == mm)) {
		reaped = oom_reap_mm(m, mm);
		list_for_each(pos, &s->procs->tasks) {
			struct task *t = list_entry(pos, struct task, tasks);
			if (t->mm == mm)
				t->oom_reaped = true;
		}
		sb_printf(sb, "oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB\n",
			  victim->pid, victim->comm, K(mm->rss_anon), K(mm->rss_file), K(mm->rss_shmem));
	}
	klog(s, sb);
	note_kill(s, victim, points, anon_kb, gfp, order, reaped, cand);
	return victim != cur && reaped > 0;
}

bool sim_out_of_memory(void *ctx, struct memsys *m, gfp_t gfp, unsigned order)
{
	struct sim *s = m->owner;
	struct strbuf sb = { 0 };
	struct task *cur, *chosen = NULL;
	long chosen_points = LONG_MIN;
	unsigned long totalpages = oom_totalpages(m);
	bool freed = false;

	(void)ctx;
	if (!s || !s->procs)
		return false;
	cur = s->procs->current;
	if (cur && (cur->fatal_sig || cur->oom_victim))
		return false; /* task_will_free_mem(current): it is exiting */
	if (m->sysctl.panic_on_oom) {
		dump_header(s, cur, gfp, order, &sb);
		klog(s, &sb);
		oom_panic(s, cur, m->sysctl.panic_on_oom == 2 ? "Out of memory: compulsory panic_on_oom is enabled"
							       : "Out of memory: system-wide panic_on_oom is enabled");
		sb_free(&sb);
		return false;
	}
	if (m->sysctl.oom_kill_allocating_task && cur && oom_badness(cur, totalpages) != LONG_MIN) {
		freed = oom_kill_process(s, cur, cur, oom_badness(cur, totalpages), gfp, order,
					 "Out of memory (oom_kill_allocating_task)", &sb);
		sb_free(&sb);
		return freed;
	}
	chosen = oom_select_bad_process(s, &chosen_points);
	if (!chosen) {
		dump_header(s, cur, gfp, order, &sb);
		sb_printf(&sb, "Out of memory and no killable processes...\n");
		klog(s, &sb);
		oom_panic(s, cur, "System is deadlocked on memory");
		sb_free(&sb);
		return false;
	}
	freed = oom_kill_process(s, cur, chosen, chosen_points, gfp, order, "Out of memory", &sb);
	sb_free(&sb);
	return freed;
}

int oom_adj_rule_parse(const char *text, struct oom_adj_rule *r, char *err, size_t errlen)
{
	const char *eq = strrchr(text, '=');
	char *end;

	memset(r, 0, sizeof(*r));
	if (!eq || eq == text) {
		snprintf(err, errlen, "'%s': expected PID_OR_COMM=N", text);
		return -1;
	}
	errno = 0;
	long v = strtol(eq + 1, &end, 10);
	if (!eq[1] || *end || errno || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX) {
		snprintf(err, errlen, "'%s': N must be an integer from -1000 to 1000", text);
		return -1;
	}
	r->adj = (int)v;
	size_t n = (size_t)(eq - text);
	bool digits = true;
	for (size_t i = 0; i < n; i++)
		if (text[i] < '0' || text[i] > '9')
			digits = false;
	if (digits) {
		long pid = strtol(text, &end, 10);
		if (pid <= 0 || pid > INT_MAX || n > 10) {
			snprintf(err, errlen, "'%s': bad pid", text);
			return -1;
		}
		r->pid = (int)pid;
		return 0;
	}
	if (n >= sizeof(r->comm)) {
		snprintf(err, errlen, "'%s': a command name has at most 15 characters (as /proc/PID/comm)", text);
		return -1;
	}
	memcpy(r->comm, text, n);
	return 0;
}

void oom_apply_rules(struct sim *s, struct task *t)
{
	struct proc_table *pt = s->procs;
	for (int i = 0; i < pt->nr_oom_rules; i++) {
		const struct oom_adj_rule *r = &pt->oom_rules[i];
		if (r->pid ? r->pid == t->pid : !strcmp(r->comm, t->comm))
			t->oom_score_adj = r->adj;
	}
}

void oom_summary_text(struct sim *s, FILE *out)
{
	struct proc_table *pt = s->procs;
	int n = pt->nr_oom_kills < 32 ? pt->nr_oom_kills : 32;

	if (!pt->nr_oom_kills)
		return;
	fprintf(out, "\n   OOM killer: %d kill%s\n", pt->nr_oom_kills, pt->nr_oom_kills == 1 ? "" : "s");
	for (int i = 0; i < n; i++) {
		const struct oom_kill_record *r = &pt->oom_kills[i];
		fprintf(out, "      pid %d (%s): badness %ld, anon-rss %llu kB, at %llu instructions\n", r->pid, r->comm,
			r->points, (unsigned long long)r->anon_rss_kb, (unsigned long long)r->time);
	}
}

void oom_summary_json(struct sim *s, FILE *out)
{
	struct proc_table *pt = s->procs;
	int n = pt->nr_oom_kills < 32 ? pt->nr_oom_kills : 32;

	fputs("\"oom_kills\":[", out);
	for (int i = 0; i < n; i++) {
		const struct oom_kill_record *r = &pt->oom_kills[i];
		fprintf(out, "%s{\"pid\":%d,\"comm\":", i ? "," : "", r->pid);
		json_put_string(out, r->comm);
		fprintf(out, ",\"badness\":%ld,\"anon_rss_kb\":%llu,\"time\":%llu}", r->points,
			(unsigned long long)r->anon_rss_kb, (unsigned long long)r->time);
	}
	fputs("],", out);
}
