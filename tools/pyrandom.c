/* tools/pyrandom.c - MT19937 (Matsumoto and Nishimura, 1998) with the
 * seeding and the 53-bit double that CPython's random module uses:
 * random.seed(n) for an integer n feeds abs(n)'s 32-bit words, least
 * significant first ([0] for 0), to init_by_array; random() takes the top
 * 27 and 26 bits of two draws. */
#include "tools/pyrandom.h"

#define MT_N 624
#define MT_M 397

static void init_genrand(struct pyrandom *r, uint32_t s)
{
	r->mt[0] = s;
	for (int i = 1; i < MT_N; i++)
		r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
	r->mti = MT_N;
}

static void init_by_array(struct pyrandom *r, const uint32_t *key, int len)
{
	init_genrand(r, 19650218u);
	int i = 1, j = 0;
	for (int k = MT_N > len ? MT_N : len; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
		i++;
		j++;
		if (i >= MT_N) {
			r->mt[0] = r->mt[MT_N - 1];
			i = 1;
		}
		if (j >= len)
			j = 0;
	}
	for (int k = MT_N - 1; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
		i++;
		if (i >= MT_N) {
			r->mt[0] = r->mt[MT_N - 1];
			i = 1;
		}
	}
	r->mt[0] = 0x80000000u;
}

void pyrandom_seed(struct pyrandom *r, uint64_t seed)
{
	uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
	init_by_array(r, key, key[1] ? 2 : 1);
}

/* The next 32-bit output; regenerates the state every 624 draws. */
static uint32_t genrand_uint32(struct pyrandom *r)
{
	static const uint32_t mag01[2] = {0, 0x9908b0dfu};
	if (r->mti >= MT_N) {
		int kk;
		uint32_t y;
		for (kk = 0; kk < MT_N - MT_M; kk++) {
			y = (r->mt[kk] & 0x80000000u) | (r->mt[kk + 1] & 0x7fffffffu);
			r->mt[kk] = r->mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1];
		}
		for (; kk < MT_N - 1; kk++) {
			y = (r->mt[kk] & 0x80000000u) | (r->mt[kk + 1] & 0x7fffffffu);
			r->mt[kk] = r->mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1];
		}
		y = (r->mt[MT_N - 1] & 0x80000000u) | (r->mt[0] & 0x7fffffffu);
		r->mt[MT_N - 1] = r->mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1];
		r->mti = 0;
	}
	uint32_t y = r->mt[r->mti++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y;
}

double pyrandom_random(struct pyrandom *r)
{
	uint32_t a = genrand_uint32(r) >> 5, b = genrand_uint32(r) >> 6;
	return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}
