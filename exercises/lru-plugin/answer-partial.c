/* A flawed answer to exercises/lru-plugin, for the test suite:
 * expected score: 4.3 / 6
 * The classic slip: the frame's time is set when its page comes in, and a
 * hit does not refresh it, so this "LRU" evicts the oldest arrival: FIFO.
 * It agrees with LRU wherever no page is hit before an eviction.
 */
#include <stdlib.h>

#include "mmsim_policy.h"

struct stamp {
	unsigned ways;
	size_t *loaded; /* per frame of every set: the reference that loaded it */
};

static void *stamp_init(const struct mmsim_policy_info *info)
{
	struct stamp *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->ways = info->nframes;
	s->loaded = calloc((size_t)info->nsets * info->nframes, sizeof *s->loaded);
	if (!s->loaded) {
		free(s);
		return NULL;
	}
	return s;
}

static void stamp_access(void *st, size_t i, unsigned set, unsigned frame, int hit)
{
	struct stamp *s = st;
	if (!hit) /* the bug: a hit should count as a use too */
		s->loaded[(size_t)set * s->ways + frame] = i;
}

static unsigned stamp_victim(void *st, size_t i, unsigned set, const uint64_t *frames)
{
	struct stamp *s = st;
	const size_t *t = s->loaded + (size_t)set * s->ways;
	unsigned v = 0;
	(void)i, (void)frames;
	for (unsigned f = 1; f < s->ways; f++)
		if (t[f] < t[v])
			v = f;
	return v;
}

static void stamp_fini(void *st)
{
	struct stamp *s = st;
	free(s->loaded);
	free(s);
}

const struct mmsim_policy mmsim_policy = { MMSIM_POLICY_ABI, "lru? (flawed)", stamp_init, stamp_access, stamp_victim,
					   stamp_fini };
