/* mm/prandom.h - the simulator's deterministic pseudo-random numbers.
 * Everything random in a run (AT_RANDOM, getrandom, random TLB
 * replacement) comes from the run's seed through these, never from the
 * host, so two runs with one seed are identical. */
#ifndef MMSIM_MM_PRANDOM_H
#define MMSIM_MM_PRANDOM_H

#include <stdint.h>

/* splitmix64: advance the state *X and return its next 64-bit output.
 * Any state is valid (zero included). */
static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
