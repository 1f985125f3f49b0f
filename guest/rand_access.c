/* rand_access: random read-modify-write accesses over a buffer, addresses
 * from a fixed xorshift generator (deterministic).
 * Usage: rand_access [MiB=16] [accesses=4000000]. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 0) : 4000000;
	size_t n = mib * 1024 * 1024 / sizeof(unsigned long);
	unsigned long *a = calloc(n, sizeof *a);
	if (!a) {
		fprintf(stderr, "rand_access: out of memory\n");
		return 1;
	}
	unsigned long x = 88172645463325252UL, sum = 0;
	for (unsigned long i = 0; i < count; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t j = x % n;
		a[j] += i;
		sum += a[j];
	}
	printf("rand_access %zu MiB x %lu: checksum %lu\n", mib, count, sum);
	free(a);
	return 0;
}
