/* tools/scenario_expr.h - expressions over the simulator's state, for
 * `question ... answer=EXPR` (docs/exercises.md has the grammar):
 *   numbers (decimal, 0x hex, reals), stat names (anything `expect` reads:
 *   meminfo.MemFree, tlb.l1d.misses, dTLB-load-misses, var.X, task.P.cow),
 *   + - * / (exact: 7/2 is 3.5) // (integer division) %, comparisons
 *   (== != < <= > >= give 1 or 0), && || !, parentheses, list literals
 *   [a, b], indexing L[i], and functions of the state: pfn, pa, pte,
 *   entry_addr, index, offset, buddyinfo, zone, cache, refcount, mapcount,
 *   freed, tlb_set, len, sum, min, max, yesno, hex, dec, and (with
 *   scenario_expr_pressure.h) alloc_path, oom_badness, oom_victim,
 *   oom_totalpages.
 * A name may contain '-' when a letter or digit follows it
 * (dTLB-load-misses, slabinfo.kmalloc-64.active_objs): subtracting
 * names needs blanks around the '-'.
 */
#ifndef MMSIM_TOOLS_SCENARIO_EXPR_H
#define MMSIM_TOOLS_SCENARIO_EXPR_H

#include <stddef.h>

#include "tools/answer.h"

struct scenario;
struct expr;

/* Parse TEXT (LEN bytes).  Returns the tree, or NULL with ERR and *ERRPOS
 * (byte offset in TEXT) set.  In the check pass SC (may be NULL) is used to
 * check handle arguments exist. */
struct expr *expr_parse(struct scenario *sc, const char *text, size_t len, int *errpos, char *err, size_t errlen);
/* Evaluate E against SC's machine into OUT (answer_free it).  Returns 0,
 * or -1 with ERR and *ERRPOS (unknown stat, unmapped address, division by
 * zero, a type error). */
int expr_eval(struct scenario *sc, const struct expr *e, struct answer *out, int *errpos, char *err,
	      size_t errlen);
void expr_free(struct expr *e);

#endif
