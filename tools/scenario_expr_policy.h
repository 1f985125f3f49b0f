/* tools/scenario_expr_policy.h - replacement-policy functions for answer
 * expressions (scenario_expr_policy.c; built with -DHAVE_POLICY_SIM). */
#ifndef MMSIM_TOOLS_SCENARIO_EXPR_POLICY_H
#define MMSIM_TOOLS_SCENARIO_EXPR_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/answer.h"

/* Is NAME one of the policy functions? */
bool expr_policy_func(const char *name);
/* Evaluate NAME(POLICY, NFRAMES, REFS) into OUT.  Returns 0, or -1 with ERR. */
int expr_policy_call(const char *name, const char *policy, long long nframes, const struct answer *refs,
		     struct answer *out, char *err, size_t errlen);

#endif
