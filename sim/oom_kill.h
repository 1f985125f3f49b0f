/* sim/oom_kill.h - the OOM killer (Linux 6.x mm/oom_kill.c): the upper half
 * that knows the processes, reached from the page allocator through
 * memsys->reclaim.out_of_memory. */
#ifndef MMSIM_SIM_OOM_KILL_H
#define MMSIM_SIM_OOM_KILL_H

#include <stdbool.h>

#include "mm/gfp.h"

struct sim;
struct task;
struct memsys;

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

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
/* RAM + swap pages: the scale of oom_score_adj and of /proc/PID/oom_score. */
unsigned long oom_totalpages(const struct memsys *m);
/* /proc/PID/oom_score: badness scaled to 0..~1333 as Linux's proc_oom_score. */
unsigned long proc_oom_score(struct sim *s, struct task *t);

#endif
