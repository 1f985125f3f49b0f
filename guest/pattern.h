/* guest/pattern.h - a checksummed page pattern for the swap tests
 * (swap_verify, shmem_verify): every 8-byte word depends on its page, its
 * offset and a salt, so a page lost, swapped in wrong or mixed up with
 * another shows as a CHECK failure. */
#ifndef MMSIM_GUEST_PATTERN_H
#define MMSIM_GUEST_PATTERN_H

#include <stdint.h>

#include "check.h"

#define PG 4096

/* Word W of page PAGE for SALT. */
static inline uint64_t word(uint64_t page, uint64_t w, uint64_t salt)
{
	uint64_t x = (page * 512 + w) ^ (salt * 0x9e3779b97f4a7c15ULL);
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

/* Write page PAGE's pattern for SALT at P. */
static inline void fill(uint64_t *p, uint64_t page, uint64_t salt)
{
	for (uint64_t w = 0; w < PG / 8; w++)
		p[w] = word(page, w, salt);
}

/* Check P against page PAGE's pattern for SALT; a mismatch fails the
 * program naming WHO, the page and the word. */
static inline void verify(const uint64_t *p, uint64_t page, uint64_t salt, const char *who)
{
	for (uint64_t w = 0; w < PG / 8; w++)
		CHECK(p[w] == word(page, w, salt), "%s: page %llu word %llu: %llx", who, (unsigned long long)page,
		      (unsigned long long)w, (unsigned long long)p[w]);
}

#endif
