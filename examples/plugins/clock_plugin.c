/* examples/plugins/clock_plugin.c - an example replacement-policy plug-in
 * for mmsim (docs/plugins.md): CLOCK (second chance) with one use bit per
 * frame, the same choices as `mmsim refs --policy CLOCK --clockbits 1`.
 *
 * Build (meson builds it as build/examples/plugins/clock_plugin.so):
 *     cc -O2 -shared -fPIC -I MMSIM/tools -o clock_plugin.so clock_plugin.c
 * Run:
 *     mmsim refs --policy-plugin ./clock_plugin.so --frames 3 1,2,3,4,1,2,5,1,2,3,4,5
 */
#include <stdlib.h>

#include "mmsim_policy.h"

struct clock {
	unsigned ways, sets;
	unsigned char *use;        /* use bit of each frame (sets * ways) */
	unsigned *hand;            /* per set: the frame the hand points at */
};

/* Allocate the bits and hands; NULL when out of memory. */
static void *clock_init(const struct mmsim_policy_info *info)
{
	struct clock *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->ways = info->nframes;
	c->sets = info->nsets;
	c->use = calloc((size_t)c->sets * c->ways, 1);
	c->hand = calloc(c->sets, sizeof *c->hand);
	if (!c->use || !c->hand) {
		free(c->use);
		free(c->hand);
		free(c);
		return NULL;
	}
	return c;
}

/* Every reference sets its frame's use bit (a fresh page's too). */
static void clock_access(void *st, size_t i, unsigned set, unsigned frame, int hit)
{
	struct clock *c = st;
	(void)i;
	(void)hit;
	c->use[(size_t)set * c->ways + frame] = 1;
}

/* Sweep from the hand: a set bit is cleared (a second chance), a clear
 * one is the victim; the hand moves past the victim. */
static unsigned clock_victim(void *st, size_t i, unsigned set, const uint64_t *frames)
{
	struct clock *c = st;
	unsigned char *use = c->use + (size_t)set * c->ways;
	(void)i;
	(void)frames;
	for (;;) {
		unsigned f = c->hand[set];
		c->hand[set] = (f + 1) % c->ways;
		if (!use[f])
			return f;
		use[f] = 0;
	}
}

static void clock_fini(void *st)
{
	struct clock *c = st;
	free(c->use);
	free(c->hand);
	free(c);
}

const struct mmsim_policy mmsim_policy = {
	MMSIM_POLICY_ABI, "clock (example)", clock_init, clock_access, clock_victim, clock_fini,
};
