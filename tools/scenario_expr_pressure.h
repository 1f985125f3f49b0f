/* tools/scenario_expr_pressure.h - memory-pressure functions for answer
 * expressions (scenario_expr_pressure.c):
 *   alloc_path(H)    how alloc_pages H went: fast, kswapd, direct, failed
 *   oom_badness(P)   Linux's oom_badness of process P (the word never for
 *                    a process the OOM killer cannot choose)
 *   oom_victim()     the process select_bad_process would choose now (its
 *                    handle name; none when there is none)
 *   oom_totalpages() RAM + swap pages, the scale of oom_score_adj
 * Each reads the model (sim/oom_kill.c, the handle's record): nothing is
 * recomputed here. */
#ifndef MMSIM_TOOLS_SCENARIO_EXPR_PRESSURE_H
#define MMSIM_TOOLS_SCENARIO_EXPR_PRESSURE_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/answer.h"

struct scenario;

/* Is NAME one of these functions? */
bool expr_pressure_func(const char *name);
/* Evaluate NAME(ARG) (ARG: the handle name, NULL without argument) into
 * OUT.  Returns 0, or -1 with ERR. */
int expr_pressure_call(struct scenario *sc, const char *name, const char *arg, struct answer *out, char *err,
		       size_t errlen);

/* The name a student knows process PID by: its process handle's name,
 * else its comm; NULL when there is no such task. */
const char *scn_process_name(struct scenario *sc, int pid);

#endif
