/* LRU as an mmsim replacement-policy plug-in: a full-marks answer to
 * exercises/lru-plugin (README.md).  Each frame remembers when its page
 * was last referenced; the victim is the frame referenced longest ago.
 *     cc -O2 -shared -fPIC -I MMSIM/tools -o lru.so answer-full.c
 */
#include <stdlib.h>

#include "mmsim_policy.h"

struct lru {
	unsigned ways;
	size_t *last; /* per frame of every set: the reference that last used it */
};

static void *lru_init(const struct mmsim_policy_info *info)
{
	struct lru *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->ways = info->nframes;
	l->last = calloc((size_t)info->nsets * info->nframes, sizeof *l->last);
	if (!l->last) {
		free(l);
		return NULL;
	}
	return l;
}

/* A hit and a miss both make the frame the most recently used. */
static void lru_access(void *st, size_t i, unsigned set, unsigned frame, int hit)
{
	struct lru *l = st;
	(void)hit;
	l->last[(size_t)set * l->ways + frame] = i;
}

static unsigned lru_victim(void *st, size_t i, unsigned set, const uint64_t *frames)
{
	struct lru *l = st;
	const size_t *last = l->last + (size_t)set * l->ways;
	unsigned v = 0;
	(void)i, (void)frames;
	for (unsigned f = 1; f < l->ways; f++)
		if (last[f] < last[v])
			v = f;
	return v;
}

static void lru_fini(void *st)
{
	struct lru *l = st;
	free(l->last);
	free(l);
}

const struct mmsim_policy mmsim_policy = { MMSIM_POLICY_ABI, "lru (answer)", lru_init, lru_access, lru_victim, lru_fini };
