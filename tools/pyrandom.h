/* tools/pyrandom.h - Python's `random` module generator (MT19937, seeded
 * as random.seed(int) seeds it), so that `mmsim refs` draws the same
 * numbers as OSTEP's paging-policy.py for the same --seed. */
#ifndef MMSIM_TOOLS_PYRANDOM_H
#define MMSIM_TOOLS_PYRANDOM_H

#include <stdint.h>

struct pyrandom {
	uint32_t mt[624];
	int mti;
};

/* random.seed(SEED) for a non-negative integer SEED. */
void pyrandom_seed(struct pyrandom *r, uint64_t seed);
/* random.random(): a double in [0, 1) with 53 random bits. */
double pyrandom_random(struct pyrandom *r);

#endif
