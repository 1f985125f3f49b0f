/* A FIFO replacement plug-in (tools/mmsim_policy.h) for the grading tests:
 * the victim is the frame filled longest ago, round robin. */
#include <stdlib.h>

#include "mmsim_policy.h"

struct fifo {
	unsigned nframes, next;
};

static void *fifo_init(const struct mmsim_policy_info *info)
{
	struct fifo *f = calloc(1, sizeof *f);
	if (f)
		f->nframes = info->nframes;
	return f;
}

static void fifo_access(void *state, size_t i, unsigned set, unsigned frame, int hit)
{
	(void)state, (void)i, (void)set, (void)frame, (void)hit;
}

static unsigned fifo_victim(void *state, size_t i, unsigned set, const uint64_t *frames)
{
	struct fifo *f = state;
	(void)i, (void)set, (void)frames;
	unsigned v = f->next;
	f->next = (f->next + 1) % f->nframes;
	return v;
}

static void fifo_fini(void *state)
{
	free(state);
}

const struct mmsim_policy mmsim_policy = { MMSIM_POLICY_ABI, "fifo", fifo_init, fifo_access, fifo_victim, fifo_fini };
