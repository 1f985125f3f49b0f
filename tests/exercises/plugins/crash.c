/* A plug-in that dereferences NULL when asked for a victim: the grader
 * must survive it and give 0 for the checks that need a victim. */
#include <stddef.h>

#include "mmsim_policy.h"

static void *crash_init(const struct mmsim_policy_info *info)
{
	(void)info;
	return (void *)1;
}

static void crash_access(void *state, size_t i, unsigned set, unsigned frame, int hit)
{
	(void)state, (void)i, (void)set, (void)frame, (void)hit;
}

static unsigned crash_victim(void *state, size_t i, unsigned set, const uint64_t *frames)
{
	(void)state, (void)i, (void)set, (void)frames;
	return *(volatile unsigned *)NULL;
}

const struct mmsim_policy mmsim_policy = { MMSIM_POLICY_ABI, "crash", crash_init, crash_access, crash_victim, NULL };
