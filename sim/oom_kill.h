/* sim/oom_kill.h - the OOM killer (Linux 6.x mm/oom_kill.c): the upper half
 * that knows the processes, reached from the page allocator through
 * memsys->reclaim.out_of_memory. */
#ifndef MMSIM_SIM_OOM_KILL_H
#define MMSIM_SIM_OOM_KILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mm/gfp.h"

struct sim;
struct task;
struct memsys;

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

/* --oom-score-adj PID_OR_COMM=N: a pid (digits) or a command name (as
 * /proc/PID/comm shows it, at most 15 characters). */
struct oom_adj_rule {
	int pid;                      /* 0: match COMM */
	char comm[16];
	int adj;
};

/* Parse "PID_OR_COMM=N" (N in -1000..1000) into R.  Returns 0, or -1 with
 * a one-line reason in ERR. */
int oom_adj_rule_parse(const char *text, struct oom_adj_rule *r, char *err, size_t errlen);
/* Give T the oom_score_adj of the last rule (S->procs->oom_rules) that
 * matches its pid or comm; called when T starts, forks and execs. */
void oom_apply_rules(struct sim *s, struct task *t);

/* The allocator's out_of_memory hook (M->owner is the struct sim): choose
 * the process with the highest oom_badness, report it on stderr and as an
 * oom_kill event, SIGKILL it and reap its private memory at once.  Returns
 * true if memory was freed (the allocation is retried); false if nothing
 * could be killed, the victim is the allocating task itself (it dies
 * instead of allocating), or vm.panic_on_oom stopped the run. */
bool sim_out_of_memory(void *ctx, struct memsys *m, gfp_t gfp, unsigned order);
/* Linux's oom_badness: rss + swap entries + page-table pages +
 * oom_score_adj * TOTALPAGES / 1000, or LONG_MIN for a task that is never
 * chosen (oom_score_adj -1000, no mm, exited, a vfork child, reaped). */
long oom_badness(struct task *t, unsigned long totalpages);
/* oom_badness's terms, for explanations (mmsim exercise oom --solve). */
struct oom_badness_parts {
	unsigned long rss;            /* anon + file + shmem resident pages */
	unsigned long swapents;       /* swap entries */
	unsigned long pgtables;       /* page-table pages */
	unsigned long totalpages;     /* RAM + swap */
	int oom_score_adj;
	long per_mille;               /* totalpages / 1000 */
	long adj_pages;               /* oom_score_adj * per_mille */
	long points;                  /* the badness, or LONG_MIN */
};
/* oom_badness, filling P with its terms (all 0 but points when LONG_MIN). */
long oom_badness_parts(struct task *t, unsigned long totalpages, struct oom_badness_parts *p);
/* Linux's select_bad_process: the process (one task per thread group, as
 * for_each_process) with the highest badness (a later one on a tie),
 * *POINTS (unless NULL) its badness; NULL when none can be chosen. */
struct task *oom_select_bad_process(struct sim *s, long *points);
/* RAM + swap pages: the scale of oom_score_adj and of /proc/PID/oom_score. */
unsigned long oom_totalpages(const struct memsys *m);
/* /proc/PID/oom_score: badness scaled to 0..~1333 as Linux's proc_oom_score. */
unsigned long proc_oom_score(struct sim *s, struct task *t);

/* The run summary's OOM block: each kill (text), or "oom_kills":[...],
 * (JSON, with the trailing comma). */
void oom_summary_text(struct sim *s, FILE *out);
void oom_summary_json(struct sim *s, FILE *out);

#endif
